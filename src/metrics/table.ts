import { EnsembleCounts } from './counts';

/**
 * What the metrics need from a pool's recorded answers. `Dataset` satisfies it as is; plain arrays can be
 * wrapped with `predictionTable`.
 */
export interface PredictionTable {
  readonly nModels: number;
  readonly nQueries: number;
  /** Choices of the widest query; predictions and labels are < maxChoices. */
  readonly maxChoices: number;
  /** `[t * nModels + i]`: model i's choice on query t, -1 = abstained. */
  readonly predictions: Int32Array;
  readonly labels: Int32Array;
  /** TRAIN (0) / TEST (1) per query, when known. */
  readonly split?: Uint8Array;
  readonly models?: readonly { id: string }[];
}

export interface QuerySelection {
  /** Query indices to use (in any order); default all. */
  queries?: ArrayLike<number>;
  /** Restrict to one split (needs `split` on the table); combined with `queries` by intersection. */
  split?: 'train' | 'test';
}

/** The query indices a selection designates, validated. */
export function selectedQueries(data: PredictionTable, selection: QuerySelection = {}): Int32Array {
  const T = data.nQueries;
  const base = selection.queries ?? Int32Array.from({ length: T }, (_, t) => t);
  for (let q = 0; q < base.length; q++) {
    const t = base[q];
    if (!(Number.isInteger(t) && t >= 0 && t < T)) throw new RangeError(`queries[${q}] = ${t} is not a query index in [0, ${T})`);
  }
  if (selection.split === undefined) return Int32Array.from(base);
  if (!data.split) throw new RangeError(`split "${selection.split}" requested but the table has no split column`);
  if (selection.split !== 'train' && selection.split !== 'test') throw new RangeError(`split must be 'train' or 'test', got "${selection.split}"`);
  const code = selection.split === 'train' ? 0 : 1;
  return Int32Array.from(Array.from(base).filter((t) => data.split![t] === code));
}

/** Co-failure counts of the selected queries. */
export function countsOf(data: PredictionTable, queries: ArrayLike<number>): EnsembleCounts {
  const N = data.nModels;
  const counts = new EnsembleCounts(N, Math.max(1, data.maxChoices));
  for (let q = 0; q < queries.length; q++) {
    const t = queries[q];
    counts.add(data.predictions.subarray(t * N, t * N + N), data.labels[t]);
  }
  return counts;
}

/**
 * A PredictionTable from plain rows (rows = queries, columns = models, -1 = abstained). maxChoices is one more
 * than the largest label or prediction (at least 1). Errors name the row and column.
 */
export function predictionTable(
  predictions: readonly (readonly number[])[],
  labels: readonly number[],
  /** Pool size when there are no rows to read it from. */
  nModelsIfEmpty?: number,
): PredictionTable {
  const T = predictions.length;
  if (labels.length !== T) throw new RangeError(`labels has ${labels.length} entries but predictions has ${T} rows`);
  const N = T > 0 ? predictions[0].length : nModelsIfEmpty ?? 0;
  if (N === 0) throw new RangeError('predictions: no models (no rows to infer the pool size from, or rows of length 0)');
  const flat = new Int32Array(T * N);
  const labelArray = new Int32Array(T);
  let maxValue = 0;
  for (let t = 0; t < T; t++) {
    const row = predictions[t];
    if (row.length !== N) throw new RangeError(`predictions row ${t} has ${row.length} columns, row 0 has ${N}`);
    const y = labels[t];
    if (!(Number.isInteger(y) && y >= 0)) throw new RangeError(`labels[${t}] = ${y} is not a choice index (integer >= 0)`);
    labelArray[t] = y;
    maxValue = Math.max(maxValue, y);
    for (let i = 0; i < N; i++) {
      const p = row[i];
      if (!(Number.isInteger(p) && p >= -1)) throw new RangeError(`predictions row ${t}, column ${i} = ${p} is neither -1 (abstained) nor a choice index`);
      flat[t * N + i] = p;
      maxValue = Math.max(maxValue, p);
    }
  }
  return { nModels: N, nQueries: T, maxChoices: maxValue + 1, predictions: flat, labels: labelArray };
}
