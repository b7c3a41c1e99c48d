/**
 * The consent log over HTTP, against the real app and a loopback stand-in for the Teams connector: "log consent"
 * on its own (adult who agrees, child with parental consent, refused), "my consent log" (own entries only, from
 * the walkthrough or the log alike), a correction (a new entry pointing at the old one, with the worker's
 * reason; the old one kept and marked), the managers' list (everyone's, filtered by case; staff refused), and
 * the export's --kind filter.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeConnector } from '../helpers/connector';
import { execute, message, WORKER } from '../helpers/activities';
import { JO, PRIYA } from '../helpers/managersTeam';
import { cardOf, cardText, startBot, type RunningBot } from '../helpers/bot';
import { button, buttons, inputsOf, pressButtonOn, pressOn, stepOf, walkCard } from '../helpers/cardDriver';
import { recordReference } from '../../src/core/records/reference';
import { parseArgs } from '../../src/cli/export';
import type { StoredEntry } from '../../src/storage/types';

let connector: FakeConnector;
let bot: RunningBot;
let guidanceVersion = '';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-consent-'));

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startBot({ MANAGER_AAD_IDS: PRIYA.aadObjectId, DELIVERY_POLL_MS: '50', DATA_DIR: dataDir });
  guidanceVersion = bot.app.engine.document.version;
});
afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// ---- driving cards as Teams does ---------------------------------------------------------------------------

let cardSeq = 0;
const walk = walkCard;
const pressButton = (card: any, b: any, typed: Record<string, unknown>, from: typeof WORKER) =>
  pressButtonOn(bot, connector.url, card, b, typed, from);
const press = (card: any, choice: string, typed: Record<string, unknown> = {}, from = WORKER) =>
  pressOn(bot, connector.url, card, choice, typed, from);

async function say(text: string, from = WORKER): Promise<any[]> {
  const before = connector.sent.length;
  await bot.post(message(text, { serviceUrl: connector.url, from }));
  return connector.sent.slice(before).map(cardOf).filter(Boolean);
}

const consents = async (caseRef?: string) =>
  (
    await bot.app.store.list({ kind: 'consent_decision', ...(caseRef ? { caseRef } : {}), limit: 500 })
  ).reverse() as Array<Extract<StoredEntry, { kind: 'consent_decision' }>>;

/** "log consent", then "Start a new one" if the worker has consent logs open. */
async function newLog(from = WORKER): Promise<any> {
  const cards = await say('log consent', from);
  let card = cards[cards.length - 1];
  const fresh = buttons(card).find((b) => b.verb === 'photoDecision' && b.data?.fresh === true);
  if (fresh)
    card = (
      await bot.post(
        execute('photoDecision', fresh.data, { serviceUrl: connector.url, from, replyToId: `list-${++cardSeq}` }),
      )
    ).body.value;
  if (stepOf(card) !== 'seen') throw new Error(`expected the first step, got ${cardText(card)}`);
  return card;
}

/** The entry on the consent-log card whose facts give this reference. */
function listed(card: any, reference: string): any {
  const container = card.body.find(
    (c: any) => c.type === 'Container' && cardText(c).includes(`Reference: ${reference}`),
  );
  if (!container) throw new Error(`${reference} is not on the card`);
  return container;
}

// ---- log consent on its own --------------------------------------------------------------------------------

describe("'log consent' on its own", () => {
  it('starts the consent log: case reference and adult or child, and says photographs need advice first', async () => {
    const card = await newLog();
    const text = cardText(card);
    expect(text).toMatch(/Consent log · Step 1 of 4/);
    expect(text).toMatch(/Log a consent decision/);
    expect(text).toMatch(/need advice from your manager or designated safeguarding manager first[\s\S]*photo decision/);
    const labels: string[] = [];
    walk(card, (n) => typeof n.type === 'string' && n.type.startsWith('Input.') && labels.push(n.label));
    expect(labels).toEqual(['Is this about an adult or a child?', 'Case reference']);
    expect(button(card, 'continue').data.flowVersion).toBe('consent-1');
    expect(await consents()).toHaveLength(0);
  });

  it('an adult with capacity who agrees: photographs on a work device, to the case record; the summary; Finish', async () => {
    let card = await press(await newLog(), 'continue', { personType: 'adult', caseRef: 'lcs-600001' });
    expect(stepOf(card)).toBe('capacity');
    card = await press(card, 'continue', { hasCapacity: 'yes' });
    card = await press(card, 'continue', { personConsent: 'given' });
    expect(stepOf(card)).toBe('photo_care');
    expect(cardText(card)).toMatch(/Photographs never go into Teams/);
    card = await press(card, 'continue', { workDevice: 'true', caseRecord: 'true' });
    expect(stepOf(card)).toBe('summary');
    expect(cardText(card)).toMatch(/Has capacity to consent[\s\S]*Yes, they agreed[\s\S]*To be taken/);
    const [entry] = await consents('LCS-600001');
    expect(entry).toMatchObject({
      author: { aadObjectId: WORKER.aadObjectId },
      guidanceVersion,
      corrects: null,
      fields: {
        personType: 'adult',
        capacity: 'has_capacity',
        consent: 'given',
        decision: 'photograph',
        device: 'work_device',
        imagesStoredIn: 'case_record',
        flowVersion: 'consent-1',
      },
    });
    const done = await press(card, 'finish');
    expect(cardText(done)).toMatch(/Consent decision: summary/);
    expect(cardText(done)).toMatch(/The record is saved/);
    expect(await consents('LCS-600001')).toHaveLength(1);
    expect(await bot.app.store.list({ kind: 'incident_report', limit: 5 })).toHaveLength(0);
  });

  it("a child: who has parental responsibility, their consent and the child's view", async () => {
    let card = await press(await newLog(), 'continue', { personType: 'child', caseRef: 'LCS-600002' });
    expect(stepOf(card)).toBe('parental_consent');
    card = await press(card, 'continue', {
      parentalResponsibility: 'Father',
      parentalConsent: 'given',
      childView: 'Fine with a photo of the leg.',
    });
    card = await press(card, 'continue', { workDevice: 'true', caseRecord: 'true' });
    await press(card, 'finish');
    const [entry] = await consents('LCS-600002');
    expect(entry.fields).toMatchObject({
      personType: 'child',
      capacity: 'not_applicable',
      parentalResponsibility: 'Father',
      parentalConsent: 'given',
      consent: 'given',
      decision: 'photograph',
      flowVersion: 'consent-1',
    });
    expect(entry.guidanceVersion).toBe(guidanceVersion);
  });

  it('refused: do not take photographs, and what happens instead', async () => {
    let card = await press(await newLog(), 'continue', { personType: 'adult', caseRef: 'LCS-600003' });
    card = await press(card, 'continue', { hasCapacity: 'yes' });
    card = await press(card, 'continue', { personConsent: 'refused' });
    expect(stepOf(card)).toBe('consent_refused');
    expect(cardText(card)).toMatch(/Do not take photographs/);
    const missing = await press(card, 'continue', { whatHappensInstead: '' });
    expect(cardText(missing)).toMatch(/Say what will happen instead of photographs/);
    card = await press(missing, 'continue', { whatHappensInstead: 'Body map and written record; refer my concerns.' });
    expect(stepOf(card)).toBe('summary');
    const [entry] = await consents('LCS-600003');
    expect(entry.fields).toMatchObject({
      consent: 'refused',
      decision: 'do_not_photograph',
      whatHappensInstead: 'Body map and written record; refer my concerns.',
      flowVersion: 'consent-1',
    });
    await press(card, 'finish');
  });

  it('someone else logs one too (for the lists below)', async () => {
    let card = await press(await newLog(JO), 'continue', { personType: 'adult', caseRef: 'LCS-600009' }, JO);
    card = await press(card, 'continue', { hasCapacity: 'yes' }, JO);
    card = await press(card, 'continue', { personConsent: 'not_possible' }, JO);
    await press(card, 'continue', { whatHappensInstead: 'Body map.' }, JO);
    expect(await consents('LCS-600009')).toHaveLength(1);
  });
});

// ---- my consent log and corrections ------------------------------------------------------------------------

describe("'my consent log' and corrections", () => {
  let correctionId = '';

  it("lists the worker's own consent decisions, newest first, in plain words, and never anyone else's", async () => {
    const [card] = await say('my consent log');
    const text = cardText(card);
    expect(text).toMatch(/Your consent log/);
    expect(text).toMatch(/Your 3 most recent consent decisions, newest first/);
    expect(text).not.toMatch(/LCS-600009/);
    const order = ['LCS-600003', 'LCS-600002', 'LCS-600001'].map((r) => text.indexOf(r));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const [adult] = await consents('LCS-600001');
    const item = cardText(listed(card, recordReference(adult.id)));
    expect(item).toMatch(/LCS-600001 · Adult/);
    expect(item).toMatch(/Photographs to be taken/);
    expect(item).toMatch(/The person agreed/);
    expect(item).toMatch(/Has capacity to consent/);
    expect(item).toMatch(new RegExp(`Guidance version ${guidanceVersion.replace(/\./g, '\\.')}, with 'log consent'`));
    expect(item).not.toMatch(/flow consent|consent-1/); // no developer wording (issue 13, item 11)
    expect(cardText(listed(card, recordReference((await consents('LCS-600002'))[0].id)))).toMatch(
      /The person with parental responsibility agreed[\s\S]*Not asked \(a child\)/,
    );
    // No free text from an entry on the list.
    expect(JSON.stringify(card)).not.toMatch(/Body map and written record|Fine with a photo/);
    expect(buttons(card).filter((b) => b.data?.choice === 'begin')).toHaveLength(3);
  });

  it('includes consent decisions made in the photo decision walkthrough', async () => {
    // Stored as the walkthrough stores them (flow 1).
    await bot.app.store.append({
      kind: 'consent_decision',
      caseRef: 'LCS-600004',
      author: { aadObjectId: WORKER.aadObjectId, name: WORKER.name },
      fields: {
        personType: 'adult',
        consent: 'given',
        consentBy: 'the person',
        capacity: 'has_capacity',
        decision: 'photograph',
        device: 'work_device',
        imagesStoredIn: 'case_record',
        flowVersion: '1',
        walkthroughId: '0b5f8c7e-2d4a-4e8b-9c1d-3f6a7b8c9d0e',
      },
      guidanceVersion,
    });
    const [card] = await say('my consent log');
    expect(cardText(card)).toMatch(/LCS-600004 · Adult[\s\S]*in the photo decision/);
  });

  it('Correct starts a consent walkthrough filled in from the entry, asking why', async () => {
    const [card] = await say('my consent log');
    const [old] = await consents('LCS-600003');
    const correct = buttons(listed(card, recordReference(old.id))).find((b) => b.data?.choice === 'begin');
    expect(correct.title).toBe('Correct this');
    let step = await pressButton(card, correct, {}, WORKER);
    expect(cardText(step)).toMatch(new RegExp(`You are correcting ${recordReference(old.id)}`));
    expect(cardText(step)).toMatch(/Correct a consent decision/);
    expect(inputsOf(step)).toMatchObject({ caseRef: 'LCS-600003', personType: 'adult' });
    expect(button(step, 'continue').data.flowVersion).toBe('consent-fix-1');

    // The same Correct button again shows the same walkthrough, not a second one.
    const again = await pressButton(card, correct, {}, WORKER);
    expect(cardText(again)).toMatch(/already started this/);
    expect(button(again, 'continue').data.walkId).toBe(button(step, 'continue').data.walkId);

    // The reason is required.
    const noReason = await press(step, 'continue', { reason: '' });
    expect(cardText(noReason)).toMatch(/Say why the entry needs correcting/);
    step = await press(noReason, 'continue', { reason: 'I chose refused by mistake: they agreed after I explained.' });
    step = await press(step, 'continue', { hasCapacity: 'yes' });
    step = await press(step, 'continue', { personConsent: 'given' });
    step = await press(step, 'continue', { workDevice: 'true', caseRecord: 'true' });
    await press(step, 'finish');

    const chain = await consents('LCS-600003');
    expect(chain).toHaveLength(2);
    expect(chain[0]).toEqual(old); // the old entry is untouched
    expect(chain[1]).toMatchObject({
      corrects: old.id,
      reason: 'I chose refused by mistake: they agreed after I explained.',
      author: { aadObjectId: WORKER.aadObjectId },
      guidanceVersion,
      fields: { consent: 'given', decision: 'photograph', flowVersion: 'consent-fix-1' },
    });
    correctionId = chain[1].id;
    expect((await bot.app.store.verifyAudit()).ok).toBe(true);
    // The reason is the worker's words: never in the log.
    expect(bot.logLines.join('\n')).not.toMatch(/by mistake/);
  });

  it('the list marks the correction and the entry it corrects; the old one is not offered for correction again', async () => {
    const [card] = await say('my consent log');
    const [old] = await consents('LCS-600003');
    const newer = cardText(listed(card, recordReference(correctionId)));
    expect(newer).toMatch(/LCS-600003 · Adult \(correction\)/);
    expect(newer).toMatch(new RegExp(`Correction of: ${recordReference(old.id)}`));
    const older = listed(card, recordReference(old.id));
    expect(cardText(older)).toMatch(new RegExp(`Corrected later by ${recordReference(correctionId)}`));
    expect(buttons(older)).toHaveLength(0);
  });

  it('an old Correct button for an entry already corrected is refused, pointing at the newer entry', async () => {
    const [old] = await consents('LCS-600003');
    const res = await pressButton(
      {},
      {
        verb: 'walkthrough',
        associatedInputs: 'none',
        data: {
          action: 'walkthrough',
          walkId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
          step: 'seen',
          flowVersion: 'consent-fix-1',
          rev: 0,
          choice: 'begin',
          corrects: old.id,
        },
      },
      {},
      WORKER,
    );
    expect(res.message).toMatch(new RegExp(`already been corrected by ${recordReference(correctionId)}`));
  });

  it("nobody can correct someone else's entry, even with a made-up button (the refusal is audited and logged)", async () => {
    const [jos] = await consents('LCS-600009');
    const res = await pressButton(
      {},
      {
        verb: 'walkthrough',
        associatedInputs: 'none',
        data: {
          action: 'walkthrough',
          walkId: '2c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
          step: 'seen',
          flowVersion: 'consent-fix-1',
          rev: 0,
          choice: 'begin',
          corrects: jos.id,
        },
      },
      {},
      WORKER,
    );
    expect(res.message).toMatch(/only correct consent decisions you logged yourself/);
    expect(bot.logLines.some((l) => l.includes('consent_log.correct_refused'))).toBe(true);
    expect(await consents('LCS-600009')).toHaveLength(1);
    // A correction walkthrough cannot be started without an entry, either (its first card is never sent bare).
    const bare = await pressButton(
      {},
      {
        verb: 'walkthrough',
        associatedInputs: 'none',
        data: {
          action: 'walkthrough',
          walkId: '3c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
          step: 'seen',
          flowVersion: 'consent-fix-1',
          rev: 0,
          choice: 'continue',
          reason: 'x',
          caseRef: 'LCS-600009',
          personType: 'adult',
        },
      },
      {},
      WORKER,
    );
    expect(bare.message).toMatch(/can't find that walkthrough/);
  });
});

// ---- managers ----------------------------------------------------------------------------------------------

describe("the service's consent log (managers)", () => {
  it("a manager sees everyone's consent decisions, newest first, with who logged each, and how to export them", async () => {
    const [card] = await say('team consent log', PRIYA);
    const text = cardText(card);
    expect(text).toMatch(/Everyone's consent decisions/);
    expect(text).toMatch(/LCS-600009[\s\S]*Logged by: Jo Bennett/);
    expect(text).toMatch(/Logged by: Sam Carter/);
    expect(text.indexOf('LCS-600003')).toBeLessThan(text.indexOf('LCS-600009')); // the correction is newer
    expect(text).toMatch(/administrator can export the consent log/);
    expect(text).not.toMatch(/npm run/);
    expect(buttons(card)).toHaveLength(0);
  });

  it('filtered by case reference', async () => {
    const [card] = await say("my team's consent log lcs-600003", PRIYA);
    const text = cardText(card);
    expect(text).toMatch(/Consent log: case LCS-600003/);
    expect(text).toMatch(/2 most recent consent decisions for case LCS-600003/);
    expect(text).not.toMatch(/LCS-600009|LCS-600001/);
  });

  it('staff are refused politely, and nothing is shown', async () => {
    const [card] = await say('team consent log', JO);
    expect(cardText(card)).toMatch(/Managers only/);
    expect(cardText(card)).toMatch(/my consent log/);
    expect(cardText(card)).not.toMatch(/LCS-6000/);
  });
});

// ---- export ------------------------------------------------------------------------------------------------

describe('npm run export --kind', () => {
  it('parses --kind and refuses a kind that does not exist', () => {
    expect(parseArgs(['--from', '2026-11-01', '--to', '2026-11-30', '--kind', 'consent_decision'])).toMatchObject({
      kind: 'consent_decision',
    });
    expect(parseArgs(['--from', '2026-11-01', '--to', '2026-11-30']).kind).toBeUndefined();
    expect(() => parseArgs(['--from', '2026-11-01', '--to', '2026-11-30', '--kind', 'consents'])).toThrow(
      /not a kind of entry/,
    );
    expect(() => parseArgs(['--from', '2026-11-01', '--to', '2026-11-30', '--kind'])).toThrow(/needs a value/);
  });

  it('keeps only consent decisions (corrections included), from a real audited export', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const args = parseArgs(['--from', day, '--to', day, '--kind', 'consent_decision']);
    await bot.app.store.recordFeedback({
      section: '1',
      helpful: true,
      authorId: WORKER.aadObjectId,
      guidanceVersion,
      idempotencyKey: 'consent-log-test',
    });
    const kept = await bot.app.store.export({ from: args.from, to: args.to, kind: args.kind }, 'test:export');
    expect(kept.length).toBeGreaterThanOrEqual(6);
    expect(kept.every((e) => e.kind === 'consent_decision')).toBe(true);
    expect(kept.some((e) => e.corrects)).toBe(true);
    const all = await bot.app.store.export({ from: args.from, to: args.to }, 'test:export');
    expect(all.length).toBeGreaterThan(kept.length);
    expect((await bot.app.store.verifyAudit()).ok).toBe(true);
  });
});
