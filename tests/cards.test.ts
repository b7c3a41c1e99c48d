/**
 * One test per card template: expanded with its sample data (and with the largest real data), it must be a
 * valid Adaptive Card 1.5 per the official schema, parse cleanly in the Adaptive Cards SDK, carry fallback
 * text, label every input, and stay under Teams' ~28 KB message limit.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { loadGuidanceContent } from '../src/core/guidance/content';
import { answerCardData, LEADS, helpCardData, notCoveredCardData, topicsCardData, welcomeCardData } from '../src/teams/views';
import { CARD_NAMES, CARDS_DIR, cardAttachment, renderCard, type CardName } from '../src/teams/cards';
import { parseExecute, parseSubmit } from '../src/teams/cardActions';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

const SCHEMA_FILE = process.env.KEEPSAFE_CARD_SCHEMA ?? path.resolve(__dirname, '../../shared/schemas/adaptive-card-1.5.json');
const TEAMS_MESSAGE_LIMIT = 28 * 1024;

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft06);
addFormats(ajv);
// The official file names its URI with draft-04's "id"; ajv 8 wants "$id" (the only change made to it).
const { id: schemaUri, ...schemaBody } = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
const validate = ajv.compile({ $id: schemaUri, ...schemaBody });

const content = loadGuidanceContent(path.resolve(__dirname, '../content'));
const doc = content.document;
const longest = [...doc.sections].sort((a, b) => b.paragraphs.join('').length - a.paragraphs.join('').length)[0];

/** The largest data each card is ever bound with in the bot. */
const LARGEST: Record<CardName, object> = {
  answer: answerCardData(doc, longest, null, { reportIncident: true, photoDecision: true }, LEADS.injury_photo),
  notCovered: notCoveredCardData(doc, 'not_covered'),
  topics: topicsCardData(doc),
  help: helpCardData(),
  welcome: welcomeCardData(doc),
  error: { message: 'Something went wrong on our side. Please try again; if it keeps happening, quote the reference to IT.', reference: 'KS-ABCDEF' },
  notice: { title: "I couldn't use that button", message: "It may be from an old card. Type your question, or 'topics' to see them all." },
};

function sdkParseErrors(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    errors.push(`${e.message}`);
  }
  return errors;
}

function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((n) => walk(n, visit));
  }
}

function checkCard(card: any): void {
  const ok = validate(structuredClone(card));
  if (!ok) throw new Error(`schema: ${ajv.errorsText(validate.errors)}`);
  expect(parseFloat(card.version)).toBeLessThanOrEqual(1.5);
  expect(typeof card.fallbackText).toBe('string');
  expect(card.fallbackText.length).toBeGreaterThan(10);
  expect(sdkParseErrors(card)).toEqual([]);
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) expect(n.label).toBeTruthy();
    if (n.type === 'Image') expect(n.altText).toBeTruthy();
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

  it('text from the data is not evaluated as a template expression', () => {
    const card = renderCard('notice', { title: '${doc.title}', message: '${join(x)}' });
    expect(JSON.stringify(card)).toContain('${doc.title}');
  });

  it('the checks are real: a broken card fails them', () => {
    expect(validate({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }] })).toBe(false);
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
  it('refuse unknown verbs and bad feedback', () => {
    expect(parseExecute('delete', {}).ok).toBe(false);
    expect(parseExecute('__proto__', {}).ok).toBe(false);
    expect(parseExecute('feedback', { section: '2.2', helpful: 'yes' }).ok).toBe(false);
    expect(parseExecute('feedback', { section: '2.2', helpful: true, extra: 1 }).ok).toBe(false);
  });
});
