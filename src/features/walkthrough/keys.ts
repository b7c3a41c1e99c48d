/** Keys of a walkthrough's state and of the messages it sends, so every retry finds the same ones. */
export const walkKeys = {
  walk: (id: string) => `walkthrough:${id}`,
  /** The person's walkthroughs not yet finished or cancelled, for "photo decision" to offer them again. */
  open: (aadObjectId: string) => `walkthroughs-open:${aadObjectId.toLowerCase()}`,
  advicePost: (requestId: string) => `advice:${requestId}:post`,
  adviceAnswer: (requestId: string) => `advice:${requestId}:answer`,
  summaryPost: (walkId: string) => `walkthrough:${walkId}:summary`,
};
