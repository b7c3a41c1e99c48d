/**
 * End to end, what issue 13 found by looking: the safety paths as a worker and a manager see them in the Agents
 * Playground, at a phone's width (about 400 px) and on a desktop, in headless Chromium. Screenshots of each card
 * family go to test-results/ (ux-<name>-phone.png and ux-<name>-desktop.png).
 *
 * 1. Immediate danger alone ("yes", nothing else filled in) reaches the danger card, with the emergency duty
 *    team's number from configuration.
 * 2. The answer card's red safety box is still there after "Was this helpful?".
 * 3. The urgent request for advice in the managers' channel updates in place when the worker cancels.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  describeIfBrowser,
  type E2E,
  PLAYGROUND_USER_AAD_ID,
  RESULTS_DIR,
  sendInPersonalChat,
  setManagersChannel,
  startE2E,
} from './harness';

const EDT = '0151 443 2600';
const PHONE = { width: 400, height: 860 };
const DESKTOP = { width: 1280, height: 1100 };

describeIfBrowser('Agents Playground end to end: safe and clear on a phone (issue 13)', () => {
  let e2e: E2E | undefined;

  beforeAll(async () => {
    // Sam is a manager here too, so the one playground user can answer his own request for advice in the channel.
    e2e = await startE2E({
      name: 'keepsafe-e2e-ux',
      botEnv: { EMERGENCY_DUTY_TEAM_PHONE: EDT, MANAGER_AAD_IDS: PLAYGROUND_USER_AAD_ID },
    });
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 30_000);

  /** The card scrolled into view, shot at phone width and on a desktop (the card alone, and the whole page). */
  async function shoot(page: Page, card: Locator, name: string): Promise<void> {
    for (const [label, size] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(size);
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(RESULTS_DIR, `ux-${name}-${label}.png`) });
    }
    await page.setViewportSize(DESKTOP);
  }

  /** Visible text in the card whose colour contrast against its background is under 4.5:1 (WCAG AA), as "ratio text". */
  async function lowContrast(card: Locator): Promise<string[]> {
    return card.evaluate((root: any) => {
      // Runs in the browser (this project's TypeScript has no DOM types).
      const g = globalThis as any;
      type RGBA = { r: number; g: number; b: number; a: number };
      const parse = (c: string): RGBA | null => {
        const m = /rgba?\(([^)]+)\)/.exec(c);
        if (!m) return null;
        const p = m[1].split(',').map((x) => parseFloat(x));
        return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
      };
      const lum = ({ r, g, b }: RGBA) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (el: any): RGBA => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(g.getComputedStyle(e).backgroundColor);
          if (c && c.a > 0.5) return c;
        }
        return { r: 255, g: 255, b: 255, a: 1 };
      };
      const out: string[] = [];
      const walker = g.document.createTreeWalker(root, g.NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = (n.textContent ?? '').trim();
        const el = n.parentElement;
        if (!text || !el || !el.offsetParent) continue;
        const style = g.getComputedStyle(el);
        const fg = parse(style.color);
        if (!fg) continue;
        const [a, b] = [lum(fg), lum(background(el))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) out.push(`${ratio.toFixed(2)} ${text.slice(0, 50)}`);
      }
      return out;
    });
  }

  async function run(page: Page, name: string, body: () => Promise<void>) {
    try {
      await body();
    } catch (err) {
      e2e!.fail();
      const failure = path.join(RESULTS_DIR, `e2e-ux-${name}-failure.png`);
      await page.screenshot({ path: failure, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n\nScreenshot: ${failure}\n${e2e!.tails()}`;
      throw err;
    }
  }

  it('"someone is in immediate danger: yes", nothing else filled in, goes straight to "call 999", with the duty team\'s number', async () => {
    const page = await e2e!.page();
    await run(page, 'danger', async () => {
      await page.goto(e2e!.uiUrl, { waitUntil: 'domcontentloaded' });
      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      await page
        .locator('.ac-adaptiveCard', { hasText: /welcome/i })
        .first()
        .waitFor({ timeout: 30_000 });
      await sendInPersonalChat(page, 'photo decision');
      const cards = page.locator('.ac-adaptiveCard');
      await cards
        .filter({ has: page.getByRole('heading', { name: 'What did you see?', exact: true }) })
        .last()
        .waitFor({ timeout: 30_000 });
      const card = cards.nth((await cards.count()) - 1);
      // Danger is the first question on the card.
      const firstText = await card.innerText();
      expect(firstText.indexOf('Is anyone in immediate danger?')).toBeGreaterThan(-1);
      expect(firstText.indexOf('Is anyone in immediate danger?')).toBeLessThan(
        firstText.indexOf('Is this about an adult or a child?'),
      );
      await shoot(page, card, 'walkthrough-first');
      expect(await lowContrast(card)).toEqual([]);
      await card
        .getByRole('radiogroup', { name: 'Is anyone in immediate danger?' })
        .getByRole('radio', { name: 'Yes' })
        .check();
      await card.getByRole('button', { name: 'Next' }).click();
      await card
        .getByRole('heading', { name: 'Someone is in immediate danger', exact: true })
        .waitFor({ timeout: 30_000 });
      const shown = await card.innerText();
      expect(shown).toMatch(/Call 999 or the emergency duty team now/);
      expect(shown).toContain(EDT);
      expect(shown).not.toMatch(/Choose what you saw|Enter the case reference/);
      expect(await card.getByText('Call 999', { exact: true }).isVisible()).toBe(true);
      await shoot(page, card, 'danger');
      expect(await lowContrast(card)).toEqual([]);
      // After the call: back to the first card for the details, the danger answer kept.
      await card.getByRole('button', { name: "I've made the call" }).click();
      await card.getByRole('heading', { name: 'What did you see?', exact: true }).waitFor({ timeout: 30_000 });
      expect(
        await card
          .getByRole('radiogroup', { name: 'Is anyone in immediate danger?' })
          .getByRole('radio', { name: 'Yes' })
          .isChecked(),
      ).toBe(true);
    });
  }, 120_000);

  it('the red safety box stays on the answer card after "Was this helpful?"', async () => {
    const page = await e2e!.page();
    await run(page, 'safety-box', async () => {
      await sendInPersonalChat(page, 'there are bruises on the child, can I take a photo?');
      const answer = page
        .locator('.ac-adaptiveCard', { hasText: 'Was this helpful?' })
        .filter({ hasText: "Don't take photos yet" })
        .last();
      await answer.waitFor({ timeout: 30_000 });
      await shoot(page, answer, 'answer');
      await answer.getByRole('button', { name: 'Yes', exact: true }).click();
      // The same card, updated in place: the thanks, and the safety box still first.
      const thanked = page.locator('.ac-adaptiveCard', { hasText: 'Thanks for your feedback!' }).last();
      await thanked.waitFor({ timeout: 30_000 });
      expect(await thanked.innerText()).toMatch(/Don't take photos yet/);
      expect(await thanked.getByText(/Don't take photos yet/).isVisible()).toBe(true);
      await shoot(page, thanked, 'answer-thanked');
      expect(await lowContrast(thanked)).toEqual([]);
    });
  }, 120_000);

  it("the urgent request in the managers' channel updates in place when the worker cancels: no form, no Send advice", async () => {
    const page = await e2e!.page();
    await run(page, 'channel', async () => {
      await setManagersChannel(page);
      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      const cards = page.locator('.ac-adaptiveCard');
      await cards.first().waitFor({ timeout: 30_000 });
      const card = await askForAdvice(page, {
        concern: 'Signs of neglect',
        person: 'A child (under 18)',
        caseRef: 'LCS-777001',
      });
      await shoot(page, card, 'waiting');

      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const urgent = page.locator('.ac-adaptiveCard', { hasText: 'LCS-777001' }).last();
      await urgent.getByText('Urgent: a worker needs advice before taking photographs').waitFor({ timeout: 30_000 });
      expect(await urgent.innerText()).toMatch(/Asked by[\s\S]*Sam Carter/);
      await shoot(page, urgent, 'advice-request');

      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      const waiting = page
        .locator('.ac-adaptiveCard')
        .filter({ has: page.getByRole('heading', { name: 'Waiting for advice', exact: true }) })
        .last();
      await waiting.getByRole('button', { name: 'Cancel' }).click();
      await page
        .getByText(/Cancelled\. Anything already saved stays in the record/)
        .last()
        .waitFor({ timeout: 30_000 });

      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const dealt = page
        .locator('.ac-adaptiveCard', { hasText: 'LCS-777001' })
        .filter({ hasText: 'Dealt with' })
        .first();
      await dealt.waitFor({ timeout: 30_000 });
      const shown = await dealt.innerText();
      expect(shown).toMatch(/Dealt with: the worker cancelled the walkthrough/);
      expect(shown).not.toMatch(/Urgent: a worker needs advice/);
      expect(await dealt.getByRole('button', { name: 'Send advice' }).count()).toBe(0);
      expect(await dealt.getByRole('radio').count()).toBe(0);
      await shoot(page, dealt, 'advice-request-dealt-with');
      expect(e2e!.outboundAttempts()).toBe('');
    });
  }, 120_000);

  it('help fits one phone screen, with the commands as buttons', async () => {
    const page = await e2e!.page();
    await run(page, 'help', async () => {
      await sendInPersonalChat(page, 'help');
      const help = page.locator('.ac-adaptiveCard', { hasText: 'What KeepSafe can do' }).last();
      await help.waitFor({ timeout: 30_000 });
      await shoot(page, help, 'help');
      await page.setViewportSize(PHONE);
      const box = await help.boundingBox();
      expect(box!.height).toBeLessThanOrEqual(PHONE.height);
      expect(await help.getByRole('button', { name: 'Report an incident' }).isVisible()).toBe(true);
      expect(await help.getByRole('button', { name: 'Photo decision' }).isVisible()).toBe(true);
      expect(await lowContrast(help)).toEqual([]);
      await page.setViewportSize(DESKTOP);
    });
  }, 120_000);

  it('the report card at phone width: date and time stacked, nothing cut; problems listed right above the buttons', async () => {
    const page = await e2e!.page();
    await run(page, 'report', async () => {
      await sendInPersonalChat(page, 'report an incident');
      const report = page.locator('.ac-adaptiveCard', { hasText: 'Tell us what happened' }).last();
      await report.waitFor({ timeout: 30_000 });
      await page.setViewportSize(PHONE);
      await report.scrollIntoViewIfNeeded();
      const date = await report.getByLabel('When (date)').boundingBox();
      const time = await report.getByLabel('Time (if known)').boundingBox();
      expect(time!.y).toBeGreaterThan(date!.y + date!.height - 1); // stacked, not side by side
      expect(date!.width).toBeGreaterThan(250);
      await report.getByRole('button', { name: 'Check and send' }).click();
      // Client-side checks stop the press for the required fields; the bot's own summary shows after a press it sees.
      await page.setViewportSize(DESKTOP);
      await shoot(page, report, 'report');
    });
  }, 120_000);

  it("after a manager's answer the worker's waiting card moves on in place, with the advice filled in", async () => {
    const page = await e2e!.page();
    await run(page, 'answered', async () => {
      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      const cards = page.locator('.ac-adaptiveCard');
      const card = await askForAdvice(page, {
        concern: 'A possible physical injury',
        person: 'An adult',
        caseRef: 'LCS-777002',
      });
      const count = await cards.count();

      await page.getByRole('treeitem', { name: /Managers escalations/ }).click();
      const urgent = page.locator('.ac-adaptiveCard', { hasText: 'LCS-777002' }).filter({ hasText: 'Urgent' }).last();
      await urgent.waitFor({ timeout: 30_000 });
      await urgent.getByRole('radio', { name: 'Do not take photographs' }).check();
      await urgent.getByRole('button', { name: 'Send advice' }).click();
      await page
        .locator('.ac-adaptiveCard', { hasText: 'LCS-777002' })
        .filter({ hasText: 'Advice given' })
        .last()
        .waitFor({ timeout: 30_000 });

      await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
      await page
        .getByText(/Sam Carter answered your request for advice about case LCS-777002/)
        .last()
        .waitFor({ timeout: 30_000 });
      // Teams replaces the waiting card in place (tests/http/ux.test.ts checks the PUT). The playground refuses
      // to update that message (400 BadSyntax), so here the worker's next press on it must bring the walkthrough
      // as it is now, in place, with the manager's advice filled in: never a live "waiting" card that goes nowhere.
      if (await page.getByRole('heading', { name: 'Waiting for advice', exact: true }).count()) {
        await card.getByRole('button', { name: "I've had advice" }).click();
      }
      const moved = card;
      await moved.getByRole('heading', { name: 'Record the advice', exact: true }).waitFor({ timeout: 30_000 });
      expect(await moved.getByLabel('Who gave the advice?').inputValue()).toBe('Sam Carter');
      expect(await page.getByRole('heading', { name: 'Waiting for advice', exact: true }).count()).toBe(0);
      expect(await cards.count()).toBe(count);
      await shoot(page, moved, 'answered-in-place');
      expect(e2e!.outboundAttempts()).toBe('');
    });
  }, 120_000);
});

/**
 * In the worker's chat: starts a photo decision (a new one when others are open), answers the first card and asks a
 * manager for advice; returns the card once it says "Waiting for advice".
 */
async function askForAdvice(page: Page, answers: { concern: string; person: string; caseRef: string }) {
  const cards = page.locator('.ac-adaptiveCard');
  const before = await cards.count();
  await sendInPersonalChat(page, 'photo decision');
  await cards.nth(before).waitFor({ timeout: 30_000 });
  const card = cards.nth(before);
  if (await card.getByRole('button', { name: /Start a new one/ }).count())
    await card.getByRole('button', { name: /Start a new one/ }).click();
  await card.getByRole('heading', { name: 'What did you see?', exact: true }).waitFor({ timeout: 30_000 });
  await card
    .getByRole('radiogroup', { name: 'Is anyone in immediate danger?' })
    .getByRole('radio', { name: 'No' })
    .check();
  await card.getByRole('radio', { name: answers.concern }).check();
  await card.getByRole('radio', { name: answers.person }).check();
  await card.getByLabel('Case reference').fill(answers.caseRef);
  await card.getByRole('button', { name: 'Next' }).click();
  await card.getByRole('button', { name: 'No, not yet' }).click();
  await card.getByRole('button', { name: 'Ask for advice now' }).click();
  await card.getByRole('heading', { name: 'Waiting for advice', exact: true }).waitFor({ timeout: 30_000 });
  return card;
}
