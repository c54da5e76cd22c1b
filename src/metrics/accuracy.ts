import { sortTeam } from './bitset';
import { PredictionTable } from './table';
import { pluralityVote } from './voting';

export interface VoteAccuracies {
  /** Plurality vote right (ties -> lowest choice; nobody answering = wrong). */
  plurality: number;
  /** More than half of the members right (abstainers count as not right). */
  majority: number;
  /** At least one member right. */
  oracle: number;
}

/**
 * Accuracies of one team's votes over the given queries, O(queries * m). NaN for no queries; an empty team
 * never answers (0). For many teams over the same queries use `scanTeams`, which uses bitmasks.
 */
export function voteAccuracies(data: PredictionTable, team: ArrayLike<number>, queries: ArrayLike<number>): VoteAccuracies {
  const N = data.nModels;
  const members = new Int32Array(N);
  const m = sortTeam(team, N, members);
  const T = queries.length;
  if (T === 0) return { plurality: NaN, majority: NaN, oracle: NaN };
  const votes = new Int32Array(m);
  let plurality = 0;
  let majority = 0;
  let oracle = 0;
  for (let q = 0; q < T; q++) {
    const t = queries[q];
    const label = data.labels[t];
    let right = 0;
    for (let x = 0; x < m; x++) {
      votes[x] = data.predictions[t * N + members[x]];
      if (votes[x] === label) right++;
    }
    if (right === 0) continue;
    oracle++;
    if (2 * right > m) majority++;
    if (pluralityVote(votes, data.maxChoices) === label) plurality++;
  }
  return { plurality: plurality / T, majority: majority / T, oracle: oracle / T };
}

/** Each model's accuracy over every query of the table (abstaining is wrong). */
export function modelAccuraciesOf(data: PredictionTable): Float64Array {
  const N = data.nModels;
  const acc = new Float64Array(N);
  for (let t = 0; t < data.nQueries; t++) for (let i = 0; i < N; i++) if (data.predictions[t * N + i] === data.labels[t]) acc[i]++;
  return acc.map((c) => c / data.nQueries);
}
