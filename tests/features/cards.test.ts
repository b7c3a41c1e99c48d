/**
 * One test per card template: expanded with its sample data (and with the largest real data), it must be a
 * valid Adaptive Card 1.5 per the official schema, parse cleanly in the Adaptive Cards SDK, carry fallback
 * text, label every input, and stay under Teams' ~28 KB message limit.
 */
import { cardText } from '../helpers/bot';
import fs from 'node:fs';
import path from 'node:path';
import { loadGuidanceContent } from '../../src/core/guidance/content';
import {
  answerCardData,
  LEADS,
  helpCardData,
  notCoveredCardData,
  topicsCardData,
  welcomeCardData,
} from '../../src/features/guidance/views';
import { CARD_NAMES, type CardName } from '../../src/features/cardCatalogue';
import { CARDS_DIR, CardDataError, cardAttachment, escapeMarkdown, renderCard } from '../../src/features/cardRender';
import { schemaErrors, sdkParseErrors, TEAMS_MESSAGE_LIMIT } from '../helpers/adaptiveCards';
import { walkCard } from '../helpers/cardDriver';
import {
  CardPayloadError,
  EXECUTE_VERBS,
  parseExecute,
  parseSubmit,
  SUBMIT_ACTIONS,
} from '../../src/teams/cardPayloads';

import { RECORD_KIND_NAMES } from '../../src/core/records/kinds';
import type { StoredEntry } from '../../src/storage/types';
import {
  MY_RECORDS_LIMIT,
  myRecordsCardData,
  TEAM_RECORDS_WEEKS,
  teamRecordsCardData,
} from '../../src/features/records/views';
import { REPORT_FIELDS } from '../../src/core/incidents/report';
import type { IncidentState } from '../../src/core/incidents/state';
import {
  confirmCardData,
  escalationCardData,
  openIncidentsCardData,
  reportFormCardData,
} from '../../src/features/incidents/views';
import { adviceRequestCardData, photoSummaryCardData } from '../../src/features/walkthrough/views';
import { BODY_REGIONS } from '../../src/core/bodymap/regions';
import { CONSENT_LOG_LIMIT, consentLogCardData } from '../../src/features/consent/views';
import {
  askFormCardData,
  askStatusCardData,
  didYouMeanCardData,
  GAP_QUESTIONS_SHOWN,
  guidanceGapsCardData,
  questionChannelCardData,
  questionOwnerCardData,
} from '../../src/features/guidance/questionViews';
import type { QuestionState } from '../../src/core/questions/state';
import { choiceItems, gapItems, gapReport } from '../../src/core/questions/gaps';

const content = loadGuidanceContent(path.resolve(__dirname, '../../content'));
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
  history: Array.from({ length: 60 }, (_, i) => ({
    sequence: i + 1,
    action: 'resolve' as const,
    by: 'M'.repeat(200),
    at: new Date().toISOString(),
    outcome: 'hr_or_disciplinary',
    note: 'n'.repeat(2000),
  })),
};

/** A question answered, every text at its longest. */
const LONG_QUESTION: QuestionState = {
  id: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
  asker: { aadObjectId: 'aad-sam', name: 'S'.repeat(200) },
  askedAt: new Date().toISOString(),
  question: 'q'.repeat(1000),
  nearestSection: '2.3.2',
  from: 'did_you_mean',
  status: 'answered',
  owner: { aadObjectId: 'aad-priya', name: 'P'.repeat(200), at: new Date().toISOString() },
  answer: { text: 'a'.repeat(2000), by: 'P'.repeat(200), at: new Date().toISOString() },
};

/** 90 days of gaps on every section and a few without, each with a 1000-character question. */
const MANY_GAPS = gapReport(
  gapItems(
    Array.from({ length: 400 }, (_, i) => ({
      id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      kind: i % 4 === 3 ? 'manager_question' : 'guidance_gap',
      caseRef: null,
      author: { aadObjectId: 'aad-sam', name: '' },
      createdAt: new Date(Date.UTC(2026, 8, 1) + i * 5 * 3600_000).toISOString(),
      fields:
        i % 4 === 3
          ? {
              question: 'Mrs Abcdef '.repeat(90).slice(0, 1000),
              from: 'not_covered',
              identifiersConfirmed: true,
              engineVersion: 'ks-engine-2/2026.11/abcdef12',
              nearestSection: doc.sections[i % doc.sections.length].number,
            }
          : {
              reason: (['declined', 'not_helpful', 'none_fitted'] as const)[i % 3],
              question: 'w'.repeat(1000),
              engineVersion: 'ks-engine-2/2026.11/abcdef12',
              ...(i % 7 ? { nearestSection: doc.sections[i % doc.sections.length].number } : {}),
            },
      guidanceVersion: '1.0',
      corrects: null,
      reason: null,
    })) as unknown as StoredEntry[],
  ),
  { from: new Date(Date.UTC(2026, 8, 1)), to: new Date(Date.UTC(2026, 11, 1)) },
  choiceItems(
    Array.from({ length: 300 }, (_, i) => ({
      id: `${String(i).padStart(8, '0')}-0000-4000-9000-000000000000`,
      kind: 'clarify_choice',
      caseRef: null,
      author: { aadObjectId: 'aad-sam', name: '' },
      createdAt: new Date(Date.UTC(2026, 8, 1) + i * 7 * 3600_000).toISOString(),
      fields: {
        offered: [doc.sections[i % 10].number, doc.sections[(i + 3) % 10].number, doc.sections[(i + 5) % 10].number],
        chosen: i % 4 ? doc.sections[i % 10].number : 'none',
        engineVersion: 'ks-engine-2/2026.11/abcdef12',
      },
      guidanceVersion: '1.0',
      corrects: null,
      reason: null,
    })) as unknown as StoredEntry[],
  ),
);

const WALK_PRESS = {
  walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
  step: 'seen',
  flowVersion: '2',
  rev: 0,
  choice: 'continue',
  caseRef: 'LCS-1',
  immediateDanger: 'no',
};

/** Twenty marks (the most a body map takes) over all four views, every type, the largest sizes: the busiest picture. */
const WORST_MARKS = Array.from({ length: 20 }, (_, i) => {
  const view = (['front', 'back', 'left', 'right'] as const)[i % 4];
  const regions = BODY_REGIONS.filter((r) => r.views.includes(view));
  return {
    id: `m${i + 1}`,
    view,
    region: regions[(i * 5) % regions.length].id,
    type: (['bruise', 'cut', 'burn_or_scald', 'redness', 'swelling', 'other'] as const)[i % 6],
    lengthCm: 199.5,
    widthCm: 150.5,
    description: 'x',
  };
});

/** The largest data each card is ever bound with in the bot. */
const LARGEST: Record<CardName, object> = {
  answer: answerCardData(doc, longest, null, { reportIncident: true, photoDecision: true }, LEADS.injury_photo),
  notCovered: notCoveredCardData(doc, 'not_covered'),
  topics: topicsCardData(doc),
  help: helpCardData(),
  welcome: welcomeCardData(doc),
  error: {
    message: 'Something went wrong on our side. Please try again; if it keeps happening, quote the reference to IT.',
    reference: 'KS-ABCDEF',
  },
  notice: {
    title: "I couldn't use that button",
    message: "It may be from an old card. Type your question, or 'topics' to see them all.",
  },
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
    {
      type: 'other',
      summary: 'x'.repeat(4000),
      happenedDate: '2026-11-24',
      happenedTime: '19:30',
      platform: 'Other',
      urgency: 'high',
      caseRef: 'LCS-104233',
      evidenceKept: 'true',
    },
    {
      errors: Object.fromEntries(
        REPORT_FIELDS.map((f) => [
          f,
          'That is not right: please check it and try again, the rest of what you typed is kept.',
        ]),
      ),
      pii: {
        found:
          'a name (Mrs Abcdefghijklmnop), a phone number (07700 900123), an email address (someone@example.org), a postcode (LS6 2AB) and more',
        digest: '0123456789abcdef',
      },
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
    {
      walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
      caseRef: 'LCS-104233',
      concern: 'signs_of_neglect',
      personType: 'child',
      immediateDanger: true,
    },
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
      consent: {
        decision: 'do_not_photograph',
        capacity: 'lacks_capacity',
        consent: 'not_possible',
        attorneyOrDeputy: 'deputy',
      },
      marks: WORST_MARKS.map((m) => ({
        view: m.view,
        region: m.region,
        type: m.type,
        lengthCm: m.lengthCm,
        widthCm: m.widthCm,
      })),
      referralMade: false,
      entryIds: {},
      finishedAt: new Date().toISOString(),
    },
    { marks: WORST_MARKS, answers: {}, flowVersion: '2' } as never,
  ),
  consentLog: consentLogCardData(
    Array.from({ length: CONSENT_LOG_LIMIT + 5 }, (_, i) => ({
      id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      kind: 'consent_decision',
      caseRef: 'LCS-10423300000000000',
      author: { aadObjectId: 'aad-sam', name: 'S'.repeat(200) },
      createdAt: new Date(Date.UTC(2026, 10, 25, 9, i)).toISOString(),
      fields: {
        personType: 'adult',
        consent: 'not_possible',
        capacity: 'lacks_capacity',
        bestInterests: { decision: 'do_not_photograph', consulted: 'x', attorneyOrDeputy: 'not_known' },
        decision: 'do_not_photograph',
        whatHappensInstead: 'x',
        flowVersion: 'consent-fix-1',
        walkthroughId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
      },
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
  didYouMean: didYouMeanCardData(
    doc,
    [...doc.sections]
      .sort((a, b) => b.title.length + (b.keyPoints[0]?.length ?? 0) - a.title.length - (a.keyPoints[0]?.length ?? 0))
      .slice(0, 3)
      .map((s) => s.number),
    'x'.repeat(1000),
  ),
  askManager: askFormCardData(
    doc,
    { question: 'x'.repeat(1000), from: 'did_you_mean', section: '2.3.2' },
    {
      pii: {
        found:
          'a name (Mrs Abcdefghijklmnop), a phone number (07700 900123), an email address (someone@example.org), a postcode (LS6 2AB) and more',
        digest: '0123456789abcdef',
      },
      problem:
        "Your question couldn't be saved just now, so it has not been sent. It is still here: please press Send to a manager again in a minute.",
    },
  ),
  questionChannel: questionChannelCardData(doc, LONG_QUESTION),
  questionOwner: questionOwnerCardData(
    doc,
    { ...LONG_QUESTION, answer: null, status: 'taken' },
    {
      answer: 'a'.repeat(2000),
      pii: {
        found:
          'a name (Mrs Abcdefghijklmnop), a phone number (07700 900123), an email address (someone@example.org), a postcode (LS6 2AB) and more',
        digest: '0123456789abcdef',
      },
      problem:
        "Your answer couldn't be saved just now, so it has not been sent. It is still here: please press Send answer again in a minute.",
    },
  ),
  guidanceGaps: guidanceGapsCardData(doc, MANY_GAPS, 90, true),
  teamRecords: teamRecordsCardData(
    Array.from({ length: TEAM_RECORDS_WEEKS }, (_, w) =>
      RECORD_KIND_NAMES.map((kind) => ({
        kind,
        weekStart: new Date(Date.UTC(2026, 9, 5 + 7 * w)).toISOString().slice(0, 10),
        count: 999,
      })),
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
      for (const t of n.targetElements as unknown[])
        expect(ids.has(typeof t === 'string' ? t : (t as any).elementId)).toBe(true);
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
      msteams: {
        type: 'messageBack',
        displayText: `Section ${first.number}: ${first.title}`,
        text: `section ${first.number}`,
      },
    });
    const execute = actions.filter((a) => a.type === 'Action.Execute');
    expect(execute.map((a) => [a.title, a.verb, a.data])).toEqual([
      ['Yes', 'feedback', { section: '2.3.2', helpful: true }],
      ['No', 'feedback', { section: '2.3.2', helpful: false }],
    ]);
    expect(actions.map((a) => a.title)).toEqual(
      expect.arrayContaining(['Report an incident', 'Photo decision', 'All topics']),
    );
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
      for (const data of [
        JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.data.json`), 'utf8')),
        LARGEST[name],
      ]) {
        const shown = cardText(renderCard(name, data as any));
        expect([name, shown]).not.toEqual([
          name,
          expect.stringMatching(
            /npm run|\bflow (\d|consent)|Correct KS-|Consent log: the service|no section 3|worker's own account/,
          ),
        ]);
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
      if (s.parent)
        expect(indent(r)).toBeGreaterThan(indent(rows[doc.sections.findIndex((p) => p.number === s.parent)]));
      else expect(indent(r)).toBeLessThanOrEqual(1);
      expect(r.columns[1].items[0].text).toContain(s.number); // the number shows the nesting too, not only the indent
    });
  });

  it('help and welcome ask their example questions when tapped, and survive empty lists', () => {
    const help: any = renderCard('help', {
      examples: ['Can I add a client on insta?'],
      commands: [],
      managerCommands: [],
    });
    const ask = JSON.stringify(help);
    expect(ask).toContain(
      '{"action":"ask","question":"Can I add a client on insta?","msteams":{"type":"messageBack","displayText":"Can I add a client on insta?","text":"Can I add a client on insta?"}}',
    );
    expect(ask).not.toContain('FactSet');
    checkCard(renderCard('help', { examples: [], commands: [], managerCommands: [] }));
    checkCard(renderCard('welcome', { doc: { title: doc.title, version: doc.version }, examples: [] }));
    checkCard(
      renderCard('notCovered', {
        heading: 'Not covered',
        message: 'Ask your line manager.',
        topics: [],
        suggestManager: false,
      }),
    );
  });

  it('text from the data is not evaluated as a template expression, at the root or in a list', () => {
    const card = renderCard('notice', { title: '${doc.title}', message: '${join(x)}' });
    expect(JSON.stringify(card)).toContain('${doc.title}');
    const data = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, 'answer.data.json'), 'utf8'));
    const answer = JSON.stringify(
      renderCard('answer', { ...data, section: { ...data.section, keyPoints: ['${section.number}'] } }),
    );
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
    expect(escapeMarkdown('Section 2.3.2: a plain sentence, with commas (and brackets).')).toBe(
      'Section 2.3.2: a plain sentence, with commas (and brackets).',
    );
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
    expect(
      sdkParseErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Carousel' }] }).length,
    ).toBeGreaterThan(0);
  });
});

/**
 * Reads well at phone width (about 320 px in Teams mobile): every text wraps, no row of more than two columns, no
 * fixed width wider than a thumb, at most three buttons in a row, and button titles short enough not to be cut.
 */
function phoneProblems(card: any): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock' && n.wrap !== true) out.push(`TextBlock not wrapped: ${String(n.text).slice(0, 40)}`);
    if (n.type === 'ColumnSet' && (n.columns ?? []).length > 2) out.push('ColumnSet with more than two columns');
    if (typeof n.width === 'string' && /px$/.test(n.width) && parseInt(n.width, 10) > 60)
      out.push(`fixed width ${n.width}`);
    if (n.type === 'ActionSet' && n.actions.length > 3) out.push('more than three buttons in a row');
  });
  if ((card.actions ?? []).length > 4) out.push('more than four card buttons');
  const shown = [...(card.actions ?? []), ...([] as any[])];
  walk(card.body, (n) => {
    if (n.type === 'ActionSet') shown.push(...n.actions);
  });
  for (const a of shown) if (String(a.title).length > 24) out.push(`button title too long for a phone: ${a.title}`);
  return out;
}

describe('did you mean and ask a manager cards', () => {
  const q = 'can i unfriend a mum off my caseload or do i block her on fb';

  it('did you mean: each section a full-width row that replaces the card (Action.Execute, Action.Submit fallback), then None of these', () => {
    const card: any = renderCard('didYouMean', didYouMeanCardData(doc, ['2.2', '2.4', '2.3.1'], q));
    checkCard(card);
    expect(phoneProblems(card)).toEqual([]);
    const rows = card.body.filter((b: any) => b.selectAction);
    expect(rows.map((r: any) => r.selectAction.data.choice)).toEqual(['2.2', '2.4', '2.3.1']);
    for (const r of rows) {
      expect(r.selectAction).toMatchObject({
        type: 'Action.Execute',
        verb: 'clarify',
        data: { offered: '2.2 2.4 2.3.1', question: q },
      });
      expect(r.selectAction.fallback).toMatchObject({
        type: 'Action.Submit',
        data: { action: 'clarify', choice: r.selectAction.data.choice },
      });
      expect(parseExecute('clarify', r.selectAction.data)).toMatchObject({ ok: true });
      expect(parseSubmit(r.selectAction.fallback.data)).toMatchObject({ ok: true });
      expect(cardTextOf(r)).toMatch(/^2\.\S+ {2}\S/); // number then title, so it reads like the topic list
    }
    const none = buttonsOf(card).find((b) => b.data?.choice === 'none');
    expect(none).toMatchObject({
      title: 'None of these',
      verb: 'clarify',
      data: { offered: '2.2 2.4 2.3.1', question: q },
    });
    // the first key point helps choose; the section's full text is not on the card
    expect(JSON.stringify(card)).toContain(escapeMarkdown(doc.sections.find((s) => s.number === '2.2')!.keyPoints[0]));
  });

  it('did you mean offers at most three, says so when there is one, and refuses a choice list it did not make', () => {
    const one: any = renderCard('didYouMean', didYouMeanCardData(doc, ['2.5'], q));
    checkCard(one);
    expect(cardTextOf(one)).toMatch(/Tap it if it is/);
    expect(() => didYouMeanCardData(doc, ['1', '2.1', '2.2', '2.4'], q)).not.toThrow();
    expect(() => renderCard('didYouMean', didYouMeanCardData(doc, ['1', '2.1', '2.2', '2.4'], q))).toThrow(
      CardDataError,
    );
    expect(parseExecute('clarify', { choice: '2.2', offered: '2.2 2.4 2.3.1 1', question: q }).ok).toBe(false);
    expect(parseExecute('clarify', { choice: '2.2', offered: '2.2;drop', question: q }).ok).toBe(false);
  });

  it('the not-covered card offers Ask a manager with the question, and the answer card sends the question back with No', () => {
    const card: any = renderCard(
      'notCovered',
      notCoveredCardData(doc, 'not_covered', { question: q, from: 'not_covered', section: null }),
    );
    checkCard(card);
    const ask = buttonsOf(card).find((b) => b.verb === 'askManager');
    expect(ask).toMatchObject({
      title: 'Ask a manager',
      data: { step: 'open', question: q, from: 'not_covered', section: '' },
    });
    expect(parseSubmit(ask.fallback.data)).toMatchObject({ ok: true });
    expect(JSON.stringify(renderCard('notCovered', notCoveredCardData(doc, 'out_of_scope')))).not.toContain(
      'askManager',
    );
    const s = doc.sections.find((x) => x.number === '2.2')!;
    const answer: any = renderCard('answer', answerCardData(doc, s, null, undefined, null, {}, q));
    expect(buttonsOf(answer).map((b) => b.data)).toEqual([
      { section: '2.2', helpful: true },
      { section: '2.2', helpful: false, question: q },
    ]);
    expect(parseExecute('feedback', { section: '2.2', helpful: false, question: q }).ok).toBe(true);
  });

  it('ask a manager: the form keeps the question editable and warns about identifiers; sent, it shows status and later the answer, with no inputs', () => {
    const form: any = renderCard(
      'askManager',
      askFormCardData(doc, { question: q, from: 'not_covered', section: '2.2' }),
    );
    checkCard(form);
    expect(phoneProblems(form)).toEqual([]);
    const input = findNode(form, (n) => n.type === 'Input.Text');
    expect(input).toMatchObject({ id: 'question', value: q, isMultiline: true, maxLength: 1000 });
    expect(buttonsOf(form).map((b) => b.title)).toEqual(['Send to a manager', 'Cancel']);
    const warned: any = renderCard(
      'askManager',
      askFormCardData(
        doc,
        { question: q, from: 'not_covered', section: null },
        { pii: { found: 'a name (Mrs Patel)', digest: '0123456789abcdef' } },
      ),
    );
    expect(cardTextOf(warned)).toMatch(/This may identify someone[\s\S]*Mrs Patel/);
    expect(buttonsOf(warned).map((b) => [b.title, b.data.step, b.data.digest])).toEqual([
      ['Check again', 'submit', undefined],
      ['Send as it is', 'confirm', '0123456789abcdef'],
      ['Cancel', 'cancel', undefined],
    ]);
    const answered: any = renderCard('askManager', askStatusCardData(doc, LONG_QUESTION));
    checkCard(answered);
    expect(phoneProblems(answered)).toEqual([]);
    expect(findNode(answered, (n) => typeof n.type === 'string' && n.type.startsWith('Input.'))).toBeUndefined();
    expect(buttonsOf(answered)).toEqual([]);
    expect(JSON.stringify(answered)).toContain('a'.repeat(2000));
    const waiting: any = renderCard(
      'askManager',
      askStatusCardData(doc, { ...LONG_QUESTION, status: 'waiting', owner: null, answer: null }),
    );
    expect(cardTextOf(waiting)).toMatch(/Waiting for a manager/);
    expect(JSON.stringify(waiting)).not.toContain('a'.repeat(50));
  });

  it('the channel card says a question is waiting, never what it is or who asked; Take ownership only while nobody has it', () => {
    const waiting = { ...LONG_QUESTION, status: 'waiting' as const, owner: null, answer: null };
    const card: any = renderCard('questionChannel', questionChannelCardData(doc, waiting));
    checkCard(card);
    expect(phoneProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).not.toContain('q'.repeat(20));
    expect(json).not.toContain('S'.repeat(20));
    expect(cardTextOf(card)).toMatch(/A worker has a question the guidance doesn't cover/);
    expect(cardTextOf(card)).toMatch(/Nearest topic: 2\.3\.2 Professional information/);
    expect(buttonsOf(card)).toEqual([
      expect.objectContaining({
        title: 'Take ownership',
        verb: 'questionAct',
        data: { questionId: waiting.id, act: 'take' },
      }),
    ]);
    const done: any = renderCard('questionChannel', questionChannelCardData(doc, LONG_QUESTION));
    expect(buttonsOf(done)).toEqual([]);
    expect(cardTextOf(done)).toMatch(/Answered by P+/);
    expect(JSON.stringify(done)).not.toContain('a'.repeat(20)); // nor the answer
  });

  it("the owner's private card has the question and an answer form; answered, the answer and no inputs", () => {
    const taken = { ...LONG_QUESTION, status: 'taken' as const, answer: null };
    const card: any = renderCard('questionOwner', questionOwnerCardData(doc, taken));
    checkCard(card);
    expect(phoneProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('q'.repeat(1000));
    expect(findNode(card, (n) => n.type === 'Input.Text')).toMatchObject({ id: 'answer', maxLength: 2000 });
    expect(buttonsOf(card).map((b) => [b.title, b.data])).toEqual([
      ['Send answer', { questionId: taken.id, act: 'answer', step: 'submit' }],
    ]);
    const answered: any = renderCard('questionOwner', questionOwnerCardData(doc, LONG_QUESTION));
    checkCard(answered);
    expect(findNode(answered, (n) => n.type === 'Input.Text')).toBeUndefined();
    expect(buttonsOf(answered)).toEqual([]);
  });

  it('the gaps card counts by section and week; masked questions only when asked for (a 1:1 chat), at most ten', () => {
    const personal: any = renderCard('guidanceGaps', guidanceGapsCardData(doc, MANY_GAPS, 90, true));
    const channel: any = renderCard('guidanceGaps', guidanceGapsCardData(doc, MANY_GAPS, 90, false));
    for (const c of [personal, channel]) {
      checkCard(c);
      expect(phoneProblems(c)).toEqual([]);
      expect(cardTextOf(c)).toMatch(/By nearest section[\s\S]*By week[\s\S]*Where I asked "Did you mean…\?"/);
    }
    expect(JSON.stringify(channel)).not.toContain('www');
    expect(JSON.stringify(channel)).not.toMatch(/\[name\]/);
    expect(JSON.stringify(personal)).toContain('w'.repeat(200));
    expect(JSON.stringify(personal)).not.toContain('Abcdef'); // masked
    const listed =
      JSON.stringify(personal).match(
        /"(?:Declined|Asked a manager|Marked not helpful|None of the suggestions)[^"]*"/g,
      ) ?? [];
    expect(listed.length).toBe(GAP_QUESTIONS_SHOWN);
  });
});

function buttonsOf(card: any): any[] {
  const out: any[] = [];
  walk(card, (n) => {
    if (n.type === 'Action.Execute') out.push(n);
  });
  return out;
}

function findNode(card: any, test: (n: any) => boolean): any {
  let found: any;
  walk(card, (n) => {
    if (found === undefined && test(n)) found = n;
  });
  return found;
}

function cardTextOf(card: any): string {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock') out.push(String(n.text).replace(/\\(.)/g, '$1'));
    if (n.type === 'FactSet')
      n.facts.forEach((f: any) => out.push(`${f.title}: ${String(f.value).replace(/\\(.)/g, '$1')}`));
  });
  return out.join('\n');
}

describe('card payload schemas', () => {
  it('accept what the cards send', () => {
    expect(
      parseSubmit({ action: 'showSection', section: '2.3.1', msteams: { type: 'messageBack', text: 'section 2.3.1' } })
        .ok,
    ).toBe(true);
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
      adviceAnswer: {
        requestId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
        walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
        adviceDecision: 'photograph',
      },
      clarify: { choice: 'none', offered: '2.2 2.4', question: 'q' },
      askManager: { step: 'open', question: 'q', from: 'not_covered', section: '' },
      questionAct: { questionId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', act: 'take' },
    };
    for (const action of SUBMIT_ACTIONS) {
      expect(parseSubmit({ action, ...extra[action] })).toMatchObject({ ok: true, value: { action } });
      expect(parseSubmit({ action, ...extra[action], msteams: { type: 'messageBack', text: action } }).ok).toBe(true);
    }
    expect(EXECUTE_VERBS).toEqual([
      'feedback',
      'incident',
      'incidentAct',
      'walkthrough',
      'adviceAnswer',
      'photoDecision',
      'clarify',
      'askManager',
      'questionAct',
    ]);
  });
  // A walkthrough press carries the step's inputs, whose ids come from the flow: extra keys are expected there and
  // checked by the machine (only the step's own fields are read). Here only their shape is refused when odd.
  it.each([[{ nested: { a: 1 } }], [{ list: ['a'] }], [{ long: 'x'.repeat(10_001) }], [{ rev: 'one' }]])(
    'refuse a walkthrough press with %j',
    (bad) => {
      expect(parseSubmit({ action: 'walkthrough', ...WALK_PRESS, ...bad }).ok).toBe(false);
      expect(parseExecute('walkthrough', { action: 'walkthrough', ...WALK_PRESS, ...bad }).ok).toBe(false);
    },
  );
  it.each(SUBMIT_ACTIONS.filter((a) => a !== 'walkthrough').map((a) => [a]))(
    'refuse an extra field on %s',
    (action) => {
      const extra: Record<string, object> = {
        showSection: { section: '2.2' },
        ask: { question: 'q' },
        incident: { step: 'cancel' },
        incidentAct: { incidentId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', sequence: 2, act: 'note', note: 'n' },
        adviceAnswer: {
          requestId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
          walkId: '7e2d4a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
        },
        clarify: { choice: '2.2', offered: '2.2 2.4', question: 'q' },
        askManager: { step: 'cancel', from: 'did_you_mean' },
        questionAct: { questionId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b', act: 'answer', answer: 'a' },
      };
      const result = parseSubmit({ action, ...extra[action], admin: true });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(CardPayloadError);
        expect(result.error.kind).toBe('invalid_fields');
        expect(result.error.issues.join()).toMatch(/admin/);
      }
    },
  );
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
