/**
 * Correlation coefficients for "does metric A track metric B" questions (Figure 2, notebook 02, the sweeps' profile
 * comparisons). Pairs where either value is NaN are skipped (and counted), never silently turned into numbers.
 */

export interface CorrelationResult {
  /** NaN when fewer than 3 usable pairs or a constant column. */
  value: number;
  /** Pairs used. */
  n: number;
  /** Pairs skipped because a value was NaN. */
  skipped: number;
}

function finitePairs(x: ArrayLike<number>, y: ArrayLike<number>): { xs: number[]; ys: number[]; skipped: number } {
  if (x.length !== y.length) throw new RangeError(`correlation: x has ${x.length} values, y has ${y.length}`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    xs.push(x[i]);
    ys.push(y[i]);
  }
  return { xs, ys, skipped: x.length - xs.length };
}

export interface CorrelationOptions {
  /**
   * Fewest usable pairs for a value (3 by default: two points always lie on a line). The sweeps' trend sentences
   * pass 2, where two grid points give rho = +-1 by construction and that is what the sentence reports.
   */
  minPairs?: number;
}

function pearsonOf(xs: ArrayLike<number>, ys: ArrayLike<number>, minPairs = 3): number {
  const n = xs.length;
  if (n < minPairs) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks 0..n-1 with ties given their average rank (as scipy.stats.rankdata 'average', minus 1). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let k = 0; k < n; ) {
    let e = k;
    while (e + 1 < n && values[order[e + 1]] === values[order[k]]) e++;
    for (let t = k; t <= e; t++) ranks[order[t]] = (k + e) / 2;
    k = e + 1;
  }
  return ranks;
}

/** Pearson's r over the pairs where neither value is NaN. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, options: CorrelationOptions = {}): CorrelationResult {
  const { xs, ys, skipped } = finitePairs(x, y);
  return { value: pearsonOf(xs, ys, options.minPairs), n: xs.length, skipped };
}

/** Spearman's rho = Pearson correlation of average ranks (handles ties). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>, options: CorrelationOptions = {}): CorrelationResult {
  const { xs, ys, skipped } = finitePairs(x, y);
  return { value: pearsonOf(averageRanks(xs), averageRanks(ys), options.minPairs), n: xs.length, skipped };
}

/**
 * Spearman correlation of x and y with z partialled out (first-order partial correlation of the ranks): does focal
 * diversity say anything about ensemble error beyond what the members' own error rates already say?
 */
export function partialSpearman(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>): number {
  const rxy = spearman(x, y).value;
  const rxz = spearman(x, z).value;
  const ryz = spearman(y, z).value;
  return (rxy - rxz * ryz) / Math.sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
}
