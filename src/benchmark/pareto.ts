/**
 * Cost-quality view of a set of methods on one pool: which methods are on the Pareto frontier (no other method is
 * at least as accurate for at most the same spend, and strictly better in one of the two), and one number for the
 * whole frontier in the spirit of RouterBench's AIQ (average improvement in quality).
 *
 * AIQ here, precisely: let f(x) be the best accuracy among the methods whose spend (calls per query, or cents per
 * 1,000 queries) is at most x: a non-decreasing step function ("with a budget of x, take the best method that fits").
 * Over the budget range [lo, hi] (lo = the cheapest method's spend; hi = N calls, i.e. calling every model, or the
 * largest cost among the methods), AIQ = (1 / (hi - lo)) * integral of f from lo to hi: the mean accuracy a user gets
 * over budgets spread uniformly across the range. When hi = lo it is f(lo). `aiqHull` is RouterBench's variant: the
 * same integral under the upper concave envelope of the points (a budget between two methods is spent by randomly
 * mixing them per query, which achieves the straight line between them), so aiqHull >= aiq.
 */

export interface CostQualityPoint {
  method: string;
  /** Spend: calls per query or cents per 1,000 queries. */
  x: number;
  /** Accuracy. */
  y: number;
}

/** The non-dominated points, cheapest first (accuracy strictly increasing along it); ties keep the first given. */
export function paretoFrontier<P extends CostQualityPoint>(points: readonly P[]): P[] {
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const sorted = finite
    .map((p, at) => ({ p, at }))
    .sort((a, b) => a.p.x - b.p.x || b.p.y - a.p.y || a.at - b.at)
    .map((e) => e.p);
  const frontier: P[] = [];
  for (const p of sorted) if (frontier.length === 0 || p.y > frontier[frontier.length - 1].y) frontier.push(p);
  return frontier;
}

/** The upper concave envelope of the frontier (cheapest first): the spends reachable by mixing two methods. */
export function upperHull<P extends CostQualityPoint>(points: readonly P[]): P[] {
  const hull: P[] = [];
  for (const p of paretoFrontier(points)) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // b is under the segment a-p (or on it): drop it.
      if ((b.y - a.y) * (p.x - a.x) <= (p.y - a.y) * (b.x - a.x)) hull.pop();
      else break;
    }
    hull.push(p);
  }
  return hull;
}

export interface AiqRange {
  /** Lower end of the budget range; default the cheapest point's spend. */
  lo?: number;
  /** Upper end; default the dearest point's spend. */
  hi?: number;
}

function range(points: readonly CostQualityPoint[], r: AiqRange): [number, number] {
  const xs = points.map((p) => p.x);
  const lo = r.lo ?? Math.min(...xs);
  const hi = r.hi ?? Math.max(...xs);
  if (!(hi >= lo)) throw new RangeError(`aiq: the range [${lo}, ${hi}] is empty`);
  return [lo, hi];
}

/** Area under the step frontier over [lo, hi], divided by hi - lo (see the file comment); NaN without points. */
export function aiq(points: readonly CostQualityPoint[], r: AiqRange = {}): number {
  const frontier = paretoFrontier(points);
  if (frontier.length === 0) return NaN;
  const [lo, hi] = range(frontier, r);
  const at = (x: number) => {
    let best = NaN;
    for (const p of frontier) if (p.x <= x) best = p.y;
    return best;
  };
  if (hi === lo) return at(lo);
  let area = 0;
  const cuts = [lo, ...frontier.map((p) => p.x).filter((x) => x > lo && x < hi), hi];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const y = at(cuts[k]);
    // Below the cheapest method nothing is affordable: that stretch counts as accuracy 0.
    area += (Number.isNaN(y) ? 0 : y) * (cuts[k + 1] - cuts[k]);
  }
  return area / (hi - lo);
}

/** RouterBench's variant: area under the upper concave envelope (flat after its last point), over [lo, hi]. */
export function aiqHull(points: readonly CostQualityPoint[], r: AiqRange = {}): number {
  const hull = upperHull(points);
  if (hull.length === 0) return NaN;
  const [lo, hi] = range(hull, r);
  const at = (x: number): number => {
    if (x < hull[0].x) return 0;
    for (let k = 0; k + 1 < hull.length; k++) {
      const a = hull[k];
      const b = hull[k + 1];
      if (x <= b.x) return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
    }
    return hull[hull.length - 1].y;
  };
  if (hi === lo) return at(lo);
  // Piecewise linear between breakpoints: the trapezoid rule is exact.
  const cuts = [...new Set([lo, ...hull.map((p) => p.x).filter((x) => x > lo && x < hi), hi])].sort((a, b) => a - b);
  let area = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const left = cuts[k] < hull[0].x ? 0 : at(cuts[k]);
    area += ((left + at(cuts[k + 1])) / 2) * (cuts[k + 1] - cuts[k]);
  }
  return area / (hi - lo);
}
