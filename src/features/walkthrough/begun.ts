import type { RecordKind } from '../../core/records/kinds';

/** How a kit's `begin` starts a walkthrough from something stored (e.g. the consent decision it corrects). */
export interface Begun {
  prefill: Record<string, string>;
  corrects?: { kind: RecordKind; id: string };
  recorded?: Partial<Record<RecordKind, string>>;
  notice: string;
}
