/**
 * End to end, as a worker sees it: the injury-photo walkthrough (guidance 2.3.2, issue 5) in the Agents
 * Playground, driven through its web UI in headless Chromium (harness.ts starts the real bot, the playground and
 * the browser, one of each for this file).
 *
 * The worker types "photo decision" in the 1:1 chat and goes the "advice not to photograph" way: what was seen →
 * advice had → the advice recorded → the body map (with one mistake on the way) → the written record → the
 * referral → the summary with its body-map picture → Finish. Every press is an Action.Execute: the card is
 * replaced in place, never sent again. Afterwards the bot's own store module reads its SQLite file and the
 * walkthrough's entries are there for the case reference. Last, with a managers' channel set up, a second
 * walkthrough goes "No, not yet" → "Ask for advice now", and the urgent card shows in the channel.
 *
 * E2E_DEBUG_DIR=/some/dir keeps each card's HTML there, to find the playground's roles and labels.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openStore } from '../../src/storage/store';
import { recordReference } from '../../src/core/records/reference';
import { describeIfBrowser, type E2E, pickDate, pickOption, pickTime, PLAYGROUND_USER_AAD_ID, RESULTS_DIR, screenshot, sendInPersonalChat, setManagersChannel, startE2E } from './harness';

const CASE_REF = 'LCS-123456';
/** The second walkthrough's, the one that asks for advice. */
const ASKED_CASE_REF = 'LCS-654321';
const DEBUG_DIR = process.env.E2E_DEBUG_DIR;

describeIfBrowser('Agents Playground end to end: the injury-photo walkthrough (headless Chromium)', () => {
  let e2e: E2E | undefined;
  /** The record's reference as the finished card shows it (KS-…). */
  let reference = '';

  beforeAll(async () => {
    e2e = await startE2E({ name: 'keepsafe-e2e-walkthrough' });
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 30_000);

  async function dump(card: Locator, name: string) {
    if (!DEBUG_DIR) return;
    fs.mkdirSync(DEBUG_DIR, { recursive: true });
    fs.writeFileSync(path.join(DEBUG_DIR, `${name}.html`), await card.evaluate((n) => n.outerHTML));
  }

  it('a worker goes from "photo decision" to a saved record: advice not to photograph, body map, written record, referral, summary', async () => {
    const page: Page = await e2e!.page();
    try {
      await page.goto(e2e!.uiUrl, { waitUntil: 'domcontentloaded' });
      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      await page.locator('.ac-adaptiveCard', { hasText: /welcome/i }).first().waitFor({ timeout: 30_000 });

      // 1. What did you see?
      await sendInPersonalChat(page, 'photo decision');
      const cards = page.locator('.ac-adaptiveCard');
      const first = cards.filter({ has: page.getByRole('heading', { name: 'What did you see?', exact: true }) }).last();
      await first.waitFor({ timeout: 30_000 });
      const count = await cards.count();
      // The walkthrough's card: every press replaces this one, in place.
      const card = cards.nth(count - 1);
      await dump(card, '1-seen');
      await card.getByRole('radiogroup', { name: 'What did you see?' }).getByRole('radio', { name: 'A possible physical injury' }).check();
      await card.getByRole('radio', { name: 'An adult' }).check();
      await card.getByLabel('Case reference').fill(CASE_REF);
      await card.getByRole('radiogroup', { name: 'Is anyone in immediate danger?' }).getByRole('radio', { name: 'No' }).check();
      await screenshot(page, 'playground-walkthrough-seen.png');
      await card.getByRole('button', { name: 'Next' }).click();

      // 2. Advice before photographs: the same card, now the next step.
      await card.getByRole('heading', { name: 'Advice before photographs', exact: true }).waitFor({ timeout: 30_000 });
      expect(await cards.count()).toBe(count);
      expect(await page.getByRole('heading', { name: 'What did you see?', exact: true }).count()).toBe(0);
      await screenshot(page, 'playground-walkthrough-advice-sought.png');
      await card.getByRole('button', { name: "Yes, I've had advice" }).click();

      // 3. Record the advice.
      await card.getByRole('heading', { name: 'Record the advice', exact: true }).waitFor({ timeout: 30_000 });
      await dump(card, '3-record-advice');
      await card.getByLabel('Who gave the advice?').fill('Jo Manager');
      await card.getByLabel('Their role').fill('Team manager');
      await card.getByRole('radio', { name: 'By phone' }).check();
      await pickDate(page, card.getByRole('combobox', { name: 'Date of the advice' }), new Date(Date.now() - 86_400_000));
      await pickTime(page, card.getByRole('combobox', { name: 'Time of the advice' }), '10:30 AM');
      await card.getByRole('radio', { name: 'Do not take photographs' }).check();
      await screenshot(page, 'playground-walkthrough-record-advice.png');
      await card.getByRole('button', { name: 'Save and continue' }).click();

      // 4. The body map.
      await card.getByRole('heading', { name: 'Body map', exact: true }).waitFor({ timeout: 30_000 });
      await dump(card, '4-body-map');
      const description = 'Oval bruise on the outer forearm, about the size of a fingertip.';
      await card.getByRole('radio', { name: 'Front', exact: true }).check();
      await pickOption(page, card.getByRole('combobox', { name: 'Where on the body?' }), 'Left forearm');
      await pickOption(page, card.getByRole('combobox', { name: 'Type of mark' }), 'Bruise');
      // A mistake: letters for the size. The playground's number box (a spin button) takes none of them, so the
      // press goes with no size, and the bot must say so on the card, keeping the rest.
      const size = card.getByRole('spinbutton', { name: 'Approximate size (cm)' });
      await size.click();
      await page.keyboard.type('abc');
      await card.getByLabel('Describe it, factually').fill(description);
      await card.getByRole('button', { name: 'Add this mark' }).click();
      await card.locator('#sizeCmError').getByText('Enter the size in centimetres').waitFor({ timeout: 30_000 });
      await dump(card, '4b-body-map-error');
      // What was typed elsewhere is on the card again.
      expect(await card.getByRole('radio', { name: 'Front', exact: true }).isChecked()).toBe(true);
      expect(await card.getByRole('combobox', { name: 'Where on the body?' }).inputValue()).toBe('Left forearm');
      expect(await card.getByRole('combobox', { name: 'Type of mark' }).inputValue()).toBe('Bruise');
      expect(await card.getByLabel('Describe it, factually').inputValue()).toBe(description);
      expect(await card.getByText('No marks yet').count()).toBe(1);
      await screenshot(page, 'playground-walkthrough-body-map-error.png');

      await size.fill('3');
      await card.getByRole('button', { name: 'Add this mark' }).click();
      await card.getByText('Marks added (1)').waitFor({ timeout: 30_000 });
      expect(await card.getByText('1. Front, Left forearm: bruise, 3 cm').count()).toBe(1);
      await screenshot(page, 'playground-walkthrough-body-map.png');
      await card.getByRole('button', { name: 'Continue' }).click();

      // 5. The written record.
      await card.getByRole('heading', { name: 'Written record', exact: true }).waitFor({ timeout: 30_000 });
      await dump(card, '5-written-record');
      await card.getByLabel('What did you see?').fill('A bruise on the left forearm, about 3 cm, purple. The person seemed calm.');
      await pickDate(page, card.getByRole('combobox', { name: 'Date you saw it' }), new Date(Date.now() - 86_400_000));
      await pickTime(page, card.getByRole('combobox', { name: 'Time you saw it' }), '9:00 AM');
      await card.getByRole('button', { name: 'Save and continue' }).click();

      // 6. The referral.
      await card.getByRole('heading', { name: 'Refer your concerns', exact: true }).waitFor({ timeout: 30_000 });
      await dump(card, '6-referral');
      await card.getByRole('checkbox', { name: /I have referred my concerns/ }).check();
      await card.getByLabel('Referred to').fill('Adult safeguarding');
      await card.getByRole('button', { name: 'Save and continue' }).click();

      // 7. The summary, with the body-map picture the bot drew.
      await card.getByRole('heading', { name: 'Summary', exact: true }).waitFor({ timeout: 30_000 });
      await dump(card, '7-summary');
      const picture = card.locator('img[src^="data:image/png"]');
      await picture.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await picture.getAttribute('alt')).toMatch(/^Body map/);
      await picture.scrollIntoViewIfNeeded();
      await screenshot(page, 'playground-walkthrough-summary.png');
      await card.getByRole('button', { name: 'Finish' }).click();
      const done = card.getByRole('heading', { name: 'Injury photo decision: summary', exact: true });
      await done.waitFor({ timeout: 30_000 });
      expect(await cards.count()).toBe(count);
      const finished = await card.innerText();
      expect(finished).toMatch(/The record is saved\./);
      reference = /Reference: (KS-[0-9A-F]{8})/.exec(finished)?.[1] ?? '';
      expect(reference).toMatch(/^KS-[0-9A-F]{8}$/);
      expect(await card.getByRole('button').count()).toBe(0); // finished: nothing left to press
      await dump(card, '8-finished');
      await done.scrollIntoViewIfNeeded();
      await screenshot(page, 'playground-walkthrough-finished.png');

      expect(e2e!.outboundAttempts()).toBe('');
    } catch (err) {
      e2e!.fail();
      const failure = path.join(RESULTS_DIR, 'e2e-walkthrough-failure.png');
      await page.screenshot({ path: failure, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n\nScreenshot: ${failure}\n${e2e!.tails()}`;
      throw err;
    }
  }, 180_000);

  it('the walkthrough\'s entries are in the bot\'s record store for the case reference', async () => {
    // The bot's own store module on the bot's SQLite file (WAL: the running bot does not mind a reader).
    if (!reference) throw new Error('the walkthrough did not finish in the test above, so there is nothing to look for');
    const store = await openStore({ dataDir: e2e!.dataDir });
    try {
      const entries = await store.list({ caseRef: CASE_REF, limit: 100 });
      const kinds = entries.map((e) => e.kind).sort();
      expect(kinds).toEqual(expect.arrayContaining(['advice_given', 'body_map', 'referral', 'written_record']));
      expect(kinds).not.toContain('consent_decision'); // advice not to photograph: no consent was asked
      const walkIds = new Set(entries.map((e) => (e.fields as { walkthroughId?: string }).walkthroughId));
      expect(walkIds.size).toBe(1);
      const [walkId] = [...walkIds];
      expect(walkId && recordReference(walkId)).toBe(reference);

      const byKind = (kind: string) => entries.filter((e) => e.kind === kind);
      for (const kind of ['advice_given', 'body_map', 'written_record', 'referral']) expect(byKind(kind)).toHaveLength(1);
      expect(byKind('advice_given')[0].fields).toMatchObject({ adviserName: 'Jo Manager', adviserRole: 'Team manager', via: 'phone', decision: 'do_not_photograph' });
      expect(byKind('body_map')[0].fields).toMatchObject({ marks: [{ view: 'front', region: 'left_forearm', type: 'bruise', sizeCm: 3 }] });
      expect(byKind('referral')[0].fields).toMatchObject({ referralMade: true, referredTo: 'Adult safeguarding' });
      for (const e of entries) expect(e.author.aadObjectId).toBe(PLAYGROUND_USER_AAD_ID);
    } finally {
      await store.close();
    }
  });

  it('a worker with no advice yet presses "Ask for advice now": the managers\' channel gets an urgent card with the case reference and the kind of concern only', async () => {
    const page: Page = await e2e!.page();
    try {
      await page.goto(e2e!.uiUrl, { waitUntil: 'domcontentloaded' });
      await setManagersChannel(page);

      await sendInPersonalChat(page, 'photo decision');
      const cards = page.locator('.ac-adaptiveCard');
      await cards.filter({ has: page.getByRole('heading', { name: 'What did you see?', exact: true }) }).last().waitFor({ timeout: 30_000 });
      const card = cards.nth((await cards.count()) - 1);
      await card.getByRole('radio', { name: 'Signs of neglect' }).check();
      await card.getByRole('radio', { name: 'A child (under 18)' }).check();
      await card.getByLabel('Case reference').fill(ASKED_CASE_REF);
      await card.getByRole('radiogroup', { name: 'Is anyone in immediate danger?' }).getByRole('radio', { name: 'No' }).check();
      await card.getByRole('button', { name: 'Next' }).click();
      await card.getByRole('heading', { name: 'Advice before photographs', exact: true }).waitFor({ timeout: 30_000 });
      await card.getByRole('button', { name: 'No, not yet' }).click();
      await card.getByRole('heading', { name: 'Get advice first', exact: true }).waitFor({ timeout: 30_000 });
      expect(await card.innerText()).toMatch(/Do not take photographs yet\./);
      await card.getByRole('button', { name: 'Ask for advice now' }).click();
      await card.getByRole('heading', { name: 'Waiting for advice', exact: true }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'playground-walkthrough-waiting-for-advice.png');

      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const urgent = page.locator('.ac-adaptiveCard', { hasText: 'Urgent: a worker needs advice before taking photographs' }).last();
      await urgent.waitFor({ timeout: 30_000 });
      const shown = await urgent.innerText();
      expect(shown).toMatch(new RegExp(`Case[\\s\\S]*${ASKED_CASE_REF}`));
      expect(shown).toMatch(/Concern[\s\S]*Signs of neglect/);
      expect(shown).toMatch(/About[\s\S]*A child \(under 18\)/);
      expect(shown).toMatch(/Asked by[\s\S]*Sam Carter/); // the member of staff asking, so a manager can reach them (issue 13)
      expect(await urgent.getByRole('radio', { name: 'Do not take photographs' }).isVisible()).toBe(true);
      await urgent.scrollIntoViewIfNeeded();
      await screenshot(page, 'playground-walkthrough-advice-request.png');
      expect(e2e!.outboundAttempts()).toBe('');
    } catch (err) {
      e2e!.fail();
      const failure = path.join(RESULTS_DIR, 'e2e-walkthrough-advice-failure.png');
      await page.screenshot({ path: failure, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n\nScreenshot: ${failure}\n${e2e!.tails()}`;
      throw err;
    }
  }, 120_000);
});
