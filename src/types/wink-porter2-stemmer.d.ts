declare module 'wink-porter2-stemmer' {
  /** Porter2 (English) stem of one lower-case word. */
  function stem(word: string): string;
  export = stem;
}

declare module 'an-array-of-english-words' {
  /** About 275,000 lower-case English words. */
  const words: string[];
  export = words;
}
