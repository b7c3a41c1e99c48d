/**
 * The Teams activity handler: translates activities into core calls and results into cards. Routing only;
 * each family of handlers lives in its own file under src/teams/handlers/.
 */
import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ChannelAccount,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from '../logger';
import { activityIds, tenantOf } from './ids';
import type { FeedbackRecorder, GuidanceService, Replies } from './handlers/context';
import type { ManagerDirectory } from './managers';
import type { RecordStore } from '../storage/types';
import { handleMessage } from './handlers/messages';
import { handleCardAction } from './handlers/cardActions';
import { welcomeCardData } from './views';

export interface BotDeps {
  logger: Logger;
  guidance: GuidanceService;
  feedback: FeedbackRecorder;
  replies: Replies;
  store: RecordStore;
  managers: ManagerDirectory;
  /** Lower-case tenant ids; empty = accept any tenant (local mode only). */
  allowedTenantIds: string[];
}

export class KeepSafeBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await handleMessage(context, this.deps);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.welcome(context, context.activity.membersAdded ?? []);
      await next();
    });
  }

  /** Drops activities from tenants that are not ours before any handler sees them. */
  override async run(context: TurnContext): Promise<void> {
    const allowed = this.deps.allowedTenantIds;
    if (allowed.length > 0) {
      const tenant = tenantOf(context.activity);
      if (!tenant || !allowed.includes(tenant)) {
        this.deps.logger.warn(activityIds(context.activity), 'activity.dropped.tenant_not_allowed');
        return;
      }
    }
    this.deps.logger.info(activityIds(context.activity), 'activity.received');
    await super.run(context);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return handleCardAction(context, invokeValue, this.deps);
  }

  private async welcome(context: TurnContext, added: ChannelAccount[]): Promise<void> {
    const botWasAdded = added.some((m) => m.id === context.activity.recipient?.id);
    const personal = context.activity.conversation?.conversationType === 'personal';
    if (!botWasAdded || !personal) return;
    this.deps.logger.info(activityIds(context.activity), 'bot.installed.personal');
    await this.deps.replies.sendCard(context, 'welcome', welcomeCardData(this.deps.guidance.document));
  }
}
