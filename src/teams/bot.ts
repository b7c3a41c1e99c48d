/**
 * The Teams activity handler: Activity → Turn in, Reply → Teams out. It decides nothing itself: typed messages
 * and card presses go to the one route table (features/routes.ts). A card press is registered once for both
 * ways Teams sends it — an Action.Execute invoke, or its Action.Submit fallback (a message with a `value`) —
 * each checked against its schema (cardPayloads.ts) and turned into the same CardPress.
 */
import {
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ChannelAccount,
  type FileConsentCardResponse,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import { channelKey, MANAGERS_CHANNEL_KEY, memberKey, teamKey, userKey } from '../features/conversationKeys';
import type { FeatureDeps } from '../features/deps';
import { NOTICES } from '../features/messages';
import {
  answerTyped,
  fileAccepted,
  fileDeclined,
  fileNotSaved,
  runPress,
  welcome,
  type CardPress,
} from '../features/routes';
import type { ChannelIds, Place, Turn } from '../features/turn';
import { ErrorCodes, errorCodeOf, KeepSafeError, newErrorReference } from '../errors';
import { invokeErrorResponse } from './adapter';
import { parseExecute, parseSubmit, pressFromExecute, pressFromSubmit } from './cardPayloads';
import { FileConsentValue, fileInfoAttachment, UploadFailedError, uploadFile, type UploadOptions } from './files';
import { activityIds, tenantOf } from './ids';
import type { ManagerDirectory } from './managers';
import { invokeMessage, invokeReplies, sendReplies } from './replies';

export interface BotDeps extends Omit<FeatureDeps, 'managers'> {
  managers: ManagerDirectory;
  /** Lower-case tenant ids; empty = accept any tenant (local mode only). */
  allowedTenantIds: string[];
  /**
   * How files offered in a 1:1 chat are uploaded once accepted (the connector's timeout; local mode). Default:
   * 5 seconds, https only.
   */
  files?: UploadOptions;
}

/** The worker's text without the bot's @mention, HTML tags or entities Teams may add. */
export function cleanText(text: string | undefined): string {
  const withoutMention = (text ?? '').replace(/<at>[^<]*<\/at>/gi, ' ');
  return withoutMention
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function placeOf(conversationType: string | undefined): Place {
  if (!conversationType) return 'unknown';
  if (conversationType === 'personal') return 'personal';
  return conversationType === 'channel' ? 'channel' : 'group';
}

/** The team and channel a channel activity came from (channel id without any ";messageid=" thread suffix). */
function channelOf(a: Partial<Activity>): ChannelIds | undefined {
  if (a.conversation?.conversationType !== 'channel') return undefined;
  type Named = { id?: string; name?: string };
  const data = (a.channelData ?? {}) as { team?: Named; channel?: Named };
  const channelId = data.channel?.id ?? a.conversation.id.split(';')[0];
  const teamId = data.team?.id;
  if (!teamId || !channelId) return undefined;
  return { teamId, channelId, teamName: data.team?.name, channelName: data.channel?.name };
}

/** An activity as the use cases see it. */
export function turnOf(context: TurnContext): Turn {
  const a = context.activity;
  const from = a.from;
  return {
    actor: from?.aadObjectId ? { aadObjectId: from.aadObjectId, name: (from.name ?? '').slice(0, 200) } : undefined,
    place: placeOf(a.conversation?.conversationType),
    text: a.type === 'message' && (a.value === undefined || a.value === null) ? cleanText(a.text) : '',
    hasFiles: (a.attachments ?? []).length > 0,
    ids: { conversationId: a.conversation?.id ?? '', activityId: a.id ?? '', replyToId: a.replyToId ?? '' },
    channel: channelOf(a),
    conversationReference: TurnContext.getConversationReference(a) as unknown as Record<string, unknown>,
    log: activityIds(a),
  };
}

export class KeepSafeBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.welcome(context, context.activity.membersAdded ?? []);
      await next();
    });
  }

  /** The use cases' dependencies for this turn: the managers' directory reads this turn's roster. */
  private depsFor(context: TurnContext): FeatureDeps {
    return { ...this.deps, managers: this.deps.managers.forTurn(context) };
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

  /** A typed message, or an Action.Submit press (a message with a `value`). */
  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.value === undefined || activity.value === null) {
      await sendReplies(context, await answerTyped(turnOf(context), this.depsFor(context)), this.deps.logger);
      return;
    }
    const parsed = parseSubmit(activity.value);
    if (!parsed.ok) {
      this.deps.logger.warn({ ...activityIds(activity), code: 'CARD_PAYLOAD_INVALID' }, 'card.submit.rejected');
      const notice = {
        kind: 'notice' as const,
        title: NOTICES.buttonNotUsable.title,
        message: ErrorCodes.CARD_PAYLOAD_INVALID,
      };
      await sendReplies(context, [notice], this.deps.logger);
      return;
    }
    this.deps.logger.info({ ...activityIds(activity), action: parsed.value.action }, 'card.submit');
    const replies = await runPress(turnOf(context), this.depsFor(context), pressFromSubmit(parsed.value));
    await sendReplies(context, replies, this.deps.logger);
  }

  /** Universal Actions (Action.Execute, invoke `adaptiveCard/action`): must answer well inside Teams' ~5 s. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const ids = activityIds(context.activity);
    const verb = invokeValue?.action?.verb;
    const parsed = parseExecute(verb, invokeValue?.action?.data);
    if (!parsed.ok) {
      const shown = typeof verb === 'string' ? verb.slice(0, 40) : undefined;
      this.deps.logger.warn({ ...ids, verb: shown, code: 'CARD_PAYLOAD_INVALID' }, 'card.execute.rejected');
      return invokeMessage(ErrorCodes.CARD_PAYLOAD_INVALID);
    }
    const press: CardPress = pressFromExecute(parsed.value);
    this.deps.logger.info({ ...ids, verb: press.verb }, 'card.execute');
    try {
      const replies = await runPress(turnOf(context), this.depsFor(context), press);
      return await invokeReplies(context, replies, this.deps.logger);
    } catch (err) {
      if (err instanceof KeepSafeError) {
        this.deps.logger.warn({ ...ids, code: err.code }, 'card.execute.failed');
        return invokeMessage(err.userMessage);
      }
      // A bug, or a failure nobody planned for: Teams gets the invoke error shape with a reference, the log the
      // same reference with the error's type and code (never its message, which could quote what was typed).
      const reference = newErrorReference();
      const error = { type: (err as Error)?.name, stack: (err as Error)?.stack };
      const line = { ...ids, verb: press.verb, reference, code: errorCodeOf(err), err: error };
      this.deps.logger.error(line, 'card.execute.error');
      return invokeErrorResponse(reference) as unknown as AdaptiveCardInvokeResponse;
    }
  }

  /**
   * The person acted on a file consent card (`fileConsent/invoke`; botbuilder answers it with status 200 once
   * this returns). Accept: the use case makes the file (its guards again, its audit), the bytes are PUT to the
   * upload session within the connector's timeout, then a file info card shows the file in the chat. Decline, a
   * refusal, or an upload that fails or takes too long: a short message, and no file card.
   */
  protected override async handleTeamsFileConsent(
    context: TurnContext,
    response: FileConsentCardResponse,
  ): Promise<void> {
    const ids = activityIds(context.activity);
    const parsed = FileConsentValue.safeParse(response);
    if (!parsed.success) {
      this.deps.logger.warn({ ...ids, code: 'CARD_PAYLOAD_INVALID' }, 'file.consent.rejected');
      await sendReplies(context, [{ kind: 'message', text: ErrorCodes.CARD_PAYLOAD_INVALID }], this.deps.logger);
      return;
    }
    const consent = parsed.data;
    this.deps.logger.info({ ...ids, action: consent.action }, 'file.consent');
    if (consent.action === 'decline') {
      await sendReplies(context, fileDeclined(consent.context), this.deps.logger);
      return;
    }
    const file = await fileAccepted(turnOf(context), this.depsFor(context), consent.context);
    if (!file.ok) {
      await sendReplies(context, file.replies, this.deps.logger);
      return;
    }
    try {
      await uploadFile(
        consent.uploadInfo.uploadUrl,
        file.bytes,
        this.deps.files ?? { timeoutMs: 5000, localMode: false },
      );
    } catch (err) {
      const code = err instanceof UploadFailedError ? err.code : 'UPLOAD_FAILED';
      const status = err instanceof UploadFailedError ? err.status : undefined;
      this.deps.logger.warn({ ...ids, code, status }, 'file.upload_failed');
      await sendReplies(context, fileNotSaved(consent.context), this.deps.logger);
      return;
    }
    this.deps.logger.info({ ...ids, bytes: file.bytes.length }, 'file.uploaded');
    await context.sendActivity({
      type: 'message',
      attachments: [fileInfoAttachment(consent.uploadInfo, file.fileType)],
    });
  }

  /**
   * Keeps the conversation reference of every 1:1 chat and channel the bot hears from, so proactive messages
   * (a status change, a reminder) reach them later, after a restart and from any instance. A failure here is
   * logged and never blocks the turn.
   */
  private async remember(context: TurnContext): Promise<void> {
    const a = context.activity;
    const type = a.conversation?.conversationType;
    const conversations = this.deps.store.conversations;
    try {
      const base = TurnContext.getConversationReference(a) as Record<string, any>;
      delete base.activityId;
      if (type === 'personal' && a.from?.aadObjectId) {
        const meta = { kind: 'personal' as const, aadObjectId: a.from.aadObjectId.toLowerCase() };
        await conversations.save(userKey(a.from.aadObjectId), base, meta);
      } else if (type === 'channel') {
        const data = (a.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string } };
        const channelId = data.channel?.id ?? a.conversation.id.split(';')[0];
        const reference = { ...base, conversation: { ...base.conversation, id: channelId } };
        const meta = { kind: 'channel' as const, teamId: data.team?.id, channelId };
        await conversations.save(channelKey(channelId), reference, meta);
        if (a.from?.aadObjectId && a.from.id) {
          // Enough to open a 1:1 chat with this person later (e.g. the full report for the manager who takes it).
          const member = { ...base, user: { id: a.from.id, name: a.from.name, aadObjectId: a.from.aadObjectId } };
          const memberMeta = {
            kind: 'member' as const,
            aadObjectId: a.from.aadObjectId.toLowerCase(),
            teamId: data.team?.id,
          };
          await conversations.save(memberKey(a.from.aadObjectId), member, memberMeta);
        }
        const fixed = this.deps.managersChannelFromConfig;
        if (fixed && fixed.channelId === channelId) await conversations.save(MANAGERS_CHANNEL_KEY, reference, meta);
        if (data.team?.id && (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id)) {
          await conversations.save(teamKey(data.team.id), reference, { kind: 'team', teamId: data.team.id, channelId });
          this.deps.logger.info(activityIds(a), 'bot.installed.team');
        }
      }
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'SAVE_FAILED';
      this.deps.logger.warn({ ...activityIds(a), code }, 'conversation.save_failed');
    }
  }

  private async welcome(context: TurnContext, added: ChannelAccount[]): Promise<void> {
    const botWasAdded = added.some((m) => m.id === context.activity.recipient?.id);
    const personal = context.activity.conversation?.conversationType === 'personal';
    if (!botWasAdded || !personal) return;
    this.deps.logger.info(activityIds(context.activity), 'bot.installed.personal');
    await sendReplies(context, welcome(this.deps), this.deps.logger);
  }
}
