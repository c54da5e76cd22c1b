/** How the experiments print results over seeds: "mean ± SE" in percent, and a learning curve's band. */
import { summarizeSeeds, type SeedSummary } from '../stats/seeds';
import type { CurvePoint } from '../runs/seed-runs';

/** "mean ± SE" in percent, e.g. "77.98 ± 0.52"; the SE is omitted for a single seed. */
export function formatPercentSe(summary: SeedSummary, digits = 2): string {
  if (!Number.isFinite(summary.mean)) return 'n/a';
  const mean = (100 * summary.mean).toFixed(digits);
  return Number.isFinite(summary.standardError) ? `${mean} ± ${(100 * summary.standardError).toFixed(digits)}` : mean;
}

/** Mean and standard deviation per episode over seeds (curves of unequal length are cut to the shortest). */
export function curveBand(curves: ReadonlyArray<readonly CurvePoint[]>): { episode: number[]; mean: number[]; std: number[] } {
  const length = Math.min(...curves.map((c) => c.length));
  const episode: number[] = [];
  const mean: number[] = [];
  const std: number[] = [];
  for (let k = 0; k < length; k++) {
    const s = summarizeSeeds(curves.map((c) => c[k].accuracy));
    episode.push(k + 1);
    mean.push(s.mean);
    std.push(Number.isFinite(s.std) ? s.std : 0);
  }
  return { episode, mean, std };
}
