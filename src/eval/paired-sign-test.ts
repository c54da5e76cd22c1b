/** Two passes over the same queries compared query by query: where exactly one of them is right, and how surprising that is. */
export interface PairedSignTest {
  /** Queries the first pass answers right and the second wrong. */
  wins: number;
  /** Queries the second pass answers right and the first wrong. */
  losses: number;
  /** One-sided sign-test p-value of "the first pass is no better than the second" (`signTestUpper(wins, wins + losses)`). */
  p: number;
}

/** The one-sided paired sign test of pass `a` against pass `b` (per-query correctness, same queries, same order). */
export function pairedSignTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedSignTest {
  if (a.length !== b.length) throw new RangeError(`pairedSignTest: ${a.length} answers against ${b.length}; the passes must cover the same queries`);
  let wins = 0;
  let losses = 0;
  for (let q = 0; q < a.length; q++) {
    if (a[q] && !b[q]) wins++;
    if (b[q] && !a[q]) losses++;
  }
  return { wins, losses, p: signTestUpper(wins, wins + losses) };
}

/** P(X >= k) for X ~ Binomial(n, 1/2), in log space (n up to the size of any validation split). */
export function signTestUpper(k: number, n: number): number {
  if (n === 0) return 1;
  let logFactorial = 0;
  const lf = [0];
  for (let i = 1; i <= n; i++) lf.push((logFactorial += Math.log(i)));
  let p = 0;
  for (let j = k; j <= n; j++) p += Math.exp(lf[n] - lf[j] - lf[n - j] - n * Math.LN2);
  return Math.min(1, p);
}

/**
 * Two-sided sign-test p-value of "neither pass is better" from the queries only one of them answers right: twice the
 * tail of the larger count, at most 1. For reporting a difference on the test split (is it more than noise?), not
 * for choosing anything.
 */
export function signTestTwoSided(wins: number, losses: number): number {
  return Math.min(1, 2 * signTestUpper(Math.max(wins, losses), wins + losses));
}
