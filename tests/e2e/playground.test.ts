/**
 * End to end, as a worker sees it: the real bot behind the Microsoft 365 Agents Playground (started exactly as
 * `npm run playground` starts it), driven through the playground's web UI in headless Chromium.
 *
 * Skipped with a note when /usr/bin/chromium is missing, except under CI, where .ci/install-system-deps.sh
 * installs it: there a missing browser fails the run instead of passing quietly.
 * Nothing leaves the machine: the browser's requests to other hosts are aborted (the UI asks a CDN for fonts),
 * the bot runs with the test suite's loopback-only socket guard, and the playground refuses and records any
 * outbound connection, which the test asserts never happened. The launch and teardown are in harness.ts.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import SQLite from 'better-sqlite3';
import {
  describeIfBrowser,
  type E2E,
  pickDate,
  RESULTS_DIR,
  sendInPersonalChat,
  setManagersChannel,
  startE2E,
} from './harness';
import { loadGuidanceContent } from '../../src/core/guidance/content';
import { GuidanceEngine } from '../../src/core/guidance/engine';
import { offeredSections } from '../../src/features/guidance/questionViews';
import { loadQuestions } from '../helpers/questions';

const QUESTION = 'someone on my caseload sent me a friend request on facebook what do i do';
/** What the engine answers for QUESTION (`npm run --silent ask -- --json "..."` → report_incident, 2.2). */
const EXPECTED_SECTION = '2.2';
/** From section 2.2 of the council's guidance: only in the full text, not in the key points. */
const FULL_TEXT_SENTENCE = 'Many people have far more friends on social media than they know personally';
const SCREENSHOT = path.join(RESULTS_DIR, 'e2e-answer.png');

describeIfBrowser('Agents Playground end to end (headless Chromium)', () => {
  let e2e: E2E | undefined;

  beforeAll(async () => {
    e2e = await startE2E();
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 30_000);

  it('a worker asks in the personal chat and gets the right section, its full text and the feedback buttons', async () => {
    const page: Page = await e2e!.page();
    try {
      await page.goto(e2e!.uiUrl, { waitUntil: 'domcontentloaded' });

      // The personal chat with the bot; installing the app there shows the welcome card.
      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      await page
        .locator('.ac-adaptiveCard', { hasText: /welcome/i })
        .first()
        .waitFor({ timeout: 30_000 });
      await sendInPersonalChat(page, QUESTION);

      // An answer card carries a text block that reads exactly "Section <number>".
      const sectionLine = /^\s*Section (\d+(?:\.\d+)*)\s*$/;
      const answer = page
        .locator('.ac-adaptiveCard')
        .filter({ has: page.locator('.ac-textBlock').filter({ hasText: sectionLine }) })
        .last();
      await answer.waitFor({ timeout: 30_000 });
      const heading = await answer.locator('.ac-textBlock').filter({ hasText: sectionLine }).first().innerText();
      expect(sectionLine.exec(heading)?.[1]).toBe(EXPECTED_SECTION);

      // The full text is behind the toggle: hidden first, shown after the click.
      const fullText = answer.getByText(FULL_TEXT_SENTENCE);
      expect(await fullText.isVisible()).toBe(false);
      await answer.getByRole('button', { name: 'Read the full section' }).click();
      await fullText.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await answer.getByRole('button', { name: 'Yes' }).isVisible()).toBe(true);

      await fullText.scrollIntoViewIfNeeded();
      await page.screenshot({ path: SCREENSHOT });

      // "Was this helpful?" is an Action.Execute: the playground replaces the card in place with the thanks.
      await answer.getByRole('button', { name: 'Yes' }).click();
      await page.locator('.ac-adaptiveCard', { hasText: /thank/i }).last().waitFor({ timeout: 20_000 });

      // Nothing but the fonts CDN was refused to the browser, and the playground never tried to go out.
      expect(e2e!.outboundAttempts()).toBe('');
    } catch (err) {
      e2e!.fail();
      const failure = path.join(RESULTS_DIR, 'e2e-failure.png');
      await page.screenshot({ path: failure }).catch(() => undefined);
      const blocked = [...e2e!.blockedByBrowser].join(', ') || 'none';
      (err as Error).message += `\n\nScreenshot: ${failure}\nBrowser requests aborted to: ${blocked}\n${e2e!.tails()}`;
      throw err;
    }
  }, 90_000);

  it('a worker reports an incident: the report card renders with its inputs, and a finished report comes back as the confirmation', async () => {
    const page: Page = await e2e!.page();
    try {
      await page.goto(e2e!.uiUrl, { waitUntil: 'domcontentloaded' });
      // An administrator makes "Managers escalations" the managers' channel.
      await setManagersChannel(page);
      await sendInPersonalChat(page, 'report an incident');
      const form = page.locator('.ac-adaptiveCard', { hasText: 'Tell us what happened' }).last();
      await form.waitFor({ timeout: 30_000 });
      await form.getByRole('radio', { name: 'My account was hacked or someone is pretending to be me' }).check();
      await form.locator('textarea').first().fill('Someone logged into my Instagram last night and posted as me.');
      // The date picker is Teams' own calendar: open it and pick yesterday (any past day will do).
      await pickDate(page, form.getByPlaceholder('Select a date...'), new Date(Date.now() - 86_400_000));
      await form.getByRole('radio', { name: 'Medium: in the next working day' }).check();
      await form.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: path.join(path.dirname(SCREENSHOT), 'playground-incident-form.png'),
        fullPage: true,
      });
      await form.getByRole('button', { name: 'Check and send' }).click();
      const confirmation = page.locator('.ac-adaptiveCard', { hasText: 'Incident reported' }).last();
      await confirmation.waitFor({ timeout: 30_000 });
      expect(await confirmation.innerText()).toMatch(/KS-[0-9A-F]{8}[\s\S]*Change your passwords now/);
      await page.screenshot({
        path: path.join(path.dirname(SCREENSHOT), 'playground-incident-confirmed.png'),
        fullPage: true,
      });

      // The managers see it in their channel as an escalation card, with the worker's text but no more.
      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const escalation = page.locator('.ac-adaptiveCard', { hasText: 'Account hacked or impersonated' }).last();
      await escalation.waitFor({ timeout: 30_000 });
      const shown = await escalation.innerText();
      expect(shown).toMatch(/Urgency[\s\S]*Medium/);
      expect(shown).toMatch(/\(time not given\)/); // no time was picked: none is made up
      expect(shown).toMatch(/Reported by[\s\S]*Sam Carter/);
      expect(await escalation.getByRole('button', { name: 'Acknowledge' }).isVisible()).toBe(true);
      await escalation.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), 'playground-escalation.png'), fullPage: true });
    } catch (err) {
      e2e!.fail();
      const failure = path.join(RESULTS_DIR, 'e2e-incident-failure.png');
      await page.screenshot({ path: failure, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n\nScreenshot: ${failure}\n${e2e!.tails()}`;
      throw err;
    }
  }, 90_000);
  it('a worker asks something the engine hesitates on, taps one of the sections offered, and gets that answer in place; the choice is recorded', async () => {
    // Whatever the engine of the moment hesitates on: the first such question of the question set.
    const content = loadGuidanceContent(path.join(__dirname, '../../content'));
    const engine = new GuidanceEngine(content);
    const question = loadQuestions()
      .map((q) => q.question)
      .find((q) => {
        const a = engine.answer(q);
        return a.intent === 'guidance' && a.clarify && offeredSections(a, content.document).length >= 2;
      });
    expect(question).toBeDefined();
    const offered = offeredSections(engine.answer(question!), content.document);
    const pick = content.document.sections.find((s) => s.number === offered[1])!;
    const page: Page = await e2e!.page();
    try {
      await page.goto(e2e!.uiUrl, { waitUntil: 'domcontentloaded' });
      await sendInPersonalChat(page, question!);
      const card = page.locator('.ac-adaptiveCard', { hasText: 'Did you mean' }).last();
      await card.waitFor({ timeout: 30_000 });
      for (const n of offered)
        expect(await card.innerText()).toContain(content.document.sections.find((s) => s.number === n)!.title);
      expect(await card.getByRole('button', { name: 'None of these' }).isVisible()).toBe(true);
      await page.screenshot({ path: path.join(RESULTS_DIR, 'playground-did-you-mean.png'), fullPage: true });

      // Each section is a tappable row (selectAction, Action.Execute): the playground replaces the card with the answer.
      await card.locator('.ac-container', { hasText: pick.title }).first().click();
      const sectionLine = new RegExp(`^\\s*Section ${pick.number.replace(/\./g, '\\.')}\\s*$`);
      const answer = page
        .locator('.ac-adaptiveCard')
        .filter({ has: page.locator('.ac-textBlock').filter({ hasText: sectionLine }) })
        .last();
      await answer.waitFor({ timeout: 20_000 });
      expect(await page.locator('.ac-adaptiveCard', { hasText: 'Did you mean' }).count()).toBe(0); // replaced, not added
      await page.screenshot({ path: path.join(RESULTS_DIR, 'playground-did-you-mean-chosen.png'), fullPage: true });

      // The choice is in the bot's store: what was offered and chosen, and which engine; never the question.
      const file = new SQLite(path.join(e2e!.dataDir, 'keepsafe.sqlite'), { readonly: true });
      try {
        const rows = file.prepare("select fields from records where kind = 'clarify_choice'").all() as Array<{
          fields: string;
        }>;
        expect(rows).toHaveLength(1);
        expect(JSON.parse(rows[0].fields)).toEqual({
          offered,
          chosen: pick.number,
          engineVersion: engine.engineVersion,
        });
        expect(rows[0].fields).not.toContain(question!.slice(0, 15));
      } finally {
        file.close();
      }
      expect(e2e!.outboundAttempts()).toBe('');
    } catch (err) {
      e2e!.fail();
      const failure = path.join(RESULTS_DIR, 'e2e-did-you-mean-failure.png');
      await page.screenshot({ path: failure, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n\nScreenshot: ${failure}\n${e2e!.tails()}`;
      throw err;
    }
  }, 90_000);
  it("None of these leads to Ask a manager: the question goes to the managers' channel as a card without the question or the asker", async () => {
    const content = loadGuidanceContent(path.join(__dirname, '../../content'));
    const engine = new GuidanceEngine(content);
    const question = loadQuestions()
      .map((q) => q.question)
      .filter((q) => {
        const a = engine.answer(q);
        return a.intent === 'guidance' && a.clarify && offeredSections(a, content.document).length >= 2;
      })[1];
    expect(question).toBeDefined();
    const page: Page = await e2e!.page();
    try {
      await page.goto(e2e!.uiUrl, { waitUntil: 'domcontentloaded' });
      await setManagersChannel(page);
      await sendInPersonalChat(page, question!);
      const card = page.locator('.ac-adaptiveCard', { hasText: 'Did you mean' }).last();
      await card.waitFor({ timeout: 30_000 });
      await card.getByRole('button', { name: 'None of these' }).click();
      const none = page.locator('.ac-adaptiveCard', { hasText: 'None of those?' }).last();
      await none.waitFor({ timeout: 20_000 });
      await none.getByRole('button', { name: 'Ask a manager' }).click();
      const form = page.locator('.ac-adaptiveCard', { hasText: 'Your question goes to a manager privately' }).last();
      await form.waitFor({ timeout: 20_000 });
      expect(await form.locator('textarea').first().inputValue()).toBe(question);
      await page.screenshot({ path: path.join(RESULTS_DIR, 'playground-ask-manager-form.png'), fullPage: true });
      await form.getByRole('button', { name: 'Send to a manager' }).click();
      const sent = page.locator('.ac-adaptiveCard', { hasText: 'Question sent to a manager' }).last();
      await sent.waitFor({ timeout: 20_000 });
      expect(await sent.innerText()).toMatch(/KS-[0-9A-F]{8}[\s\S]*Waiting for a manager/);

      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const posted = page
        .locator('.ac-adaptiveCard', { hasText: "A worker has a question the guidance doesn't cover" })
        .last();
      await posted.waitFor({ timeout: 30_000 });
      const shown = await posted.innerText();
      expect(shown).not.toContain(question!.slice(0, 20));
      expect(shown).not.toContain('Sam Carter');
      expect(await posted.getByRole('button', { name: 'Take ownership' }).isVisible()).toBe(true);
      await posted.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(RESULTS_DIR, 'playground-ask-manager-channel.png'), fullPage: true });
      expect(e2e!.outboundAttempts()).toBe('');
    } catch (err) {
      e2e!.fail();
      const failure = path.join(RESULTS_DIR, 'e2e-ask-manager-failure.png');
      await page.screenshot({ path: failure, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n\nScreenshot: ${failure}\n${e2e!.tails()}`;
      throw err;
    }
  }, 90_000);
});
