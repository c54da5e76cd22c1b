import { Rng } from '../../src/util/rng';
import { Dataset, TEST, TRAIN } from '../../src/data/dataset';
import type { Pool } from './naive';

export interface PoolShape {
  nModels: number;
  nQueries: number;
  nChoices: number;
  /** Probability that a model abstains on a query. */
  abstain?: number;
  /** Models that copy model 0's answers exactly (exercises identical failure sets and exact ties). */
  copies?: number;
}

/**
 * Random pool with correlated failures: each query has a difficulty and a shared distractor, each model a skill;
 * wrong models often pick the shared distractor, so teams fail together, agree on wrong answers and tie.
 */
export function randomPool(rng: Rng, shape: PoolShape): Pool {
  const { nModels: N, nQueries: T, nChoices: C } = shape;
  const abstain = shape.abstain ?? 0.05;
  const copies = Math.min(shape.copies ?? 0, N - 1);
  const skill = Array.from({ length: N }, () => rng.normal(0.5, 1));
  const predictions: number[][] = [];
  const labels: number[] = [];
  for (let q = 0; q < T; q++) {
    const label = rng.int(C);
    const difficulty = rng.normal(0, 1.5);
    const distractor = C > 1 ? (label + 1 + rng.int(C - 1)) % C : label;
    const row: number[] = [];
    for (let i = 0; i < N; i++) {
      if (i >= N - copies) {
        row.push(row[0]);
        continue;
      }
      if (rng.next() < abstain) {
        row.push(-1);
        continue;
      }
      const pRight = 1 / (1 + Math.exp(difficulty - skill[i]));
      if (rng.next() < pRight) row.push(label);
      else row.push(rng.next() < 0.6 ? distractor : rng.int(C));
    }
    predictions.push(row);
    labels.push(label);
  }
  return { predictions, labels, nChoices: C };
}

/** A random team of size m (distinct members, random order). */
export function randomTeam(rng: Rng, nModels: number, m: number): number[] {
  const all = Array.from({ length: nModels }, (_, i) => i);
  rng.shuffle(all);
  return all.slice(0, m);
}

/** The pool restricted to queries [from, to). */
export function slicePool(pool: Pool, from: number, to: number): Pool {
  return { predictions: pool.predictions.slice(from, to), labels: pool.labels.slice(from, to), nChoices: pool.nChoices };
}

/** |a - b| <= tol, NaN only equal to NaN. */
export function close(a: number, b: number, tol = 1e-12): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= tol;
}

/** A Dataset holding the pool (one-hot probabilities, abstention = zeros); split: query t is TEST when t % 4 == 3. */
export function poolDataset(pool: Pool, nModels: number): Dataset {
  const T = pool.labels.length;
  const N = nModels;
  const C = pool.nChoices;
  const probs = new Float64Array(T * N * C);
  pool.predictions.forEach((row, t) => row.forEach((p, i) => {
    if (p >= 0) probs[(t * N + i) * C + p] = 1;
  }));
  return new Dataset({
    models: Array.from({ length: N }, (_, i) => ({ id: `model-${i}` })),
    choiceCounts: new Uint8Array(T).fill(C),
    labels: Int32Array.from(pool.labels),
    probs,
    predictions: Int32Array.from(pool.predictions.flat()),
    taskIds: new Uint16Array(T),
    taskNames: ['task'],
    subtaskIds: new Uint16Array(T),
    subtaskNames: ['subtask'],
    split: Uint8Array.from({ length: T }, (_, t) => (t % 4 === 3 ? TEST : TRAIN)),
    provenance: { kind: 'synthetic', source: 'test/metrics/pools.ts randomPool' },
  });
}
