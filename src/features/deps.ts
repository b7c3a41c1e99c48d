/**
 * What the use cases need from the rest of KeepSafe. The Teams layer builds one FeatureDeps per turn (the
 * managers' directory is bound to the turn, for the roster look-up); each handler asks only for the parts it
 * uses (a Pick of these), so a direct test gives it just those.
 */
import type { Answer, GuidanceDocument, GuidanceSection } from '../core/guidance/types';
import type { SafetyContacts } from './walkthrough/stepCards';
import type { Logger } from '../logger';
import type { RecordStore } from '../storage/types';
import type { FeatureFlags } from './guidance/views';

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

/** Who counts as a manager or an administrator, for this turn (src/teams/managers.ts asks the Teams roster). */
export interface Managers {
  isManager(aadObjectId: string | undefined): Promise<boolean>;
  isAdmin(aadObjectId: string | undefined): boolean;
  /** Neither MANAGER_AAD_IDS nor ADMIN_AAD_IDS is set: nobody can choose the managers' channel from Teams yet. */
  nobodyConfigured(): boolean;
  /** Forget cached answers (after the managers' channel changes). */
  clear(): void;
}

export interface FeatureDeps {
  logger: Logger;
  guidance: GuidanceService;
  feedback: FeedbackRecorder;
  store: RecordStore;
  managers: Managers;
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
  /** The emergency duty team's number and the referral route, for the walkthrough's cards. */
  safety?: SafetyContacts;
}

/** A handler's store: only the calls it makes. */
export type StoreOf<K extends keyof RecordStore> = Pick<RecordStore, K>;
