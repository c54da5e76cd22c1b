/**
 * How the models' errors correlate over a set of queries: the N x N Pearson matrix of their error indicators, the
 * heatmap notebook 01 shows beside each model's accuracy.
 */

/** What the matrix reads: per query and model, 1 when the model is right (row-major T x N), as `Dataset.correct`. */
export interface CorrectnessTable {
  nModels: number;
  correct: ArrayLike<number>;
}

/** Pearson correlation of the models' error indicators (1 = wrong) over the given queries; NaN for a constant model. */
export function errorCorrelationMatrix(data: CorrectnessTable, queries: ArrayLike<number>): Float64Array {
  const N = data.nModels;
  const T = queries.length;
  const correct = data.correct;
  const mean = new Float64Array(N);
  for (let q = 0; q < T; q++) for (let i = 0; i < N; i++) mean[i] += 1 - correct[queries[q] * N + i];
  for (let i = 0; i < N; i++) mean[i] /= Math.max(1, T);
  const cov = new Float64Array(N * N);
  for (let q = 0; q < T; q++) {
    const base = queries[q] * N;
    for (let i = 0; i < N; i++) {
      const di = 1 - correct[base + i] - mean[i];
      for (let j = i; j < N; j++) cov[i * N + j] += di * (1 - correct[base + j] - mean[j]);
    }
  }
  const out = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = i; j < N; j++) {
      const r = cov[i * N + j] / Math.sqrt(cov[i * N + i] * cov[j * N + j]);
      out[i * N + j] = r;
      out[j * N + i] = r;
    }
  }
  return out;
}
