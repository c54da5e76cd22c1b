/**
 * Normal-distribution helpers (first written for the simulator's latent-variable model): the probit link between a
 * model's accuracy and its threshold, the bivariate normal orthant probability that ties a latent correlation to the
 * rate at which two models fail together, the runner-up integral, a rank AUC, and the root finders the calibration
 * fit solves its moment equations with.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal CDF, Phi(x) (Hart 1968 rational approximation as given by West 2005; double precision). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  let tail: number;
  if (ax > 37) {
    tail = 0;
  } else {
    const e = Math.exp(-0.5 * ax * ax);
    if (ax < 7.07106781186547) {
      let num = 3.52624965998911e-2 * ax + 0.700383064443688;
      num = num * ax + 6.37396220353165;
      num = num * ax + 33.912866078383;
      num = num * ax + 112.079291497871;
      num = num * ax + 221.213596169931;
      num = num * ax + 220.206867912376;
      let den = 8.83883476483184e-2 * ax + 1.75566716318264;
      den = den * ax + 16.064177579207;
      den = den * ax + 86.7807322029461;
      den = den * ax + 296.564248779674;
      den = den * ax + 637.333633378831;
      den = den * ax + 793.826512519948;
      den = den * ax + 440.413735824752;
      tail = (e * num) / den;
    } else {
      let b = ax + 0.65;
      b = ax + 4 / b;
      b = ax + 3 / b;
      b = ax + 2 / b;
      b = ax + 1 / b;
      tail = e / b / SQRT_2PI;
    }
  }
  return x > 0 ? 1 - tail : tail;
}

/** Standard normal quantile, Phi^-1(p) for 0 < p < 1 (Acklam's approximation plus one Halley step). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/** Nodes and weights of n-point Gauss-Legendre quadrature on [-1, 1] (Newton iteration on P_n). */
function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

const GL20 = gaussLegendre(20);

/**
 * P(X > h, Y > k) for a standard bivariate normal with correlation r, |r| <= 0.99.
 * Uses d/dr P = phi2(h, k; r) and the substitution r = sin(theta) (Drezner-Wesolowsky form), integrated
 * from independence: P = Phi(-h) Phi(-k) + 1/(2 pi) * int_0^asin(r) exp(-(h^2 + k^2 - 2 h k sin t) / (2 cos^2 t)) dt.
 */
export function bivariateNormalUpper(h: number, k: number, r: number): number {
  if (!(Math.abs(r) <= 0.99)) throw new RangeError(`bivariateNormalUpper: |r| must be <= 0.99, got ${r}`);
  const independent = normalCdf(-h) * normalCdf(-k);
  if (r === 0) return independent;
  const upper = Math.asin(r);
  const half = upper / 2;
  const hs = h * h + k * k;
  const hk = 2 * h * k;
  let sum = 0;
  for (let i = 0; i < GL20.nodes.length; i++) {
    const t = half * (GL20.nodes[i] + 1);
    const s = Math.sin(t);
    const c2 = 1 - s * s;
    sum += GL20.weights[i] * Math.exp(-(hs - hk * s) / (2 * c2));
  }
  return independent + (sum * half) / (2 * Math.PI);
}

/** Root of a function that increases on [lo, hi], by bisection; clamps to the end points when there is no sign change. */
export function bisectIncreasing(f: (x: number) => number, lo: number, hi: number, iterations = 60): number {
  if (f(lo) >= 0) return lo;
  if (f(hi) <= 0) return hi;
  for (let i = 0; i < iterations; i++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}

/**
 * P(X > second largest of Y_1..Y_n) for X ~ N(shift, 1) and n >= 2 iid N(0, 1): the chance that an option with
 * utility offset `shift` is the runner-up of a model that answered the largest of n other utilities.
 * int phi(z - shift) [Phi(z)^n + n Phi(z)^(n-1) (1 - Phi(z))] dz, Simpson's rule on shift +- 10 (800 intervals).
 */
export function aboveSecondLargest(shift: number, n: number): number {
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`aboveSecondLargest: n must be an integer >= 2, got ${n}`);
  const intervals = 800;
  const lo = shift - 10;
  const h = 20 / intervals;
  let sum = 0;
  for (let m = 0; m <= intervals; m++) {
    const z = lo + m * h;
    const weight = m === 0 || m === intervals ? 1 : m % 2 === 1 ? 4 : 2;
    const F = normalCdf(z);
    const below = F ** n + n * F ** (n - 1) * (1 - F);
    sum += weight * Math.exp(-0.5 * (z - shift) ** 2) * below;
  }
  return (sum * h) / 3 / SQRT_2PI;
}

/** Area under the ROC curve of a score separating positives from negatives (ties count one half); NaN if a side is empty. */
export function rankAuc(positive: ArrayLike<number>, negative: ArrayLike<number>): number {
  const n1 = positive.length;
  const n0 = negative.length;
  if (n1 === 0 || n0 === 0) return NaN;
  // Copies sorted in place (typed-array sort is numeric).
  const pos = Float64Array.from(positive).sort();
  const neg = Float64Array.from(negative).sort();
  // For each positive, the negatives below it count 1 and the equal ones 1/2 (two pointers over sorted arrays).
  let below = 0;
  let upTo = 0;
  let credit = 0;
  for (let k = 0; k < n1; k++) {
    const v = pos[k];
    while (below < n0 && neg[below] < v) below++;
    if (upTo < below) upTo = below;
    while (upTo < n0 && neg[upTo] === v) upTo++;
    credit += below + (upTo - below) / 2;
  }
  return credit / (n1 * n0);
}

/**
 * The smallest root of f on [lo, hi] for an f that need not be monotone: scans `grid` evenly spaced points for the
 * first sign change from < 0 to >= 0 and bisects there. Without a sign change, the grid point where |f| is least
 * (`exact` false then).
 */
export function firstRoot(f: (x: number) => number, lo: number, hi: number, grid = 16, iterations = 30): { x: number; exact: boolean } {
  let previousX = lo;
  let previous = f(lo);
  if (previous >= 0) return { x: lo, exact: previous === 0 };
  let bestX = lo;
  let best = Math.abs(previous);
  for (let k = 1; k < grid; k++) {
    const x = lo + ((hi - lo) * k) / (grid - 1);
    const value = f(x);
    if (value >= 0) {
      let a = previousX;
      let b = x;
      for (let it = 0; it < iterations; it++) {
        const mid = 0.5 * (a + b);
        if (f(mid) < 0) a = mid;
        else b = mid;
      }
      return { x: 0.5 * (a + b), exact: true };
    }
    if (Math.abs(value) < best) {
      best = Math.abs(value);
      bestX = x;
    }
    previousX = x;
    previous = value;
  }
  return { x: bestX, exact: false };
}
