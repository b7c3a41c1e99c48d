/**
 * The section model, trained at start-up on the content: multinomial logistic regression (softmax) over the
 * features of questionFeatures below, learnt from each section's phrasings and the labelled staff questions. It
 * learns which words *tell answers apart* ("mate" + "posts" is 2.2, a friend's posts; "posts" alone leans 2.3.1;
 * "added me last night" is news to report, "should i add" is a question), and what the guidance does not cover.
 *
 * Written here rather than taken from npm: the model is ~60 lines, deterministic (a seeded shuffle, so the same
 * content always gives the same engine), trains in well under a second on two thousand examples, and needs no
 * network and no weights file; the maintained npm classifiers either pull in a tensor runtime or store state we
 * would have to version.
 */
import type { AnalysedQuery } from './types';

export interface Example {
  label: string;
  features: string[];
  /** How much this example counts (1 for every example today). */
  weight: number;
}

export interface ModelOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty: keeps any one word from deciding alone. */
  l2?: number;
  /**
   * The weights kept are the average of those at the end of each epoch from this one on (1-based; default: the
   * second half). Averaging the last passes makes the model depend less on the order of the final examples, so a
   * row added to the content moves fewer unrelated answers.
   */
  averageFrom?: number;
}

export class SoftmaxRegression {
  readonly labels: string[];
  private readonly index = new Map<string, number>();
  private readonly weights: Float64Array;
  private readonly k: number;

  constructor(examples: Example[], options: ModelOptions = {}) {
    const { epochs = 10, learningRate = 0.5, l2 = 0.01 } = options;
    const averageFrom = Math.min(epochs, Math.max(1, options.averageFrom ?? Math.ceil(epochs / 2)));
    this.labels = [...new Set(examples.map((e) => e.label))];
    this.k = this.labels.length;
    for (const e of examples) for (const f of e.features) if (!this.index.has(f)) this.index.set(f, this.index.size);
    this.weights = new Float64Array(this.index.size * this.k);
    const data = examples
      .map((e) => ({
        x: [...new Set(e.features)].map((f) => this.index.get(f)!),
        y: this.labels.indexOf(e.label),
        w: e.weight,
      }))
      .filter((d) => d.x.length > 0);
    let seed = 20261203;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const order = data.map((_, i) => i);
    const p = new Float64Array(this.k);
    const { weights: w, k } = this;
    const decay = 1 - learningRate * l2;
    const sum = new Float64Array(w.length);
    for (let epoch = 1; epoch <= epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const n of order) {
        const d = data[n];
        this.probabilitiesInto(d.x, p);
        // Each example's words share its gradient, so a long story does not outweigh a short question.
        const step = (learningRate * d.w) / Math.sqrt(d.x.length);
        p[d.y] -= 1;
        for (let c = 0; c < k; c++) p[c] *= step;
        for (const f of d.x) {
          const base = f * k;
          for (let c = 0; c < k; c++) w[base + c] = w[base + c] * decay - p[c];
        }
      }
      if (epoch >= averageFrom) for (let i = 0; i < w.length; i++) sum[i] += w[i];
    }
    const passes = epochs - averageFrom + 1;
    for (let i = 0; i < w.length; i++) w[i] = sum[i] / passes;
  }

  private probabilitiesInto(x: number[], out: Float64Array): void {
    const { weights: w, k } = this;
    out.fill(0);
    for (const f of x) {
      const base = f * k;
      for (let c = 0; c < k; c++) out[c] += w[base + c];
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, out[c]);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (let c = 0; c < k; c++) out[c] /= sum;
  }

  /**
   * Probability of each label for a message's features (unknown features carry no evidence). With knownOnly, null
   * when none of the features is known: the model has no evidence at all, and says so rather than a flat guess.
   */
  probabilities(features: string[]): Map<string, number>;
  probabilities(features: string[], options: { knownOnly: true }): Map<string, number> | null;
  probabilities(features: string[], options?: { knownOnly: true }): Map<string, number> | null {
    const x = [...new Set(features)].map((f) => this.index.get(f)).filter((i): i is number => i !== undefined);
    if (x.length === 0 && options?.knownOnly) return null;
    const p = new Float64Array(this.k);
    if (x.length === 0) p.fill(1 / this.k);
    else this.probabilitiesInto(x, p);
    return new Map(this.labels.map((l, c) => [l, p[c]]));
  }
}

/**
 * A question's features, in two views. What it means: its meaning-bearing stems after spelling repair and slang
 * ("fb" is facebook) and each pair of neighbouring stems ("mate_post"). What was typed: each word as typed
 * ("w:insta"), each pair of typed words ("b:added_me": how a story reads differs from how a question does), and
 * each typed word's letter triples with word-boundary marks ("c:#in", "c:ins"...), so a word no example used but
 * that shares most of its letters with one that did ("snapchatting", "passwrds") still carries some evidence.
 * Measured by leave-one-split-out over the blind splits: each view adds to the other (docs/guidance-accuracy.md).
 */
export function questionFeatures(query: Pick<AnalysedQuery, 'terms' | 'typed'>): string[] {
  const { terms, typed } = query;
  const out = [...terms];
  for (let i = 0; i + 1 < terms.length; i++) out.push(`${terms[i]}_${terms[i + 1]}`);
  for (const w of typed) out.push(`w:${w}`);
  for (let i = 0; i + 1 < typed.length; i++) out.push(`b:${typed[i]}_${typed[i + 1]}`);
  for (const w of typed) {
    const marked = `#${w}#`;
    for (let i = 0; i + 3 <= marked.length; i++) out.push(`c:${marked.slice(i, i + 3)}`);
  }
  return out;
}
