import type { Rng } from '../util/rng';

/**
 * The topic sequence of a simulated stream: runs of one subtask with infrequent switches (the non-stationarity
 * the paper's Decider has to track).
 *
 * Each subtask gets an exact quota of the T queries (largest remainder of its weight share), so per-topic
 * mixtures are not left to chance; each quota is cut into runs of geometric length (mean `meanRunLength`), and the
 * runs are shuffled. Two runs of one subtask that land next to each other merge, so realised runs are a little
 * longer than the mean. `meanRunLength = Infinity` gives one run per subtask, in table order (how the real
 * MMLU/BBH files are laid out).
 */
export interface TopicSchedule {
  /** Subtask index per query. */
  subtask: Uint16Array;
  /** Queries per subtask. */
  quotas: Int32Array;
  /** Number of maximal runs of one subtask. */
  runs: number;
}

export function quotasFromWeights(weights: ArrayLike<number>, total: number): Int32Array {
  let sum = 0;
  for (let s = 0; s < weights.length; s++) sum += weights[s];
  const quotas = new Int32Array(weights.length);
  const remainders: Array<[number, number]> = [];
  let assigned = 0;
  for (let s = 0; s < weights.length; s++) {
    const exact = (weights[s] / sum) * total;
    quotas[s] = Math.floor(exact);
    assigned += quotas[s];
    remainders.push([exact - quotas[s], s]);
  }
  remainders.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < total - assigned; k++) quotas[remainders[k][1]] += 1;
  return quotas;
}

export function topicSchedule(weights: ArrayLike<number>, nQueries: number, meanRunLength: number, rng: Rng): TopicSchedule {
  if (!(meanRunLength >= 1)) throw new RangeError(`simulatePool: meanRunLength must be >= 1 (or Infinity), got ${meanRunLength}`);
  const quotas = quotasFromWeights(weights, nQueries);
  const chunks: Array<[number, number]> = [];
  for (let s = 0; s < quotas.length; s++) {
    let left = quotas[s];
    while (left > 0) {
      const len = meanRunLength === Infinity ? left : Math.min(left, geometricLength(meanRunLength, rng));
      chunks.push([s, len]);
      left -= len;
    }
  }
  if (meanRunLength !== Infinity) rng.shuffle(chunks);
  const subtask = new Uint16Array(nQueries);
  let t = 0;
  let runs = 0;
  for (const [s, len] of chunks) {
    if (t === 0 || subtask[t - 1] !== s) runs += 1;
    subtask.fill(s, t, t + len);
    t += len;
  }
  return { subtask, quotas, runs };
}

/** Length >= 1 with mean `mean` (1 + Geometric(1 / mean) failures). */
function geometricLength(mean: number, rng: Rng): number {
  if (mean === 1) return 1;
  const u = 1 - rng.next();
  return 1 + Math.floor(Math.log(u) / Math.log(1 - 1 / mean));
}
