/**
 * Sufficient statistics of a set of queries for every team diversity metric: how often each model, each pair
 * and each triple of models fail together, how often each pair predicts the same value, and how often each model
 * predicts each value. With them, any team's diversity costs O(|S|^2) (pairwise family, generalized diversity,
 * Kohavi-Wolpert, entropy, Fleiss' kappa) or O(|S|^3) (focal diversity), independent of the number of queries.
 * Adding or removing one query touches only its failing models' pairs and triples: O(N^2 + f^3) for f failures.
 *
 * "Fails" = predicted choice != label; an abstention (-1) fails.
 */

/** Largest number of triple counters we allocate (C(N,3) Int32 words; 50M = 200 MB, reached near N = 670). */
const MAX_TRIPLES = 50_000_000;

export class EnsembleCounts {
  readonly nModels: number;
  readonly maxChoices: number;
  /** Prediction categories: 0 = abstained, c + 1 = choice c. */
  readonly nCategories: number;
  /** Queries currently counted. */
  nQueries = 0;
  /** Failures per model. */
  readonly fail: Int32Array;
  /** `[a * N + b]` queries on which a and b both fail; symmetric, diagonal = `fail`. */
  readonly cofail: Int32Array;
  /** Queries on which a < b < c all fail, at `tripleIndex(a, b, c)` (empty when built without triples). */
  readonly cofail3: Int32Array;
  /** `[a * N + b]` queries on which a and b predict the same value (both abstaining counts); symmetric, a != b. */
  readonly agree: Int32Array;
  /** `[a * nCategories + category]` queries on which model a predicted that category. */
  readonly categoryCounts: Int32Array;
  private readonly failing: Int32Array;

  /** Whether `cofail3` is maintained (see the constructor). */
  readonly hasTriples: boolean;

  /**
   * `options.triples` (default true) keeps the triple counts that give focal diversity in O(m^3) per team. Without
   * them an update costs O(N^2) instead of O(N^2 + f^3), and focal diversity must come from correctness masks
   * (`TeamDiversity.focalDiversityFromMasks`): the better trade for wide pools whose failures come in large groups.
   */
  constructor(nModels: number, maxChoices: number, options: { triples?: boolean } = {}) {
    if (!(Number.isInteger(nModels) && nModels >= 1)) throw new RangeError(`EnsembleCounts: nModels must be an integer >= 1, got ${nModels}`);
    if (!(Number.isInteger(maxChoices) && maxChoices >= 1)) throw new RangeError(`EnsembleCounts: maxChoices must be an integer >= 1, got ${maxChoices}`);
    this.hasTriples = options.triples ?? true;
    const triples = this.hasTriples ? binom3(nModels) : 0;
    if (triples > MAX_TRIPLES) {
      throw new RangeError(`EnsembleCounts: ${nModels} models need C(N,3) = ${triples} triple counters (limit ${MAX_TRIPLES})`);
    }
    this.nModels = nModels;
    this.maxChoices = maxChoices;
    this.nCategories = maxChoices + 1;
    this.fail = new Int32Array(nModels);
    this.cofail = new Int32Array(nModels * nModels);
    this.cofail3 = new Int32Array(triples);
    this.agree = new Int32Array(nModels * nModels);
    this.categoryCounts = new Int32Array(nModels * this.nCategories);
    this.failing = new Int32Array(nModels);
  }

  /** Counts one query: N predicted choices (-1 = abstained) and its label. */
  add(predictions: ArrayLike<number>, label: number): void {
    checkQuery(predictions, label, this.nModels, this.maxChoices, 'EnsembleCounts.add');
    this.update(predictions, label, 1);
  }

  /** Un-counts a query previously added with the same predictions and label. */
  remove(predictions: ArrayLike<number>, label: number): void {
    checkQuery(predictions, label, this.nModels, this.maxChoices, 'EnsembleCounts.remove');
    if (this.nQueries === 0) throw new RangeError('EnsembleCounts.remove: no query is counted');
    this.update(predictions, label, -1);
  }

  clear(): void {
    this.nQueries = 0;
    this.fail.fill(0);
    this.cofail.fill(0);
    this.cofail3.fill(0);
    this.agree.fill(0);
    this.categoryCounts.fill(0);
  }

  /** Unchecked update by `sign` (+1 add, -1 remove); callers validate with `checkQuery` first. */
  update(predictions: ArrayLike<number>, label: number, sign: 1 | -1): void {
    const N = this.nModels;
    const K = this.nCategories;
    const failing = this.failing;
    const cofail = this.cofail;
    const cofail3 = this.cofail3;
    const agree = this.agree;
    let f = 0;
    for (let i = 0; i < N; i++) {
      const p = predictions[i];
      this.categoryCounts[i * K + p + 1] += sign;
      if (p !== label) failing[f++] = i;
      for (let j = i + 1; j < N; j++) {
        if (predictions[j] === p) {
          agree[i * N + j] += sign;
          agree[j * N + i] += sign;
        }
      }
    }
    // `failing` is ascending, so x < y < z gives a < b < c as tripleIndex expects.
    for (let x = 0; x < f; x++) {
      const a = failing[x];
      this.fail[a] += sign;
      cofail[a * N + a] += sign;
      for (let y = x + 1; y < f; y++) {
        const b = failing[y];
        cofail[a * N + b] += sign;
        cofail[b * N + a] += sign;
        if (!this.hasTriples) continue;
        const ab = binom2(b) + a;
        for (let z = y + 1; z < f; z++) cofail3[binom3(failing[z]) + ab] += sign;
      }
    }
    this.nQueries += sign;
  }
}

/** Position of the triple a < b < c in a packed array of C(N,3) counters (combinatorial number system). */
export function tripleIndex(a: number, b: number, c: number): number {
  return binom3(c) + binom2(b) + a;
}

export function binom2(n: number): number {
  return (n * (n - 1)) / 2;
}

export function binom3(n: number): number {
  return (n * (n - 1) * (n - 2)) / 6;
}

/** Throws a RangeError naming the offending field unless this is one well-formed query of an N-model pool. */
export function checkQuery(predictions: ArrayLike<number>, label: number, nModels: number, maxChoices: number, where: string): void {
  if (predictions.length !== nModels) {
    throw new RangeError(`${where}: got ${predictions.length} predictions, expected one per model (${nModels})`);
  }
  if (!(Number.isInteger(label) && label >= 0 && label < maxChoices)) {
    throw new RangeError(`${where}: label ${label} is not a choice in [0, ${maxChoices})`);
  }
  for (let i = 0; i < nModels; i++) {
    const p = predictions[i];
    if (!(Number.isInteger(p) && p >= -1 && p < maxChoices)) {
      throw new RangeError(`${where}: prediction of model ${i} = ${p} is neither -1 (abstained) nor a choice in [0, ${maxChoices})`);
    }
  }
}
