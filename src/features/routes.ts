/**
 * The one table of routes: every command (core/commands.ts) and every card verb, each with its guards and its
 * handler, and the dispatch that runs them. A typed message is a command when the whole message is one;
 * otherwise it goes to the guidance. A card press arrives here as one CardPress whether it came as an
 * Action.Execute invoke or as its Action.Submit fallback: the Teams layer parsed and checked it once.
 */
import { COMMANDS, parseCommandDetail, type CommandName } from '../core/commands';
import type { ParsedAction } from '../core/walkthrough';
import { StoreUnavailableError } from '../storage/errors';
import { adminCommands } from './admin/routes';
import { consentCommands } from './consent/routes';
import type { FeatureDeps } from './deps';
import { answerText, showWelcome } from './guidance/answers';
import type { AskManagerData, QuestionActData } from './guidance/askManager';
import type { ClarifyData } from './guidance/clarify';
import type { FeedbackData } from './guidance/feedback';
import { guidanceCommands, guidancePresses } from './guidance/routes';
import type { IncidentActData, IncidentSubmitData } from './incidents/incidents';
import { incidentCommands, incidentPresses } from './incidents/routes';
import { bodyMapCopyFile } from './records/bodyMapCopy';
import { recordsCommands } from './records/routes';
import { checkGuards, type Route } from './route';
import { BODY_MAP_COPY, NOTICES } from './messages';
import { reply, type FileToSave, type Reply, type Turn } from './turn';
import type { AdviceAnswerData } from './walkthrough/walkthrough';
import { walkthroughCommands, walkthroughPresses, type PhotoDecisionData } from './walkthrough/routes';

/** A card press, as every SDK's edge hands it over: the verb and its checked, typed data. */
export type CardPress =
  | { verb: 'showSection'; data: { section: string } }
  | { verb: 'topics'; data: object }
  | { verb: 'help'; data: object }
  | { verb: 'ask'; data: { question: string } }
  | { verb: 'reportIncident'; data: object }
  | { verb: 'photoDecision'; data: PhotoDecisionData }
  | { verb: 'feedback'; data: FeedbackData }
  | { verb: 'incident'; data: IncidentSubmitData }
  | { verb: 'incidentAct'; data: IncidentActData }
  | { verb: 'walkthrough'; data: ParsedAction }
  | { verb: 'adviceAnswer'; data: AdviceAnswerData }
  | { verb: 'clarify'; data: ClarifyData }
  | { verb: 'askManager'; data: AskManagerData }
  | { verb: 'questionAct'; data: QuestionActData };

export type Verb = CardPress['verb'];
type DataOf<V extends Verb> = Extract<CardPress, { verb: V }>['data'];

/** A typed command's detail: the case reference it ended with, when it takes one. */
export interface CommandDetail {
  caseRef?: string;
  /** An entry's KS- reference ("body map KS-7Q2M4X1A"), upper case. */
  entryRef?: string;
}

const commands = {
  ...recordsCommands,
  ...consentCommands,
  ...incidentCommands,
  ...walkthroughCommands,
  ...guidanceCommands,
  ...adminCommands,
};

/** The route table. Every command of core/commands.ts has exactly one route (tests/features/routes.test.ts). */
export const ROUTES: {
  commands: Record<CommandName, Route<CommandDetail>>;
  presses: { [V in Verb]: Route<DataOf<V>> };
} = {
  commands: commands as Record<CommandName, Route<CommandDetail>>,
  presses: {
    ...guidancePresses,
    ...incidentPresses,
    ...walkthroughPresses,
    // A tapped command (the help card's buttons) runs as if typed; a tapped question is answered.
    ask: { run: (turn, deps, data) => answerTyped({ ...turn, text: data.question }, deps) },
  },
};

/** Runs a command's route: its guards, its handler, and the one store-unavailable notice where declared. */
export async function runCommand(
  turn: Turn,
  deps: FeatureDeps,
  name: CommandName,
  detail: CommandDetail = {},
): Promise<Reply[]> {
  const route = ROUTES.commands[name];
  deps.logger.info({ ...turn.log, command: name }, 'command');
  const refused = await checkGuards(name, route.guards, turn, deps, detail, 'command');
  if (refused) return [refused];
  try {
    return [await route.run(turn, deps, detail)].flat();
  } catch (err) {
    if (!(err instanceof StoreUnavailableError) || !route.storeUnavailableNotice) throw err;
    deps.logger.warn({ ...turn.log, route: name, code: 'STORE_UNAVAILABLE' }, 'route.store_unavailable');
    return [{ kind: 'notice', ...NOTICES.storeUnavailable }];
  }
}

/** A typed message: a command when the whole message is one, else a question for the guidance. */
export async function answerTyped(turn: Turn, deps: FeatureDeps): Promise<Reply[]> {
  const command = turn.text ? parseCommandDetail(turn.text) : null;
  if (command) return runCommand(turn, deps, command.name, { caseRef: command.caseRef, entryRef: command.entryRef });
  return answerText(turn, deps);
}

/** A card press: its verb's guards, then its handler. */
export async function runPress(turn: Turn, deps: FeatureDeps, press: CardPress): Promise<Reply[]> {
  const route = ROUTES.presses[press.verb] as Route<unknown>;
  const refused = await checkGuards(press.verb, route.guards, turn, deps, press.data, 'press');
  if (refused) return [refused];
  return [await route.run(turn, deps, press.data)].flat();
}

/**
 * A file offer (a fileOffer Reply) was accepted: the bytes to save, made again (and audited) by the use case
 * that offered them; its context names the entry. Only the body map's printable copy is offered today.
 */
export function fileAccepted(turn: Turn, deps: FeatureDeps, context: { entry: string }): Promise<FileToSave> {
  return bodyMapCopyFile(turn, deps, context.entry);
}

/** A file offer was declined: nothing is made or saved. */
export function fileDeclined(context: { entry: string }): Reply[] {
  return [reply.message(BODY_MAP_COPY.declined(context.entry))];
}

/** The accepted file could not be saved where Teams said (the upload failed or took too long). */
export function fileNotSaved(context: { entry: string }): Reply[] {
  return [reply.message(BODY_MAP_COPY.notSaved(context.entry))];
}

/** The bot was installed in someone's 1:1 chat. */
export function welcome(deps: Pick<FeatureDeps, 'guidance'>): Reply[] {
  return [showWelcome(deps)];
}

/** Every command name, for the tests and the manifest check. */
export const COMMAND_NAMES: readonly CommandName[] = COMMANDS.map((c) => c.name);
