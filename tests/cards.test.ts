/**
 * One test per card template: expanded with its sample data (and with the largest real data), it must be a
 * valid Adaptive Card 1.5 per the official schema, parse cleanly in the Adaptive Cards SDK, carry fallback
 * text, label every input, and stay under Teams' ~28 KB message limit.
 */
import { cardText } from './helpers/bot';
import fs from 'node:fs';
import path from 'node:path';
import { loadGuidanceContent } from '../src/core/guidance/content';
import { answerCardData, LEADS, helpCardData, notCoveredCardData, topicsCardData, welcomeCardData } from '../src/teams/views';
import { CARD_NAMES, CARDS_DIR, CardDataError, cardAttachment, escapeMarkdown, renderCard, type CardName } from '../src/teams/cards';
import { schemaErrors, sdkParseErrors, TEAMS_MESSAGE_LIMIT } from './helpers/adaptiveCards';
import { walkCard } from './helpers/cardDriver';
import { CardPayloadError, EXECUTE_VERBS, parseExecute, parseSubmit, SUBMIT_ACTIONS } from '../src/teams/cardActions';

import { RECORD_KIND_NAMES } from '../src/core/records/kinds';
import type { StoredEntry } from '../src/storage/types';
import { MY_RECORDS_LIMIT, myRecordsCardData, TEAM_RECORDS_WEEKS, teamRecordsCardData } from '../src/teams/recordViews';
import { REPORT_FIELDS } from '../src/core/incidents/report';
import type { IncidentState } from '../src/core/incidents/state';
import { confirmCardData, escalationCardData, openIncidentsCardData, reportFormCardData } from '../src/teams/incidentViews';
import { adviceRequestCardData, photoSummaryCardData } from '../src/teams/walkthroughViews';
import { BODY_REGIONS } from '../src/core/bodymap/regions';
import { CONSENT_LOG_LIMIT, consentLogCardData } from '../src/teams/consentViews';

const content = loadGuidanceContent(path.resolve(__dirname, '../content'));
const doc = content.document;
const longest = [...doc.sections].sort((a, b) => b.paragraphs.join('').length - a.paragraphs.join('').length)[0];

const LONG_INCIDENT: IncidentState = {
  id: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
  type: 'account_hacked',
  urgency: 'high',
  caseRef: 'LCS-104233',
  reporter: { aadObjectId: 'aad-sam', name: 'S'.repeat(200) },
  reportedAt: new Date().toISOString(),
  happenedAt: new Date().toISOString(),
  timeKnown: false,
  platform: 'X (Twitter)',
  evidenceKept: true,
  summary: 'x'.repeat(4000),
  status: 'in_progress',
  owner: { aadObjectId: 'aad-priya', name: 'P'.repeat(200) },
  version: 60,
  history: Array.from({ length: 60 }, (_, i) => ({ sequence: i + 1, action: 'resolve' as const, by: 'M'.repeat(200), at: new Date().toISOString(), outcome: 'hr_or_disciplinary', note: 'n'.repeat(2000) })),
};

const WALK_PRESS = { walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b', step: 'seen', flowVersion: '1', rev: 0, choice: 'continue', caseRef: 'LCS-1', immediateDanger: 'no' };

/** Every body region marked once with every type: the busiest body map the walkthrough can make (20 marks at most). */
const WORST_MARKS = BODY_REGIONS.slice(0, 20).map((r, i) => ({
  id: `m${i + 1}`,
  view: (r.views.includes('front') ? 'front' : 'back') as 'front' | 'back',
  region: r.id,
  type: (['bruise', 'cut', 'burn_or_scald', 'redness', 'swelling', 'other'] as const)[i % 6],
  sizeCm: 199.5,
  description: 'x',
}));

/** The largest data each card is ever bound with in the bot. */
const LARGEST: Record<CardName, object> = {
  answer: answerCardData(doc, longest, null, { reportIncident: true, photoDecision: true }, LEADS.injury_photo),
  notCovered: notCoveredCardData(doc, 'not_covered'),
  topics: topicsCardData(doc),
  help: helpCardData(),
  welcome: welcomeCardData(doc),
  error: { message: 'Something went wrong on our side. Please try again; if it keeps happening, quote the reference to IT.', reference: 'KS-ABCDEF' },
  notice: { title: "I couldn't use that button", message: "It may be from an old card. Type your question, or 'topics' to see them all." },
  myRecords: myRecordsCardData(
    Array.from({ length: MY_RECORDS_LIMIT + 5 }, (_, i) => ({
      id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      kind: RECORD_KIND_NAMES.filter((k) => k !== 'feedback')[i % 8],
      caseRef: 'LCS-104233',
      author: { aadObjectId: 'aad-sam', name: 'Sam Carter' },
      createdAt: new Date(Date.UTC(2026, 10, 25, 9, i)).toISOString(),
      fields: {},
      guidanceVersion: '1.0',
      corrects: i % 3 ? null : 'x',
      reason: null,
    })) as unknown as StoredEntry[],
  ),
  incidentReport: reportFormCardData(
    new Date(),
    { type: 'other', summary: 'x'.repeat(4000), happenedDate: '2026-11-24', happenedTime: '19:30', platform: 'Other', urgency: 'high', caseRef: 'LCS-104233', evidenceKept: 'true' },
    {
      errors: Object.fromEntries(REPORT_FIELDS.map((f) => [f, 'That is not right: please check it and try again, the rest of what you typed is kept.'])),
      pii: { found: 'a name (Mrs Abcdefghijklmnop), a phone number (07700 900123), an email address (someone@example.org), a postcode (LS6 2AB) and more', digest: '0123456789abcdef' },
      problem: "Your report couldn't be saved just now, so it has not been sent. Everything you typed is still here.",
    },
  ),
  incidentConfirm: confirmCardData(LONG_INCIDENT, new Date().toISOString()),
  escalation: escalationCardData(LONG_INCIDENT),
  openIncidents: openIncidentsCardData(
    Array.from({ length: 40 }, () => LONG_INCIDENT),
    Array.from({ length: 40 }, () => LONG_INCIDENT),
    8,
    () => 'Week of 23 Nov 2026',
  ),
  adviceRequest: adviceRequestCardData(
    { id: '0b5f8c7e-2d4a-4e8b-9c1d-3f6a7b8c9d0e', createdAt: new Date().toISOString() },
    { walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b', caseRef: 'LCS-104233', concern: 'signs_of_neglect', personType: 'child', immediateDanger: true },
    { decision: 'do_not_photograph', by: 'M'.repeat(120), at: new Date() },
  ),
  photoSummary: photoSummaryCardData(
    {
      type: 'incident_summary',
      walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
      flowVersion: '1',
      caseRef: 'LCS-104233',
      concern: 'signs_of_abuse',
      personType: 'adult',
      immediateDanger: true,
      advice: { decision: 'do_not_photograph', via: 'in_person' },
      consent: { decision: 'do_not_photograph', capacity: 'lacks_capacity', consent: 'not_possible', attorneyOrDeputy: 'deputy' },
      marks: WORST_MARKS.map((m) => ({ view: m.view, region: m.region, type: m.type, sizeCm: m.sizeCm })),
      referralMade: false,
      entryIds: {},
      finishedAt: new Date().toISOString(),
    },
    { marks: WORST_MARKS } as never,
  ),
  consentLog: consentLogCardData(
    Array.from({ length: CONSENT_LOG_LIMIT + 5 }, (_, i) => ({
      id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      kind: 'consent_decision',
      caseRef: 'LCS-10423300000000000',
      author: { aadObjectId: 'aad-sam', name: 'S'.repeat(200) },
      createdAt: new Date(Date.UTC(2026, 10, 25, 9, i)).toISOString(),
      fields: { personType: 'adult', consent: 'not_possible', capacity: 'lacks_capacity', bestInterests: { decision: 'do_not_photograph', consulted: 'x', attorneyOrDeputy: 'not_known' }, decision: 'do_not_photograph', whatHappensInstead: 'x', flowVersion: 'consent-fix-1', walkthroughId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b' },
      guidanceVersion: '2026.11.25-draft-9',
      corrects: `${String(i + 100).padStart(8, '0')}-0000-4000-8000-000000000000`,
      reason: 'x',
    })) as unknown as StoredEntry[],
  ),
  walkthroughsOpen: {
    heading: 'You have 10 walkthroughs open',
    intro: 'Carry on with one, or start a new one. Nothing you saved is lost either way.',
    items: Array.from({ length: 10 }, (_, i) => ({
      walkId: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      title: 'LCS-104233: Best-interests decision',
      detail: 'Waiting for a manager’s advice. Started 25 Nov 2026, reference KS-00000000.',
      button: 'Continue LCS-104233',
    })),
    kind: 'photo',
  },
  teamRecords: teamRecordsCardData(
    Array.from({ length: TEAM_RECORDS_WEEKS }, (_, w) =>
      RECORD_KIND_NAMES.map((kind) => ({ kind, weekStart: new Date(Date.UTC(2026, 9, 5 + 7 * w)).toISOString().slice(0, 10), count: 999 })),
    ).flat(),
    new Date(Date.UTC(2026, 9, 5)),
  ),
};

const walk = walkCard;

function checkCard(card: any): void {
  const problems = schemaErrors(card);
  if (problems) throw new Error(`schema: ${problems}`);
  expect(parseFloat(card.version)).toBeLessThanOrEqual(1.5);
  expect(typeof card.fallbackText).toBe('string');
  expect(card.fallbackText.length).toBeGreaterThan(10);
  expect(sdkParseErrors(card)).toEqual([]);
  const ids = new Set<string>();
  walk(card, (n) => {
    if (typeof n.id === 'string') ids.add(n.id);
  });
  walk(card, (n) => {
    const type = typeof n.type === 'string' ? n.type : '';
    if (type.startsWith('Input.')) expect(n.label).toBeTruthy();
    if (type === 'Image') expect(n.altText).toBeTruthy();
    // every button (and every tappable row) says what it does
    if (type.startsWith('Action.')) expect(typeof n.title === 'string' && n.title.trim().length > 0).toBe(true);
    if (type === 'Action.ToggleVisibility') {
      for (const t of n.targetElements as unknown[]) expect(ids.has(typeof t === 'string' ? t : (t as any).elementId)).toBe(true);
    }
    if (type === 'ActionSet') expect((n.actions as unknown[]).length).toBeGreaterThan(0); // no empty button rows
    expect(JSON.stringify(n)).not.toMatch(/\$\{/); // every template expression was bound
  });
  const message = { type: 'message', attachments: [cardAttachment(card)] };
  expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(TEAMS_MESSAGE_LIMIT);
}

describe('card templates', () => {
  it('every template in cards/ is known to the renderer and has sample data', () => {
    const files = fs.readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'));
    expect(files.map((f) => f.replace('.json', '')).sort()).toEqual([...CARD_NAMES].sort());
    for (const name of CARD_NAMES) expect(fs.existsSync(path.join(CARDS_DIR, `${name}.data.json`))).toBe(true);
  });

  describe.each(CARD_NAMES.map((n) => [n]))('%s', (name) => {
    it('is a valid Adaptive Card 1.5 with its sample data, under 28 KB', () => {
      const data = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.data.json`), 'utf8'));
      checkCard(renderCard(name as CardName, data));
    });
    it('stays valid and under 28 KB with the largest real data', () => {
      checkCard(renderCard(name as CardName, LARGEST[name as CardName]));
    });
  });

  it('the answer card says "Section N", hides the full text behind a toggle, and swaps feedback for thanks', () => {
    const s = doc.sections.find((x) => x.number === '2.3.2')!;
    const card: any = renderCard('answer', answerCardData(doc, s, null));
    const json = JSON.stringify(card);
    expect(json).toContain('"text":"Section 2.3.2"');
    const full = card.body.find((b: any) => b.id === 'fullText');
    expect(full.isVisible).toBe(false);
    expect(json).toContain('"verb":"feedback"');
    const thanked = JSON.stringify(renderCard('answer', answerCardData(doc, s, { helpful: true })));
    expect(thanked).toContain('Thanks for your feedback!');
    expect(thanked).not.toContain('"verb":"feedback"');
  });

  it('the answer card sends exactly the payloads cardActions accepts', () => {
    const s = doc.sections.find((x) => x.number === '2.3.2')!;
    const card: any = renderCard('answer', answerCardData(doc, s, null, { reportIncident: true, photoDecision: true }));
    const actions: any[] = [];
    walk(card, (n) => {
      if (n.type === 'Action.Submit' || n.type === 'Action.Execute') actions.push(n);
    });
    const related = actions.filter((a) => a.data?.action === 'showSection');
    expect(related.length).toBe(s.related.length > 4 ? 4 : s.related.length);
    const first = doc.sections.find((x) => x.number === related[0].data.section)!;
    expect(related[0].data).toEqual({
      action: 'showSection',
      section: first.number,
      msteams: { type: 'messageBack', displayText: `Section ${first.number}: ${first.title}`, text: `section ${first.number}` },
    });
    const execute = actions.filter((a) => a.type === 'Action.Execute');
    expect(execute.map((a) => [a.title, a.verb, a.data])).toEqual([
      ['Yes', 'feedback', { section: '2.3.2', helpful: true }],
      ['No', 'feedback', { section: '2.3.2', helpful: false }],
    ]);
    expect(actions.map((a) => a.title)).toEqual(expect.arrayContaining(['Report an incident', 'Photo decision', 'All topics']));
    for (const a of actions) {
      const parsed = a.type === 'Action.Execute' ? parseExecute(a.verb, a.data) : parseSubmit(a.data);
      expect(parsed).toMatchObject({ ok: true });
    }
  });

  it('the answer card leaves out optional buttons, an empty Related row and empty key points', () => {
    const data = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, 'answer.data.json'), 'utf8'));
    const card = renderCard('answer', { ...data, related: [], section: { ...data.section, keyPoints: [] } });
    checkCard(card);
    const json = JSON.stringify(card);
    expect(json).not.toContain('Report an incident');
    expect(json).not.toContain('Photo decision');
    expect(json).not.toContain('"text":"Related"');
    expect(json).not.toContain('showSection');
  });

  it('no developer wording on any card, with its sample or its largest data (issue 13, item 11)', () => {
    for (const name of CARD_NAMES) {
      for (const data of [JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.data.json`), 'utf8')), LARGEST[name]]) {
        const shown = cardText(renderCard(name, data as any));
        expect([name, shown]).not.toEqual([name, expect.stringMatching(/npm run|\bflow (\d|consent)|Correct KS-|Consent log: the service|no section 3|worker's own account/)]);
      }
    }
  });

  it('every card and every payload button from cards/ is accepted by cardActions', () => {
    for (const name of CARD_NAMES) {
      const card = renderCard(name, LARGEST[name] as any);
      walk(card, (n) => {
        if (n.type === 'Action.Submit') expect(parseSubmit(n.data)).toMatchObject({ ok: true });
        if (n.type === 'Action.Execute') expect(parseExecute(n.verb, n.data)).toMatchObject({ ok: true });
      });
    }
  });

  it('the topics card lists every section as a button, sub-sections indented under their parent', () => {
    const card: any = renderCard('topics', topicsCardData(doc));
    const rows = card.body.filter((b: any) => b.type === 'ColumnSet');
    expect(rows.map((r: any) => r.selectAction.data.section)).toEqual(doc.sections.map((s) => s.number));
    const indent = (r: any) => parseInt(r.columns[0].width, 10);
    rows.forEach((r: any, i: number) => {
      const s = doc.sections[i];
      if (s.parent) expect(indent(r)).toBeGreaterThan(indent(rows[doc.sections.findIndex((p) => p.number === s.parent)]));
      else expect(indent(r)).toBeLessThanOrEqual(1);
      expect(r.columns[1].items[0].text).toContain(s.number); // the number shows the nesting too, not only the indent
    });
  });

  it('help and welcome ask their example questions when tapped, and survive empty lists', () => {
    const help: any = renderCard('help', { examples: ['Can I add a client on insta?'], commands: [], managerCommands: [] });
    const ask = JSON.stringify(help);
    expect(ask).toContain('{"action":"ask","question":"Can I add a client on insta?","msteams":{"type":"messageBack","displayText":"Can I add a client on insta?","text":"Can I add a client on insta?"}}');
    expect(ask).not.toContain('FactSet');
    checkCard(renderCard('help', { examples: [], commands: [], managerCommands: [] }));
    checkCard(renderCard('welcome', { doc: { title: doc.title, version: doc.version }, examples: [] }));
    checkCard(renderCard('notCovered', { heading: 'Not covered', message: 'Ask your line manager.', topics: [], suggestManager: false }));
  });

  it('text from the data is not evaluated as a template expression, at the root or in a list', () => {
    const card = renderCard('notice', { title: '${doc.title}', message: '${join(x)}' });
    expect(JSON.stringify(card)).toContain('${doc.title}');
    const data = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, 'answer.data.json'), 'utf8'));
    const answer = JSON.stringify(renderCard('answer', { ...data, section: { ...data.section, keyPoints: ['${section.number}'] } }));
    expect(answer).toContain('- ${section.number}');
  });

  it('Markdown in the data is shown, not obeyed, in text; buttons and payloads keep the text as it is', () => {
    const tricky = '**Bold** _it_ [link](https://evil.example) `code` \\';
    const card = JSON.stringify(renderCard('notice', { title: 'Notice', message: tricky }));
    expect(card).toContain(JSON.stringify(escapeMarkdown(tricky)));
    const help: any = renderCard('help', { examples: ['Is *this* ok?'], commands: [], managerCommands: [] });
    const row = help.body.find((b: any) => b.selectAction);
    expect(row.selectAction.data.question).toBe('Is *this* ok?');
    expect(row.items[0].text).toContain('Is \\*this\\* ok?');
  });

  it('escapeMarkdown neutralises emphasis, links, code and list starts, and leaves ordinary text alone', () => {
    expect(escapeMarkdown('Section 2.3.2: a plain sentence, with commas (and brackets).')).toBe('Section 2.3.2: a plain sentence, with commas (and brackets).');
    expect(escapeMarkdown('**a** _b_')).toBe('\\*\\*a\\*\\* \\_b\\_');
    expect(escapeMarkdown('[x](http://y)')).toBe('\\[x\\](http://y)');
    expect(escapeMarkdown('- item\n1. first\n+ plus')).toBe('\\- item\n1\\. first\n\\+ plus');
    expect(escapeMarkdown('2.3.2 is a number, 10-15 a range')).toBe('2.3.2 is a number, 10-15 a range');
  });

  it('refuses data that does not fit the card, instead of showing template syntax', () => {
    expect(() => renderCard('notice', { title: 'Only a title' } as any)).toThrow(CardDataError);
    expect(() => renderCard('answer', { doc: { title: 'x', version: '1' } } as any)).toThrow(/section/);
    expect(() => renderCard('nope' as CardName, {})).toThrow(/Unknown card template/);
  });

  it('a card rendered twice is the same (the cached template is not changed by expanding it)', () => {
    const data = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, 'topics.data.json'), 'utf8'));
    expect(renderCard('topics', data)).toEqual(renderCard('topics', data));
  });

  it('wraps a card as a Bot Framework attachment', () => {
    const card = renderCard('notice', { title: 'T', message: 'M' });
    expect(cardAttachment(card)).toEqual({ contentType: 'application/vnd.microsoft.card.adaptive', content: card });
  });

  it('the checks are real: a broken card fails them', () => {
    expect(schemaErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }] })).not.toBe('');
    expect(sdkParseErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Carousel' }] }).length).toBeGreaterThan(0);
  });
});

describe('card payload schemas', () => {
  it('accept what the cards send', () => {
    expect(parseSubmit({ action: 'showSection', section: '2.3.1', msteams: { type: 'messageBack', text: 'section 2.3.1' } }).ok).toBe(true);
    expect(parseSubmit({ action: 'ask', question: 'hello' }).ok).toBe(true);
    expect(parseExecute('feedback', { section: '2.2', helpful: false }).ok).toBe(true);
  });
  it.each([
    [{ action: 'showSection' }],
    [{ action: 'showSection', section: '2.2; drop table' }],
    [{ action: 'topics', extra: 1 }],
    [{ action: 'ask', question: '' }],
    [{ action: 'nope' }],
    [null],
    ['text'],
  ])('refuse %j', (payload) => {
    expect(parseSubmit(payload).ok).toBe(false);
  });
  it('accept every action the union names, with and without the msteams envelope', () => {
    const extra: Record<string, object> = {
      showSection: { section: '2.2' },
      ask: { question: 'can i add a client on fb' },
      incident: { step: 'submit', type: 'other', summary: 'text' },
      incidentAct: { incidentId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', sequence: '2', act: 'acknowledge' },
      walkthrough: WALK_PRESS,
      adviceAnswer: { requestId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b', adviceDecision: 'photograph' },
    };
    for (const action of SUBMIT_ACTIONS) {
      expect(parseSubmit({ action, ...extra[action] })).toMatchObject({ ok: true, value: { action } });
      expect(parseSubmit({ action, ...extra[action], msteams: { type: 'messageBack', text: action } }).ok).toBe(true);
    }
    expect(EXECUTE_VERBS).toEqual(['feedback', 'incident', 'incidentAct', 'walkthrough', 'adviceAnswer', 'photoDecision']);
  });
  // A walkthrough press carries the step's inputs, whose ids come from the flow: extra keys are expected there and
  // checked by the machine (only the step's own fields are read). Here only their shape is refused when odd.
  it.each([
    [{ nested: { a: 1 } }],
    [{ list: ['a'] }],
    [{ long: 'x'.repeat(10_001) }],
    [{ rev: 'one' }],
  ])('refuse a walkthrough press with %j', (bad) => {
    expect(parseSubmit({ action: 'walkthrough', ...WALK_PRESS, ...bad }).ok).toBe(false);
    expect(parseExecute('walkthrough', { action: 'walkthrough', ...WALK_PRESS, ...bad }).ok).toBe(false);
  });
  it.each(SUBMIT_ACTIONS.filter((a) => a !== 'walkthrough').map((a) => [a]))('refuse an extra field on %s', (action) => {
    const extra: Record<string, object> = {
      showSection: { section: '2.2' },
      ask: { question: 'q' },
      incident: { step: 'cancel' },
      incidentAct: { incidentId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', sequence: 2, act: 'note', note: 'n' },
      adviceAnswer: { requestId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b' },
    };
    const result = parseSubmit({ action, ...extra[action], admin: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(CardPayloadError);
      expect(result.error.kind).toBe('invalid_fields');
      expect(result.error.issues.join()).toMatch(/admin/);
    }
  });
  it('say why, with a stable kind', () => {
    const kind = (r: ReturnType<typeof parseSubmit> | ReturnType<typeof parseExecute>) => (r.ok ? 'ok' : r.error.kind);
    expect(kind(parseSubmit([]))).toBe('not_an_object');
    expect(kind(parseSubmit({ action: 'toString' }))).toBe('unknown_action');
    expect(kind(parseSubmit({ section: '2.2' }))).toBe('unknown_action');
    expect(kind(parseSubmit({ action: 'showSection', section: 2.2 }))).toBe('invalid_fields');
    expect(kind(parseSubmit({ action: 'ask', question: 'x'.repeat(1001) }))).toBe('invalid_fields');
    expect(kind(parseSubmit({ action: 'topics', msteams: 'not an object' }))).toBe('invalid_fields');
    expect(kind(parseExecute(undefined, {}))).toBe('unknown_verb');
    expect(kind(parseExecute('feedback', { section: '2.2' }))).toBe('invalid_fields');
    expect(kind(parseExecute('feedback', undefined))).toBe('invalid_fields');
  });
  it('refuse unknown verbs and bad feedback', () => {
    expect(parseExecute('delete', {}).ok).toBe(false);
    expect(parseExecute('__proto__', {}).ok).toBe(false);
    expect(parseExecute('feedback', { section: '2.2', helpful: 'yes' }).ok).toBe(false);
    expect(parseExecute('feedback', { section: '2.2', helpful: true, extra: 1 }).ok).toBe(false);
  });
});
