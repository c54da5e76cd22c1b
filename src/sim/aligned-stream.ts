/**
 * A simulated open-ended query stream for choosing among three aligned fine-tunes (spec §3 Table 6, notebook 14): task
 * blocks in the order of the authors' `open_ended_test.py` (helpfulness, then safety, then truthfulness queries) and,
 * per task and model, a 0/1 judge score drawn with a given rate. A shared latent query difficulty (Gaussian copula,
 * loading `loading`) correlates the three models' scores on a query without changing those rates. Also the per-task
 * scores and choice shares of a choice sequence on such a stream, in the paper's Table 6 units.
 */
import { normalQuantile } from '../stats/normal';
import type { Rng } from '../util/rng';

/** The three task blocks of the stream, in stream order. */
export const ALIGNED_TASKS = ['helpfulness', 'safety', 'truthfulness'] as const;
export type AlignedTask = (typeof ALIGNED_TASKS)[number];

/** Probability that each model's answer scores 1 on a query of each task (rows: task; columns: model). */
export type ScoreRates = Record<AlignedTask, [number, number, number]>;

/** One simulated stream: the three models' scores on each query and the query's task. */
export interface AlignedStream {
  /** T x 3 scores in {0, 1}, row-major. */
  scores: Float64Array;
  /** Task index per query. */
  tasks: Uint8Array;
  length: number;
}

/** Draws one stream of task blocks with the given rates. */
export function simulateAlignedStream(blocks: readonly number[], rates: ScoreRates, loading: number, rng: Rng): AlignedStream {
  if (!(loading >= 0 && loading < 1)) throw new RangeError(`simulateAlignedStream: loading must be in [0, 1), got ${loading}`);
  const T = blocks.reduce((s, n) => s + n, 0);
  const scores = new Float64Array(T * 3);
  const tasks = new Uint8Array(T);
  const own = Math.sqrt(1 - loading * loading);
  let t = 0;
  ALIGNED_TASKS.forEach((task, k) => {
    const thresholds = rates[task].map((p) => {
      if (!(p > 0 && p < 1)) throw new RangeError(`simulateAlignedStream: rate of ${task} must be in (0, 1), got ${p}`);
      return normalQuantile(p);
    });
    for (let q = 0; q < blocks[k]; q++, t++) {
      tasks[t] = k;
      const z = rng.normal();
      for (let i = 0; i < 3; i++) scores[t * 3 + i] = loading * z + own * rng.normal() < thresholds[i] ? 1 : 0;
    }
  });
  return { scores, tasks, length: T };
}

/** Per-task metrics of a choice sequence, in the paper's Table 6 units (percent). */
export interface AlignedScores {
  helpfulnessWinPct: number;
  safetyFlaggedPct: number;
  truthfulPct: number;
  /** Mean of helpfulness win, 100 - flagged, truthful (our definition of the Avg column; the paper's is not known). */
  avgPct: number;
}

/** The per-task scores of `choices` (one model index per query) on `stream`. */
export function alignedScores(stream: AlignedStream, choices: ArrayLike<number>): AlignedScores {
  const sum = [0, 0, 0];
  const count = [0, 0, 0];
  for (let t = 0; t < stream.length; t++) {
    sum[stream.tasks[t]] += stream.scores[t * 3 + choices[t]];
    count[stream.tasks[t]] += 1;
  }
  const rate = sum.map((s, k) => (count[k] > 0 ? (100 * s) / count[k] : NaN));
  return {
    helpfulnessWinPct: rate[0],
    safetyFlaggedPct: 100 - rate[1],
    truthfulPct: rate[2],
    avgPct: (rate[0] + rate[1] + rate[2]) / 3,
  };
}

/** Fraction of each task's queries on which each model was chosen (rows: task, columns: model). */
export function choiceShares(stream: AlignedStream, choices: ArrayLike<number>): number[][] {
  const counts = ALIGNED_TASKS.map(() => [0, 0, 0]);
  for (let t = 0; t < stream.length; t++) counts[stream.tasks[t]][choices[t]] += 1;
  return counts.map((row) => {
    const n = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (n > 0 ? v / n : NaN));
  });
}
