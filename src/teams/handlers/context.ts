/**
 * What the Teams handlers need from the rest of KeepSafe, as narrow interfaces.
 */
import type { TurnContext } from 'botbuilder';
import type { Answer, GuidanceDocument, GuidanceSection } from '../../core/guidance/types';

export interface GuidanceService {
  readonly document: GuidanceDocument;
  /** Which engine and content answered ("ks-engine-2/<guidance version>/<content hash>"), for did-you-mean records. */
  readonly engineVersion: string;
  answer(question: string): Answer;
  section(number: string): GuidanceSection | undefined;
}

export interface FeedbackInput {
  section: string;
  helpful: boolean;
  /** Who gave it, by Teams AAD object id only: names are not recorded. */
  author: { aadObjectId: string };
  /** One feedback per person per answer card: a retried or repeated press makes no second entry. */
  idempotencyKey: string;
}

export interface FeedbackRecorder {
  recordFeedback(input: FeedbackInput): Promise<void>;
}

export interface Replies {
  /** Sends a card rendered from a template in cards/ as a new message. */
  sendCard(context: TurnContext, template: string, data: object): Promise<void>;
  /** Renders a card for an Action.Execute response (the card is replaced in place). */
  render(template: string, data: object): object;
}
