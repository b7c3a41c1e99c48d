/**
 * The incident rules on their own: the report form's checks (nothing typed is lost) and how an incident's state
 * follows from its managers' actions.
 */
import {
  checkReport,
  formValuesFrom,
  ukLocalToUtc,
  ukToday,
  type ReportFormValues,
} from '../../../src/core/incidents/report';
import {
  allowedActions,
  incidentState,
  sortOpen,
  type ActionEntry,
  type IncidentEntry,
} from '../../../src/core/incidents/state';
import { compileCaseRefPattern } from '../../../src/core/records/caseRef';

const pattern = compileCaseRefPattern();
const NOW = new Date('2026-11-25T15:00:00Z');
const good: ReportFormValues = {
  type: 'untrue_or_abusive_post',
  summary: '  A parent posted that I lied in court.  ',
  happenedDate: '2026-11-24',
  happenedTime: '19:30',
  platform: 'Facebook',
  urgency: 'high',
  caseRef: ' lcs-104233 ',
  evidenceKept: 'true',
};

describe('the report form', () => {
  it('accepts a complete report, trimming text, upper-casing the case reference and reading the time as UK time', () => {
    const r = checkReport(good, NOW, pattern);
    expect(r).toEqual({
      ok: true,
      report: {
        type: 'untrue_or_abusive_post',
        summary: 'A parent posted that I lied in court.',
        happenedAt: '2026-11-24T19:30:00.000Z', // GMT in November
        timeKnown: true,
        platform: 'Facebook',
        urgency: 'high',
        caseRef: 'LCS-104233',
        evidenceKept: true,
      },
    });
  });

  it('reads a summer time as BST', () => {
    expect(ukLocalToUtc('2026-07-01', '09:00').toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect(ukLocalToUtc('2026-01-15', '09:00').toISOString()).toBe('2026-01-15T09:00:00.000Z');
  });

  it("'today' is the UK date, not the server's UTC date", () => {
    expect(ukToday(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(ukToday(new Date('2026-01-01T23:30:00Z'))).toBe('2026-01-01');
  });

  it.each<[string, Partial<ReportFormValues>, string, RegExp]>([
    ['no type', { type: '' }, 'type', /Choose what kind/],
    ['an unknown type', { type: 'drop table' }, 'type', /Choose what kind/],
    ['no summary', { summary: '   ' }, 'summary', /what happened/],
    ['a summary too long', { summary: 'x'.repeat(4001) }, 'summary', /under 4000/],
    ['no date', { happenedDate: '' }, 'happenedDate', /Give the date/],
    ['a date that is not one', { happenedDate: '24/11/2026' }, 'happenedDate', /not a date/],
    ['a date in the future', { happenedDate: '2026-11-26' }, 'happenedDate', /future/],
    ['a time that is not one', { happenedTime: '7.30pm' }, 'happenedTime', /not a time/],
    [
      'a time still to come today',
      { happenedDate: '2026-11-25', happenedTime: '18:00' },
      'happenedTime',
      /still to come/,
    ],
    ['no urgency', { urgency: '' }, 'urgency', /how urgent/],
    ['a platform not on the list', { platform: 'Myspace' }, 'platform', /from the list/],
    ['a name for a case reference', { caseRef: 'Mrs Jones' }, 'caseRef', /doesn't look like a case reference/],
  ])('names the field for %s', (_what, change, field, message) => {
    const r = checkReport({ ...good, ...change }, NOW, pattern);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors)).toEqual([field]);
      expect(r.errors[field as keyof typeof r.errors]).toMatch(message);
    }
  });

  it('reports every problem at once, so the worker fixes them in one go', () => {
    const r = checkReport({ ...good, type: '', summary: '', urgency: '', caseRef: 'John' }, NOW, pattern);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['caseRef', 'summary', 'type', 'urgency']);
  });

  it('a date without a time is kept as a date: midday UK time, marked as time not given', () => {
    const r = checkReport({ ...good, happenedTime: '' }, NOW, pattern);
    expect(r.ok && r.report).toMatchObject({ happenedAt: '2026-11-24T12:00:00.000Z', timeKnown: false });
  });

  it('a case reference is optional for an incident', () => {
    const r = checkReport({ ...good, caseRef: '' }, NOW, pattern);
    expect(r.ok && r.report.caseRef).toBeNull();
  });

  it('reads card payloads defensively: odd values become empty, the toggle is only on when "true"', () => {
    const v = formValuesFrom({ type: 42, summary: { x: 1 }, evidenceKept: 'yes', caseRef: 'LCS-1', extra: 'ignored' });
    expect(v).toEqual({
      type: '42',
      summary: '',
      happenedDate: '',
      happenedTime: '',
      platform: '',
      urgency: '',
      caseRef: 'LCS-1',
      evidenceKept: 'false',
    });
  });
});

const incident: IncidentEntry = {
  id: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
  kind: 'incident_report',
  caseRef: null,
  author: { aadObjectId: 'aad-sam', name: 'Sam Carter' },
  createdAt: '2026-11-25T10:00:00.000Z',
  fields: {
    type: 'contact_request',
    summary: 's',
    happenedAt: '2026-11-25T09:00:00.000Z',
    urgency: 'high',
    evidenceKept: false,
  },
  guidanceVersion: '1.0',
  corrects: null,
  reason: null,
};
let n = 0;
const act = (
  action: ActionEntry['fields']['action'],
  sequence: number,
  by = 'Priya Shah',
  extra: Partial<ActionEntry['fields']> = {},
): ActionEntry => ({
  id: `a${++n}`,
  kind: 'manager_action',
  caseRef: null,
  author: { aadObjectId: `aad-${by}`, name: by },
  createdAt: new Date(Date.UTC(2026, 10, 25, 11, sequence)).toISOString(),
  fields: { subjectRecordId: incident.id, action, sequence, ...extra },
  guidanceVersion: '1.0',
  corrects: null,
  reason: null,
});

describe('incident state', () => {
  it('starts open with acknowledge, take ownership, note and resolve on offer', () => {
    const s = incidentState(incident, []);
    expect(s).toMatchObject({ status: 'open', version: 0, history: [] });
    expect(allowedActions(s)).toEqual(['acknowledge', 'take_ownership', 'note', 'resolve']);
  });

  it('folds actions in sequence order, whatever order they arrive in', () => {
    const s = incidentState(incident, [
      act('resolve', 4, 'Tom Ellis', { outcome: 'no_further_action' }),
      act('acknowledge', 1),
      act('note', 3, 'Tom Ellis', { note: 'Spoke to Sam' }),
      act('take_ownership', 2, 'Tom Ellis', { assigneeId: 'aad-Tom Ellis', assigneeName: 'Tom Ellis' }),
    ]);
    expect(s.status).toBe('resolved');
    expect(s.version).toBe(4);
    expect(s.owner).toEqual({ aadObjectId: 'aad-Tom Ellis', name: 'Tom Ellis' });
    expect(s.history.map((h) => h.action)).toEqual(['acknowledge', 'take_ownership', 'note', 'resolve']);
    expect(s.acknowledgedAt).toBe(new Date(Date.UTC(2026, 10, 25, 11, 1)).toISOString());
    expect(allowedActions(s)).toEqual(['note', 'reopen']);
  });

  it('reopening goes back to being handled by the owner', () => {
    const s = incidentState(incident, [
      act('take_ownership', 1, 'Tom Ellis', { assigneeId: 't', assigneeName: 'Tom Ellis' }),
      act('resolve', 2),
      act('reopen', 3),
    ]);
    expect(s.status).toBe('in_progress');
    expect(allowedActions(s)).toEqual(['take_ownership', 'note', 'resolve']);
  });

  it('ignores actions on other incidents when the caller filters with isActionOn, and advice actions', () => {
    const s = incidentState(incident, [act('advice', 1)]);
    expect(s.status).toBe('open');
    expect(s.version).toBe(0);
  });

  it('lists open incidents most urgent first, then oldest first, leaving resolved ones out', () => {
    const mk = (id: string, urgency: 'low' | 'high', at: string, resolved = false) =>
      incidentState(
        { ...incident, id, createdAt: at, fields: { ...incident.fields, urgency } },
        resolved ? [{ ...act('resolve', 1), fields: { subjectRecordId: id, action: 'resolve', sequence: 1 } }] : [],
      );
    const order = sortOpen([
      mk('a', 'low', '2026-11-01'),
      mk('b', 'high', '2026-11-20'),
      mk('c', 'high', '2026-11-10'),
      mk('d', 'high', '2026-11-05', true),
    ]).map((s) => s.id);
    expect(order).toEqual(['c', 'b', 'a']);
  });
});

describe('dates a calendar does not have', () => {
  it.each(['2026-02-31', '1800-01-01', '2026-13-01'])('%s is refused on the date field, not thrown', (happenedDate) => {
    const r = checkReport({ ...good, happenedDate }, NOW, pattern);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.happenedDate).toMatch(/not a date/);
  });
});
