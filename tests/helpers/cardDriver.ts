/**
 * Pressing Adaptive Card buttons as Teams does, for tests that drive the real bot over HTTP: an Action.Execute
 * press sends the card's inputs as they are shown (their current values) plus what the test "typed", merged
 * with the button's data, as an `adaptiveCard/action` invoke; the invoke's response is the card Teams shows in
 * its place.
 */
import { execute, WORKER } from './activities';
import type { RunningBot } from './bot';

export function walkCard(node: unknown, visit: (n: any) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walkCard(n, visit));
  else if (node && typeof node === 'object') {
    visit(node);
    Object.values(node).forEach((n) => walkCard(n, visit));
  }
}

/** What Teams would send for the card's inputs as they are shown. */
export function inputsOf(card: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  walkCard(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') {
      if (n.value !== undefined) out[n.id] = typeof n.value === 'number' ? String(n.value) : n.value;
      else if (n.type === 'Input.Toggle') out[n.id] = n.valueOff ?? 'false';
    }
  });
  return out;
}

/** Every Action.Execute on the card (fallbacks are not counted). */
export function buttons(card: any): any[] {
  const out: any[] = [];
  walkCard(card, (n) => {
    if (n.type === 'Action.Execute') out.push(n);
  });
  return out;
}

/** The walkthrough button for `choice` (and mark), or a thrown error listing the buttons there are. */
export function button(card: any, choice: string, markId?: string): any {
  const found = buttons(card).find((b) => b.data?.choice === choice && (!markId || b.data.markId === markId));
  if (!found)
    throw new Error(
      `No "${choice}" button on the card: ${buttons(card)
        .map((b) => b.data?.choice ?? b.verb)
        .join(', ')}`,
    );
  return found;
}

/** The step a walkthrough card was drawn for. */
export const stepOf = (card: any) => buttons(card)[0]?.data?.step as string | undefined;

let seq = 0;

/** Presses button `b` (an Action.Execute found on `card`) with typed values, as `from`; returns what Teams shows. */
export async function pressButtonOn(
  bot: RunningBot,
  serviceUrl: string,
  card: any,
  b: any,
  typed: Record<string, unknown> = {},
  from = WORKER,
  replyToId?: string,
): Promise<any> {
  const data = { ...(b.associatedInputs === 'none' ? {} : { ...inputsOf(card), ...typed }), ...b.data };
  const res = await bot.post(execute(b.verb, data, { serviceUrl, from, replyToId: replyToId ?? `walk-card-${++seq}` }));
  if (res.status !== 200 || res.body?.statusCode !== 200)
    throw new Error(`press "${b.title}" failed: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  return res.body.type === 'application/vnd.microsoft.card.adaptive' ? res.body.value : { message: res.body.value };
}

/**
 * Presses a walkthrough button on `card` with typed values, as `from`, on `bot`; returns the card shown in its
 * place, or `{ message }` when the bot answered with a short message instead.
 */
export async function pressOn(
  bot: RunningBot,
  serviceUrl: string,
  card: any,
  choice: string,
  typed: Record<string, unknown> = {},
  from = WORKER,
  opts: { markId?: string; replyToId?: string } = {},
): Promise<any> {
  return pressButtonOn(bot, serviceUrl, card, button(card, choice, opts.markId), typed, from, opts.replyToId);
}
