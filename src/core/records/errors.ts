/**
 * Errors of the records rules. Each has a stable `code` for logs and a `userMessage` a worker can act on.
 */

/** An entry that cannot be stored as given; `userMessage` says what to change. Nothing was saved. */
export class RecordInputError extends Error {
  readonly code = 'RECORD_INVALID';
  constructor(
    readonly userMessage: string,
    /** The field at fault, when there is one (e.g. "caseRef", "fields.concern"). */
    readonly field?: string,
  ) {
    super(userMessage);
    this.name = 'RecordInputError';
  }
}

/** Someone asked for an entry they may not see. */
export class RecordAccessError extends Error {
  readonly code = 'RECORD_FORBIDDEN';
  readonly userMessage = 'Only managers can see entries made by other people.';
  constructor() {
    super('RECORD_FORBIDDEN');
    this.name = 'RecordAccessError';
  }
}
