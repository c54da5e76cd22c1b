/** Mean, sample standard deviation and standard error of one number measured over several seeds. */
export interface SeedSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (ddof = 1); NaN for fewer than two values. */
  std: number;
  /** Standard error of the mean, std / sqrt(n), as the paper's "mean ± standard error over 5 runs". */
  standardError: number;
}

/** Mean, sample standard deviation and standard error of the values (one per seed). */
export function summarizeSeeds(values: ArrayLike<number>): SeedSummary {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, std: NaN, standardError: NaN };
  let mean = 0;
  for (let k = 0; k < n; k++) mean += values[k];
  mean /= n;
  if (n < 2) return { n, mean, std: NaN, standardError: NaN };
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (values[k] - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  return { n, mean, std, standardError: std / Math.sqrt(n) };
}

/** Standard error of the mean of the values (NaN for fewer than two). */
export function standardError(values: ArrayLike<number>): number {
  return summarizeSeeds(values).standardError;
}
