import type { Dataset } from '../data/dataset';
import { Rng } from '../util/rng';
import { aboveSecondLargest, bisectIncreasing, bivariateNormalUpper, normalQuantile } from '../stats/normal';
import type { PoolCalibration, SubtaskCalibration } from './calibration';
import { goldRunnerUpCredit, runnerUp } from './calibration-probes';
import { fitConfidences } from './calibration-confidence';

/**
 * Fit the simulator's latent-variable model to recorded outputs, and the pool statistics used to check the fit.
 *
 * Fitted, in this order:
 * 1. per model and subtask, the accuracy (hits + 0.5) / (n + 1) (kept inside (0, 1) for the probit link);
 * 2. per model pair, the latent correlation rho_ij that reproduces the pair's joint failure count given those
 *    accuracies (sum over subtasks of n_s * P(L_i > a_is, L_j > a_js; rho) = observed), solved by bisection;
 * 3. one difficulty loading per model (rho_ij ~ loading_i loading_j, + familyLoading^2 within a family), least squares;
 * 4. the option-appeal sharing w from P(two wrong models give the same wrong answer) on questions with >= 3
 *    options (a wrong model answers the wrong option of largest utility sqrt(w) A_c + sqrt(1 - w) e_c; Monte Carlo
 *    over copies of the observed pairs with fixed draws, bisection);
 * 5. per model, the runner-up boost b_i at which P(the gold is the runner-up | wrong, >= 3 options) equals the
 *    observed rate (exact, whatever w: the gold's utility N(b_i, 1) must beat the second largest of the C - 1
 *    wrong utilities, iid N(0, 1) for a single model);
 * 6. the confidence model, see calibration-confidence.ts.
 *
 * The family factor enters the pair correlations (2-3) and the joint draws of the confidence fit only.
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
/** Monte Carlo draws of pairs of wrong models for the appeal-sharing fit. */
const APPEAL_DRAWS = 20_000;
const MAX_APPEAL_SHARING = 0.95;
const MIN_RUNNER_UP_BOOST = -3;
const MAX_RUNNER_UP_BOOST = 5;

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

  // 4. Option-appeal sharing, from pairs of wrong answers on questions with >= 3 options.
  let pairs = 0;
  let same = 0;
  let sameNonGoldRunnerUp = 0;
  const pairChoices: number[] = [];
  const pairModels: Array<[number, number]> = [];
  const ranUp = new Int32Array(N);
  for (let t = 0; t < T; t++) {
    const c = real.choiceCounts[t];
    if (c < 3) continue;
    for (let i = 0; i < N; i++) {
      const p = predictions[t * N + i];
      ranUp[i] = p < 0 || correct[t * N + i] ? -1 : runnerUp(real.probRow(t, i), c, p);
    }
    for (let i = 0; i < N; i++) {
      const pi = predictions[t * N + i];
      if (pi < 0 || correct[t * N + i]) continue;
      for (let j = i + 1; j < N; j++) {
        const pj = predictions[t * N + j];
        if (pj < 0 || correct[t * N + j]) continue;
        pairs += 1;
        if (pi === pj) same += 1;
        if (ranUp[i] === ranUp[j] && ranUp[i] !== real.labels[t]) sameNonGoldRunnerUp += 1;
        pairChoices.push(c);
        pairModels.push([i, j]);
      }
    }
  }
  const pairDraws = pairs > 0 ? wrongPairDraws(pairChoices, pairModels, new Rng(options.seed ?? 0).fork('calibrate:appeal')) : undefined;
  let appealSharing = 0;
  if (pairDraws) appealSharing = bisectIncreasing((x) => simulateWrongPairs(pairDraws, x).sameAnswer - same / pairs, 0, MAX_APPEAL_SHARING, 30);
  else notes.push('no pair of wrong answers on questions with >= 3 options: option-appeal sharing set to 0');

  // 5. Runner-up boost per model (exact: a single model's wrong utilities are iid N(0, 1) whatever the sharing).
  const wrongCells = new Float64Array(N * 256);
  const goldCredit = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    const c = real.choiceCounts[t];
    if (c < 3) continue;
    for (let i = 0; i < N; i++) {
      const p = predictions[t * N + i];
      if (p < 0 || correct[t * N + i]) continue;
      wrongCells[i * 256 + c] += 1;
      goldCredit[i] += goldRunnerUpCredit(real.probRow(t, i), c, p, real.labels[t]);
    }
  }
  const modelRunnerUp = (i: number, boost: number): number => {
    let expected = 0;
    let cells = 0;
    for (let c = 3; c < 256; c++) {
      const n = wrongCells[i * 256 + c];
      if (n === 0) continue;
      expected += n * aboveSecondLargest(boost, c - 1);
      cells += n;
    }
    return expected / cells;
  };
  const runnerUpBoosts = new Array<number>(N).fill(0);
  const runnerUpDiagnostics = { observed: new Array<number>(N).fill(NaN), model: new Array<number>(N).fill(NaN), chance: new Array<number>(N).fill(NaN) };
  for (let i = 0; i < N; i++) {
    let cells = 0;
    let chance = 0;
    for (let c = 3; c < 256; c++) {
      cells += wrongCells[i * 256 + c];
      chance += wrongCells[i * 256 + c] / (c - 1);
    }
    if (cells === 0) {
      notes.push(`model ${real.models[i].id} is never wrong on a question with >= 3 options: runner-up boost set to 0`);
      continue;
    }
    const observed = goldCredit[i] / cells;
    runnerUpBoosts[i] = bisectIncreasing((b) => modelRunnerUp(i, b) - observed, MIN_RUNNER_UP_BOOST, MAX_RUNNER_UP_BOOST, 50);
    runnerUpDiagnostics.observed[i] = observed;
    runnerUpDiagnostics.model[i] = modelRunnerUp(i, runnerUpBoosts[i]);
    runnerUpDiagnostics.chance[i] = chance / cells;
  }
  const pairModel = pairDraws ? simulateWrongPairs(pairDraws, appealSharing, runnerUpBoosts) : undefined;

  // 6. Confidences (calibration-confidence.ts).
  // A family factor index per model that shares its family (the first member's index), -1 otherwise.
  const familyOf = Int32Array.from(real.models, (m, i) => (real.models.some((_, j) => j !== i && sameFamily(i, j)) ? families.indexOf(m.family) : -1));
  const confidence = fitConfidences({
    real,
    subtaskOf,
    subtasks,
    threshold,
    loadings,
    familyLoading,
    familyOf,
    runnerUpBoosts,
    seed: options.seed ?? 0,
    notes,
  });

  return {
    source: options.source ?? `calibrateToDataset(${real.provenance.source})`,
    mode: 'choices',
    subtasks,
    models: real.models.map((info, i) => ({
      info: { ...info },
      accuracy: accuracy[i],
      loading: loadings[i],
      temperature: confidence.temperature[i],
      sharpness: confidence.sharpness[i],
      confidenceNoise: confidence.noise[i],
      subtaskConfidenceGain: confidence.subtaskGain[i],
      runnerUpBoost: runnerUpBoosts[i],
    })),
    familyLoading,
    abstentionRate: abstained / (T * N),
    appealSharing,
    difficultyConfidence: confidence.difficultyConfidence,
    notes,
    diagnostics: {
      pairCorrelation: { observed: observedRho, model: modelRho },
      sameWrongAnswer: { observed: pairs > 0 ? same / pairs : NaN, model: pairModel?.sameAnswer ?? NaN, pairs },
      ...confidence.diagnostics,
      goldRunnerUp: runnerUpDiagnostics,
      sameNonGoldRunnerUp: { observed: pairs > 0 ? sameNonGoldRunnerUp / pairs : NaN, model: pairModel?.sameNonGoldRunnerUp ?? NaN, pairs },
    },
  };
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

interface WrongPairDraws {
  n: number;
  choices: Uint8Array;
  models: Int32Array;
  /** Per draw, `width` shared appeals, then `width` private normals for each model of the pair. */
  normals: Float64Array;
  width: number;
}

/**
 * For the appeal-sharing fit: APPEAL_DRAWS pairs of wrong models, each a copy of an observed pair (its two models
 * and option count, cycling through the pairs), with the gold at option 0.
 */
function wrongPairDraws(pairChoices: number[], pairModels: Array<[number, number]>, rng: Rng): WrongPairDraws {
  const n = Math.max(APPEAL_DRAWS, pairChoices.length);
  const width = Math.max(...pairChoices);
  const choices = new Uint8Array(n);
  const models = new Int32Array(2 * n);
  const normals = new Float64Array(3 * width * n);
  for (let d = 0; d < n; d++) {
    const p = d % pairChoices.length;
    choices[d] = pairChoices[p];
    models[2 * d] = pairModels[p][0];
    models[2 * d + 1] = pairModels[p][1];
    for (let k = 0; k < 3 * width; k++) normals[3 * width * d + k] = rng.normal();
  }
  return { n, choices, models, normals, width };
}

/**
 * The simulator's answers (largest wrong utility) and runner-ups of the drawn pairs at an appeal sharing:
 * P(same wrong answer) and, given runner-up boosts, P(same runner-up that is not the gold). Mirrors
 * writeModelLogits (gold utility private, N(0, 1) + boost).
 */
function simulateWrongPairs(draws: WrongPairDraws, sharing: number, boosts?: number[]): { sameAnswer: number; sameNonGoldRunnerUp: number } {
  const shared = Math.sqrt(sharing);
  const own = Math.sqrt(1 - sharing);
  const { width } = draws;
  let sameAnswer = 0;
  let sameNonGold = 0;
  const answer = [0, 0];
  const second = [0, 0];
  for (let d = 0; d < draws.n; d++) {
    const c = draws.choices[d];
    const base = 3 * width * d;
    for (let m = 0; m < 2; m++) {
      const own0 = base + (1 + m) * width;
      let best = -1;
      let bestUtility = -Infinity;
      let next = -1;
      let nextUtility = -Infinity;
      for (let k = 1; k < c; k++) {
        const utility = shared * draws.normals[base + k] + own * draws.normals[own0 + k];
        if (utility > bestUtility) {
          next = best;
          nextUtility = bestUtility;
          best = k;
          bestUtility = utility;
        } else if (utility > nextUtility) {
          next = k;
          nextUtility = utility;
        }
      }
      answer[m] = best;
      second[m] = boosts && draws.normals[own0] + boosts[draws.models[2 * d + m]] > nextUtility ? 0 : next;
    }
    if (answer[0] === answer[1]) sameAnswer += 1;
    if (second[0] === second[1] && second[0] !== 0) sameNonGold += 1;
  }
  return { sameAnswer: sameAnswer / draws.n, sameNonGoldRunnerUp: sameNonGold / draws.n };
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
