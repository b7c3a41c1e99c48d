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
import {
  describeIfBrowser,
  type E2E,
  pickDate,
  pickOption,
  pickTime,
  PLAYGROUND_USER_AAD_ID,
  RESULTS_DIR,
  screenshot,
  sendInPersonalChat,
  setManagersChannel,
  startE2E,
} from './harness';

const CASE_REF = 'LCS-123456';
/** The second walkthrough's, the one that asks for advice. */
const ASKED_CASE_REF = 'LCS-654321';
const DEBUG_DIR = process.env.E2E_DEBUG_DIR;
/** A phone's width, for the body map; the rest of the walkthrough at the harness's desktop size. */
const PHONE = { width: 400, height: 1400 };
const DESKTOP = { width: 1280, height: 1100 };

/** A screenshot of the card alone, as it is laid out at the current width, into test-results/. */
async function cardShot(card: Locator, name: string): Promise<void> {
  await card.screenshot({ path: path.join(RESULTS_DIR, name) });
}

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
      await page
        .locator('.ac-adaptiveCard', { hasText: /welcome/i })
        .first()
        .waitFor({ timeout: 30_000 });

      // 1. What did you see?
      await sendInPersonalChat(page, 'photo decision');
      const cards = page.locator('.ac-adaptiveCard');
      const first = cards.filter({ has: page.getByRole('heading', { name: 'What did you see?', exact: true }) }).last();
      await first.waitFor({ timeout: 30_000 });
      const count = await cards.count();
      // The walkthrough's card: every press replaces this one, in place.
      const card = cards.nth(count - 1);
      await dump(card, '1-seen');
      await card
        .getByRole('radiogroup', { name: 'What did you see?' })
        .getByRole('radio', { name: 'A possible physical injury' })
        .check();
      await card.getByRole('radio', { name: 'An adult' }).check();
      await card.getByLabel('Case reference').fill(CASE_REF);
      await card
        .getByRole('radiogroup', { name: 'Is anyone in immediate danger?' })
        .getByRole('radio', { name: 'No' })
        .check();
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
      await pickDate(
        page,
        card.getByRole('combobox', { name: 'Date of the advice' }),
        new Date(Date.now() - 86_400_000),
      );
      await pickTime(page, card.getByRole('combobox', { name: 'Time of the advice' }), '10:30 AM');
      await card.getByRole('radio', { name: 'Do not take photographs' }).check();
      await screenshot(page, 'playground-walkthrough-record-advice.png');
      await card.getByRole('button', { name: 'Save and continue' }).click();

      // 4. The body map, at a phone's width (~400 px): the picture of the view with its numbered parts; three
      // injuries marked on three views, each picked by its number in the picture.
      await card.getByRole('heading', { name: 'Body map', exact: true }).waitFor({ timeout: 30_000 });
      await page.setViewportSize(PHONE);
      await card.scrollIntoViewIfNeeded();
      await dump(card, '4-body-map');
      const picture0 = card.locator('img[src^="data:image/png"]');
      expect(await picture0.getAttribute('alt')).toMatch(
        /^Body map, front\. No marks on this side yet\. Numbered parts: 1 head/,
      );
      await cardShot(card, 'playground-bodymap-phone-start.png');

      /** Fills one mark's form as a worker does: the number in the picture, the part, and what was seen. */
      const fillMark = async (m: {
        region: string;
        vertical?: string;
        across?: string;
        type: string;
        length: string;
        width: string;
        shape: string;
        colour: string;
        skin: string;
        swelling: string;
        bleeding: string;
        explanation: string;
        words?: string;
        by?: string;
      }) => {
        await pickOption(
          page,
          card.getByRole('combobox', { name: 'Where on the body? (the number in the picture)' }),
          m.region,
        );
        if (m.vertical)
          await card
            .getByRole('radiogroup', { name: 'Which part of it?' })
            .getByRole('radio', { name: m.vertical })
            .check();
        if (m.across)
          await card
            .getByRole('radiogroup', { name: 'Which side of it?' })
            .getByRole('radio', { name: m.across })
            .check();
        await pickOption(page, card.getByRole('combobox', { name: 'Type of mark' }), m.type);
        await card.getByRole('spinbutton', { name: 'Length (cm)' }).fill(m.length);
        await card.getByRole('spinbutton', { name: 'Width (cm)' }).fill(m.width);
        await pickOption(page, card.getByRole('combobox', { name: 'Shape' }), m.shape);
        await card.getByLabel('Colour, in plain words').fill(m.colour);
        await card
          .getByRole('radiogroup', { name: 'Is the skin broken?' })
          .getByRole('radio', { name: m.skin })
          .check();
        await card
          .getByRole('radiogroup', { name: 'Is there swelling?' })
          .getByRole('radio', { name: m.swelling })
          .check();
        await card
          .getByRole('radiogroup', { name: 'Is it bleeding?' })
          .getByRole('radio', { name: m.bleeding })
          .check();
        await card
          .getByRole('radiogroup', { name: 'Was it explained?' })
          .getByRole('radio', { name: m.explanation })
          .check();
        if (m.by) await card.getByLabel('Who explained it?').fill(m.by);
        if (m.words) await card.getByLabel('The explanation, in their own words').fill(m.words);
      };

      // Mark 1, on the front: a bruise on the left forearm (number 11), upper part, outer side.
      await fillMark({
        region: '11 · Left forearm',
        vertical: 'Upper part',
        across: 'Outer side',
        type: 'Bruise',
        length: '3',
        width: '2',
        shape: 'Oval',
        colour: 'purple',
        skin: 'No',
        swelling: 'Yes',
        bleeding: 'No',
        explanation: 'The person explained it',
        words: 'I banged it on the door',
      });
      await card.getByLabel('Your role').fill('Support worker');
      // A mistake: the width more than the length. The bot says so on the card, keeping the rest.
      await card.getByRole('spinbutton', { name: 'Width (cm)' }).fill('5');
      await card.getByRole('button', { name: 'Add this mark' }).click();
      await card.getByText('The width is the shorter measurement').first().waitFor({ timeout: 30_000 });
      expect(await card.getByLabel('Colour, in plain words').inputValue()).toBe('purple');
      expect(
        await card.getByRole('combobox', { name: 'Where on the body? (the number in the picture)' }).inputValue(),
      ).toBe('11 · Left forearm');
      expect(await card.getByText('No marks yet').count()).toBe(1);
      await screenshot(page, 'playground-walkthrough-body-map-error.png');
      await card.getByRole('spinbutton', { name: 'Width (cm)' }).fill('2');
      await card.getByRole('button', { name: 'Add this mark' }).click();
      await card.getByText('Marks added (1)').waitFor({ timeout: 30_000 });
      await card.locator('img[src^="data:image/png"]').scrollIntoViewIfNeeded();
      await cardShot(card, 'playground-bodymap-phone-front.png');

      // Mark 2, on the back: a cut on the upper back (number 5), the person's left.
      await card.getByRole('button', { name: 'Back view' }).click();
      await card.getByRole('button', { name: 'Back view ✓' }).waitFor({ timeout: 30_000 });
      expect(await card.locator('img[src^="data:image/png"]').getAttribute('alt')).toMatch(
        /^Body map, back\. No marks on this side yet\. Numbered parts: 1 head, 2 neck/,
      );
      await fillMark({
        region: '5 · Upper back',
        across: "The person's left",
        type: 'Cut',
        length: '4',
        width: '0.5',
        shape: 'A line or strip',
        colour: 'red',
        skin: 'Yes',
        swelling: 'No',
        bleeding: 'Yes',
        explanation: 'Someone else explained it',
        by: 'mother',
        words: 'He fell against the fence',
      });
      await card.getByRole('button', { name: 'Add this mark' }).click();
      await card.getByText('Marks added (2)').waitFor({ timeout: 30_000 });

      // Mark 3, on the left side: swelling on the left hip (number 10), towards the back.
      await card.getByRole('button', { name: 'Left side' }).click();
      await card.getByRole('button', { name: 'Left side ✓' }).waitFor({ timeout: 30_000 });
      await fillMark({
        region: '10 · Left hip',
        across: 'Towards the back',
        type: 'Swelling',
        length: '5',
        width: '4',
        shape: 'Round',
        colour: 'pink',
        skin: 'No',
        swelling: 'Yes',
        bleeding: 'No',
        explanation: 'No explanation was given',
      });
      await card.getByRole('button', { name: 'Add this mark' }).click();
      await card.getByText('Marks added (3)').waitFor({ timeout: 30_000 });
      const marking = card.locator('img[src^="data:image/png"]');
      expect(await marking.getAttribute('alt')).toMatch(
        /^Body map, left side\. Marks so far on this side, numbered as in the list: 3\./,
      );
      const shown = await card.innerText();
      // The list is numbered (an ordered list, 1 to 3) as the picture numbers the marks.
      expect(await card.locator('ol > li').allInnerTexts()).toEqual([
        'Left forearm (front), upper part, outer side: bruise, 3 × 2 cm, oval, purple',
        "Upper back (back), the person's left: cut, 4 × 0.5 cm, a line or strip, red",
        'Left hip (left side), towards the back: swelling, 5 × 4 cm, round, pink',
      ]);
      expect(shown).toContain('Marks added (3)');
      await marking.scrollIntoViewIfNeeded();
      await cardShot(card, 'playground-bodymap-phone-left-side.png');
      await screenshot(page, 'playground-walkthrough-body-map.png');
      await card.getByRole('button', { name: 'Continue' }).click();
      await page.setViewportSize(DESKTOP);

      // 5. The written record.
      await card.getByRole('heading', { name: 'Written record', exact: true }).waitFor({ timeout: 30_000 });
      await dump(card, '5-written-record');
      await card
        .getByLabel('What did you see?')
        .fill('A bruise on the left forearm, about 3 cm, purple. The person seemed calm.');
      await pickDate(page, card.getByRole('combobox', { name: 'Date you saw it' }), new Date(Date.now() - 86_400_000));
      await pickTime(page, card.getByRole('combobox', { name: 'Time you saw it' }), '9:00 AM');
      await card.getByRole('button', { name: 'Save and continue' }).click();

      // 6. The referral.
      await card.getByRole('heading', { name: 'Refer your concerns', exact: true }).waitFor({ timeout: 30_000 });
      await dump(card, '6-referral');
      await card.getByRole('checkbox', { name: /I have referred my concerns/ }).check();
      await card.getByLabel('Referred to').fill('Adult safeguarding');
      await card.getByRole('button', { name: 'Save and continue' }).click();

      // 7. The summary, with the body-map picture the bot drew: at a phone's width too.
      await card.getByRole('heading', { name: 'Summary', exact: true }).waitFor({ timeout: 30_000 });
      await dump(card, '7-summary');
      const picture = card.locator('img[src^="data:image/png"]');
      await picture.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await picture.getAttribute('alt')).toBe(
        'Body map, front, back and left side. 1: bruise, 3 by 2 cm, left forearm (front). 2: cut, 4 by 0.5 cm, upper back (back). 3: swelling, 5 by 4 cm, left hip (left side).',
      );
      await picture.scrollIntoViewIfNeeded();
      await screenshot(page, 'playground-walkthrough-summary.png');
      await page.setViewportSize(PHONE);
      await picture.scrollIntoViewIfNeeded();
      await picture.screenshot({ path: path.join(RESULTS_DIR, 'playground-bodymap-phone-summary.png') });
      // Shown at about 330 px on a phone, the picture's text is at least 11 px high (24 px in the 720 px picture).
      const shownWidth = await picture.evaluate((img: any) => img.getBoundingClientRect().width);
      const naturalWidth = await picture.evaluate((img: any) => img.naturalWidth);
      expect(naturalWidth).toBeGreaterThanOrEqual(720);
      expect(shownWidth).toBeGreaterThan(300);
      expect((24 * shownWidth) / naturalWidth).toBeGreaterThanOrEqual(10);
      await page.setViewportSize(DESKTOP);
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

  it("the walkthrough's entries are in the bot's record store for the case reference", async () => {
    // The bot's own store module on the bot's SQLite file (WAL: the running bot does not mind a reader).
    if (!reference)
      throw new Error('the walkthrough did not finish in the test above, so there is nothing to look for');
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
      for (const kind of ['advice_given', 'body_map', 'written_record', 'referral'])
        expect(byKind(kind)).toHaveLength(1);
      expect(byKind('advice_given')[0].fields).toMatchObject({
        adviserName: 'Jo Manager',
        adviserRole: 'Team manager',
        via: 'phone',
        decision: 'do_not_photograph',
      });
      expect(byKind('body_map')[0].fields).toMatchObject({
        marks: [
          {
            view: 'front',
            region: 'left_forearm',
            vertical: 'upper',
            across: 'outer',
            type: 'bruise',
            lengthCm: 3,
            widthCm: 2,
            explanation: 'the_person',
            explanationWords: 'I banged it on the door',
          },
          {
            view: 'back',
            region: 'upper_back',
            across: 'left',
            type: 'cut',
            lengthCm: 4,
            widthCm: 0.5,
            explanation: 'someone_else',
            explainedBy: 'mother',
          },
          {
            view: 'left',
            region: 'left_hip',
            across: 'back',
            type: 'swelling',
            lengthCm: 5,
            widthCm: 4,
            explanation: 'none',
          },
        ],
        ageBand: 'adult',
        recorderRole: 'Support worker',
        flowVersion: '2',
      });
      expect(byKind('referral')[0].fields).toMatchObject({ referralMade: true, referredTo: 'Adult safeguarding' });
      for (const e of entries) expect(e.author.aadObjectId).toBe(PLAYGROUND_USER_AAD_ID);
    } finally {
      await store.close();
    }
  });

  it('a worker with no advice yet presses "Ask for advice now": the managers\' channel gets an urgent card with the case reference and the kind of concern only', async () => {
    const page: Page = await e2e!.page();
    try {
      await page.setViewportSize(DESKTOP);
      await page.goto(e2e!.uiUrl, { waitUntil: 'domcontentloaded' });
      await setManagersChannel(page);

      await sendInPersonalChat(page, 'photo decision');
      const cards = page.locator('.ac-adaptiveCard');
      await cards
        .filter({ has: page.getByRole('heading', { name: 'What did you see?', exact: true }) })
        .last()
        .waitFor({ timeout: 30_000 });
      const card = cards.nth((await cards.count()) - 1);
      await card.getByRole('radio', { name: 'Signs of neglect' }).check();
      await card.getByRole('radio', { name: 'A child (under 18)' }).check();
      await card.getByLabel('Case reference').fill(ASKED_CASE_REF);
      await card
        .getByRole('radiogroup', { name: 'Is anyone in immediate danger?' })
        .getByRole('radio', { name: 'No' })
        .check();
      await card.getByRole('button', { name: 'Next' }).click();
      await card.getByRole('heading', { name: 'Advice before photographs', exact: true }).waitFor({ timeout: 30_000 });
      await card.getByRole('button', { name: 'No, not yet' }).click();
      await card.getByRole('heading', { name: 'Get advice first', exact: true }).waitFor({ timeout: 30_000 });
      expect(await card.innerText()).toMatch(/Do not take photographs yet\./);
      await card.getByRole('button', { name: 'Ask for advice now' }).click();
      await card.getByRole('heading', { name: 'Waiting for advice', exact: true }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'playground-walkthrough-waiting-for-advice.png');

      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const urgent = page
        .locator('.ac-adaptiveCard', { hasText: 'Urgent: a worker needs advice before taking photographs' })
        .last();
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
