import type { Dataset } from '../data/dataset';
import { Rng } from '../util/rng';
import { bisectIncreasing, firstRoot, rankAuc } from '../stats/normal';
import type { CalibrationDiagnostics, SubtaskCalibration } from './calibration';
import { runnerUp } from './calibration-probes';
import { type ConfidenceShape, confidenceSignal, writeModelLogits } from './simulator-confidence';

/**
 * Fits the simulator's confidence model (simulator-confidence.ts) to recorded outputs, after the latent model and
 * the runner-up boosts (calibration-fit.ts). The lead of the answered option over the runner-up is
 * softplus(sharpness * (signal + noise * e)) / temperature in log-probability, with
 * signal = margin + subtaskGain * ease - difficultyConfidence * z, so its ranking depends on (noise, subtaskGain,
 * difficultyConfidence) only, and the probability levels on (sharpness, temperature) given those:
 *
 * 1. difficultyConfidence (pool) by bisection on the disagreement AUC: over pairs of models of which exactly one is
 *    right, how often the right one's lead is the higher percentile of its own leads. For each candidate value:
 *    per model the noise from the AUC of the lead within subtasks, then the subtask gain from the pooled AUC
 *    (joint Monte Carlo of all models with fixed draws);
 * 2. per model, the sharpness and temperature at which the mean top probability and its gap between right and wrong
 *    answers equal the observed ones (fixed draws, nested bisection: log sharpness outside, log temperature inside).
 */

export interface ConfidenceFitInput {
  real: Dataset;
  /** Calibration subtask index per query. */
  subtaskOf: Int32Array;
  subtasks: SubtaskCalibration[];
  /** Probit threshold per model and subtask. */
  threshold: number[][];
  loadings: number[];
  familyLoading: number;
  /** Family index per model (-1: none). */
  familyOf: Int32Array;
  runnerUpBoosts: number[];
  seed: number;
  /** Fit notes are appended here. */
  notes: string[];
}

export interface ConfidenceFit {
  difficultyConfidence: number;
  noise: number[];
  subtaskGain: number[];
  sharpness: number[];
  temperature: number[];
  diagnostics: Pick<CalibrationDiagnostics, 'meanTopProbability' | 'confidenceSplit' | 'leadAuc' | 'disagreementAuc'>;
}

/** Joint Monte Carlo draws of all models (queries of the subtask mix) for the ranking fits. */
const JOINT_DRAWS = 6000;
/** Draws per model for the sharpness and temperature fit. */
const LEVEL_DRAWS = 2000;
const MAX_NOISE = 20;
const MIN_SUBTASK_GAIN = -1;
const MAX_SUBTASK_GAIN = 10;
const MAX_DIFFICULTY_CONFIDENCE = 3;
const MIN_SHARPNESS = 0.02;
const MAX_SHARPNESS = 5;

export function fitConfidences(input: ConfidenceFitInput): ConfidenceFit {
  const { real, subtaskOf, subtasks, threshold, notes } = input;
  const N = real.nModels;
  const S = subtasks.length;
  const observed = confidenceStatistics(real, subtaskOf);
  const ease = threshold.map((row) => {
    let total = 0;
    let mean = 0;
    for (let s = 0; s < S; s++) {
      mean += subtasks[s].weight * row[s];
      total += subtasks[s].weight;
    }
    return row.map((th) => th - mean / total);
  });
  const fitRanking = observed.answered.map((n, i) => n > 0 && observed.right[i] > 0 && observed.right[i] < n);
  fitRanking.forEach((ok, i) => {
    if (!ok) notes.push(`model ${real.models[i].id} never answers, or is always right or always wrong: confidence noise, subtask gain and sharpness left at 0, 0, 1`);
  });

  // 1. Ranking: difficulty weight (pool), noise and subtask gain (per model).
  const rng = new Rng(input.seed).fork('calibrate:confidence');
  const draws = jointDraws(input, rng.fork('joint'));
  const groups = Array.from({ length: N }, (_, i) => drawGroups(draws, i, S));
  const noise = new Array<number>(N).fill(0);
  const subtaskGain = new Array<number>(N).fill(0);
  const fitModels = (difficulty: number): void => {
    for (let i = 0; i < N; i++) {
      if (!fitRanking[i]) continue;
      noise[i] = bisectIncreasing((r) => observed.aucWithin[i] - signalAuc(draws, groups[i], ease[i], r, 0, difficulty).within, 0, MAX_NOISE, 13);
      const pooledGap = (g: number): number => signalAuc(draws, groups[i], ease[i], noise[i], g, difficulty).pooled - observed.auc[i];
      subtaskGain[i] = pooledGap(0) < 0 ? firstRoot(pooledGap, 0, MAX_SUBTASK_GAIN, 9, 11).x : bisectIncreasing(pooledGap, MIN_SUBTASK_GAIN, 0, 11);
    }
  };
  const simulatedDisagreement = (difficulty: number): number => {
    fitModels(difficulty);
    return disagreementAuc(draws, ease, noise, subtaskGain, difficulty, fitRanking);
  };
  let difficultyConfidence = 0;
  if (Number.isNaN(observed.disagreementAuc)) notes.push('no pair of models with exactly one right answer: difficulty weight of confidences set to 0');
  else difficultyConfidence = bisectIncreasing((d) => observed.disagreementAuc - simulatedDisagreement(d), 0, MAX_DIFFICULTY_CONFIDENCE, 10);
  const modelDisagreement = simulatedDisagreement(difficultyConfidence);
  const auc = {
    observed: observed.auc,
    model: new Array<number>(N).fill(NaN),
    observedWithinSubtask: observed.aucWithin,
    modelWithinSubtask: new Array<number>(N).fill(NaN),
  };
  for (let i = 0; i < N; i++) {
    if (!fitRanking[i]) continue;
    const fitted = signalAuc(draws, groups[i], ease[i], noise[i], subtaskGain[i], difficultyConfidence);
    auc.model[i] = fitted.pooled;
    auc.modelWithinSubtask[i] = fitted.within;
  }

  // 2. Levels: sharpness and temperature per model.
  const sharpness = new Array<number>(N).fill(1);
  const temperature = new Array<number>(N).fill(1);
  const modelTop = new Array<number>(N).fill(NaN);
  const modelSplit = new Array<number>(N).fill(NaN);
  for (let i = 0; i < N; i++) {
    if (observed.answered[i] === 0) {
      notes.push(`model ${real.models[i].id} never answers: temperature left at 1`);
      continue;
    }
    const drawsAt = (k: number): LevelDraws =>
      levelDraws(input, i, ease[i], difficultyConfidence, subtaskGain[i], { sharpness: k, noise: noise[i], runnerUpBoost: input.runnerUpBoosts[i], appealSharing: 0 }, rng.fork(real.models[i].id));
    const temperatureFor = (d: LevelDraws): number =>
      Math.exp(bisectIncreasing((x) => observed.top[i] - meanTop(d, Math.exp(x)).all, Math.log(0.01), Math.log(100), 30));
    if (fitRanking[i]) {
      const splitAt = (logK: number): number => {
        const d = drawsAt(Math.exp(logK));
        const top = meanTop(d, temperatureFor(d));
        return top.right - top.wrong - observed.split[i];
      };
      // The split first grows with the sharpness, then can shrink again (a steep lead saturates the top
      // probability of right and wrong answers alike): take the smallest sharpness that reaches it.
      const root = firstRoot(splitAt, Math.log(MIN_SHARPNESS), Math.log(MAX_SHARPNESS), 12, 20);
      sharpness[i] = Math.exp(root.x);
      if (!root.exact) notes.push(`model ${real.models[i].id}: no sharpness reproduces the confidence split ${observed.split[i].toFixed(3)}; the closest (${sharpness[i].toFixed(2)}) taken`);
    }
    const d = drawsAt(sharpness[i]);
    temperature[i] = temperatureFor(d);
    const top = meanTop(d, temperature[i]);
    modelTop[i] = top.all;
    modelSplit[i] = top.right - top.wrong;
  }
  return {
    difficultyConfidence,
    noise,
    subtaskGain,
    sharpness,
    temperature,
    diagnostics: {
      meanTopProbability: { observed: observed.top, model: modelTop },
      confidenceSplit: { observed: observed.split, model: modelSplit },
      leadAuc: auc,
      disagreementAuc: { observed: observed.disagreementAuc, model: modelDisagreement, pairs: observed.disagreementPairs },
    },
  };
}

/** The confidence figures the fit reproduces, per model and for the pool. */
export interface ConfidenceStatistics {
  answered: number[];
  right: number[];
  /** Mean top probability, and its mean when right minus when wrong. */
  top: number[];
  split: number[];
  /** AUC of the log-probability lead over the runner-up, right vs wrong: pooled and within subtasks. */
  auc: number[];
  aucWithin: number[];
  disagreementAuc: number;
  disagreementPairs: number;
}

/** Confidence figures of a pool; `subtaskOf` groups the queries for the within-subtask AUC (default: subtask ids). */
export function confidenceStatistics(real: Dataset, subtaskOf: ArrayLike<number> = real.subtaskIds): ConfidenceStatistics {
  const N = real.nModels;
  const T = real.nQueries;
  const lead = new Float64Array(T * N).fill(NaN);
  const out: ConfidenceStatistics = {
    answered: new Array<number>(N).fill(0),
    right: new Array<number>(N).fill(0),
    top: new Array<number>(N).fill(NaN),
    split: new Array<number>(N).fill(NaN),
    auc: new Array<number>(N).fill(NaN),
    aucWithin: new Array<number>(N).fill(NaN),
    disagreementAuc: NaN,
    disagreementPairs: 0,
  };
  for (let i = 0; i < N; i++) {
    const sums = [0, 0];
    const scores: number[][] = [[], []];
    const groups: number[][] = [[], []];
    for (let t = 0; t < T; t++) {
      const p = real.predictions[t * N + i];
      if (p < 0) continue;
      const right = real.correct[t * N + i];
      const row = real.probRow(t, i);
      const second = runnerUp(row, real.choiceCounts[t], p);
      lead[t * N + i] = Math.log(Math.max(row[p], Number.MIN_VALUE)) - Math.log(Math.max(row[second], Number.MIN_VALUE));
      sums[right] += row[p];
      scores[right].push(lead[t * N + i]);
      groups[right].push(subtaskOf[t]);
    }
    out.answered[i] = scores[0].length + scores[1].length;
    out.right[i] = scores[1].length;
    if (out.answered[i] === 0) continue;
    out.top[i] = (sums[0] + sums[1]) / out.answered[i];
    out.split[i] = sums[1] / scores[1].length - sums[0] / scores[0].length;
    out.auc[i] = rankAuc(scores[1], scores[0]);
    out.aucWithin[i] = withinGroupAuc(scores[1], groups[1], scores[0], groups[0]);
  }
  // Percentile of each lead among the model's own leads (mid-ranks for ties), then pairs with exactly one right.
  const percentile = new Float64Array(T * N).fill(NaN);
  for (let i = 0; i < N; i++) {
    const values: number[] = [];
    for (let t = 0; t < T; t++) if (!Number.isNaN(lead[t * N + i])) values.push(lead[t * N + i]);
    const sorted = Float64Array.from(values).sort();
    for (let t = 0; t < T; t++) if (!Number.isNaN(lead[t * N + i])) percentile[t * N + i] = midRank(sorted, lead[t * N + i]) / sorted.length;
  }
  let credit = 0;
  let pairs = 0;
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const pi = percentile[t * N + i];
      if (Number.isNaN(pi)) continue;
      for (let j = i + 1; j < N; j++) {
        const pj = percentile[t * N + j];
        if (Number.isNaN(pj) || real.correct[t * N + i] === real.correct[t * N + j]) continue;
        const rightHigher = real.correct[t * N + i] ? pi - pj : pj - pi;
        credit += rightHigher > 0 ? 1 : rightHigher === 0 ? 0.5 : 0;
        pairs += 1;
      }
    }
  }
  out.disagreementPairs = pairs;
  out.disagreementAuc = pairs > 0 ? credit / pairs : NaN;
  return out;
}

/** (number of values below v) + (number equal to v + 1) / 2, in a sorted array: v's mid-rank, 1-based. */
function midRank(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end] === v) end++;
  return lo + (end - lo + 1) / 2;
}

interface JointDraws {
  n: number;
  subtask: Int32Array;
  difficulty: Float64Array;
  /** Model-major: margin[i * n + q]. */
  margin: Float64Array;
  noise: Float64Array;
}

/** JOINT_DRAWS queries of the subtask mix with every model's latent margin (shared difficulty and family factors as the simulator draws them) and a N(0, 1) confidence noise. */
function jointDraws(input: ConfidenceFitInput, rng: Rng): JointDraws {
  const { threshold, loadings, familyLoading, familyOf, subtasks } = input;
  const N = loadings.length;
  const n = JOINT_DRAWS;
  const weights = subtasks.map((s) => s.weight);
  const families = Math.max(0, ...familyOf) + 1;
  const draws: JointDraws = { n, subtask: new Int32Array(n), difficulty: new Float64Array(n), margin: new Float64Array(N * n), noise: new Float64Array(N * n) };
  const factor = new Float64Array(families);
  for (let q = 0; q < n; q++) {
    const s = rng.categorical(weights);
    const z = rng.normal();
    for (let f = 0; f < families; f++) factor[f] = rng.normal();
    draws.subtask[q] = s;
    draws.difficulty[q] = z;
    for (let i = 0; i < N; i++) {
      const phi = familyOf[i] >= 0 ? familyLoading : 0;
      const own = Math.sqrt(Math.max(0, 1 - loadings[i] ** 2 - phi ** 2));
      const latent = loadings[i] * z + (phi > 0 ? phi * factor[familyOf[i]] : 0) + own * rng.normal();
      draws.margin[i * n + q] = threshold[i][s] - latent;
      draws.noise[i * n + q] = rng.normal();
    }
  }
  return draws;
}

/** Model i's simulated signal + noise on each joint draw. */
function scores(draws: JointDraws, i: number, ease: number[], noise: number, gain: number, difficulty: number, out: Float64Array = new Float64Array(draws.n)): Float64Array {
  for (let q = 0; q < draws.n; q++) {
    const at = i * draws.n + q;
    out[q] = confidenceSignal(draws.margin[at], ease[draws.subtask[q]], draws.difficulty[q], gain, difficulty) + noise * draws.noise[at];
  }
  return out;
}

/** Model i's joint draws split by outcome and subtask (fixed across the fit), with scratch space for the AUCs. */
interface DrawGroups {
  model: number;
  /** Draw indices, right ones then wrong ones, each run ordered by subtask; starts[s] .. starts[s + 1] per run. */
  right: Int32Array;
  wrong: Int32Array;
  rightStarts: Int32Array;
  wrongStarts: Int32Array;
  score: Float64Array;
  a: Float64Array;
  b: Float64Array;
}

function drawGroups(draws: JointDraws, i: number, S: number): DrawGroups {
  const bySide: number[][][] = [Array.from({ length: S }, () => []), Array.from({ length: S }, () => [])];
  for (let q = 0; q < draws.n; q++) bySide[draws.margin[i * draws.n + q] > 0 ? 1 : 0][draws.subtask[q]].push(q);
  const flatten = (lists: number[][]): { indices: Int32Array; starts: Int32Array } => {
    const starts = new Int32Array(S + 1);
    lists.forEach((l, s) => (starts[s + 1] = starts[s] + l.length));
    return { indices: Int32Array.from(lists.flat()), starts };
  };
  const right = flatten(bySide[1]);
  const wrong = flatten(bySide[0]);
  return {
    model: i,
    right: right.indices,
    wrong: wrong.indices,
    rightStarts: right.starts,
    wrongStarts: wrong.starts,
    score: new Float64Array(draws.n),
    a: new Float64Array(draws.n),
    b: new Float64Array(draws.n),
  };
}

/** AUCs (pooled, within subtasks) of the model's simulated lead ranking, right (margin > 0) against wrong draws. */
function signalAuc(draws: JointDraws, g: DrawGroups, ease: number[], noise: number, gain: number, difficulty: number): { pooled: number; within: number } {
  const score = scores(draws, g.model, ease, noise, gain, difficulty, g.score);
  const gather = (indices: Int32Array, from: number, to: number, out: Float64Array): Float64Array => {
    for (let k = from; k < to; k++) out[k - from] = score[indices[k]];
    return out.subarray(0, to - from);
  };
  const pooled = rankAuc(gather(g.right, 0, g.right.length, g.a), gather(g.wrong, 0, g.wrong.length, g.b));
  let weighted = 0;
  let pairs = 0;
  for (let s = 0; s + 1 < g.rightStarts.length; s++) {
    const n1 = g.rightStarts[s + 1] - g.rightStarts[s];
    const n0 = g.wrongStarts[s + 1] - g.wrongStarts[s];
    if (n1 === 0 || n0 === 0) continue;
    const auc = rankAuc(gather(g.right, g.rightStarts[s], g.rightStarts[s + 1], g.a), gather(g.wrong, g.wrongStarts[s], g.wrongStarts[s + 1], g.b));
    weighted += auc * n1 * n0;
    pairs += n1 * n0;
  }
  return { pooled, within: pairs > 0 ? weighted / pairs : NaN };
}

/** Simulated disagreement AUC (see observeConfidences) over the joint draws. */
function disagreementAuc(draws: JointDraws, ease: number[][], noise: number[], gain: number[], difficulty: number, included: boolean[]): number {
  const { n } = draws;
  const N = noise.length;
  const rank = new Float64Array(N * n);
  for (let i = 0; i < N; i++) {
    if (!included[i]) continue;
    const score = scores(draws, i, ease[i], noise[i], gain[i], difficulty);
    const sorted = Float64Array.from(score).sort();
    for (let q = 0; q < n; q++) rank[i * n + q] = midRank(sorted, score[q]);
  }
  let credit = 0;
  let pairs = 0;
  for (let i = 0; i < N; i++) {
    if (!included[i]) continue;
    for (let j = i + 1; j < N; j++) {
      if (!included[j]) continue;
      for (let q = 0; q < n; q++) {
        const ri = draws.margin[i * n + q] > 0;
        if (ri === draws.margin[j * n + q] > 0) continue;
        pairs += 1;
        if (ri ? rank[i * n + q] > rank[j * n + q] : rank[j * n + q] > rank[i * n + q]) credit += 1;
      }
    }
  }
  return pairs > 0 ? credit / pairs : NaN;
}

/** AUC over pairs (positive, negative) of the same group: per-group AUCs weighted by their number of pairs. */
export function withinGroupAuc(positive: number[], positiveGroup: number[], negative: number[], negativeGroup: number[]): number {
  const groups = new Map<number, number[][]>();
  const add = (value: number, group: number, side: number): void => {
    let entry = groups.get(group);
    if (!entry) groups.set(group, (entry = [[], []]));
    entry[side].push(value);
  };
  positive.forEach((v, k) => add(v, positiveGroup[k], 1));
  negative.forEach((v, k) => add(v, negativeGroup[k], 0));
  let weighted = 0;
  let pairs = 0;
  for (const [neg, pos] of groups.values()) {
    if (pos.length === 0 || neg.length === 0) continue;
    weighted += rankAuc(pos, neg) * pos.length * neg.length;
    pairs += pos.length * neg.length;
  }
  return pairs > 0 ? weighted / pairs : NaN;
}

interface LevelDraws {
  /** Per draw, the logit differences (other - answered) its top probability depends on. */
  gaps: Float64Array[];
  /** Per draw, 1 when the simulated answer is right. */
  right: Uint8Array;
}

/**
 * LEVEL_DRAWS simulated answers of model i (subtasks in proportion to their weights) through writeModelLogits.
 * The number of random draws does not depend on the shape, so refitting with another sharpness on a fork with the
 * same label reuses the same underlying normals.
 */
function levelDraws(input: ConfidenceFitInput, i: number, ease: number[], difficulty: number, gain: number, shape: ConfidenceShape, rng: Rng): LevelDraws {
  const { subtasks, threshold, loadings } = input;
  const weights = subtasks.map((s) => s.weight);
  const scratch = new Float64Array(Math.max(...subtasks.map((s) => s.choices)));
  const gaps: Float64Array[] = [];
  const right = new Uint8Array(LEVEL_DRAWS);
  const own = Math.sqrt(1 - loadings[i] ** 2);
  for (let k = 0; k < LEVEL_DRAWS; k++) {
    const s = rng.categorical(weights);
    const c = subtasks[s].choices;
    const z = rng.normal();
    const margin = threshold[i][s] - (loadings[i] * z + own * rng.normal());
    const gold = rng.int(c);
    const signal = confidenceSignal(margin, ease[s], z, gain, difficulty);
    const answer = writeModelLogits(scratch, 0, c, gold, margin > 0, signal, shape, rng);
    const g = new Float64Array(c - 1);
    let m = 0;
    for (let j = 0; j < c; j++) if (j !== answer) g[m++] = scratch[j] - scratch[answer];
    gaps.push(g);
    right[k] = margin > 0 ? 1 : 0;
  }
  return { gaps, right };
}

/** Mean top probability of the draws at a temperature: overall, over right draws, over wrong draws. */
function meanTop(draws: LevelDraws, temperature: number): { all: number; right: number; wrong: number } {
  const sums = [0, 0];
  const counts = [0, 0];
  draws.gaps.forEach((g, k) => {
    let denominator = 1;
    for (const d of g) denominator += Math.exp(d / temperature);
    sums[draws.right[k]] += 1 / denominator;
    counts[draws.right[k]] += 1;
  });
  return { all: (sums[0] + sums[1]) / draws.gaps.length, right: sums[1] / counts[1], wrong: sums[0] / counts[0] };
}
