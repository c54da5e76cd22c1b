/**
 * RL-Focal over several seeds, the protocol of the paper's Table 1 ("mean ± standard error over 5 runs"), shared by
 * the result notebooks (01, 04-07, 13). Each seed trains one agent set on the train split and serves the test split
 * (or, with `perSubtask`, one agent set per subtask as the authors do on BBH). Between seeds the event loop gets a
 * turn, so a notebook's progress display is redrawn while the experiment runs.
 */
import { pooledRunDiagnostics, runDiagnostics, type EpisodeDiagnostics } from '../train/episode-diagnostics';
import type { MethodResult } from '../eval/result';
import { summarizeSeeds, type SeedSummary } from '../stats/seeds';
import type { Dataset } from '../data/dataset';
import type { RlFocalConfig } from '../train/config';
import { trainPerSubtask, trainRlFocal, type EpisodeSummary, type TrainProgress } from '../train/train-rl-focal';

/** One line of progress, already worded for a notebook display. */
export interface ExperimentProgress {
  /** Which run of the experiment (e.g. "table1 · mmlu · seed 2/5"). */
  stage: string;
  /** The full line to show. */
  message: string;
  /** The last line of a run: never dropped by `throttleProgress`. */
  final?: boolean;
}

export type ProgressSink = (progress: ExperimentProgress) => void;

/**
 * At most one progress line per `intervalMs` (the others are dropped; `final: true` lines always pass). A notebook
 * display is one Jupyter message per update: hundreds of updates inside one synchronous stretch overflow the
 * kernel's socket ("Socket is busy writing") and kill the cell.
 */
export function throttleProgress(sink: ProgressSink | undefined, intervalMs = 1000): ProgressSink | undefined {
  if (!sink) return undefined;
  let last = -Infinity;
  return (progress) => {
    const now = performance.now();
    if (!progress.final && now - last < intervalMs) return;
    last = now;
    sink(progress);
  };
}

/**
 * Lets pending I/O (notebook display updates) through between long synchronous runs. A timer, not `setImmediate`:
 * the kernel's socket only drains when the event loop idles, and updates that pile up undrained kill the cell (see
 * `throttleProgress`; measured: a cell updating its display every 250 ms failed after 126-157 s with setImmediate
 * between seconds of work, even across two cells, and ran its 240 s to the end with a 5 ms timer).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

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
  /** What the validation guard served ('learned' or a candidate's method); absent when the guard is off. */
  servedBy?: string;
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
  const where = p.turn === 'test' ? 'test pass' : `${p.turn} episode ${p.episode + 1}/${p.episodes}`;
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

/** Trains and tests RL-Focal once per seed; `config.seed` is replaced by each seed. */
export async function runRlFocalSeeds(data: Dataset, config: Partial<RlFocalConfig>, options: SeedRunOptions): Promise<SeedRuns> {
  if (options.seeds.length === 0) throw new RangeError('runRlFocalSeeds: no seeds given');
  const label = options.label ?? 'RL-Focal';
  const sink = throttleProgress(options.onProgress);
  const runs: SeedRun[] = [];
  for (let k = 0; k < options.seeds.length; k++) {
    const seed = options.seeds[k];
    const started = performance.now();
    const onProgress = sink && ((p: TrainProgress) => sink(describe(label, k, options.seeds, p, started)));
    if (options.perSubtask) {
      const run = trainPerSubtask(data, { ...config, seed }, { onProgress });
      runs.push({
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
        ...(run.guard ? { servedBy: run.guard.served } : {}),
        wallSeconds: run.wallSeconds,
      });
    } else {
      const run = trainRlFocal(data, { ...config, seed }, { onProgress });
      runs.push({
        seed,
        test: run.test,
        curves: { decider: points(run.curves.decider), fusion: points(run.curves.fusion) },
        selectionFrequency: run.testEpisode.selectionFrequency,
        ppo: (({ decider, fusion }) => ({ decider, fusion }))(runDiagnostics(run)),
        learned: run.learned.test,
        ...(run.guard ? { servedBy: run.guard.served } : {}),
        wallSeconds: run.wallSeconds,
      });
    }
    const last = runs[runs.length - 1];
    sink?.({
      stage: `${label} · seed ${seed}`,
      message: `${label} · seed ${seed} (${k + 1}/${options.seeds.length}) done · test accuracy ${last.test.accuracy.toFixed(3)} · ${last.wallSeconds.toFixed(1)} s`,
      final: true,
    });
    await yieldToEventLoop();
  }
  return {
    label,
    runs,
    accuracy: summarizeSeeds(runs.map((r) => r.test.accuracy)),
    accuracyMacro: summarizeSeeds(runs.map((r) => r.test.accuracyMacro ?? NaN)),
    costPer1000: summarizeSeeds(runs.map((r) => r.test.cost.costPer1000)),
    callsPerQuery: summarizeSeeds(runs.map((r) => r.test.cost.callsPerQuery)),
  };
}

/** "mean ± SE" in percent, e.g. "77.98 ± 0.52"; the SE is omitted for a single seed. */
export function formatPercentSe(summary: SeedSummary, digits = 2): string {
  if (!Number.isFinite(summary.mean)) return 'n/a';
  const mean = (100 * summary.mean).toFixed(digits);
  return Number.isFinite(summary.standardError) ? `${mean} ± ${(100 * summary.standardError).toFixed(digits)}` : mean;
}

/** Mean and standard deviation per episode over seeds (curves of unequal length are cut to the shortest). */
export function curveBand(curves: ReadonlyArray<readonly CurvePoint[]>): { episode: number[]; mean: number[]; std: number[] } {
  const length = Math.min(...curves.map((c) => c.length));
  const episode: number[] = [];
  const mean: number[] = [];
  const std: number[] = [];
  for (let k = 0; k < length; k++) {
    const s = summarizeSeeds(curves.map((c) => c[k].accuracy));
    episode.push(k + 1);
    mean.push(s.mean);
    std.push(Number.isFinite(s.std) ? s.std : 0);
  }
  return { episode, mean, std };
}
