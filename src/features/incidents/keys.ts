/** Keys of the messages an incident sends, so every retry finds the same ones. */
export const incidentKeys = {
  post: (id: string) => `incident:${id}:post`,
  worker: (id: string) => `incident:${id}:worker`,
  step: (id: string, seq: number, what: string) => `incident:${id}:${seq}:${what}`,
};
