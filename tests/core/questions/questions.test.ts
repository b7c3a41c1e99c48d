/**
 * The pure parts of issue 11's Teams half: a question's state from its entries (one owner, only the owner's
 * answer counts), the content-gap report (masking, counts by week and nearest section, formula-safe CSV), the new
 * record kinds' rules and their retention settings.
 */
import { parse } from 'csv-parse/sync';
import { parseConfig } from '../../../src/config';
import {
  choiceItems,
  compareSections,
  gapCsv,
  gapItems,
  gapReport,
  readGapReport,
} from '../../../src/core/questions/gaps';
import { weekStartOf } from '../../../src/core/time';
import { questionState, type QuestionActionEntry, type QuestionEntry } from '../../../src/core/questions/state';
import { RECORD_KINDS, retentionPolicy } from '../../../src/core/records/kinds';
import type { StoredEntry } from '../../../src/storage/types';

const Q_ID = '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
let n = 0;
const id = () => `${String(++n).padStart(8, '0')}-0000-4000-8000-000000000000`;

function entry(
  kind: string,
  fields: object,
  at: string,
  author = { aadObjectId: 'aad-sam', name: 'Sam Carter' },
): StoredEntry {
  return {
    id: kind === 'manager_question' ? Q_ID : id(),
    kind,
    caseRef: null,
    author,
    createdAt: at,
    fields,
    guidanceVersion: '1.0',
    corrects: null,
    reason: null,
  } as unknown as StoredEntry;
}

const QUESTION = entry(
  'manager_question',
  {
    question: 'Can Mrs Patel message me on 07700 900123?',
    from: 'not_covered',
    identifiersConfirmed: true,
    engineVersion: 'e1',
    nearestSection: '2.5',
  },
  '2026-11-30T09:00:00.000Z',
) as QuestionEntry;
const TOM = { aadObjectId: 'aad-tom', name: 'Tom Ellis' };
const PRIYA = { aadObjectId: 'aad-priya', name: 'Priya Shah' };
const act = (fields: object, at: string, by = TOM) =>
  entry('question_action', { subjectRecordId: Q_ID, ...fields }, at, by) as QuestionActionEntry;

describe('a question for a manager', () => {
  it('waits, is taken by the first manager, and is answered only by that manager', () => {
    expect(questionState(QUESTION, [])).toMatchObject({
      status: 'waiting',
      owner: null,
      answer: null,
      nearestSection: '2.5',
    });
    const takenByTom = act({ action: 'take_ownership' }, '2026-11-30T09:05:00.000Z');
    const takenByPriya = act({ action: 'take_ownership' }, '2026-11-30T09:06:00.000Z', PRIYA);
    const priyaAnswers = act({ action: 'answer', answer: 'from Priya' }, '2026-11-30T09:07:00.000Z', PRIYA);
    expect(questionState(QUESTION, [takenByPriya, takenByTom, priyaAnswers])).toMatchObject({
      status: 'taken',
      owner: { name: 'Tom Ellis' },
      answer: null,
    });
    const tomAnswers = act({ action: 'answer', answer: 'from Tom' }, '2026-11-30T09:08:00.000Z');
    const again = act({ action: 'answer', answer: 'again' }, '2026-11-30T09:09:00.000Z');
    expect(questionState(QUESTION, [again, tomAnswers, takenByTom])).toMatchObject({
      status: 'answered',
      answer: { text: 'from Tom', by: 'Tom Ellis' },
    });
    // actions on another question are not this one's
    expect(
      questionState(QUESTION, [
        { ...takenByTom, fields: { ...takenByTom.fields, subjectRecordId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b' } },
      ]).status,
    ).toBe('waiting');
  });

  it('the kinds refuse what they must not hold', () => {
    const choice = RECORD_KINDS.clarify_choice.fields;
    expect(choice.safeParse({ offered: ['2.2', '2.4'], chosen: '2.4', engineVersion: 'e' }).success).toBe(true);
    expect(choice.safeParse({ offered: ['2.2', '2.4'], chosen: 'none', engineVersion: 'e' }).success).toBe(true);
    expect(choice.safeParse({ offered: ['2.2', '2.4'], chosen: '2.5', engineVersion: 'e' }).success).toBe(false); // not offered
    expect(choice.safeParse({ offered: ['2.2'], chosen: '2.2', engineVersion: 'e', question: 'q' }).success).toBe(
      false,
    ); // never the question
    expect(choice.safeParse({ offered: ['1', '2.1', '2.2', '2.4'], chosen: '1', engineVersion: 'e' }).success).toBe(
      false,
    );
    const action = RECORD_KINDS.question_action.fields;
    expect(action.safeParse({ subjectRecordId: Q_ID, action: 'answer' }).success).toBe(false);
    expect(action.safeParse({ subjectRecordId: Q_ID, action: 'take_ownership', answer: 'x' }).success).toBe(false);
    for (const k of ['clarify_choice', 'guidance_gap', 'manager_question', 'question_action'] as const)
      expect(RECORD_KINDS[k].caseRef).toBe('none');
  });
});

describe('the content-gap report', () => {
  const ENTRIES = [
    QUESTION,
    entry(
      'guidance_gap',
      { reason: 'declined', question: 'ring 07700 900123 about it', engineVersion: 'e1' },
      '2026-11-24T10:00:00.000Z',
    ),
    entry(
      'guidance_gap',
      { reason: 'declined', question: '=SUM(A1:A9)', nearestSection: '2.2', engineVersion: 'e1' },
      '2026-12-01T10:00:00.000Z',
    ),
    entry(
      'guidance_gap',
      { reason: 'not_helpful', nearestSection: '2.2', engineVersion: 'e1' },
      '2026-12-02T10:00:00.000Z',
    ),
    entry(
      'guidance_gap',
      { reason: 'none_fitted', question: 'x', nearestSection: '2.3.2', engineVersion: 'e2' },
      '2026-12-02T11:00:00.000Z',
    ),
    entry('feedback', { section: '2.2', helpful: false }, '2026-12-02T10:00:00.000Z'),
  ];

  it('masks every question again, counts by week (Monday, newest first) and by nearest section (most first)', () => {
    const items = gapItems(ENTRIES);
    expect(items).toHaveLength(5); // feedback itself is not a gap: "not helpful" is recorded as one
    expect(items.map((i) => i.question).join(' ')).not.toMatch(/Patel|07700/);
    expect(items.find((i) => i.reason === 'asked_manager')!.question).toBe('Can [name] message me on [phone number]?');
    const report = gapReport(items, { from: new Date('2026-09-01'), to: new Date('2026-12-03') });
    expect(report.byWeek.map((w) => [w.weekStart, w.total])).toEqual([
      ['2026-11-30', 4],
      ['2026-11-23', 1],
    ]);
    expect(report.byWeek[0]).toMatchObject({ declined: 1, asked_manager: 1, not_helpful: 1, none_fitted: 1 });
    expect(report.bySection.map((s) => [s.section, s.total])).toEqual([
      ['2.2', 2],
      ['2.3.2', 1],
      ['2.5', 1],
      [null, 1],
    ]);
    expect(weekStartOf('2026-11-30T00:00:00.000Z')).toBe('2026-11-30'); // a Monday
    expect(weekStartOf('2026-12-06T23:59:59.000Z')).toBe('2026-11-30'); // the Sunday after
    expect(['2.4', '2.3.2', '10', '2.3', null, '1'].sort(compareSections)).toEqual([
      '1',
      '2.3',
      '2.3.2',
      '2.4',
      '10',
      null,
    ]);
  });

  it('as CSV: counts per week and section, or the masked questions; a formula is never a formula', () => {
    const report = gapReport(gapItems(ENTRIES), { from: new Date('2026-09-01'), to: new Date('2026-12-03') });
    const counts = parse(gapCsv(report), { columns: true }) as Record<string, string>[];
    expect(counts.map((r) => [r.week_start, r.nearest_section, r.total])).toEqual([
      ['2026-11-30', '2.2', '2'],
      ['2026-11-30', '2.3.2', '1'],
      ['2026-11-30', '2.5', '1'],
      ['2026-11-23', '', '1'],
    ]);
    const rows = parse(gapCsv(report, { questions: true }), { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.question_masked.includes('SUM'))!.question_masked).toBe("'=SUM(A1:A9)");
    expect(rows.find((r) => r.reason === 'not_helpful')!.question_masked).toBe('');
    expect(gapCsv(report, { questions: true })).not.toMatch(/Patel|07700|Sam Carter|aad-sam/);
  });

  it('reads both kinds through the audited export, over the days asked for', async () => {
    const calls: Array<{ kind?: string; from: Date; to: Date; actor: string }> = [];
    const now = new Date('2026-12-03T12:00:00.000Z');
    const report = await readGapReport(
      {
        export: async (range, actor) => (calls.push({ ...range, actor }), ENTRIES.filter((e) => e.kind === range.kind)),
      },
      { now, days: 90, actor: 'aad-priya' },
    );
    expect(report.total).toBe(5);
    expect(calls.map((c) => [c.kind, c.actor])).toEqual([
      ['guidance_gap', 'aad-priya'],
      ['manager_question', 'aad-priya'],
      ['clarify_choice', 'aad-priya'],
    ]);
    expect(calls[0].from.toISOString()).toBe('2026-09-04T12:00:00.000Z');
    expect(calls[0].to.getTime()).toBeGreaterThan(now.getTime());
  });

  it('shows where the engine hesitated: choices grouped by the sections offered, most often first, and as CSV', () => {
    const choice = (offered: string[], chosen: string, at: string, engineVersion = 'e1') =>
      entry('clarify_choice', { offered, chosen, engineVersion }, at);
    const choices = choiceItems([
      choice(['2.2', '2.4'], '2.4', '2026-11-30T09:00:00.000Z'),
      choice(['2.2', '2.4'], '2.4', '2026-12-01T09:00:00.000Z'),
      choice(['2.2', '2.4'], 'none', '2026-12-01T10:00:00.000Z'),
      choice(['2.2', '2.4'], '2.2', '2026-11-24T10:00:00.000Z', 'e0'),
      choice(['2.3.1', '2.3.2', '1'], '2.3.2', '2026-12-02T09:00:00.000Z'),
      ENTRIES[1],
    ]);
    expect(choices).toHaveLength(5);
    const report = gapReport([], { from: new Date('2026-09-01'), to: new Date('2026-12-03') }, choices);
    expect(report.hesitations).toEqual([
      {
        offered: ['2.2', '2.4'],
        total: 4,
        chosen: [
          { choice: '2.4', count: 2 },
          { choice: '2.2', count: 1 },
          { choice: 'none', count: 1 },
        ],
      },
      { offered: ['2.3.1', '2.3.2', '1'], total: 1, chosen: [{ choice: '2.3.2', count: 1 }] },
    ]);
    const rows = parse(gapCsv(report, { choices: true }), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.week_start, r.offered, r.chosen, r.engine_version, r.count])).toEqual([
      ['2026-11-30', '2.2 2.4', '2.4', 'e1', '2'],
      ['2026-11-30', '2.2 2.4', 'none', 'e1', '1'],
      ['2026-11-30', '2.3.1 2.3.2 1', '2.3.2', 'e1', '1'],
      ['2026-11-23', '2.2 2.4', '2.2', 'e0', '1'],
    ]);
  });

  it('is kept 90 days by default; RETENTION_DAYS_GUIDANCE_GAP and the others change it', () => {
    expect(retentionPolicy().guidance_gap).toBe(90);
    expect(retentionPolicy().clarify_choice).toBe(365);
    expect(retentionPolicy().manager_question).toBe(365);
    const config = parseConfig({ RETENTION_DAYS_GUIDANCE_GAP: '30', RETENTION_DAYS_MANAGER_QUESTION: '730' });
    expect(retentionPolicy(config.retentionDays)).toMatchObject({ guidance_gap: 30, manager_question: 730 });
  });
});
