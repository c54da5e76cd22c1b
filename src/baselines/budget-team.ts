import type { Dataset } from '../data/dataset';
import type { TeamSearchLimits } from '../metrics/team-search';
import { bestTeamBaseline } from './best-team';
import { withIdentity, type MethodResult } from '../eval/result';
import type { EvalOptions } from './single';
import type { VoteRule } from '../metrics/voting';

export interface BudgetTeamOptions extends EvalOptions {
  /** Call budget: the team has at most this many members (1..N). */
  maxSize: number;
  /** 'plurality' or 'soft'. */
  rule: VoteRule;
  /** Limits of the team search (exact up to 2^16 scored teams, then a beam; the result says which). */
  search?: TeamSearchLimits;
}

/**
 * The call budgets reported by default: 1, 2, 3 and max(3, floor(N/4)) members, each at most N, without repeats.
 * The last one follows the pool's size so large pools get a budget that is a fixed share of the pool.
 */
export function defaultCallBudgets(nModels: number): number[] {
  return [...new Set([1, 2, 3, Math.max(3, Math.floor(nModels / 4))])].filter((k) => k <= nModels);
}

/**
 * The best vote team of at most `maxSize` members, chosen once on the whole train split by `searchTeams` (ties ->
 * the smaller team, then lower model indices): a static ensemble whose calls per query never exceed the budget.
 * This is what a dynamic method is compared against "at equal calls": if RL-Focal spends c calls per query, the
 * fair static rival is this team with maxSize = ceil(c).
 */
export function budgetTeamBaseline(dataset: Dataset, options: BudgetTeamOptions): MethodResult {
  const { maxSize, rule } = options;
  if (!(Number.isInteger(maxSize) && maxSize >= 1 && maxSize <= dataset.nModels)) {
    throw new RangeError(`budgetTeamBaseline: maxSize must be an integer in [1, ${dataset.nModels}], got ${maxSize}`);
  }
  const result = bestTeamBaseline(dataset, { rule, minSize: 1, maxSize, perSubtask: false, search: options.search, split: options.split });
  const relabelled = withIdentity(result, { kind: 'budget-team', rule, method: `best ${rule}-vote team of <= ${maxSize} (chosen on train)` });
  return { ...relabelled, details: { ...result.details, maxSize } };
}
