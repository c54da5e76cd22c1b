/**
 * Error statistics of every team of a pool, for App. G.2's link (Eqs. 26-31) between focal diversity, the members'
 * error covariance and the ensemble's error.
 *
 * Error indicators: e_i(t) = 1 when model i fails query t (abstaining fails). Pairwise error covariance
 * Cov(e_a, e_b) = P(both fail) - P(a fails) P(b fails), averaged over the team's pairs (Eq. 31's covar term for 0/1
 * errors). Exact identity used as a check: with X = failing members, E[X(X-1)] = sum_{a != b} (Cov_ab + p_a p_b), so
 * generalized diversity 1 - E[X(X-1)] / ((m-1) E[X]) is a decreasing affine function of the summed covariance once the
 * error rates are fixed. Focal diversity is the same quantity conditioned on each member's failures, so it is expected
 * to track the covariance closely but not exactly.
 */
import { countsOf, type PredictionTable } from './table';
import { scanTeams, scanTeamMembers, type TeamScan } from './teams';

/** One team's error statistics (error = the model does not give the label; abstaining fails). */
export interface TeamErrorStats {
  team: string;
  size: number;
  focal: number;
  generalizedDiversity: number;
  /** Generalized diversity recomputed from error rates and pairwise covariances (the identity above). */
  generalizedDiversityFromCovariance: number;
  meanErrorCovariance: number;
  meanErrorCorrelation: number;
  meanMemberError: number;
  pluralityError: number;
}

/** Per-team error statistics of every team of size >= 2 (the pool must be scannable: N <= 16). */
export function teamErrorStats(data: PredictionTable, scan: TeamScan = scanTeams(data)): TeamErrorStats[] {
  const counts = countsOf(data, Int32Array.from({ length: data.nQueries }, (_, t) => t));
  const N = data.nModels;
  const T = counts.nQueries;
  const p = Float64Array.from(counts.fail, (f) => f / T);
  const cov = (a: number, b: number) => counts.cofail[a * N + b] / T - p[a] * p[b];
  const teams = scan.table.array('team') as string[];
  const focal = scan.table.array('focal_diversity') as Float64Array;
  const gd = scan.table.array('generalized_diversity') as Float64Array;
  const plurality = scan.table.array('plurality_accuracy') as Float64Array;
  if (scan.convention !== 'higher-more-diverse') throw new RangeError(`teamErrorStats: needs a 'higher-more-diverse' scan, got '${scan.convention}'`);
  return teams.map((team, r) => {
    const members = scanTeamMembers(team);
    const m = members.length;
    let covSum = 0;
    let corrSum = 0;
    let corrPairs = 0;
    let jointSum = 0;
    for (let x = 0; x < m; x++) {
      for (let y = x + 1; y < m; y++) {
        const a = members[x];
        const b = members[y];
        const c = cov(a, b);
        covSum += c;
        jointSum += c + p[a] * p[b];
        const denom = Math.sqrt(p[a] * (1 - p[a]) * p[b] * (1 - p[b]));
        if (denom > 0) {
          corrSum += c / denom;
          corrPairs++;
        }
      }
    }
    const pairs = (m * (m - 1)) / 2;
    const sumP = members.reduce((s, i) => s + p[i], 0);
    return {
      team,
      size: m,
      focal: focal[r],
      generalizedDiversity: gd[r],
      generalizedDiversityFromCovariance: sumP === 0 ? 1 : 1 - (2 * jointSum) / ((m - 1) * sumP),
      meanErrorCovariance: covSum / pairs,
      meanErrorCorrelation: corrPairs > 0 ? corrSum / corrPairs : NaN,
      meanMemberError: sumP / m,
      pluralityError: 1 - plurality[r],
    };
  });
}
