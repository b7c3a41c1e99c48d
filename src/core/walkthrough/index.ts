/**
 * The injury-photo walkthrough (guidance section 2.3.2): the flow as data and the machine over it. Its cards are
 * presentation, in src/features/walkthrough/stepCards.ts.
 */
export * from './types';
export { FLOW_V1, FLOW_VERSION, FLOWS, STEP_IDS, RESERVED_KEYS } from './flow';
export * from './machine';
export { prefillFromQuestion } from './prefill';
export * from './consentFlow';
