/** The walkthrough family's routes: starting one, its buttons, resuming one, and a manager's advice. */
import type { CommandName } from '../../core/commands';
import type { ParsedAction } from '../../core/walkthrough';
import type { Route } from '../route';
import { pressReply } from '../turn';
import {
  answerAdvice,
  resumeWalkthrough,
  startWalkthroughChat,
  walkthroughAction,
  type AdviceAnswerData,
} from './walkthrough';

export interface PhotoDecisionData {
  walkId?: string;
  fresh?: boolean;
  kind?: string;
}

export const walkthroughCommands: Partial<Record<CommandName, Route<{ caseRef?: string }>>> = {
  photo_decision: {
    guards: { personalOnly: { command: 'photo decision' }, signedIn: true },
    storeUnavailableNotice: true,
    run: (turn, deps) => startWalkthroughChat(turn, deps),
  },
  log_consent: {
    guards: { personalOnly: { command: 'log consent' }, signedIn: true },
    storeUnavailableNotice: true,
    run: (turn, deps) => startWalkthroughChat(turn, deps, { kind: 'consent' }),
  },
};

export const walkthroughPresses = {
  walkthrough: {
    guards: { signedIn: true },
    run: async (turn, deps, parsed) => pressReply(await walkthroughAction(turn, deps, parsed)),
  } satisfies Route<ParsedAction>,
  // The 2.3.2 answer card's button starts one (or offers to resume); the open-walkthroughs card's buttons
  // ("Continue", "Start a new one") resume or start afresh in place.
  photoDecision: {
    guards: { personalOnly: { command: 'photo decision' }, signedIn: true },
    run: async (turn, deps, data) =>
      !data.walkId && !data.fresh
        ? startWalkthroughChat(turn, deps, { kind: data.kind })
        : pressReply(await resumeWalkthrough(turn, deps, data)),
  } satisfies Route<PhotoDecisionData>,
  adviceAnswer: {
    guards: {
      managers: {
        who: 'managers',
        what: 'answer requests for advice',
        audit: 'advice.answer',
        recordId: (d) => d.requestId,
      },
    },
    run: async (turn, deps, data) => pressReply(await answerAdvice(turn, deps, data)),
  } satisfies Route<AdviceAnswerData>,
};
