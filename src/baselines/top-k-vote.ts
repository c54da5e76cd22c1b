import type { Dataset } from '../data/dataset';
import { withIdentity, type MethodResult } from '../eval/result';
import { rankModelsByAccuracy, type EvalOptions } from './single';
import type { VoteRule } from '../metrics/voting';
import { voteBaseline } from './vote';

export interface TopKVoteOptions extends EvalOptions {
  /** How many of the best models (by train accuracy) vote; 1..N. */
  k: number;
  /** 'plurality' or 'soft' (majority works too). */
  rule: VoteRule;
}

/** The top-k sizes reported by default: 2, 3 and 5 where they fit the pool (k <= N). */
export function defaultTopKSizes(nModels: number): number[] {
  return [2, 3, 5].filter((k) => k <= nModels);
}

/**
 * Vote of the k models with the best train accuracy (ties -> lower model index), every member called on every
 * query: the simplest ensemble that uses only what a leaderboard tells, and the one LLMRouterBench puts first.
 */
export function topKVoteBaseline(dataset: Dataset, options: TopKVoteOptions): MethodResult {
  const { k, rule } = options;
  if (!(Number.isInteger(k) && k >= 1 && k <= dataset.nModels)) throw new RangeError(`topKVoteBaseline: k must be an integer in [1, ${dataset.nModels}], got ${k}`);
  const team = rankModelsByAccuracy(dataset, dataset.splitIndices('train')).slice(0, k).sort();
  const result = voteBaseline(dataset, rule, { team, split: options.split });
  return { ...withIdentity(result, { kind: 'top-k-vote', rule, method: `${rule} vote of the top ${k} (by train accuracy)` }), details: { ...result.details, k } };
}
