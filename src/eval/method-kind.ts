import type { VoteRule } from '../metrics/voting';

/**
 * The family a result comes from, one per function that makes results. Tables, figures and notebooks find a method
 * by its kind (with `rule` and `perSubtask` where the family has variants); the label `MethodResult.method` is free
 * text for readers and may change without breaking a lookup.
 *
 * | kind               | made by                              | variants            |
 * |--------------------|--------------------------------------|---------------------|
 * | single             | singleModelBaseline                  |                     |
 * | best-single        | bestSingle(PerSubtask)Baseline       | perSubtask          |
 * | vote               | voteBaseline (all models or a team)  | rule                |
 * | top-k-vote         | topKVoteBaseline                     | rule                |
 * | random-select      | randomSelectBaseline (Fig. 4)        |                     |
 * | latest-correct     | latestCorrectBaseline (Fig. 4)       |                     |
 * | static-team        | staticFocalTeamBaseline              | perSubtask          |
 * | static-team-fusion | staticFocalFusionBaseline            | perSubtask          |
 * | best-team          | bestTeamBaseline                     | rule, perSubtask    |
 * | budget-team        | budgetTeamBaseline                   | rule                |
 * | random-team        | randomTeamBaseline                   | rule                |
 * | fusion-mlp         | fusionMlpBaseline                    | perSubtask          |
 * | threshold-router   | thresholdRouterBaseline              |                     |
 * | cascade            | confidenceCascadeBaseline            |                     |
 * | knn-router         | knnRouterBaseline                    |                     |
 * | window-leader      | windowLeaderBaseline                 | perSubtask          |
 * | self-consistency   | selfConsistencyBaseline              |                     |
 * | oracle             | oracleBaseline (an upper bound)      |                     |
 * | rl-focal           | the trainer, algorithm 'mappo'       |                     |
 * | authors-code       | the trainer, 'reference-parity'      |                     |
 */
export type MethodKind =
  | 'single'
  | 'best-single'
  | 'vote'
  | 'top-k-vote'
  | 'random-select'
  | 'latest-correct'
  | 'static-team'
  | 'static-team-fusion'
  | 'best-team'
  | 'budget-team'
  | 'random-team'
  | 'fusion-mlp'
  | 'threshold-router'
  | 'cascade'
  | 'knn-router'
  | 'window-leader'
  | 'self-consistency'
  | 'oracle'
  | 'rl-focal'
  | 'authors-code';

/** Who made a result: its kind and variants, and the label shown to readers. */
export interface MethodIdentity {
  kind: MethodKind;
  /** The voting rule, for the kinds that vote. */
  rule?: VoteRule;
  /** True when the choice (model, team, network) was made per subtask; false or absent when made once overall. */
  perSubtask?: boolean;
  /** Display label, for tables and legends only. */
  method: string;
}

/** A lookup: the kind, and each variant the caller cares about (an absent field matches any value). */
export type MethodQuery = Omit<MethodIdentity, 'method'>;

/** True when `identity` is of the query's kind and matches every variant the query names (absent `perSubtask` = false). */
export function isMethod(identity: Omit<MethodIdentity, 'method'>, query: MethodQuery): boolean {
  if (identity.kind !== query.kind) return false;
  if (query.rule !== undefined && identity.rule !== query.rule) return false;
  if (query.perSubtask !== undefined && (identity.perSubtask ?? false) !== query.perSubtask) return false;
  return true;
}

/** The first result matching the query, in the given order. */
export function findMethod<T extends Omit<MethodIdentity, 'method'>>(results: readonly T[], query: MethodQuery): T | undefined {
  return results.find((r) => isMethod(r, query));
}
