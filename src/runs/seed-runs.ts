/**
 * RL-Focal over several seeds on an in-memory dataset, the protocol of the paper's Table 1 ("mean ± standard error
 * over 5 runs"), shared by the result notebooks (01, 04-07, 13, 16). Each seed trains one agent set on the train
 * split and serves the test split (or, with `perSubtask`, one agent set per subtask as the authors do on BBH), as
 * one job of the engine (`runJobs`) in this process: the dataset may be one built in memory (a subset of models, a
 * duplicated pool) that no data spec names, and the outcome keeps what a child could not send cheaply (per-query
 * results, PPO diagnostics). Between seeds the event loop gets a turn, so a notebook's progress display is redrawn.
 */
import { pooledRunDiagnostics, runDiagnostics, type EpisodeDiagnostics } from '../train/episode-diagnostics';
import type { MethodResult } from '../eval/result';
import { summarizeSeeds, type SeedSummary } from '../stats/seeds';
import type { Dataset } from '../data/dataset';
import type { RlFocalConfig } from '../train/config';
import { trainPerSubtask, trainRlFocal, type EpisodeSummary, type TrainProgress } from '../train/train-rl-focal';
import type { ValidationGuard } from '../train/guard';
import { runJobs } from './engine';
import { throttleProgress, type ExperimentProgress, type ProgressSink } from './progress-sink';

/** One point of a learning curve (per-subtask runs: step-weighted mean over the subtasks' agents). */
export interface CurvePoint {
  episode: number;
  accuracy: number;
  meanTeamSize: number;
}

export interface SeedRun {
  seed: number;
  test: MethodResult;
  curves: { decider: CurvePoint[]; fusion: CurvePoint[] };
  /** Fraction of test queries on which each model was called. */
  selectionFrequency: number[];
  /** Per subtask (per-subtask runs only): test accuracy, mean team size and selection frequencies of its agents. */
  perSubtask?: Array<{ subtask: string; accuracy: number; meanTeamSize: number; selectionFrequency: number[] }>;
  /** PPO diagnostics per warm-start episode (per-subtask runs: episode k of every subtask's agents pooled). */
  ppo?: { decider: EpisodeDiagnostics[]; fusion: EpisodeDiagnostics[] };
  /** The learned agents' own test pass (equal to `test` unless the validation guard served a simple method). */
  learned: MethodResult;
  /** What the validation guard compared and served (`guard.served`: 'learned' or a candidate's method); absent when it is off. */
  guard?: ValidationGuard;
  wallSeconds: number;
}

export interface SeedRuns {
  label: string;
  runs: SeedRun[];
  accuracy: SeedSummary;
  accuracyMacro: SeedSummary;
  costPer1000: SeedSummary;
  callsPerQuery: SeedSummary;
}

export interface SeedRunOptions {
  seeds: readonly number[];
  /** One agent set per subtask (authors' BBH/MUSR protocol) instead of one for the whole stream. */
  perSubtask?: boolean;
  /** Names the runs in progress lines. */
  label?: string;
  onProgress?: ProgressSink;
}

function describe(label: string, seedIndex: number, seeds: readonly number[], p: TrainProgress, started: number): ExperimentProgress {
  const stage = `${label} · seed ${seeds[seedIndex]} (${seedIndex + 1}/${seeds.length})`;
  const step = p.turn === 'test' ? 'test pass' : p.turn === 'guard' ? 'guard: learned agents on validation' : `${p.turn} episode ${p.episode + 1}/${p.episodes}`;
  const where = `${p.refit ? 'refit on all train · ' : ''}${step}`;
  const subtask = p.subtask !== undefined ? ` · subtask ${p.subtaskIndex! + 1}/${p.subtaskCount} ${p.subtask}` : '';
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return {
    stage,
    message: `${stage}${subtask} · ${where} · accuracy ${p.accuracy.toFixed(3)} · team ${p.meanTeamSize.toFixed(2)} · ${seconds} s`,
  };
}

function points(episodes: readonly EpisodeSummary[]): CurvePoint[] {
  return episodes.map((e) => ({ episode: e.episode + 1, accuracy: e.accuracy, meanTeamSize: e.meanTeamSize }));
}

/** Step-weighted mean curve over agents trained on different slices (episode k of every agent pooled). */
function pooledCurve(curves: ReadonlyArray<readonly EpisodeSummary[]>): CurvePoint[] {
  const length = Math.max(0, ...curves.map((c) => c.length));
  const out: CurvePoint[] = [];
  for (let k = 0; k < length; k++) {
    let steps = 0;
    let hits = 0;
    let team = 0;
    for (const c of curves) {
      if (k >= c.length) continue;
      steps += c[k].steps;
      hits += c[k].accuracy * c[k].steps;
      team += c[k].meanTeamSize * c[k].steps;
    }
    out.push({ episode: k + 1, accuracy: steps > 0 ? hits / steps : NaN, meanTeamSize: steps > 0 ? team / steps : NaN });
  }
  return out;
}

function frequencyFromCalls(test: MethodResult): number[] {
  return test.cost.callsPerModel.map((c) => (test.cost.queries > 0 ? c / test.cost.queries : NaN));
}

/** One seed's run: one agent set (or one per subtask), trained and tested. */
function runSeed(data: Dataset, config: Partial<RlFocalConfig>, seed: number, perSubtask: boolean, onProgress?: (p: TrainProgress) => void): SeedRun {
  if (perSubtask) {
    const run = trainPerSubtask(data, { ...config, seed }, { onProgress });
    return {
      seed,
      test: run.test,
      curves: {
        decider: pooledCurve(run.runs.map((r) => r.run.curves.decider)),
        fusion: pooledCurve(run.runs.map((r) => r.run.curves.fusion)),
      },
      selectionFrequency: frequencyFromCalls(run.test),
      perSubtask: run.runs.map(({ subtask, run: r }) => ({
        subtask,
        accuracy: r.test.accuracy,
        meanTeamSize: r.testEpisode.meanTeamSize,
        selectionFrequency: r.testEpisode.selectionFrequency,
      })),
      ppo: pooledRunDiagnostics(run.runs.map((r) => runDiagnostics(r.run))),
      learned: run.learned,
      ...(run.guard ? { guard: run.guard } : {}),
      wallSeconds: run.wallSeconds,
    };
  }
  const run = trainRlFocal(data, { ...config, seed }, { onProgress });
  return {
    seed,
    test: run.test,
    curves: { decider: points(run.curves.decider), fusion: points(run.curves.fusion) },
    selectionFrequency: run.testEpisode.selectionFrequency,
    ppo: (({ decider, fusion }) => ({ decider, fusion }))(runDiagnostics(run)),
    learned: run.learned.test,
    ...(run.guard ? { guard: run.guard } : {}),
    wallSeconds: run.wallSeconds,
  };
}

/** Trains and tests RL-Focal once per seed; `config.seed` is replaced by each seed. The first failed seed stops the rest. */
export async function runRlFocalSeeds(data: Dataset, config: Partial<RlFocalConfig>, options: SeedRunOptions): Promise<SeedRuns> {
  if (options.seeds.length === 0) throw new RangeError('runRlFocalSeeds: no seeds given');
  const label = options.label ?? 'RL-Focal';
  const sink = throttleProgress(options.onProgress);
  const seeds = options.seeds;
  // By seed position, not by finish order (the same thing in this process, but the order must not depend on it).
  const runs: SeedRun[] = new Array(seeds.length);
  let failure: { error: unknown } | undefined;
  await runJobs<number, SeedRun>(
    seeds.map((_, k) => k),
    {
      workers: 0,
      run: (k) => {
        const started = performance.now();
        const onProgress = sink && ((p: TrainProgress) => sink(describe(label, k, seeds, p, started)));
        return runSeed(data, config, seeds[k], options.perSubtask ?? false, onProgress);
      },
      stopOnFailure: true,
      onDone: (k, run) => {
        runs[k] = run;
        sink?.({
          stage: `${label} · seed ${run.seed}`,
          message: `${label} · seed ${run.seed} (${k + 1}/${seeds.length}) done · test accuracy ${run.test.accuracy.toFixed(3)} · ${run.wallSeconds.toFixed(1)} s`,
          final: true,
        });
      },
      onFailed: (_k, message, _worker, _stack, error) => {
        // Whatever was thrown (even undefined), the seed is not dropped silently: the whole call fails.
        failure = { error: error ?? new Error(message) };
      },
    },
  );
  if (failure !== undefined) throw failure.error;
  return {
    label,
    runs,
    accuracy: summarizeSeeds(runs.map((r) => r.test.accuracy)),
    accuracyMacro: summarizeSeeds(runs.map((r) => r.test.accuracyMacro ?? NaN)),
    costPer1000: summarizeSeeds(runs.map((r) => r.test.cost.costPer1000)),
    callsPerQuery: summarizeSeeds(runs.map((r) => r.test.cost.callsPerQuery)),
  };
}
