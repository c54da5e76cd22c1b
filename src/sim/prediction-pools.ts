/**
 * Synthetic prediction tables for checking metrics (notebook 02's focal-diversity properties, the tests): random pools
 * with a controllable error coupling, pools whose failures never overlap, and reordered or duplicated copies of a pool.
 */
import type { PredictionTable } from '../metrics/table';
import type { Rng } from '../util/rng';

export interface CoupledPoolShape {
  nModels: number;
  nQueries: number;
  nChoices: number;
  /** Probability that a model's right/wrong draw uses the query's shared uniform instead of its own: 0 = independent
   * errors, 1 = errors nested by accuracy (a model fails whenever a more accurate one does). */
  coupling: number;
  /** Per-model accuracy, drawn uniformly from this range. */
  accuracyRange?: [number, number];
}

/**
 * A random pool whose error correlation is set by `coupling`. Model i is right when its uniform is below its
 * accuracy, so P(right) is exactly the drawn accuracy whatever the coupling. Wrong answers are uniform over the
 * other choices.
 */
export function coupledRandomPool(rng: Rng, shape: CoupledPoolShape): PredictionTable {
  const { nModels: N, nQueries: T, nChoices: C, coupling } = shape;
  const [lo, hi] = shape.accuracyRange ?? [0.3, 0.9];
  const accuracy = Float64Array.from({ length: N }, () => rng.uniform(lo, hi));
  const predictions = new Int32Array(T * N);
  const labels = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    labels[t] = rng.int(C);
    const shared = rng.next();
    for (let i = 0; i < N; i++) {
      const u = rng.bernoulli(coupling) ? shared : rng.next();
      predictions[t * N + i] = u < accuracy[i] ? labels[t] : (labels[t] + 1 + rng.int(C - 1)) % C;
    }
  }
  return { nModels: N, nQueries: T, maxChoices: C, predictions, labels, models: modelIds(N) };
}

/** A pool in which at most one model fails on each query (each query: nobody fails with probability `pNone`). */
export function disjointFailurePool(rng: Rng, nModels: number, nQueries: number, nChoices: number, pNone = 0.3): PredictionTable {
  const predictions = new Int32Array(nQueries * nModels);
  const labels = new Int32Array(nQueries);
  for (let t = 0; t < nQueries; t++) {
    labels[t] = rng.int(nChoices);
    const failing = rng.bernoulli(pNone) ? -1 : rng.int(nModels);
    for (let i = 0; i < nModels; i++) {
      predictions[t * nModels + i] = i === failing ? (labels[t] + 1 + rng.int(nChoices - 1)) % nChoices : labels[t];
    }
  }
  return { nModels, nQueries, maxChoices: nChoices, predictions, labels, models: modelIds(nModels) };
}

/** The same pool with its models reordered (`order[k]` = old index of new model k) and its queries reordered. */
export function permutedTable(data: PredictionTable, modelOrder: ArrayLike<number>, queryOrder: ArrayLike<number>): PredictionTable {
  const N = data.nModels;
  const T = queryOrder.length;
  const predictions = new Int32Array(T * N);
  const labels = new Int32Array(T);
  for (let q = 0; q < T; q++) {
    const t = queryOrder[q];
    labels[q] = data.labels[t];
    for (let k = 0; k < N; k++) predictions[q * N + k] = data.predictions[t * N + modelOrder[k]];
  }
  const models = Array.from(modelOrder, (i) => ({ id: data.models ? data.models[i].id : `m${i}` }));
  return { nModels: N, nQueries: T, maxChoices: data.maxChoices, predictions, labels, models };
}

/** Every model repeated `copies` times: model i's copies are i*copies .. i*copies + copies - 1. */
export function duplicatedTable(data: PredictionTable, copies: number): PredictionTable {
  const N = data.nModels;
  const wideN = N * copies;
  const predictions = new Int32Array(data.nQueries * wideN);
  for (let t = 0; t < data.nQueries; t++) {
    for (let k = 0; k < wideN; k++) predictions[t * wideN + k] = data.predictions[t * N + Math.floor(k / copies)];
  }
  const models = Array.from({ length: wideN }, (_, k) => ({ id: `${data.models?.[Math.floor(k / copies)].id ?? `m${Math.floor(k / copies)}`}#${k % copies}` }));
  return { nModels: wideN, nQueries: data.nQueries, maxChoices: data.maxChoices, predictions, labels: data.labels, models };
}

function modelIds(n: number): { id: string }[] {
  return Array.from({ length: n }, (_, i) => ({ id: `m${i}` }));
}
