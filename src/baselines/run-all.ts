import type { Dataset, SplitName } from '../data/dataset';
import { bestTeamBaseline } from './best-team';
import type { FusionMlpConfig } from './fusion-mlp';
import { fusionMlpBaseline } from './fusion-mlp';
import { latestCorrectBaseline, randomSelectBaseline } from './greedy';
import { oracleBaseline } from './oracle';
import type { MethodResult } from '../eval/result';
import { thresholdRouterBaseline } from './router';
import { selfConsistencyBaseline } from './self-consistency';
import { bestSingleBaseline, bestSinglePerSubtaskBaseline, rankModelsByAccuracy, singleModelBaseline } from './single';
import { staticFocalFusionBaseline, staticFocalTeamBaseline, type StaticTeamOptions } from './static-team';
import { VOTE_RULES, voteBaseline } from './vote';

export interface RunAllOptions {
  /** Split to evaluate on (choices are always made on train). Default 'test'. */
  split?: SplitName;
  /** Seed of the random baselines and of the fusion networks. Default 0. */
  seed?: number;
  /** Also run the variants chosen per subtask. Default: true when the stream has more than one subtask. */
  perSubtask?: boolean;
  /** Every model on its own. Default true. */
  singles?: boolean;
  /** k values of Random Select / Choose Latest Correct; default 2..min(6, N). Empty = skip. */
  greedyK?: number[];
  /** Static focal team selection settings. */
  staticTeam?: StaticTeamOptions;
  /** Supervised fusion networks (static team and all models); false = skip. Default: on, default config. */
  fusion?: false | FusionMlpConfig;
  /**
   * Threshold routers; false = skip. Default pairs: the best model on train as the strong one, each other model
   * as the weak one.
   */
  router?: false | { pairs?: Array<{ strong: number; weak: number }>; thresholds?: number[]; maxStrongFraction?: number };
  /** For sampled-answer data (probability rows = answer frequencies): samples per query; adds self-consistency for every model. */
  selfConsistencySamples?: number;
  /** Called after each method with its result (progress for the CLI and notebooks). */
  onResult?: (result: MethodResult) => void;
}

/** Every baseline of the paper's comparisons on one dataset, same split and cost accounting. */
export function runAllBaselines(dataset: Dataset, options: RunAllOptions = {}): MethodResult[] {
  const split = options.split ?? 'test';
  const seed = options.seed ?? 0;
  const N = dataset.nModels;
  const subtaskCount = new Set(dataset.subtaskIds).size;
  const perSubtask = options.perSubtask ?? subtaskCount > 1;
  const results: MethodResult[] = [];
  const add = (r: MethodResult) => {
    results.push(r);
    options.onResult?.(r);
  };

  if (options.singles ?? true) for (let i = 0; i < N; i++) add(singleModelBaseline(dataset, i, { split }));
  add(bestSingleBaseline(dataset, { split }));
  if (perSubtask) add(bestSinglePerSubtaskBaseline(dataset, { split }));
  for (const rule of VOTE_RULES) add(voteBaseline(dataset, rule, { split }));

  const greedyK = options.greedyK ?? Array.from({ length: Math.max(0, Math.min(6, N) - 1) }, (_, j) => j + 2);
  for (const k of greedyK) add(randomSelectBaseline(dataset, { k, seed, split }));
  for (const k of greedyK) add(latestCorrectBaseline(dataset, { k, seed, split }));

  if (N >= 2) {
    add(staticFocalTeamBaseline(dataset, { ...options.staticTeam, split }));
    if (perSubtask) add(staticFocalTeamBaseline(dataset, { ...options.staticTeam, split, perSubtask: true }));
  }
  add(bestTeamBaseline(dataset, { rule: 'soft', perSubtask: false, split }));
  if (perSubtask) add(bestTeamBaseline(dataset, { rule: 'soft', perSubtask: true, split }));

  if (options.fusion !== false) {
    const config = options.fusion ?? {};
    add(fusionMlpBaseline(dataset, { ...config, seed, split, perSubtask }));
    if (N >= 2) {
      add(staticFocalFusionBaseline(dataset, { ...config, ...options.staticTeam, seed, split, fusionPerSubtask: perSubtask }));
      if (perSubtask) add(staticFocalFusionBaseline(dataset, { ...config, ...options.staticTeam, seed, split, perSubtask: true }));
    }
  }

  if (options.router !== false && N >= 2) {
    const router = options.router ?? {};
    let pairs = router.pairs;
    if (!pairs) {
      const strong = rankModelsByAccuracy(dataset, dataset.splitIndices('train'))[0];
      pairs = [];
      for (let weak = 0; weak < N; weak++) if (weak !== strong) pairs.push({ strong, weak });
    }
    for (const pair of pairs) {
      add(thresholdRouterBaseline(dataset, { ...pair, thresholds: router.thresholds, maxStrongFraction: router.maxStrongFraction, split }));
    }
  }

  if (options.selfConsistencySamples !== undefined) {
    for (let i = 0; i < N; i++) add(selfConsistencyBaseline(dataset, i, { samples: options.selfConsistencySamples, split }));
  }
  add(oracleBaseline(dataset, undefined, { split }));
  return results;
}
