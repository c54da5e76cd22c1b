import type { Dataset } from '../data/dataset';
import { focalTeamObjective } from '../metrics/team-objectives';
import { compareKeys, searchTeams, type TeamObjective, type TeamSearchLimits, type TeamSearchMethod } from '../metrics/team-search';
import { choosePerSubtask, evaluateRule } from './evaluate';
import { fusionMlpBaseline, type FusionMlpConfig } from './fusion-mlp';
import { withIdentity, type MethodResult } from '../eval/result';
import type { EvalOptions } from './single';
import { allModels } from './team';
import { teamVoter } from './vote';

/**
 * The plurality-accuracy floor a static team must reach on train: a number, the best single model's training
 * accuracy ('best-single': the team must be at least as good as its best possible member alone), or the mean
 * single-model training accuracy ('mean-single').
 */
export type AccuracyFloor = number | 'best-single' | 'mean-single';

export interface StaticTeamOptions {
  /** Default 'best-single'. */
  accuracyFloor?: AccuracyFloor;
  /** Team sizes considered; default 2..N-1 (proper sub-ensembles: the full pool is its own baseline). */
  sizes?: number[];
  /** Limits of the team search (exact up to 16 models by default). */
  search?: TeamSearchLimits;
}

export interface StaticTeamSelection {
  team: Int32Array;
  /** Focal diversity (higher = more diverse) and plurality accuracy of the team on the selection queries. */
  focalDiversity: number;
  pluralityAccuracy: number;
  floor: number;
  /** True when no team of the allowed sizes reached the floor and the full pool was taken instead. */
  fallbackToFullPool: boolean;
  /** How the teams were searched (absent when no size was searched). */
  search?: TeamSearchMethod;
}

function resolveFloor(dataset: Dataset, queries: Int32Array, floor: AccuracyFloor): number {
  if (typeof floor === 'number') {
    if (!Number.isFinite(floor)) throw new RangeError(`static focal team: accuracyFloor must be finite, got ${floor}`);
    return floor;
  }
  const acc = dataset.modelAccuracies(queries);
  if (floor === 'best-single') return Math.max(...acc);
  if (floor === 'mean-single') return acc.reduce((s, a) => s + a, 0) / acc.length;
  throw new RangeError(`static focal team: unknown accuracyFloor "${floor}" (use a number, 'best-single' or 'mean-single')`);
}

/**
 * EnsembleBench / LLM-TOPLA static selection on the given (training) queries: among the teams whose plurality
 * accuracy reaches the floor, the one of highest focal diversity (ties -> higher accuracy, then the smaller
 * team, then lower model indices). Without any such team, the full pool. Teams come from `searchTeams`: exact
 * for pools of up to 16 models, every small team plus a beam beyond (`search` says which).
 */
export function selectStaticFocalTeam(dataset: Dataset, queries: Int32Array, options: StaticTeamOptions = {}): StaticTeamSelection {
  if (queries.length === 0) throw new RangeError('selectStaticFocalTeam: no queries to select a team on (empty train split?)');
  const N = dataset.nModels;
  const floor = resolveFloor(dataset, queries, options.accuracyFloor ?? 'best-single');
  const sizes = options.sizes ?? Array.from({ length: Math.max(0, N - 2) }, (_, k) => k + 2);
  for (const s of sizes) {
    if (!(Number.isInteger(s) && s >= 2 && s <= N)) throw new RangeError(`selectStaticFocalTeam: team size ${s} not in [2, ${N}]`);
  }
  const objective = focalTeamObjective(dataset, queries, floor);
  if (sizes.length > 0) {
    const { bestPerSize, method } = searchTeams(N, objective, { minSize: Math.min(...sizes), maxSize: Math.max(...sizes) }, options.search);
    const allowed = new Set(sizes);
    // Smaller sizes first: a later size must be strictly better to win.
    let chosen: (typeof bestPerSize)[number] | undefined;
    for (const row of bestPerSize) {
      if (!allowed.has(row.team.length) || row.key[0] !== 1 || Number.isNaN(row.key[1])) continue;
      if (!chosen || compareKeys(row.key, chosen.key) > 0) chosen = row;
    }
    if (chosen) {
      return { team: chosen.team, focalDiversity: chosen.key[1], pluralityAccuracy: chosen.key[2], floor, fallbackToFullPool: false, search: method };
    }
    const full = fullPoolKey(N, objective);
    return { team: allModels(dataset), focalDiversity: full[1], pluralityAccuracy: full[2], floor, fallbackToFullPool: true, search: method };
  }
  const full = fullPoolKey(N, objective);
  return { team: allModels(dataset), focalDiversity: full[1], pluralityAccuracy: full[2], floor, fallbackToFullPool: true };
}

function fullPoolKey<S>(N: number, objective: TeamObjective<S>): number[] {
  let state = objective.empty();
  for (let i = 0; i < N - 1; i++) state = objective.extend(state, i);
  return objective.score(state, Int32Array.from({ length: N }, (_, i) => i), N - 1);
}

export interface StaticTeamBaselineOptions extends EvalOptions, StaticTeamOptions {
  /** One team per subtask (chosen on that subtask's train queries) or one for the whole train split (default). */
  perSubtask?: boolean;
}

function describeSelection(dataset: Dataset, s: StaticTeamSelection) {
  return {
    team: Array.from(s.team, (i) => dataset.models[i].id),
    focalDiversity: s.focalDiversity,
    trainPluralityAccuracy: s.pluralityAccuracy,
    floor: s.floor,
    fallbackToFullPool: s.fallbackToFullPool,
    search: s.search?.description,
  };
}

/** Per-query team of a static selection, made once on train (per subtask or overall). */
function staticSelections(dataset: Dataset, options: StaticTeamBaselineOptions) {
  if (options.perSubtask) {
    const choice = choosePerSubtask(dataset, (train) => selectStaticFocalTeam(dataset, train, options));
    return {
      teamFor: (s: number) => choice.choiceFor(s).team,
      details: {
        teamPerSubtask: Object.fromEntries(
          Array.from(choice.perSubtask, ([s, sel]) => [dataset.subtaskNames[s], describeSelection(dataset, sel)]),
        ),
        fallbackSubtasks: choice.fallbackSubtasks,
      },
    };
  }
  const selection = selectStaticFocalTeam(dataset, dataset.splitIndices('train'), options);
  return { teamFor: () => selection.team, details: describeSelection(dataset, selection) };
}

/** The static focal-diversity team (chosen on train) answering by plurality vote; all members are called. */
export function staticFocalTeamBaseline(dataset: Dataset, options: StaticTeamBaselineOptions = {}): MethodResult {
  const { teamFor, details } = staticSelections(dataset, options);
  const voters = new Map<Int32Array, (t: number) => number>();
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    {
      kind: 'static-team',
      rule: 'plurality',
      perSubtask: options.perSubtask ?? false,
      method: `static focal team + plurality (${options.perSubtask ? 'per subtask' : 'overall'}, chosen on train)`,
    },
    (t, meter) => {
      const team = teamFor(dataset.subtaskIds[t]);
      let voter = voters.get(team);
      if (!voter) voters.set(team, (voter = teamVoter(dataset, team, 'plurality')));
      meter.record(team);
      return voter(t);
    },
    details,
  );
}

export interface StaticFusionOptions extends StaticTeamBaselineOptions, FusionMlpConfig {
  seed: number;
  /** Fusion networks per subtask (default) or one network; independent of how the team was chosen. */
  fusionPerSubtask?: boolean;
}

/**
 * LLM-TOPLA style: the static focal team fused by a supervised MLP trained on train. With a team per subtask the
 * fusion is necessarily per subtask too.
 */
export function staticFocalFusionBaseline(dataset: Dataset, options: StaticFusionOptions): MethodResult {
  const { teamFor, details } = staticSelections(dataset, options);
  const fusionPerSubtask = options.perSubtask ? true : options.fusionPerSubtask ?? true;
  const result = fusionMlpBaseline(dataset, {
    ...options,
    perSubtask: fusionPerSubtask,
    team: options.perSubtask ? undefined : teamFor(0),
    teamPerSubtask: options.perSubtask ? teamFor : undefined,
  });
  return {
    ...withIdentity(result, {
      kind: 'static-team-fusion',
      perSubtask: options.perSubtask ?? false,
      method: `static focal team + fusion MLP (team ${options.perSubtask ? 'per subtask' : 'overall'}, chosen on train)`,
    }),
    details: { ...result.details, selection: details },
  };
}
