import type { Dataset } from '../data/dataset';
import { majorityVote, pluralityVote, softVote, type VoteRule } from '../metrics/voting';
import { evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import type { EvalOptions } from './single';
import { allModels, checkTeam, teamLabel } from './team';

export const VOTE_RULES: readonly VoteRule[] = ['plurality', 'majority', 'soft'];

/**
 * A function answering query t with a team's vote (the metrics helper's voting rules). Keeps its own scratch
 * buffers, so use one per team and do not share it across concurrent loops.
 */
export function teamVoter(dataset: Dataset, team: ArrayLike<number>, rule: VoteRule): (t: number) => number {
  const members = Int32Array.from(team);
  const m = members.length;
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  if (rule === 'soft') {
    const rows: Float64Array[] = new Array(m);
    return (t) => {
      for (let k = 0; k < m; k++) rows[k] = dataset.probRow(t, members[k]);
      return softVote(rows, dataset.choiceCounts[t]);
    };
  }
  const vote = rule === 'plurality' ? pluralityVote : majorityVote;
  const votes = new Int32Array(m);
  return (t) => {
    for (let k = 0; k < m; k++) votes[k] = predictions[t * N + members[k]];
    return vote(votes, dataset.choiceCounts[t]);
  };
}

export interface VoteOptions extends EvalOptions {
  /** Member model indices; all models by default. */
  team?: ArrayLike<number>;
}

/** A fixed team answering every query by vote; every member is called on every query. */
export function voteBaseline(dataset: Dataset, rule: VoteRule, options: VoteOptions = {}): MethodResult {
  if (!VOTE_RULES.includes(rule)) throw new RangeError(`voteBaseline: unknown rule "${rule}" (known: ${VOTE_RULES.join(', ')})`);
  const members = options.team ? checkTeam(dataset, options.team, 'voteBaseline') : allModels(dataset);
  const voter = teamVoter(dataset, members, rule);
  const who = options.team ? teamLabel(dataset, members) : `all ${dataset.nModels} models`;
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'vote', rule, method: `${rule} vote: ${who}` },
    (t, meter) => {
      meter.record(members);
      return voter(t);
    },
    { rule, team: Array.from(members, (i) => dataset.models[i].id) },
  );
}
