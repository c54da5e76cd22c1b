import type { Dataset } from './dataset';
import { Rng } from '../util/rng';
import { bisectIncreasing, bivariateNormalUpper, normalQuantile } from './calibration-math';
import { DEFAULT_CONFIDENCE_SHARPNESS, type PoolCalibration, type SubtaskCalibration } from './calibration';
import { writeChoiceLogits } from './simulator-confidence';

/**
 * Fit the simulator's latent-variable model to recorded outputs, and the pool statistics used to check the fit.
 *
 * Fitted, in this order:
 * 1. per model and subtask, the accuracy (hits + 0.5) / (n + 1) (kept inside (0, 1) for the probit link);
 * 2. per model pair, the latent correlation rho_ij that reproduces the pair's joint failure count given those
 *    accuracies (sum over subtasks of n_s * P(L_i > a_is, L_j > a_js; rho) = observed), solved by bisection;
 * 3. one difficulty loading per model (rho_ij ~ loading_i loading_j, + familyLoading^2 within a family), least squares;
 * 4. distractor sharing s from P(two wrong models give the same wrong answer) on questions with >= 3 options;
 * 5. per model, the temperature at which the simulator's mean top probability equals the observed one
 *    (Monte Carlo with fixed draws, bisection on log temperature).
 */

export interface CalibrateOptions {
  /** Seed of the Monte Carlo draws of the temperature fit. Default 0. */
  seed?: number;
  /** Text quoted as the calibration source. Default: the dataset's provenance source. */
  source?: string;
  /** Fit a family factor from pairs of models with the same `family`. Default true. */
  familyAware?: boolean;
}

const MAX_CORRELATION = 0.95;
const MAX_LOADING_SQUARED = 0.95;
const TEMPERATURE_DRAWS = 3000;

export function calibrateToDataset(real: Dataset, options: CalibrateOptions = {}): PoolCalibration {
  const N = real.nModels;
  const T = real.nQueries;
  if (T === 0) throw new RangeError('calibrateToDataset: the dataset has no queries');
  const notes: string[] = [];

  // Subtasks in order of first appearance, each with its modal option count.
  const order: number[] = [];
  const index = new Map<number, number>();
  for (let t = 0; t < T; t++) {
    if (!index.has(real.subtaskIds[t])) {
      index.set(real.subtaskIds[t], order.length);
      order.push(t);
    }
  }
  const S = order.length;
  const subtaskOf = Int32Array.from(real.subtaskIds, (id) => index.get(id)!);
  const count = new Int32Array(S);
  const choiceHistogram = Array.from({ length: S }, () => new Map<number, number>());
  for (let t = 0; t < T; t++) {
    count[subtaskOf[t]] += 1;
    const h = choiceHistogram[subtaskOf[t]];
    h.set(real.choiceCounts[t], (h.get(real.choiceCounts[t]) ?? 0) + 1);
  }
  const subtasks: SubtaskCalibration[] = order.map((t, s) => {
    const modal = [...choiceHistogram[s].entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    if (choiceHistogram[s].size > 1) notes.push(`subtask ${real.subtaskNames[real.subtaskIds[t]]}: option count varies, simulated with the most common (${modal})`);
    return { name: real.subtaskNames[real.subtaskIds[t]], task: real.taskNames[real.taskIds[t]], choices: modal, weight: count[s] };
  });

  // 1. Accuracies.
  const correct = real.correct;
  const predictions = real.predictions;
  const hits = new Int32Array(N * S);
  let abstained = 0;
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      hits[i * S + subtaskOf[t]] += correct[t * N + i];
      if (predictions[t * N + i] < 0) abstained += 1;
    }
  }
  const accuracy = Array.from({ length: N }, (_, i) => Array.from({ length: S }, (_, s) => (hits[i * S + s] + 0.5) / (count[s] + 1)));
  const threshold = accuracy.map((row) => row.map(normalQuantile));
  notes.push('per-subtask accuracies smoothed as (hits + 0.5) / (n + 1)');

  // 2. Pairwise latent correlations from joint failures.
  const bothWrong = new Int32Array(N * N * S);
  for (let t = 0; t < T; t++) {
    const s = subtaskOf[t];
    for (let i = 0; i < N; i++) {
      if (correct[t * N + i]) continue;
      for (let j = i + 1; j < N; j++) if (!correct[t * N + j]) bothWrong[(i * N + j) * S + s] += 1;
    }
  }
  const observedRho = Array.from({ length: N }, () => new Array<number>(N).fill(1));
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      let observed = 0;
      for (let s = 0; s < S; s++) observed += bothWrong[(i * N + j) * S + s];
      const expected = (rho: number): number => {
        let e = 0;
        for (let s = 0; s < S; s++) e += count[s] * bivariateNormalUpper(threshold[i][s], threshold[j][s], rho);
        return e - observed;
      };
      observedRho[i][j] = observedRho[j][i] = bisectIncreasing(expected, -0.9, MAX_CORRELATION, 50);
    }
  }

  // 3. Loadings (one shared factor, plus a family factor when families repeat).
  const families = real.models.map((m) => m.family);
  const sameFamily = (i: number, j: number): boolean => options.familyAware !== false && !!families[i] && families[i] === families[j];
  const { loadings, familyLoading } = fitLoadings(observedRho, sameFamily);
  if (N < 2) notes.push('a single model: no pairs to fit the difficulty loading, set to 0');
  const modelRho = observedRho.map((row, i) => row.map((_, j) => (i === j ? 1 : loadings[i] * loadings[j] + (sameFamily(i, j) ? familyLoading ** 2 : 0))));

  // 4. Distractor sharing.
  let pairs = 0;
  let same = 0;
  const pairChoices: number[] = [];
  for (let t = 0; t < T; t++) {
    const c = real.choiceCounts[t];
    if (c < 3) continue;
    for (let i = 0; i < N; i++) {
      const pi = predictions[t * N + i];
      if (pi < 0 || correct[t * N + i]) continue;
      for (let j = i + 1; j < N; j++) {
        const pj = predictions[t * N + j];
        if (pj < 0 || correct[t * N + j]) continue;
        pairs += 1;
        if (pi === pj) same += 1;
        pairChoices.push(c);
      }
    }
  }
  const modelSame = (sharing: number): number => {
    let total = 0;
    for (const c of pairChoices) total += sameWrongProbability(sharing, c);
    return total / pairChoices.length;
  };
  let distractorSharing = 0;
  if (pairs > 0) distractorSharing = bisectIncreasing((x) => modelSame(x) - same / pairs, 0, 1, 50);
  else notes.push('no pair of wrong answers on questions with >= 3 options: distractor sharing set to 0');

  // 5. Temperatures.
  const observedTop = new Array<number>(N).fill(NaN);
  const temperatures = new Array<number>(N).fill(1);
  const modelTop = new Array<number>(N).fill(NaN);
  const rng = new Rng(options.seed ?? 0).fork('calibrate:temperature');
  for (let i = 0; i < N; i++) {
    let sum = 0;
    let answered = 0;
    for (let t = 0; t < T; t++) {
      if (predictions[t * N + i] < 0) continue;
      const row = real.probRow(t, i);
      let top = 0;
      for (let c = 0; c < row.length; c++) if (row[c] > top) top = row[c];
      sum += top;
      answered += 1;
    }
    if (answered === 0) {
      notes.push(`model ${real.models[i].id} never answers: temperature left at 1`);
      continue;
    }
    observedTop[i] = sum / answered;
    const gaps = logitGapDraws(threshold[i], subtasks, DEFAULT_CONFIDENCE_SHARPNESS, rng.fork(real.models[i].id));
    const meanTop = (temperature: number): number => {
      let total = 0;
      for (const g of gaps) {
        let denominator = 1;
        for (const d of g) denominator += Math.exp(d / temperature);
        total += 1 / denominator;
      }
      return total / gaps.length;
    };
    const logT = bisectIncreasing((x) => observedTop[i] - meanTop(Math.exp(x)), Math.log(0.01), Math.log(100), 50);
    temperatures[i] = Math.exp(logT);
    modelTop[i] = meanTop(temperatures[i]);
  }

  return {
    source: options.source ?? `calibrateToDataset(${real.provenance.source})`,
    mode: 'choices',
    subtasks,
    models: real.models.map((info, i) => ({ info: { ...info }, accuracy: accuracy[i], loading: loadings[i], temperature: temperatures[i] })),
    familyLoading,
    distractorSharing,
    abstentionRate: abstained / (T * N),
    confidenceSharpness: DEFAULT_CONFIDENCE_SHARPNESS,
    notes,
    diagnostics: {
      pairCorrelation: { observed: observedRho, model: modelRho },
      sameWrongAnswer: { observed: pairs > 0 ? same / pairs : NaN, model: pairs > 0 ? modelSame(distractorSharing) : NaN, pairs },
      meanTopProbability: { observed: observedTop, model: modelTop },
    },
  };
}

/** P(two wrong answers coincide) when each is the distractor with probability s, else uniform over the C - 1 wrong options. */
export function sameWrongProbability(sharing: number, choices: number): number {
  const q = (1 - sharing) / (choices - 1);
  return (sharing + q) ** 2 + (choices - 2) * q * q;
}

/** Least-squares loadings for rho_ij ~ l_i l_j (+ f^2 for same-family pairs), by alternating closed-form updates. */
function fitLoadings(rho: number[][], sameFamily: (i: number, j: number) => boolean): { loadings: number[]; familyLoading: number } {
  const N = rho.length;
  if (N < 2) return { loadings: new Array<number>(N).fill(0), familyLoading: 0 };
  const familyPairs: Array<[number, number]> = [];
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (sameFamily(i, j)) familyPairs.push([i, j]);
  const inFamily = Array.from({ length: N }, (_, i) => familyPairs.some(([a, b]) => a === i || b === i));
  const loadings = rho.map((row, i) => {
    let mean = 0;
    for (let j = 0; j < N; j++) if (j !== i) mean += row[j];
    return Math.sqrt(Math.min(0.81, Math.max(0.0025, mean / (N - 1))));
  });
  let family2 = 0;
  for (let iter = 0; iter < 1000; iter++) {
    let change = 0;
    for (let i = 0; i < N; i++) {
      let num = 0;
      let den = 0;
      for (let j = 0; j < N; j++) {
        if (j === i) continue;
        num += (rho[i][j] - (sameFamily(i, j) ? family2 : 0)) * loadings[j];
        den += loadings[j] * loadings[j];
      }
      const cap = Math.sqrt(MAX_LOADING_SQUARED - (inFamily[i] ? family2 : 0));
      const next = den > 0 ? Math.min(cap, Math.max(0, num / den)) : 0;
      change = Math.max(change, Math.abs(next - loadings[i]));
      loadings[i] = next;
    }
    if (familyPairs.length) {
      let residual = 0;
      for (const [i, j] of familyPairs) residual += rho[i][j] - loadings[i] * loadings[j];
      const next = Math.min(0.5, Math.max(0, residual / familyPairs.length));
      change = Math.max(change, Math.abs(next - family2));
      family2 = next;
    }
    if (change < 1e-10) break;
  }
  return { loadings, familyLoading: Math.sqrt(family2) };
}

/**
 * For the temperature fit: TEMPERATURE_DRAWS simulated answers of one model (subtasks in proportion to their
 * weights), each as the logit differences (other - predicted) that its top probability depends on.
 */
function logitGapDraws(thresholds: number[], subtasks: SubtaskCalibration[], sharpness: number, rng: Rng): Float64Array[] {
  const weights = subtasks.map((s) => s.weight);
  const scratch = new Float64Array(Math.max(...subtasks.map((s) => s.choices)));
  const draws: Float64Array[] = [];
  for (let k = 0; k < TEMPERATURE_DRAWS; k++) {
    const s = rng.categorical(weights);
    const c = subtasks[s].choices;
    const margin = thresholds[s] - rng.normal();
    const gold = rng.int(c);
    const wrong = rng.int(c - 1);
    const predicted = margin > 0 ? gold : wrong < gold ? wrong : wrong + 1;
    writeChoiceLogits(scratch, 0, c, predicted, gold, margin, sharpness, rng);
    const gaps = new Float64Array(c - 1);
    let n = 0;
    for (let j = 0; j < c; j++) if (j !== predicted) gaps[n++] = scratch[j] - scratch[predicted];
    draws.push(gaps);
  }
  return draws;
}

export interface PoolStatistics {
  /** Per model: fraction of queries answered correctly (abstentions count as wrong). */
  accuracy: number[];
  /** Plurality vote of all models (abstentions ignored, ties -> lowest option, no votes -> wrong). */
  pluralityAccuracy: number;
  /** Fraction of queries some model answers correctly. */
  oracleAccuracy: number;
  /** Phi coefficient between the error indicators of each model pair (NaN when a model is always or never wrong). */
  pairwisePhi: number[][];
  /** Mean of the defined pairwise phi values. */
  meanPairwisePhi: number;
  /** Fraction of (query, model) cells without an answer. */
  abstentionRate: number;
  /** Per model, mean probability of the predicted option over answered queries. */
  meanTopProbability: number[];
}

/** The figures used to compare a simulated pool with a real one. */
export function poolStatistics(data: Dataset): PoolStatistics {
  const N = data.nModels;
  const T = data.nQueries;
  const correct = data.correct;
  const predictions = data.predictions;
  const votes = new Int32Array(data.maxChoices);
  let plurality = 0;
  let oracle = 0;
  let abstentions = 0;
  const hits = new Float64Array(N);
  const both = new Float64Array(N * N);
  const topSum = new Float64Array(N);
  const answered = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    const c = data.choiceCounts[t];
    votes.fill(0, 0, c);
    let any = false;
    let anyRight = false;
    for (let i = 0; i < N; i++) {
      const p = predictions[t * N + i];
      if (p >= 0) {
        votes[p] += 1;
        any = true;
        const row = data.probRow(t, i);
        topSum[i] += row[p];
        answered[i] += 1;
      } else abstentions += 1;
      if (correct[t * N + i]) {
        hits[i] += 1;
        anyRight = true;
      } else {
        for (let j = 0; j < i; j++) if (!correct[t * N + j]) both[j * N + i] += 1;
      }
    }
    if (anyRight) oracle += 1;
    if (any) {
      let best = 0;
      for (let k = 1; k < c; k++) if (votes[k] > votes[best]) best = k;
      if (best === data.labels[t]) plurality += 1;
    }
  }
  const pairwisePhi = Array.from({ length: N }, () => new Array<number>(N).fill(NaN));
  let phiSum = 0;
  let phiCount = 0;
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      const wi = (T - hits[i]) / T;
      const wj = (T - hits[j]) / T;
      const w11 = both[i * N + j] / T;
      const denominator = Math.sqrt(wi * (1 - wi) * wj * (1 - wj));
      const phi = denominator > 0 ? (w11 - wi * wj) / denominator : NaN;
      pairwisePhi[i][j] = pairwisePhi[j][i] = phi;
      if (!Number.isNaN(phi)) {
        phiSum += phi;
        phiCount += 1;
      }
    }
  }
  return {
    accuracy: Array.from(hits, (h) => h / T),
    pluralityAccuracy: plurality / T,
    oracleAccuracy: oracle / T,
    pairwisePhi,
    meanPairwisePhi: phiCount > 0 ? phiSum / phiCount : NaN,
    abstentionRate: abstentions / (T * N),
    meanTopProbability: Array.from(topSum, (s, i) => (answered[i] > 0 ? s / answered[i] : NaN)),
  };
}
