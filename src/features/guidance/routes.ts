/** The guidance family's routes: sections, topics, help, a tapped question, feedback, did-you-mean, ask a manager. */
import type { CommandName } from '../../core/commands';
import type { Route } from '../route';
import { pressReply } from '../turn';
import { showHelp, showSection, showTopics } from './answers';
import { actOnQuestion, askManager, type AskManagerData, type QuestionActData } from './askManager';
import { chooseClarify, type ClarifyData } from './clarify';
import { giveFeedback, type FeedbackData } from './feedback';
import { showGuidanceGaps } from './gaps';

export const guidanceCommands: Partial<Record<CommandName, Route<{ caseRef?: string }>>> = {
  guidance_gaps: {
    guards: {
      managers: {
        who: 'managers',
        what: 'read the guidance gaps report',
        hint: "If a question of yours wasn't answered, press Ask a manager on the answer.",
        audit: 'guidance_gaps',
      },
    },
    storeUnavailableNotice: true,
    run: (turn, deps) => showGuidanceGaps(turn, deps),
  },
};

export const guidancePresses = {
  showSection: {
    run: async (_turn, deps, data) => showSection(deps, data.section),
  } satisfies Route<{ section: string }>,
  topics: { run: async (_turn, deps) => showTopics(deps) } satisfies Route<object>,
  help: { run: (turn, deps) => showHelp(turn, deps) } satisfies Route<object>,
  feedback: {
    run: async (turn, deps, data) => pressReply(await giveFeedback(turn, deps, data)),
  } satisfies Route<FeedbackData>,
  clarify: {
    run: async (turn, deps, data) => pressReply(await chooseClarify(turn, deps, data)),
  } satisfies Route<ClarifyData>,
  askManager: {
    guards: { personalOnly: {}, signedIn: true },
    run: async (turn, deps, data) => pressReply(await askManager(turn, deps, data)),
  } satisfies Route<AskManagerData>,
  questionAct: {
    guards: {
      managers: {
        who: 'managers',
        what: 'take or answer questions',
        audit: (d) => `question.${d.act}`,
        recordId: (d) => d.questionId,
      },
    },
    run: async (turn, deps, data) => pressReply(await actOnQuestion(turn, deps, data)),
  } satisfies Route<QuestionActData>,
};
