/** Least-squares fits: the power law T ~ a N^b that summarises how training time grows with the pool size (Figure 6). */

export interface PowerLawFit {
  /** T ~ exp(intercept) * N^exponent. */
  exponent: number;
  intercept: number;
  /** Standard error of the exponent (NaN with fewer than 3 points). */
  exponentSe: number;
  /** R^2 of the fit on the log-log scale. */
  r2: number;
  points: number;
}

/** Least-squares line through (log x, log y). */
export function fitPowerLaw(x: readonly number[], y: readonly number[]): PowerLawFit {
  if (x.length !== y.length) throw new RangeError(`fitPowerLaw: ${x.length} x values but ${y.length} y values`);
  const pairs = x.map((v, i) => [v, y[i]] as const).filter(([a, b]) => a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b));
  const n = pairs.length;
  if (n < 2) return { exponent: NaN, intercept: NaN, exponentSe: NaN, r2: NaN, points: n };
  const lx = pairs.map(([a]) => Math.log(a));
  const ly = pairs.map(([, b]) => Math.log(b));
  const mx = lx.reduce((s, v) => s + v, 0) / n;
  const my = ly.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
    syy += (ly[i] - my) ** 2;
  }
  if (sxx === 0) return { exponent: NaN, intercept: NaN, exponentSe: NaN, r2: NaN, points: n };
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ly[i] - intercept - exponent * lx[i]) ** 2;
  const exponentSe = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : NaN;
  const r2 = syy > 0 ? 1 - sse / syy : NaN;
  return { exponent, intercept, exponentSe, r2, points: n };
}
