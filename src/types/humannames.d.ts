declare module 'humannames' {
  /** About 200,000 given names and surnames, each a key (value 1). */
  const names: Record<string, number>;
  export = names;
}
