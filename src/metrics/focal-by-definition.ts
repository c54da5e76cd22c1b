import type { PredictionTable } from './table';

/**
 * Eq. 8 written out as the paper defines it, one focal member at a time: on the n_F queries where focal F fails,
 * p_j = n_j / n_F is the share on which exactly j members fail; P(1) = sum_j (j/m) p_j, P(2) = sum_j j(j-1)/(m(m-1)) p_j,
 * lambda_neg(F) = 1 - P(2)/P(1), and focal diversity is the mean over members. A member that never fails scores 1
 * (the authors' code). O(m^2 T): the reference the count-based scan is checked against.
 */
export function focalDiversityByDefinition(data: PredictionTable, team: readonly number[], queries?: ArrayLike<number>): number {
  const m = team.length;
  if (m < 2) return NaN;
  const N = data.nModels;
  const T = queries ? queries.length : data.nQueries;
  const fails = (t: number, i: number) => data.predictions[t * N + i] !== data.labels[t];
  let total = 0;
  for (const focal of team) {
    const n = new Float64Array(m + 1);
    let nF = 0;
    for (let q = 0; q < T; q++) {
      const t = queries ? queries[q] : q;
      if (!fails(t, focal)) continue;
      nF++;
      let x = 0;
      for (const member of team) if (fails(t, member)) x++;
      n[x]++;
    }
    if (nF === 0) {
      total += 1;
      continue;
    }
    let p1 = 0;
    let p2 = 0;
    for (let j = 1; j <= m; j++) {
      const pj = n[j] / nF;
      p1 += (j / m) * pj;
      p2 += ((j * (j - 1)) / (m * (m - 1))) * pj;
    }
    total += 1 - p2 / p1;
  }
  return total / m;
}
