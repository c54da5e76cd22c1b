import type { Dataset } from '../data/dataset';
import { choosePerSubtask, evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import type { EvalOptions } from './single';
import type { VoteRule } from '../metrics/voting';
import { teamVoter } from './vote';
import { voteAccuracyObjective } from './vote-objective';
import { compareKeys, searchTeams, type TeamSearchLimits, type TeamSearchMethod } from '../metrics/team-search';

/** Exhaustive search is 2^N teams; beyond this many models it is refused rather than left running. */
export const MAX_EXHAUSTIVE_MODELS = 16;

/** Every team of minSize..maxSize models, ordered by size, then lexicographically (members ascending). */
export function enumerateTeams(nModels: number, minSize = 1, maxSize = nModels): Int32Array[] {
  if (!(Number.isInteger(nModels) && nModels >= 1)) throw new RangeError(`enumerateTeams: nModels must be an integer >= 1, got ${nModels}`);
  if (nModels > MAX_EXHAUSTIVE_MODELS) {
    throw new RangeError(`enumerateTeams: ${nModels} models give 2^${nModels} teams; exhaustive search is limited to ${MAX_EXHAUSTIVE_MODELS} models`);
  }
  if (!(Number.isInteger(minSize) && Number.isInteger(maxSize) && minSize >= 1 && minSize <= maxSize && maxSize <= nModels)) {
    throw new RangeError(`enumerateTeams: need 1 <= minSize <= maxSize <= ${nModels}, got ${minSize}..${maxSize}`);
  }
  const teams: Int32Array[] = [];
  for (let size = minSize; size <= maxSize; size++) {
    const team = Int32Array.from({ length: size }, (_, k) => k);
    for (;;) {
      teams.push(team.slice());
      let k = size - 1;
      while (k >= 0 && team[k] === nModels - size + k) k--;
      if (k < 0) break;
      team[k]++;
      for (let j = k + 1; j < size; j++) team[j] = team[j - 1] + 1;
    }
  }
  return teams;
}

/** Accuracy of a team's vote on the given queries. */
export function teamVoteAccuracy(dataset: Dataset, team: ArrayLike<number>, rule: VoteRule, queries: ArrayLike<number>): number {
  if (queries.length === 0) return NaN;
  const voter = teamVoter(dataset, team, rule);
  let hits = 0;
  for (let q = 0; q < queries.length; q++) if (voter(queries[q]) === dataset.labels[queries[q]]) hits++;
  return hits / queries.length;
}

/**
 * The team with the best vote accuracy on the queries among sizes minSize..maxSize; ties -> the smaller team, then
 * lower model indices. Exact up to 16 models with the default limits, every small team plus a beam beyond.
 */
export function bestVoteTeam(
  dataset: Dataset,
  rule: VoteRule,
  queries: Int32Array,
  sizes: { minSize: number; maxSize: number },
  limits?: TeamSearchLimits,
): { team: Int32Array; accuracy: number; search: TeamSearchMethod } {
  if (queries.length === 0) throw new RangeError('bestVoteTeam: no queries to choose a team on (empty train split?)');
  const { bestPerSize, method } = searchTeams(dataset.nModels, voteAccuracyObjective(dataset, queries, rule), sizes, limits);
  let best = bestPerSize[0];
  for (const row of bestPerSize) if (compareKeys(row.key, best.key) > 0) best = row;
  return { team: best.team, accuracy: best.key[0], search: method };
}

export interface BestTeamOptions extends EvalOptions {
  /** Default 'soft'. */
  rule?: VoteRule;
  /** Team sizes searched; default 1..N (a single model is a team of one). */
  minSize?: number;
  maxSize?: number;
  /** Limits of the team search (exact up to 16 models by default). */
  search?: TeamSearchLimits;
  /** Choose one team per subtask (default) or one for the whole train split. */
  perSubtask?: boolean;
}

/**
 * The best voting team chosen on train by `bestVoteTeam` (per subtask by default), evaluated on
 * the chosen split. Ties go to the smaller team, then to lower model indices, so the cheaper team wins.
 */
export function bestTeamBaseline(dataset: Dataset, options: BestTeamOptions = {}): MethodResult {
  const rule = options.rule ?? 'soft';
  const perSubtask = options.perSubtask ?? true;
  const sizes = { minSize: options.minSize ?? 1, maxSize: options.maxSize ?? dataset.nModels };
  const chooser = (train: Int32Array) => bestVoteTeam(dataset, rule, train, sizes, options.search);
  const ids = (team: Int32Array) => Array.from(team, (i) => dataset.models[i].id);
  const voters = new Map<Int32Array, (t: number) => number>();
  const serve = (team: Int32Array) => {
    let voter = voters.get(team);
    if (!voter) voters.set(team, (voter = teamVoter(dataset, team, rule)));
    return voter;
  };
  const identity = { kind: 'best-team', rule, perSubtask, method: `best ${rule}-vote team ${perSubtask ? 'per subtask' : 'overall'} (chosen on train)` } as const;
  const split = options.split ?? 'test';
  if (!perSubtask) {
    const chosen = chooser(dataset.splitIndices('train'));
    return evaluateRule(
      dataset,
      split,
      identity,
      (t, meter) => {
        meter.record(chosen.team);
        return serve(chosen.team)(t);
      },
      { rule, team: ids(chosen.team), trainAccuracy: chosen.accuracy, search: chosen.search.description },
    );
  }
  const choice = choosePerSubtask(dataset, chooser);
  return evaluateRule(
    dataset,
    split,
    identity,
    (t, meter) => {
      const { team } = choice.choiceFor(dataset.subtaskIds[t]);
      meter.record(team);
      return serve(team)(t);
    },
    {
      rule,
      search: choice.perSubtask.size > 0 ? [...choice.perSubtask.values()][0].search.description : undefined,
      teamPerSubtask: Object.fromEntries(
        Array.from(choice.perSubtask, ([s, c]) => [dataset.subtaskNames[s], { team: ids(c.team), trainAccuracy: c.accuracy }]),
      ),
      fallbackSubtasks: choice.fallbackSubtasks,
    },
  );
}
