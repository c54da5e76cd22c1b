import type { Dataset } from '../data/dataset';

/**
 * What a pool's probability rows tell beyond its votes: the figures that exposed the simulator's former label
 * leak (data/README.md "## Simulator") and that the realism tests compare between a simulated and the real pool.
 *
 * - how often the gold option is a wrong model's runner-up, against chance 1/(C - 1), and how that information
 *   co-occurs across models;
 * - what simple fusions of the rows reach: soft vote (argmax of the mean vector), the argmax of the summed
 *   log-probabilities, and a conditional-logit fusion with per-model weights fitted on half of the queries; in
 *   particular how often they find the gold on queries that every model answers wrong (the part of a fusion's
 *   accuracy that no selection of models can reach).
 */

/** Runner-up of a probability row: the largest option other than `predicted` (ties -> lowest index; -1 if C < 2). */
export function runnerUp(row: ArrayLike<number>, choices: number, predicted: number): number {
  let best = -1;
  for (let c = 0; c < choices; c++) if (c !== predicted && (best < 0 || row[c] > row[best])) best = c;
  return best;
}

/**
 * Credit for "the gold is the runner-up" of a wrong row: 1 when the gold beats every other non-predicted
 * option, 1/k when it ties with k - 1 of them at the top (real rows have tied scores), else 0.
 */
export function goldRunnerUpCredit(row: ArrayLike<number>, choices: number, predicted: number, gold: number): number {
  let ties = 1;
  for (let c = 0; c < choices; c++) {
    if (c === predicted || c === gold) continue;
    if (row[c] > row[gold]) return 0;
    if (row[c] === row[gold]) ties += 1;
  }
  return 1 / ties;
}

export interface ChoiceBucketRunnerUp {
  /** Option counts in the bucket, e.g. "3", "4-5". */
  bucket: string;
  /** Answered wrong (query, model) cells. */
  wrongCells: number;
  /** P(gold is the runner-up | wrong). */
  goldRunnerUp: number;
  /** Chance level, mean of 1 / (C - 1). */
  chance: number;
  /** Mean probability a wrong row gives the gold option. */
  meanGoldProbability: number;
}

export interface RunnerUpStatistics {
  /** Over wrong cells of queries with >= 3 options (with 2 options the gold is the runner-up by necessity). */
  goldRunnerUp: number;
  chance: number;
  /** Per model, same figures (NaN for a model never wrong on >= 3 options). */
  perModel: Array<{ goldRunnerUp: number; chance: number; wrongCells: number }>;
  /** Option-count buckets 2, 3, 4-5, 6-7, 8+. */
  byChoices: ChoiceBucketRunnerUp[];
  /** Mean probability of the gold option in a wrong row, all option counts. */
  meanGoldProbabilityWhenWrong: number;
  /** Pairs of models both answering wrong, queries with >= 3 options. */
  wrongPairs: {
    pairs: number;
    /** Both runner-ups are the gold. */
    bothGold: number;
    /** What bothGold would be if the two models' "gold is runner-up" were independent given model and option count. */
    bothGoldIfIndependent: number;
    /** Same runner-up, not the gold (runner-ups coinciding on a distractor). */
    sameNonGold: number;
  };
}

const BUCKETS: Array<[string, number, number]> = [
  ['2', 2, 2],
  ['3', 3, 3],
  ['4-5', 4, 5],
  ['6-7', 6, 7],
  ['8+', 8, 255],
];

export function runnerUpStatistics(data: Dataset): RunnerUpStatistics {
  const N = data.nModels;
  const T = data.nQueries;
  const bucketOf = (c: number): number => BUCKETS.findIndex(([, lo, hi]) => c >= lo && c <= hi);
  const bucketCells = new Float64Array(BUCKETS.length);
  const bucketCredit = new Float64Array(BUCKETS.length);
  const bucketChance = new Float64Array(BUCKETS.length);
  const bucketGold = new Float64Array(BUCKETS.length);
  // Per model and option count (for the independence baseline), wrong cells and gold-runner-up credit.
  const cellsBy = new Float64Array(N * 256);
  const creditBy = new Float64Array(N * 256);
  const ranUp = new Int32Array(N);
  const credit = new Float64Array(N);
  let goldSum = 0;
  let wrongAll = 0;
  for (let t = 0; t < T; t++) {
    const c = data.choiceCounts[t];
    const y = data.labels[t];
    for (let i = 0; i < N; i++) {
      const p = data.predictions[t * N + i];
      if (p < 0 || p === y) continue;
      const row = data.probRow(t, i);
      const b = bucketOf(c);
      const k = goldRunnerUpCredit(row, c, p, y);
      bucketCells[b] += 1;
      bucketCredit[b] += k;
      bucketChance[b] += 1 / (c - 1);
      bucketGold[b] += row[y];
      goldSum += row[y];
      wrongAll += 1;
      cellsBy[i * 256 + c] += 1;
      creditBy[i * 256 + c] += k;
    }
  }
  const rate = (i: number, c: number): number => creditBy[i * 256 + c] / cellsBy[i * 256 + c];
  let pairs = 0;
  let bothGold = 0;
  let independent = 0;
  let sameNonGold = 0;
  for (let t = 0; t < T; t++) {
    const c = data.choiceCounts[t];
    const y = data.labels[t];
    if (c < 3) continue;
    for (let i = 0; i < N; i++) {
      const p = data.predictions[t * N + i];
      ranUp[i] = p < 0 || p === y ? -2 : runnerUp(data.probRow(t, i), c, p);
      credit[i] = ranUp[i] === -2 ? 0 : goldRunnerUpCredit(data.probRow(t, i), c, p, y);
    }
    for (let i = 0; i < N; i++) {
      if (ranUp[i] === -2) continue;
      for (let j = i + 1; j < N; j++) {
        if (ranUp[j] === -2) continue;
        pairs += 1;
        bothGold += credit[i] * credit[j];
        independent += rate(i, c) * rate(j, c);
        if (ranUp[i] === ranUp[j] && ranUp[i] !== y) sameNonGold += 1;
      }
    }
  }
  const perModel = Array.from({ length: N }, (_, i) => {
    let cells = 0;
    let k = 0;
    let chance = 0;
    for (let c = 3; c < 256; c++) {
      cells += cellsBy[i * 256 + c];
      k += creditBy[i * 256 + c];
      chance += cellsBy[i * 256 + c] / (c - 1);
    }
    return { goldRunnerUp: k / cells, chance: chance / cells, wrongCells: cells };
  });
  let cells3 = 0;
  let credit3 = 0;
  let chance3 = 0;
  for (let b = 1; b < BUCKETS.length; b++) {
    cells3 += bucketCells[b];
    credit3 += bucketCredit[b];
    chance3 += bucketChance[b];
  }
  return {
    goldRunnerUp: credit3 / cells3,
    chance: chance3 / cells3,
    perModel,
    byChoices: BUCKETS.map(([bucket], b) => ({
      bucket,
      wrongCells: bucketCells[b],
      goldRunnerUp: bucketCredit[b] / bucketCells[b],
      chance: bucketChance[b] / bucketCells[b],
      meanGoldProbability: bucketGold[b] / bucketCells[b],
    })),
    meanGoldProbabilityWhenWrong: goldSum / wrongAll,
    wrongPairs: { pairs, bothGold: bothGold / pairs, bothGoldIfIndependent: independent / pairs, sameNonGold: sameNonGold / pairs },
  };
}

export interface FusionProbes {
  /** Over all queries. */
  pluralityAccuracy: number;
  softVoteAccuracy: number;
  /** Argmax of the summed log-probabilities (a product of experts; log clamped at LOG_FLOOR). */
  sumLogAccuracy: number;
  oracleAccuracy: number;
  /** Fraction of queries every model answers wrong (abstentions count as wrong). */
  allWrong: number;
  /** Fraction of all queries that every model answers wrong and where soft vote / summed logs still find the gold. */
  allWrongSoftVoteGold: number;
  allWrongSumLogGold: number;
  /**
   * Conditional-logit fusion (per-model weights on log p, p and vote), cross-fitted: fitted on the even-numbered
   * queries and applied to the odd ones, and vice versa, so every query is answered by a fusion that never saw it.
   */
  logistic: {
    accuracy: number;
    /** Fraction of all queries that every model answers wrong and the fusion answers right. */
    allWrongRight: number;
  };
}

/** Log-probabilities below this are clamped (real chat models give options probabilities like 1e-30). */
export const LOG_FLOOR = -20;
const FEATURES = 3;

export function fusionProbes(data: Dataset): FusionProbes {
  const N = data.nModels;
  const T = data.nQueries;
  const mean = new Float64Array(data.maxChoices);
  const logs = new Float64Array(data.maxChoices);
  const votes = new Int32Array(data.maxChoices);
  let plurality = 0;
  let soft = 0;
  let sumLog = 0;
  let oracle = 0;
  let allWrong = 0;
  let allWrongSoft = 0;
  let allWrongLog = 0;
  for (let t = 0; t < T; t++) {
    const c = data.choiceCounts[t];
    const y = data.labels[t];
    mean.fill(0, 0, c);
    logs.fill(0, 0, c);
    votes.fill(0, 0, c);
    let anyRight = false;
    let anyVote = false;
    for (let i = 0; i < N; i++) {
      const p = data.predictions[t * N + i];
      if (p < 0) continue;
      anyVote = true;
      votes[p] += 1;
      const row = data.probRow(t, i);
      for (let k = 0; k < c; k++) {
        mean[k] += row[k];
        logs[k] += Math.max(LOG_FLOOR, Math.log(row[k]));
      }
      if (p === y) anyRight = true;
    }
    const v = anyVote ? argmax(votes, c) : -1;
    const s = anyVote ? argmax(mean, c) : -1;
    const l = anyVote ? argmax(logs, c) : -1;
    if (v === y) plurality += 1;
    if (s === y) soft += 1;
    if (l === y) sumLog += 1;
    if (anyRight) oracle += 1;
    else {
      allWrong += 1;
      if (s === y) allWrongSoft += 1;
      if (l === y) allWrongLog += 1;
    }
  }
  return {
    pluralityAccuracy: plurality / T,
    softVoteAccuracy: soft / T,
    sumLogAccuracy: sumLog / T,
    oracleAccuracy: oracle / T,
    allWrong: allWrong / T,
    allWrongSoftVoteGold: allWrongSoft / T,
    allWrongSumLogGold: allWrongLog / T,
    logistic: logisticFusion(data),
  };
}

function argmax(values: ArrayLike<number>, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (values[k] > values[best]) best = k;
  return best;
}

/**
 * Features [log p, p, vote] of every (model, option) of the given queries: query q's option k starts at
 * (offsets[q] + k) * N * FEATURES.
 */
function queryFeatures(data: Dataset, queries: number[]): { features: Float64Array; offsets: Int32Array } {
  const N = data.nModels;
  const D = N * FEATURES;
  const offsets = new Int32Array(queries.length + 1);
  queries.forEach((t, q) => (offsets[q + 1] = offsets[q] + data.choiceCounts[t]));
  const features = new Float64Array(offsets[queries.length] * D);
  queries.forEach((t, q) => {
    const c = data.choiceCounts[t];
    for (let i = 0; i < N; i++) {
      const p = data.predictions[t * N + i];
      if (p < 0) continue;
      const row = data.probRow(t, i);
      for (let k = 0; k < c; k++) {
        const at = (offsets[q] + k) * D + i * FEATURES;
        features[at] = Math.max(LOG_FLOOR, Math.log(row[k]));
        features[at + 1] = row[k];
        features[at + 2] = p === k ? 1 : 0;
      }
    }
  });
  return { features, offsets };
}

/** score(k) = sum_i w_i . [log p_ik, p_ik, vote_ik], two-fold cross-fitted (see FusionProbes.logistic). */
function logisticFusion(data: Dataset): FusionProbes['logistic'] {
  const halves: number[][] = [[], []];
  for (let t = 0; t < data.nQueries; t++) halves[t % 2].push(t);
  let right = 0;
  let allWrongRight = 0;
  const N = data.nModels;
  const D = N * FEATURES;
  const scores = new Float64Array(data.maxChoices);
  for (let fold = 0; fold < 2; fold++) {
    const w = fitLogistic(data, halves[fold]);
    const held = halves[1 - fold];
    const { features, offsets } = queryFeatures(data, held);
    held.forEach((t, q) => {
      const c = data.choiceCounts[t];
      softmaxScores(features.subarray(offsets[q] * D, offsets[q + 1] * D), c, w, scores);
      if (argmax(scores, c) !== data.labels[t]) return;
      right += 1;
      let anyRight = false;
      for (let i = 0; i < N; i++) if (data.correct[t * N + i]) anyRight = true;
      if (!anyRight) allWrongRight += 1;
    });
  }
  return { accuracy: right / data.nQueries, allWrongRight: allWrongRight / data.nQueries };
}

/** Weights maximising the ridge-penalised (ridge 1) conditional log-likelihood on the queries, by Newton's method. */
function fitLogistic(data: Dataset, queries: number[]): Float64Array {
  const D = data.nModels * FEATURES;
  const { features, offsets } = queryFeatures(data, queries);
  const scores = new Float64Array(data.maxChoices);
  const w = new Float64Array(D);
  const gradient = new Float64Array(D);
  const hessian = new Float64Array(D * D);
  const expected = new Float64Array(D);
  const RIDGE = 1;
  for (let iter = 0; iter < 50; iter++) {
    for (let a = 0; a < D; a++) gradient[a] = -RIDGE * w[a];
    hessian.fill(0);
    for (let a = 0; a < D; a++) hessian[a * D + a] = RIDGE;
    queries.forEach((t, q) => {
      const c = data.choiceCounts[t];
      const f = features.subarray(offsets[q] * D, offsets[q + 1] * D);
      softmaxScores(f, c, w, scores);
      expected.fill(0);
      for (let k = 0; k < c; k++) for (let a = 0; a < D; a++) expected[a] += scores[k] * f[k * D + a];
      const y = data.labels[t];
      for (let a = 0; a < D; a++) gradient[a] += f[y * D + a] - expected[a];
      for (let k = 0; k < c; k++) {
        const pk = scores[k];
        if (pk < 1e-12) continue;
        for (let a = 0; a < D; a++) {
          const da = pk * (f[k * D + a] - expected[a]);
          if (da === 0) continue;
          for (let b = a; b < D; b++) hessian[a * D + b] += da * (f[k * D + b] - expected[b]);
        }
      }
    });
    for (let a = 0; a < D; a++) for (let b = 0; b < a; b++) hessian[a * D + b] = hessian[b * D + a];
    const step = solveSymmetric(hessian, gradient, D);
    let size = 0;
    for (let a = 0; a < D; a++) {
      w[a] += step[a];
      size = Math.max(size, Math.abs(step[a]));
    }
    if (size < 1e-8) break;
  }
  return w;
}

/** softmax over the c options of w . features(option) into `out`. */
function softmaxScores(features: Float64Array, c: number, w: Float64Array, out: Float64Array): void {
  const D = w.length;
  let top = -Infinity;
  for (let k = 0; k < c; k++) {
    let s = 0;
    for (let a = 0; a < D; a++) s += w[a] * features[k * D + a];
    out[k] = s;
    if (s > top) top = s;
  }
  let sum = 0;
  for (let k = 0; k < c; k++) {
    out[k] = Math.exp(out[k] - top);
    sum += out[k];
  }
  for (let k = 0; k < c; k++) out[k] /= sum;
}

/** x with A x = b for a symmetric positive definite A (Cholesky). */
function solveSymmetric(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * n + j];
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
    z[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}
