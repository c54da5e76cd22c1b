import { bestSingleBaseline, bestSinglePerSubtaskBaseline, rankModelsByAccuracy, singleModelBaseline } from '../baselines/single';
import { budgetTeamBaseline, defaultCallBudgets } from '../baselines/budget-team';
import { cascadeApplicability, confidenceCascadeBaseline } from '../baselines/cascade';
import { fusionMlpBaseline, type FusionMlpConfig } from '../baselines/fusion-mlp';
import { knnRouterBaseline } from '../baselines/knn-router';
import { windowLeaderBaseline } from '../baselines/window-leader';
import { oracleBaseline } from '../baselines/oracle';
import { randomTeamBaseline } from '../baselines/random-team';
import type { MethodKind } from '../eval/method-kind';
import type { MethodResult } from '../eval/result';
import { thresholdRouterBaseline } from '../baselines/router';
import { selectStaticFocalTeam, staticFocalFusionBaseline, staticFocalTeamBaseline } from '../baselines/static-team';
import { defaultTopKSizes, topKVoteBaseline } from '../baselines/top-k-vote';
import { VOTE_RULES, voteBaseline } from '../baselines/vote';
import type { Dataset } from '../data/dataset';
import { resolveConfig, type RlFocalConfig } from '../train/config';
import { trainPerSubtask, trainRlFocal } from '../train/train-rl-focal';

/**
 * The method families of `rl-focal benchmark`. A family is one unit of work (one sweep cell per pool and seed) that
 * reports one or more methods; every choice inside it is made on the train split only, and evaluation is on test.
 * Families whose result does not depend on the seed run once per pool (with the first seed).
 */

/** What the benchmark keeps of one method's MethodResult: the numbers, not the per-query arrays. */
export interface MethodRow {
  method: string;
  /** The method's kind (see MethodKind); look rows up by it, not by the label. */
  kind: MethodKind;
  family: string;
  accuracy: number;
  /** Mean of per-subtask accuracies (equal to `accuracy` on a one-subtask pool). */
  accuracyMacro: number;
  callsPerQuery: number;
  /** Cents per 1,000 queries; NaN where a called model has no price. */
  costPer1000: number;
  /** An upper bound, not a deployable method (the oracle): listed, but never on the Pareto frontier. */
  reference?: boolean;
  /** Anything a reader needs to interpret the row (chosen k, threshold, team, search method...). */
  note?: string;
}

/** Options every family may read (the benchmark's parameters). */
export interface FamilyOptions {
  /** Overrides of RL-Focal's configuration; empty = the library's defaults. */
  rl: Partial<RlFocalConfig>;
  /** Supervised fusion networks; false = skip the fusion families. */
  fusion: FusionMlpConfig | false;
}

export interface FamilyOutcome {
  rows: MethodRow[];
  /** Why the family does not apply to this pool (then `rows` is empty). */
  skipped?: string;
}

export interface MethodFamily {
  name: string;
  /** True when the result depends on the seed (run once per seed; others once per pool). */
  seeded: boolean;
  /** One line for the docs and `--help`. */
  description: string;
  run(data: Dataset, seed: number, options: FamilyOptions): FamilyOutcome;
}

export function methodRow(result: MethodResult, family: string, extra: Partial<MethodRow> = {}): MethodRow {
  return {
    method: result.method,
    kind: result.kind,
    family,
    accuracy: result.accuracy,
    accuracyMacro: result.accuracyMacro ?? result.accuracy,
    callsPerQuery: result.cost.callsPerQuery,
    costPer1000: result.cost.costPer1000,
    ...extra,
  };
}

/** The kind each family's rows have, for the families that report one kind. */
const FAMILY_KIND: Readonly<Record<string, MethodKind>> = {
  'vote-all': 'vote',
  'top-k': 'top-k-vote',
  'budget-team': 'budget-team',
  'static-focal': 'static-team',
  'threshold-router': 'threshold-router',
  cascade: 'cascade',
  'knn-router': 'knn-router',
  'window-leader': 'window-leader',
  'random-team': 'random-team',
  'rl-focal': 'rl-focal',
  oracle: 'oracle',
};

/**
 * A stored row's kind. Rows written before rows had a kind (benchmark folders from before this field) get it from
 * their family; the two families that report two kinds are told apart by the label those versions wrote: 'single'
 * ("single: <model>" vs the best single model) and 'fusion' ("static focal team + fusion MLP" vs fusion of all).
 */
export function storedRowKind(row: Omit<MethodRow, 'kind'> & { kind?: MethodKind }): MethodKind {
  if (row.kind !== undefined) return row.kind;
  if (row.family === 'single') return row.method.startsWith('single: ') ? 'single' : 'best-single';
  if (row.family === 'fusion') return row.method.startsWith('static focal team') ? 'static-team-fusion' : 'fusion-mlp';
  const kind = FAMILY_KIND[row.family];
  if (kind === undefined) throw new RangeError(`benchmark row "${row.method}": unknown method family "${row.family}"`);
  return kind;
}

const subtaskCount = (data: Dataset) => new Set(data.subtaskIds).size;

/** The static focal team's size per pool, chosen once per loaded pool: every random-team seed reuses it. */
const focalSizes = new WeakMap<Dataset, number>();
function staticFocalSize(data: Dataset): number {
  let size = focalSizes.get(data);
  if (size === undefined) {
    size = data.nModels < 2 ? 1 : selectStaticFocalTeam(data, data.splitIndices('train')).team.length;
    focalSizes.set(data, size);
  }
  return size;
}
const rows = (family: string, results: MethodResult[]): FamilyOutcome => ({ rows: results.map((r) => methodRow(r, family)) });

export const METHOD_FAMILIES: readonly MethodFamily[] = [
  {
    name: 'single',
    seeded: false,
    description: 'every model alone; the best single model overall and per subtask (chosen on train)',
    run: (data) => {
      const out: MethodResult[] = [];
      for (let i = 0; i < data.nModels; i++) out.push(singleModelBaseline(data, i));
      out.push(bestSingleBaseline(data));
      if (subtaskCount(data) > 1) out.push(bestSinglePerSubtaskBaseline(data));
      return rows('single', out);
    },
  },
  {
    name: 'vote-all',
    seeded: false,
    description: 'plurality, majority and soft vote of all models',
    run: (data) => rows('vote-all', VOTE_RULES.map((rule) => voteBaseline(data, rule))),
  },
  {
    name: 'top-k',
    seeded: false,
    description: 'plurality and soft vote of the top-k models by train accuracy (k = 2, 3, 5 where <= N)',
    run: (data) =>
      rows('top-k', defaultTopKSizes(data.nModels).flatMap((k) => (['plurality', 'soft'] as const).map((rule) => topKVoteBaseline(data, { k, rule })))),
  },
  {
    name: 'budget-team',
    seeded: false,
    description: 'best plurality / soft-vote team of at most k models, chosen on train (k = 1, 2, 3, max(3, floor(N/4)))',
    run: (data) => ({
      rows: defaultCallBudgets(data.nModels).flatMap((maxSize) =>
        (['plurality', 'soft'] as const).map((rule) => {
          const r = budgetTeamBaseline(data, { maxSize, rule });
          return methodRow(r, 'budget-team', { note: `team ${(r.details!.team as string[]).join(' + ')}; ${r.details!.search}` });
        }),
      ),
    }),
  },
  {
    name: 'static-focal',
    seeded: false,
    description: 'static focal-diversity team + plurality (overall, and per subtask where the pool has subtasks)',
    run: (data) => {
      if (data.nModels < 2) return { rows: [], skipped: 'needs at least 2 models' };
      const out = [staticFocalTeamBaseline(data)];
      if (subtaskCount(data) > 1) out.push(staticFocalTeamBaseline(data, { perSubtask: true }));
      return {
        rows: out.map((r) => {
          const team = r.details?.team as string[] | undefined;
          return methodRow(r, 'static-focal', team ? { note: `team ${team.join(' + ')}` } : {});
        }),
      };
    },
  },
  {
    name: 'threshold-router',
    seeded: false,
    description: 'two-model threshold router: strong = best train model, weak = the partner and threshold with the best train accuracy',
    run: (data) => {
      if (data.nModels < 2) return { rows: [], skipped: 'needs at least 2 models' };
      const strong = rankModelsByAccuracy(data, data.splitIndices('train'))[0];
      let best: MethodResult | undefined;
      for (let weak = 0; weak < data.nModels; weak++) {
        if (weak === strong) continue;
        const r = thresholdRouterBaseline(data, { strong, weak });
        const [a, b] = [r.details!.trainAccuracy as number, best?.details!.trainAccuracy as number | undefined];
        if (b === undefined || a > b || (a === b && (r.details!.strongFraction as number) < (best!.details!.strongFraction as number))) best = r;
      }
      return { rows: [methodRow(best!, 'threshold-router', { method: 'threshold router (pair and threshold chosen on train)', note: best!.method })] };
    },
  },
  {
    name: 'cascade',
    seeded: false,
    description: 'confidence cascade, cheap model first, escalate on low recorded confidence (probability pools only)',
    run: (data) => {
      const verdict = cascadeApplicability(data);
      if (!verdict.applicable) return { rows: [], skipped: verdict.reason };
      const r = confidenceCascadeBaseline(data);
      return { rows: [methodRow(r, 'cascade', { note: `chain ${(r.details!.chain as string[]).join(' -> ')}; threshold ${(r.details!.threshold as number).toFixed(4)}` })] };
    },
  },
  {
    name: 'knn-router',
    seeded: false,
    description: 'nearest-neighbour router over the question text (TF-IDF cosine, k chosen on a validation part of train)',
    run: (data) => {
      const r = knnRouterBaseline(data);
      return { rows: [methodRow(r, 'knn-router', { note: `k = ${r.details!.k}; ${r.details!.fallbacks} queries fell back to the best model` })] };
    },
  },
  {
    name: 'window-leader',
    seeded: false,
    description: "recent leader: the model right most often on the last w queries of the stream (per subtask where the pool has subtasks; w = the window of the rl-focal family's configuration), one reading of the stream's per-model outcomes",
    run: (data, _seed, options) => {
      const window = resolveConfig(options.rl).window;
      return rows('window-leader', [windowLeaderBaseline(data, { window, perSubtask: subtaskCount(data) > 1 })]);
    },
  },
  {
    name: 'random-team',
    seeded: true,
    description: 'random team of the static focal team\'s size + plurality vote (mean over seeds)',
    run: (data, seed) => rows('random-team', [randomTeamBaseline(data, { size: staticFocalSize(data), seed })]),
  },
  {
    name: 'fusion',
    seeded: true,
    description: 'supervised fusion MLP over all models and over the static focal team (LLM-TOPLA style)',
    run: (data, seed, options) => {
      if (options.fusion === false) return { rows: [], skipped: 'fusion networks turned off' };
      const perSubtask = subtaskCount(data) > 1;
      const out = [fusionMlpBaseline(data, { ...options.fusion, seed, perSubtask })];
      if (data.nModels >= 2) out.push(staticFocalFusionBaseline(data, { ...options.fusion, seed, fusionPerSubtask: perSubtask }));
      return rows('fusion', out);
    },
  },
  {
    name: 'rl-focal',
    seeded: true,
    description: 'RL-Focal with the library\'s default configuration (one agent set per subtask where the pool has subtasks), as `rl-focal train`',
    run: (data, seed, options) => {
      const config = { ...options.rl, seed };
      const perSubtask = subtaskCount(data) > 1;
      const result = perSubtask ? trainPerSubtask(data, config).test : trainRlFocal(data, config).test;
      const overridden = Object.keys(options.rl).length > 0;
      return {
        rows: [
          methodRow(result, 'rl-focal', {
            method: `RL-Focal (${overridden ? 'defaults + overrides' : 'library defaults'}${perSubtask ? ', per subtask' : ''})`,
            note: overridden ? `overrides ${JSON.stringify(options.rl)}` : undefined,
          }),
        ],
      };
    },
  },
  {
    name: 'oracle',
    seeded: false,
    description: 'oracle: any model right (an upper bound, not on the frontier)',
    run: (data) => ({ rows: [methodRow(oracleBaseline(data), 'oracle', { reference: true })] }),
  },
];

export const METHOD_FAMILY_NAMES = METHOD_FAMILIES.map((f) => f.name);

export function methodFamily(name: string): MethodFamily | undefined {
  return METHOD_FAMILIES.find((f) => f.name === name);
}
