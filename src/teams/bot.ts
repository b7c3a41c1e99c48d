/**
 * The Teams activity handler: translates activities into core calls and results into cards. Routing only;
 * each family of handlers lives in its own file under src/teams/handlers/.
 */
import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ChannelAccount,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import { channelKey, MANAGERS_CHANNEL_KEY, memberKey, teamKey, userKey } from './conversationKeys';
import type { Logger } from '../logger';
import { activityIds, tenantOf } from './ids';
import type { FeedbackRecorder, GuidanceService, Replies } from './handlers/context';
import type { ManagerDirectory } from './managers';
import type { RecordStore } from '../storage/types';
import { handleMessage } from './handlers/messages';
import { handleCardAction } from './handlers/cardActions';
import { welcomeCardData, type FeatureFlags } from './views';
import type { SafetyContacts } from '../core/walkthrough/cards';

export interface BotDeps {
  logger: Logger;
  guidance: GuidanceService;
  feedback: FeedbackRecorder;
  replies: Replies;
  store: RecordStore;
  managers: ManagerDirectory;
  /** The case reference format (CASE_REF_PATTERN). */
  caseRefPattern: RegExp;
  /** Which optional buttons the answer card shows (only flows that exist). */
  features: FeatureFlags;
  /** The managers' channel when fixed in configuration (then it cannot be set from Teams). */
  managersChannelFromConfig?: { teamId: string; channelId: string };
  /** Asks the delivery worker to look at the outbox now (after a write that queued messages). */
  nudgeDelivery(): void;
  /** Days the content-gap report covers: the guidance_gap retention (RETENTION_DAYS_GUIDANCE_GAP, default 90). */
  gapDays?: number;
  /** The section nearest a question the engine declined (below the answering threshold), for the gap report. */
  nearestSection?: (question: string) => string | null;
  /** Lower-case tenant ids; empty = accept any tenant (local mode only). */
  allowedTenantIds: string[];
  /** The emergency duty team's number and the referral route, for the walkthrough's cards. */
  safety?: SafetyContacts;
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
    await this.remember(context);
    await super.run(context);
  }

  /**
   * Keeps the conversation reference of every 1:1 chat and channel the bot hears from, so proactive messages
   * (a status change, a reminder) reach them later, after a restart and from any instance. A failure here is
   * logged and never blocks the turn.
   */
  private async remember(context: TurnContext): Promise<void> {
    const a = context.activity;
    const type = a.conversation?.conversationType;
    try {
      const base = TurnContext.getConversationReference(a) as Record<string, any>;
      delete base.activityId;
      if (type === 'personal' && a.from?.aadObjectId) {
        await this.deps.store.conversations.save(userKey(a.from.aadObjectId), base, { kind: 'personal', aadObjectId: a.from.aadObjectId.toLowerCase() });
      } else if (type === 'channel') {
        const data = (a.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string } };
        const channelId = data.channel?.id ?? a.conversation.id.split(';')[0];
        const reference = { ...base, conversation: { ...base.conversation, id: channelId } };
        const meta = { kind: 'channel' as const, teamId: data.team?.id, channelId };
        await this.deps.store.conversations.save(channelKey(channelId), reference, meta);
        if (a.from?.aadObjectId && a.from.id) {
          // Enough to open a 1:1 chat with this person later (e.g. the full report for the manager who takes it).
          const member = { ...base, user: { id: a.from.id, name: a.from.name, aadObjectId: a.from.aadObjectId } };
          await this.deps.store.conversations.save(memberKey(a.from.aadObjectId), member, { kind: 'member', aadObjectId: a.from.aadObjectId.toLowerCase(), teamId: data.team?.id });
        }
        const fixed = this.deps.managersChannelFromConfig;
        if (fixed && fixed.channelId === channelId) await this.deps.store.conversations.save(MANAGERS_CHANNEL_KEY, reference, meta);
        if (data.team?.id && (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id)) {
          await this.deps.store.conversations.save(teamKey(data.team.id), reference, { kind: 'team', teamId: data.team.id, channelId });
          this.deps.logger.info(activityIds(a), 'bot.installed.team');
        }
      }
    } catch (err) {
      this.deps.logger.warn({ ...activityIds(a), code: (err as { code?: string }).code ?? 'SAVE_FAILED' }, 'conversation.save_failed');
    }
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
