/**
 * Order statistics of a sample: the interpolated quantile of sorted values, the middle value without interpolation,
 * and the mean of the values that are defined.
 */

/** The q-quantile (q in [0, 1]) of ascending `sorted`, linearly interpolated between neighbours; NaN when empty. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The middle of the finite values, the upper of the two middle ones for an even count (a value of the sample, never an
 * interpolation between two); NaN when no value is finite.
 */
export function upperMedian(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return v.length === 0 ? NaN : v[Math.floor(v.length / 2)];
}

/** Mean of the non-NaN values (NaN when there are none). */
export function meanOfDefined(values: readonly number[]): number {
  const defined = values.filter((v) => !Number.isNaN(v));
  return defined.length === 0 ? NaN : defined.reduce((a, b) => a + b, 0) / defined.length;
}
