/**
 * The shapes of the injury-photo walkthrough: a flow (steps, fields, transitions, what each step records) is
 * data; a walkthrough in progress is a JSON-safe WalkState; what the caller must do is a list of Effects.
 */
import type { RecordFields, RecordKind } from '../records/kinds';

export type FieldType = 'choice' | 'multi_choice' | 'text' | 'multiline' | 'number' | 'date' | 'time' | 'toggle';

export interface Choice {
  value: string;
  title: string;
  /** Offered on the card only when it is already the answer (set by KeepSafe, e.g. a manager's answer), never to pick. */
  onlyIfSet?: boolean;
}

/**
 * A condition on the answers. `step` defaults to the step being submitted; `choice` is the button pressed.
 * Values are compared as the card sends them (strings; a toggle is "true" or "false").
 */
export type Condition =
  | { field: string; step?: string; equals: string }
  | { field: string; step?: string; oneOf: readonly string[] }
  | { field: string; step?: string; filled: boolean }
  | { choice: string }
  /** Every answer of that step (on the path) passes its checks: e.g. back from the danger card only if details are missing. */
  | { complete: string }
  | { all: readonly Condition[] }
  | { any: readonly Condition[] }
  | { not: Condition };

export interface FieldDef {
  /** The Input's id on the card and the key of the answer. */
  id: string;
  label: string;
  type: FieldType;
  choices?: readonly Choice[];
  /** Required always… */
  required?: boolean;
  /** …or only when this holds (e.g. "referred to" once the referral is ticked). */
  requiredWhen?: Condition;
  maxLength?: number;
  /** One short sentence under the input. */
  help?: string;
  placeholder?: string;
  /** Numbers: bounds; `minExclusive` makes `min` itself invalid (a size must be more than 0). */
  min?: number;
  minExclusive?: boolean;
  max?: number;
  /** Dates: not after today (London). */
  notInFuture?: boolean;
  /** Toggles: must be switched on to go on (a promise the worker makes). */
  mustBeOn?: boolean;
  /** Toggles: the text beside the switch. */
  toggleTitle?: string;
  /** Special formats checked beyond the type. */
  format?: 'caseRef';
  /**
   * The field names a member of staff (the manager who gave advice), not the person the record is about, so
   * the personal-identifier check does not question it. Every other free-text field is checked.
   */
  namesStaff?: boolean;
  /**
   * On a marks step: the field belongs to the body map as a whole (who recorded it), not to one mark: it is kept
   * when a mark is added, checked only on Continue, and does not make the mark form "filled in".
   */
  perMap?: boolean;
  /** Choices drawn from the body map's geometry for the view shown (the region list, the sides that fit). */
  bodyMapChoices?: 'region' | 'across';
  /** What to do when the value is missing or wrong: shown by the client and on the card. */
  errorMessage: string;
}

/** Checks across fields of a step. */
export type Check =
  | { kind: 'not_in_future'; date: string; time: string; message: string }
  | { kind: 'region_in_view'; region: string; view: string; message: string }
  /** The part of a region named across it fits the region (inner/outer on a limb, left/right on the trunk…). */
  | { kind: 'across_fits'; region: string; view: string; across: string; message: string }
  /** One number is not more than another (a mark's width and its length). */
  | { kind: 'not_more_than'; field: string; than: string; message: string };

export interface Transition {
  when?: Condition;
  to: string;
  /**
   * Taken before the step's answers are checked, so that no required field stands in the way (someone in
   * immediate danger), and only the first time: once its target is behind the walkthrough, the step's answers
   * are checked and it goes on by its other transitions.
   */
  urgent?: boolean;
}

/**
 * A button. `next` validates the step's inputs and moves on by the step's transitions; `add_mark` validates the
 * mark form and adds the mark (the step stays); `finish` ends the walkthrough. `inputs: false` means the
 * button does not send or need the inputs (a plain choice).
 */
export interface ButtonDef {
  choice: string;
  title: string;
  action?: 'next' | 'add_mark' | 'finish' | 'set';
  style?: 'positive' | 'destructive';
  inputs?: boolean;
  /** `set`: answers this button sets on its step (the view shown, the outline), keeping what was typed; the step stays. */
  sets?: Readonly<Record<string, string>>;
  /** Offered only when this holds (e.g. the outlines by age band, for a child). */
  when?: Condition;
}

/** What a step asks the caller to do when it is completed (going forward). */
export type EmitKind =
  | 'advice_request'
  | 'advice_given'
  | 'consent_decision'
  | 'body_map'
  | 'written_record'
  | 'referral'
  | 'request_advice'
  | 'incident_summary';

export interface Emit {
  what: EmitKind;
  when?: Condition;
}

export interface StepDef {
  id: string;
  /** Which of the guidance's stages it belongs to (1 seen … 5 summary), for "Step 2 of 5". */
  stage: number;
  title: string;
  /** A warning shown first, prominently (red). */
  warning?: { heading: string; text: readonly string[] };
  /** Plain short sentences above the fields. */
  text?: readonly string[];
  fields: readonly FieldDef[];
  buttons: readonly ButtonDef[];
  checks?: readonly Check[];
  /** Where `next` goes: the first transition whose condition holds (one without a condition always does). */
  next: readonly Transition[];
  emits?: readonly Emit[];
  /** The walkthrough's status while at this step (default active). */
  status?: 'active' | 'awaiting_advice';
  /**
   * The step collects body-map marks: its fields are one mark; marks are added and removed one at a time.
   * `keep`: answers set by `set` buttons (the view shown, the outline) that stay when a mark is added; `view` names
   * the one that says which view the mark is on (a field of the form in flow 1, a kept answer from flow 2).
   */
  marks?: { min: number; max: number; keep?: readonly string[]; defaults?: Readonly<Record<string, string>> };
  /** Shows the whole record (the summary). */
  summary?: boolean;
  /** Back is offered (default true when there is somewhere to go back to). */
  back?: boolean;
  /** The council's contact the step names, from configuration: the emergency duty team, or the referral route. */
  contact?: 'emergency' | 'referral';
}

export interface Flow {
  version: string;
  /** What the cards call it ("Photo decision"); the default when absent. */
  title?: string;
  /** The summary's heading ("Injury photo decision"); the default when absent. */
  summaryTitle?: string;
  /** What a worker types to start one ("photo decision"), for the cancelled card; the default when absent. */
  command?: string;
  first: string;
  stages: readonly string[];
  steps: Readonly<Record<string, StepDef>>;
  /** A retired version is not resumed: a walkthrough on it is restarted on the current one, with an explanation. */
  retired?: boolean;
  /** Turns the answers along the path taken into record fields. */
  records: RecordBuilders;
  /**
   * The flow corrects an entry of this kind stored earlier (e.g. a consent decision): a walkthrough on it starts
   * only with StartOptions.corrects naming such an entry, and its first entry of that kind is stored as a
   * correction of it, with the reason from `records.correctionReason`.
   */
  corrects?: RecordKind;
}

export type WalkStatus = 'active' | 'awaiting_advice' | 'finished' | 'cancelled';

export interface Mark {
  /** Stable within the walkthrough ("m1", "m2", …): the Remove button names it. */
  id: string;
  /** Flow 1: front or back only. */
  view: 'front' | 'back' | 'left' | 'right';
  region: string;
  type: 'bruise' | 'cut' | 'burn_or_scald' | 'redness' | 'swelling' | 'other';
  /** Flow 1: one size. */
  sizeCm?: number;
  colour?: string;
  /** Flow 1: required. From flow 2: optional. */
  description?: string;
  // From flow 2 (see the body_map kind's second mark shape):
  vertical?: 'upper' | 'middle' | 'lower';
  across?: 'inner' | 'outer' | 'left' | 'right' | 'front' | 'back';
  lengthCm?: number;
  widthCm?: number;
  shape?: 'round' | 'oval' | 'line' | 'irregular' | 'patterned';
  skinBroken?: 'yes' | 'no' | 'not_known';
  swelling?: 'yes' | 'no' | 'not_known';
  bleeding?: 'yes' | 'no' | 'not_known';
  explanation?: 'none' | 'the_person' | 'someone_else';
  explainedBy?: string;
  explanationWords?: string;
  markedAt?: string;
}

/** A walkthrough in progress. Plain JSON: store it as it is. */
export interface WalkState {
  flowVersion: string;
  id: string;
  /** Bumped on every change; the card carries it so a second press of the same button is recognised. */
  rev: number;
  step: string;
  status: WalkStatus;
  /** Steps completed, most recent last (Back pops it). */
  history: string[];
  /** What was typed per step, exactly as the card sent it (kept on errors so nothing is lost). */
  answers: Record<string, Record<string, string>>;
  marks: Mark[];
  markSeq: number;
  /** Ids of entries the caller has stored, by kind (noteRecorded); the latest of each kind. */
  recorded: Partial<Record<RecordKind, string>>;
  /** A walkthrough on a correcting flow (Flow.corrects): the entry, stored before it started, that it corrects. */
  corrects?: { kind: RecordKind; id: string };
  guidanceVersion: string;
  caseRefPattern: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** An entry for the record store, without its author (the caller adds it). */
export type WalkEntry = {
  [K in RecordKind]: { kind: K; caseRef: string; fields: RecordFields<K>; guidanceVersion: string };
}[RecordKind];

export interface AppendEffect {
  type: 'append';
  entry: WalkEntry;
  /** Same submission, same key: store.append(…, { idempotencyKey }) makes a retried turn harmless. */
  idempotencyKey: string;
  /** Set when this replaces an entry of the same kind stored earlier in this walkthrough (the worker went Back). */
  corrects?: string;
  reason?: string;
}

export interface RequestAdviceEffect {
  type: 'request_advice';
  walkId: string;
  flowVersion: string;
  concern: 'physical_injury' | 'signs_of_abuse' | 'signs_of_neglect';
  personType: 'adult' | 'child';
  caseRef: string;
  immediateDanger: boolean;
}

/** For the managers' channel: codes and numbers only — no free text, no names. */
export interface IncidentSummaryEffect {
  type: 'incident_summary';
  walkId: string;
  flowVersion: string;
  caseRef: string;
  concern: 'physical_injury' | 'signs_of_abuse' | 'signs_of_neglect';
  personType: 'adult' | 'child';
  immediateDanger: boolean;
  advice: { decision: 'photograph' | 'do_not_photograph'; via: 'keepsafe' | 'phone' | 'in_person' } | null;
  consent: {
    decision: 'photograph' | 'do_not_photograph';
    capacity: 'has_capacity' | 'lacks_capacity' | 'not_applicable';
    consent: 'given' | 'refused' | 'not_possible';
    attorneyOrDeputy?: 'none' | 'attorney' | 'deputy' | 'not_known';
  } | null;
  /** Codes and numbers only: where, which part, type and size. */
  marks: {
    view: Mark['view'];
    region: string;
    type: Mark['type'];
    sizeCm?: number;
    lengthCm?: number;
    widthCm?: number;
    vertical?: Mark['vertical'];
    across?: Mark['across'];
  }[];
  /** The outline the marks were made on (absent for flow 1: adult). */
  ageBand?: 'baby' | 'child' | 'adult';
  referralMade: boolean | null;
  /** The stored entries of this walkthrough, by kind, as noted by the caller. */
  entryIds: Partial<Record<RecordKind, string>>;
  finishedAt: string;
}

export type Effect = AppendEffect | RequestAdviceEffect | IncidentSummaryEffect;

/** Reads the answers along the path actually taken (a step left by Back and not revisited does not count). */
export interface PathReader {
  state: WalkState;
  /** The trimmed answer, or '' when the step is not on the path or the field is empty. */
  get(step: string, field: string): string;
  onPath(step: string): boolean;
}

export type RecordBuilders = {
  [K in 'advice_request' | 'advice_given' | 'consent_decision' | 'body_map' | 'written_record' | 'referral']: (
    r: PathReader,
  ) => RecordFields<K>;
} & {
  requestAdvice(r: PathReader): Omit<RequestAdviceEffect, 'type' | 'walkId' | 'flowVersion'>;
  incidentSummary(
    r: PathReader,
  ): Omit<IncidentSummaryEffect, 'type' | 'walkId' | 'flowVersion' | 'entryIds' | 'finishedAt'>;
  caseRef(r: PathReader): string;
  /** A correcting flow (Flow.corrects): the reason the worker gave, stored with the correction. */
  correctionReason?(r: PathReader): string;
};
