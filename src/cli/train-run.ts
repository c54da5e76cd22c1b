import type { Dataset } from '../data/dataset';
import { resolveConfig, type ResolvedConfig, type RlFocalConfig } from '../train/config';
import { trainPerSubtask, trainRlFocal, type EpisodeSummary, type PerSubtaskRun, type RlFocalRun, type TrainProgress } from '../train/train-rl-focal';
import { runDiagnostics, type EpisodeDiagnostics } from '../train/episode-diagnostics';
import { InputError } from './errors';
import type { ConfigObject } from './config-input';
import type { LocatedJson } from './json-input';

/**
 * One RL-Focal run as the CLI does it (shared by `train` and the sweep's cells): resolve the config, train
 * (Algorithm 1) and serve the test split online (Algorithm 2), either one agent set for the whole stream or one per
 * subtask (the authors' BBH protocol), and summarise it in the numbers the summary lines and reports use.
 */

export interface SeedMetrics {
  seed: number;
  /** Micro accuracy over the test queries. */
  test_accuracy: number;
  /** Mean of the per-subtask test accuracies. */
  test_accuracy_macro: number;
  calls_per_query: number;
  cost_per_1000: number;
  wall_seconds: number;
}

export interface TrainedSeed {
  metrics: SeedMetrics;
  config: ResolvedConfig;
  /** One run, or one per subtask. */
  runs: Array<{ subtask?: string; run: RlFocalRun }>;
  /** The test split as served, all subtasks joined (with the subtasks too short to train, see `untrainedSubtasks`). */
  test: RlFocalRun['test'];
  /** Per-subtask runs: the subtasks that were not trained and what served them (`PerSubtaskRun.untrainedSubtasks`). */
  untrainedSubtasks: PerSubtaskRun['untrainedSubtasks'];
  /** The validation guard's decision (one for all subtasks), where it ran. */
  guard?: { served: string; refit?: true };
  /** The learned agents' own test pass, whichever served. */
  learnedTest: RlFocalRun['test'];
}

/** Where the config came from, so that a rejected value can be traced to the file line or the --set option. */
export interface ConfigSource {
  file?: LocatedJson;
  sets?: ReadonlyArray<string>;
  /** The --data spec, named when the data cannot be trained on. */
  data?: string;
}

/** `resolveConfig` with its RangeError ("RlFocalConfig.alpha: ...") turned into an InputError naming file, line and field. */
export function resolveCliConfig(config: ConfigObject, source: ConfigSource = {}): ResolvedConfig {
  try {
    return resolveConfig(config as Partial<RlFocalConfig>);
  } catch (error) {
    throw asConfigInputError(error, source);
  }
}

/** The config field a trainer RangeError is about ("RlFocalConfig.alpha: ..." or 'unknown field "x"'). */
export function configErrorField(message: string): string | undefined {
  return /^RlFocalConfig\.(\w+)/.exec(message)?.[1] ?? /^RlFocalConfig: unknown field "(\w+)"/.exec(message)?.[1];
}

/**
 * Trainer RangeErrors are about the user's config ("RlFocalConfig.window: ...") or data ("trainRlFocal: the
 * dataset has no train queries"): bad input, located at the config field's origin or at the data source.
 */
export function asConfigInputError(error: unknown, source: ConfigSource): unknown {
  if (!(error instanceof RangeError)) return error;
  const field = configErrorField(error.message);
  // trainPerSubtask names the subtask whose training failed (a window too long for it, no test queries in it).
  const subtask = (error as RangeError & { subtask?: string }).subtask;
  const message = subtask === undefined ? error.message : `subtask "${subtask}": ${error.message}`;
  if (field === undefined) {
    return /^train(RlFocal|PerSubtask):/.test(error.message) ? new InputError(message, source.data !== undefined ? { file: source.data } : {}) : error;
  }
  if (source.sets?.some((s) => s.split('=')[0].trim().split('.')[0] === field)) return new InputError(message, { field: `--set ${field}` });
  if (source.file && Object.hasOwn(source.file.value as object, field)) return source.file.error([field], message);
  return new InputError(message, { field });
}

/** Trains one seed; `config` is the unresolved config object (the trainer resolves it again itself). */
export function trainSeed(
  data: Dataset,
  configObject: ConfigObject,
  options: { perSubtask: boolean; onProgress?: (progress: TrainProgress) => void; source?: ConfigSource },
): TrainedSeed {
  const started = performance.now();
  const config = resolveCliConfig(configObject, options.source);
  const partial = configObject as Partial<RlFocalConfig>;
  try {
    if (options.perSubtask) {
      const result: PerSubtaskRun = trainPerSubtask(data, partial, { onProgress: options.onProgress });
      return {
        metrics: metricsOf(config.seed, result.test, (performance.now() - started) / 1000),
        config,
        runs: result.runs.map(({ subtask, run }) => ({ subtask, run })),
        test: result.test,
        untrainedSubtasks: result.untrainedSubtasks,
        ...(result.guard ? { guard: result.guard } : {}),
        learnedTest: result.learned,
      };
    }
    const run = trainRlFocal(data, partial, { onProgress: options.onProgress });
    return {
      metrics: metricsOf(config.seed, run.test, (performance.now() - started) / 1000),
      config,
      runs: [{ run }],
      test: run.test,
      untrainedSubtasks: [],
      ...(run.guard ? { guard: run.guard } : {}),
      learnedTest: run.learned.test,
    };
  } catch (error) {
    // A config value that only fails against the data (window longer than the train split, ...) is still bad input.
    throw asConfigInputError(error, options.source ?? {});
  }
}

function metricsOf(seed: number, test: RlFocalRun['test'], wallSeconds: number): SeedMetrics {
  return {
    seed,
    test_accuracy: test.accuracy,
    test_accuracy_macro: test.accuracyMacro ?? test.accuracy,
    calls_per_query: test.cost.callsPerQuery,
    cost_per_1000: test.cost.costPer1000,
    wall_seconds: wallSeconds,
  };
}

/** The progress line's words for an event: `decider 3/15`, `test`, `guard (learned agents on validation)`. */
export function describeStep(progress: TrainProgress): string {
  const step =
    progress.turn === 'test' ? 'test' : progress.turn === 'guard' ? 'guard (learned agents on validation)' : `${progress.turn} ${progress.episode + 1}/${progress.episodes}`;
  return `${progress.refit ? 'refit on all train: ' : ''}${step}`;
}

export interface CurveRow {
  subtask: string;
  turn: 'decider' | 'fusion' | 'test';
  episode: number;
  steps: number;
  accuracy: number;
  mean_reward: number;
  mean_team_size: number;
  cost_per_1000: number;
  kept: boolean;
  /** PPO updates that ran during the episode; the diagnostics below are their sample-weighted means (empty if none). */
  updates: number;
  decider_approx_kl: number;
  decider_clip_fraction: number;
  decider_entropy: number;
  decider_explained_variance: number;
  fusion_approx_kl: number;
  fusion_clip_fraction: number;
  fusion_entropy: number;
  fusion_explained_variance: number;
}

/** The curves.csv columns, in order. */
export const CURVE_COLUMNS: ReadonlyArray<keyof CurveRow> = [
  'subtask',
  'turn',
  'episode',
  'steps',
  'accuracy',
  'mean_reward',
  'mean_team_size',
  'cost_per_1000',
  'kept',
  'updates',
  'decider_approx_kl',
  'decider_clip_fraction',
  'decider_entropy',
  'decider_explained_variance',
  'fusion_approx_kl',
  'fusion_clip_fraction',
  'fusion_entropy',
  'fusion_explained_variance',
];

/**
 * Per-episode learning curves of a seed (every turn, every subtask) with the PPO diagnostics of the updates that ran
 * in each episode (approx KL, clip fraction, entropy, explained variance; empty for an agent that did not learn), for
 * curves.csv.
 */
export function curveRows(trained: TrainedSeed): CurveRow[] {
  const rows: CurveRow[] = [];
  const row = (subtask: string, turn: CurveRow['turn'], e: EpisodeSummary, kept: boolean, d: EpisodeDiagnostics): CurveRow => ({
    subtask,
    turn,
    episode: e.episode,
    steps: e.steps,
    accuracy: e.accuracy,
    mean_reward: e.meanReward,
    mean_team_size: e.meanTeamSize,
    cost_per_1000: e.costPer1000,
    kept,
    updates: d.updates,
    decider_approx_kl: d.decider.approxKl,
    decider_clip_fraction: d.decider.clipFraction,
    decider_entropy: d.decider.entropy,
    decider_explained_variance: d.decider.explainedVariance,
    fusion_approx_kl: d.fusion.approxKl,
    fusion_clip_fraction: d.fusion.clipFraction,
    fusion_entropy: d.fusion.entropy,
    fusion_explained_variance: d.fusion.explainedVariance,
  });
  for (const { subtask = 'all', run } of trained.runs) {
    const d = runDiagnostics(run);
    run.curves.decider.forEach((e, k) => rows.push(row(subtask, 'decider', e, e.episode === run.bestEpisode.decider, d.decider[k])));
    run.curves.fusion.forEach((e, k) => rows.push(row(subtask, 'fusion', e, e.episode === run.bestEpisode.fusion, d.fusion[k])));
    rows.push(row(subtask, 'test', run.testEpisode, true, d.test));
  }
  return rows;
}
