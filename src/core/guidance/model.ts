/**
 * A small supervised model trained at start-up on the content's own phrasings: multinomial logistic regression
 * (softmax) over word stems and pairs of neighbouring stems, after the same spelling repair and slang as a
 * question. It learns which words *tell sections apart* ("mate" + "posts" is 2.2, a friend's posts; "posts"
 * alone leans 2.3.1), which the keyword search, scoring each section on its own, does not.
 *
 * Written here rather than taken from npm: the model is ~60 lines, deterministic (a seeded shuffle, so the same
 * content always gives the same engine), trains in well under a second on a few hundred phrasings, and needs no
 * network and no weights file; the maintained npm classifiers either pull in a tensor runtime or store state we
 * would have to version. The engine uses it only to order sections the search already found confidently: it never
 * decides on its own that a question is covered.
 */

export interface Example {
  label: string;
  features: string[];
  /** How much this example counts (a staff phrasing 1, a key point or title less). */
  weight: number;
}

export interface ModelOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty: keeps any one word from deciding alone. */
  l2?: number;
}

export class SoftmaxRegression {
  readonly labels: string[];
  private readonly index = new Map<string, number>();
  private readonly weights: Float64Array;
  private readonly k: number;

  constructor(examples: Example[], options: ModelOptions = {}) {
    const { epochs = 15, learningRate = 0.5, l2 = 0.01 } = options;
    this.labels = [...new Set(examples.map((e) => e.label))];
    this.k = this.labels.length;
    for (const e of examples) for (const f of e.features) if (!this.index.has(f)) this.index.set(f, this.index.size);
    this.weights = new Float64Array(this.index.size * this.k);
    const data = examples
      .map((e) => ({ x: [...new Set(e.features)].map((f) => this.index.get(f)!), y: this.labels.indexOf(e.label), w: e.weight }))
      .filter((d) => d.x.length > 0);
    let seed = 20261203;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const order = data.map((_, i) => i);
    const p = new Float64Array(this.k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const n of order) {
        const d = data[n];
        this.probabilitiesInto(d.x, p);
        // Each example's words share its gradient, so a long key point does not outweigh a short phrasing.
        const step = (learningRate * d.w) / Math.sqrt(d.x.length);
        for (const f of d.x) {
          const base = f * this.k;
          for (let c = 0; c < this.k; c++) {
            const g = (p[c] - (c === d.y ? 1 : 0)) * step + learningRate * l2 * this.weights[base + c];
            this.weights[base + c] -= g;
          }
        }
      }
    }
  }

  private probabilitiesInto(x: number[], out: Float64Array): void {
    out.fill(0);
    for (const f of x) {
      const base = f * this.k;
      for (let c = 0; c < this.k; c++) out[c] += this.weights[base + c];
    }
    let max = -Infinity;
    for (let c = 0; c < this.k; c++) max = Math.max(max, out[c]);
    let sum = 0;
    for (let c = 0; c < this.k; c++) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (let c = 0; c < this.k; c++) out[c] /= sum;
  }

  /** Probability of each label for a message's features (unknown features carry no evidence). */
  probabilities(features: string[]): Map<string, number> {
    const x = [...new Set(features)].map((f) => this.index.get(f)).filter((i): i is number => i !== undefined);
    const p = new Float64Array(this.k);
    if (x.length === 0) p.fill(1 / this.k);
    else this.probabilitiesInto(x, p);
    return new Map(this.labels.map((l, c) => [l, p[c]]));
  }
}

export interface FeatureOptions {
  /** Add each stem's character n-grams of this length (with word-boundary marks), 0 for none. */
  charNgrams?: number;
}

/**
 * A message's features: its meaning-bearing stems, each pair of neighbouring stems ("mate_post") and, optionally,
 * each stem's character n-grams ("#fa", "fac", "ace", ...), so a word the phrasings never used but that shares most
 * of its letters with one they did ("insta" / "instagram", "snapchatting") still carries some evidence.
 */
export function messageFeatures(terms: string[], options: FeatureOptions = {}): string[] {
  const out = [...terms];
  for (let i = 0; i + 1 < terms.length; i++) out.push(`${terms[i]}_${terms[i + 1]}`);
  const n = options.charNgrams ?? 0;
  if (n > 0) {
    for (const t of terms) {
      const w = `#${t}#`;
      for (let i = 0; i + n <= w.length; i++) out.push(`~${w.slice(i, i + n)}`);
    }
  }
  return out;
}
