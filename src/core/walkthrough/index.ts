/** The injury-photo walkthrough (guidance section 2.3.2): the flow as data, the machine over it, its cards. */
export * from './types';
export { FLOW_V1, FLOW_VERSION, FLOWS, STEP_IDS, RESERVED_KEYS } from './flow';
export * from './machine';
export * from './cards';
export { prefillFromQuestion } from './prefill';
export * from './consentFlow';
