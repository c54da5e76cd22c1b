/**
 * RL-Focal training runs as plain-data jobs, so the sweeps of notebooks 08-11 can run them on a pool of child
 * processes (one per core, `runInChildProcesses`) and get back plain-data outcomes. A job names its dataset by a `loadDataset` spec string
 * (e.g. `sim:gsm8k?n=2000&seed=0`), which is what lets a worker rebuild the exact same pool without copying it.
 * Paper Table 8 prices are always applied, so every cost is in the paper's units.
 */
import path from 'node:path';
import type { Dataset } from '../data/dataset';
import { EnsembleEnv } from '../env/ensemble-env';
import { policyParameterCount } from '../train/agents';
import { resolveConfig, type RlFocalConfig } from '../train/config';
import { MappoTrainer } from '../train/mappo';
import { ReinforceParityTrainer } from '../train/reinforce';
import { envOptionsFor, trainRlFocal, type RlFocalRun } from '../train/train-rl-focal';
import { runInChildProcesses } from '../util/process-pool';
import { Rng } from '../util/rng';
import { loadDataset } from '../sources/data-source';
import { RunCache, runCacheDir } from './run-cache';
import { RunError, RunInterrupted, RunStatus } from './run-status';

export interface RlJob {
  /** `loadDataset` spec: `sim:<benchmark>?n=&seed=`, `bbh`, or a recorded-outputs folder. */
  data: string;
  /** Replay every model this many times (`Dataset.duplicateModels`); default 1. */
  duplicate?: number;
  /** Keep only these subtasks (e.g. a few BBH subtasks in fast mode). */
  subtasks?: string[];
  /** Overrides of DEFAULT_CONFIG (the seed included). */
  config: Partial<RlFocalConfig>;
  /** Labels copied to the outcome (the sweep coordinates, e.g. `{ alpha: 0.6 }`). */
  tags: Record<string, number | string>;
  /** After training, time a frozen pass (no updates) over the test stream: per-query inference latency. */
  measureInference?: boolean;
}

export interface RlJobOutcome {
  tags: Record<string, number | string>;
  data: string;
  provenance: string;
  duplicate: number;
  seed: number;
  algorithm: string;
  nModels: number;
  trainQueries: number;
  testQueries: number;
  /** Test pass (Algorithm 2), fractions in [0, 1]. */
  accuracy: number;
  accuracyMacro: number;
  callsPerQuery: number;
  /** Cents per 1,000 queries at paper Table 8 prices (spec §4.4). */
  costPer1000: number;
  /** LLM calls over the whole test pass. */
  totalCalls: number;
  meanTeamSize: number;
  modelIds: string[];
  /** Fraction of test queries on which each model was selected. */
  selectionFrequency: number[];
  deciderCurve: number[];
  fusionCurve: number[];
  /** Queries served over all warm-start episodes (both turns). */
  trainSteps: number;
  /** Wall time of Algorithm 1 (both warm-start turns), measured here. */
  warmStartSeconds: number;
  /** Wall time of trainRlFocal as a whole (warm start + online test pass with updates), measured here. */
  totalSeconds: number;
  /** Frozen test pass: observation + Decider + Fusion per query, seconds (only with `measureInference`). */
  inferenceSecondsPerQuery: number | null;
  parameters: { decider: number; fusion: number; critic: number; policies: number };
}

/** Loads (and caches) the dataset of a job with paper prices. */
export class JobDatasets {
  private readonly cache = new Map<string, Promise<Dataset>>();

  get(job: Pick<RlJob, 'data' | 'duplicate' | 'subtasks'>): Promise<Dataset> {
    const k = Math.max(1, job.duplicate ?? 1);
    const key = `${job.data}#x${k}#${(job.subtasks ?? []).join(',')}`;
    let found = this.cache.get(key);
    if (found === undefined) {
      const options = { paperPrices: true, ...(job.subtasks ? { subtasks: job.subtasks } : {}) };
      found = loadDataset(job.data, options).then((d) => (k > 1 ? d.duplicateModels(k) : d));
      this.cache.set(key, found);
    }
    return found;
  }
}

/**
 * Runs one job in this thread. `onFraction` hears how far it is (episodes done / episodes planned, early stopping
 * can skip some), for a live ETA.
 */
export async function runRlJob(
  job: RlJob,
  datasets: JobDatasets = new JobDatasets(),
  onFraction?: (fraction: number) => void,
): Promise<RlJobOutcome> {
  const data = await datasets.get(job);
  const started = performance.now();
  let warmStartEnd = started;
  const resolved = resolveConfig(job.config);
  const planned = resolved.deciderEpisodes + resolved.fusionEpisodes + 1;
  const run = trainRlFocal(data, job.config, {
    onProgress: (p) => {
      if (p.turn !== 'test') warmStartEnd = performance.now();
      const position = p.turn === 'decider' ? p.episode + 1 : p.turn === 'fusion' ? resolved.deciderEpisodes + p.episode + 1 : planned;
      onFraction?.(Math.min(1, position / planned));
    },
  });
  const totalSeconds = (performance.now() - started) / 1000;
  const inference = job.measureInference ? frozenTestPassSeconds(data, run) : null;
  const cost = run.test.cost;
  return {
    tags: { ...job.tags },
    data: job.data,
    provenance: describeProvenance(data),
    duplicate: Math.max(1, job.duplicate ?? 1),
    seed: run.config.seed,
    algorithm: run.config.algorithm,
    nModels: data.nModels,
    trainQueries: data.splitIndices('train').length,
    testQueries: run.test.correct.length,
    accuracy: run.test.accuracy,
    accuracyMacro: run.test.accuracyMacro ?? NaN,
    callsPerQuery: cost.callsPerQuery,
    costPer1000: cost.costPer1000,
    totalCalls: cost.callsPerModel.reduce((s, c) => s + c, 0),
    meanTeamSize: run.testEpisode.meanTeamSize,
    modelIds: data.models.map((m) => m.id),
    selectionFrequency: run.testEpisode.selectionFrequency,
    deciderCurve: run.curves.decider.map((e) => e.accuracy),
    fusionCurve: run.curves.fusion.map((e) => e.accuracy),
    trainSteps: [...run.curves.decider, ...run.curves.fusion].reduce((sum, e) => sum + e.steps, 0),
    warmStartSeconds: (warmStartEnd - started) / 1000,
    totalSeconds,
    inferenceSecondsPerQuery: inference,
    parameters: policyParameterCount(run.agents),
  };
}

export function describeProvenance(data: Dataset): string {
  const p = data.provenance;
  const label = p.kind === 'real' ? 'real recorded outputs' : p.kind === 'simulated' ? 'simulated pool' : 'synthetic data';
  return p.source.toLowerCase().startsWith(label) ? p.source : `${label}: ${p.source}`;
}

/**
 * Seconds per query of a pass over the test stream with the trained agents frozen (no updates): building the Decider
 * observation (window metrics), the Decider's team, the Fusion observation and the Fusion answer. The window is
 * filled with the last train queries first, as in the test pass of `trainRlFocal`.
 */
export function frozenTestPassSeconds(data: Dataset, run: RlFocalRun): number {
  const cfg = run.config;
  const trainIdx = data.splitIndices('train');
  const testIdx = data.splitIndices('test');
  const w = cfg.window;
  const prefix = cfg.testWindow === 'same' ? Array.from(trainIdx.subarray(Math.max(0, trainIdx.length - w))) : [];
  const stream = data.selectQueries([...prefix, ...testIdx]);
  const env = new EnsembleEnv(stream, {
    window: cfg.testWindow === 'same' ? w : 0,
    start: prefix.length,
    ...envOptionsFor(cfg, data.nModels, data.maxChoices),
  });
  const rng = new Rng(cfg.seed).fork('inference-timing');
  const trainer = cfg.algorithm === 'mappo' ? new MappoTrainer(run.agents, cfg, rng) : new ReinforceParityTrainer(run.agents, cfg, rng);
  const started = performance.now();
  const stats = trainer.runEpisode(env, { decider: 'act', fusion: 'act', deciderAction: cfg.testDeciderAction, fusionAction: 'argmax' });
  return (performance.now() - started) / 1000 / Math.max(1, stats.steps);
}

export interface RunJobsOptions {
  /**
   * Child processes running the jobs; 0 runs them in this thread instead (tests, debugging: nothing can stop a run
   * there before it ends, and in a notebook it keeps the kernel busy). Default: 2 (the CI machine's cores).
   */
  workers?: number;
  /** Called as each job finishes (in completion order), runs found in the cache first. */
  onDone?: (outcome: RlJobOutcome, done: number, total: number) => void;
  /**
   * One status line, redrawn about once a second from the start: runs done and running, percent, elapsed, ETA; then
   * the final line ("interrupted: 6 of 15 runs finished, kept in …" after an interrupt). See `statusLine()`.
   */
  onStatus?: (line: string, final: boolean) => void;
  /** What the status line calls the runs ("α sweep"). */
  label?: string;
  /** Finished runs are kept here and reused (see `RunCache`); default RL_FOCAL_RUN_CACHE, none when unset. */
  cacheDir?: string | null;
  /** Aborting stops the runs (children killed); the call rejects with `RunInterrupted`. */
  signal?: AbortSignal;
}

/** "alpha 0.6, seed 1": a job named by its sweep coordinates. */
export function describeTags(tags: Record<string, number | string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/**
 * A config that cannot be resolved fails before anything starts: once when every job has the same problem (a shared
 * setting), else naming the first job that has it.
 */
function checkConfigs(jobs: readonly RlJob[]): void {
  const problems = jobs.map((job) => {
    try {
      resolveConfig(job.config);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  });
  const first = problems.findIndex((p) => p !== null);
  if (first < 0) return;
  if (problems.every((p) => p === problems[first])) throw new RunError(problems[first]!);
  throw new RunError(`run ${describeTags(jobs[first].tags)}: ${problems[first]}`);
}

/**
 * The error of a failed run: named by its tags, unless it is about the data spec that every run shares (an unknown
 * benchmark, a missing folder), which would fail every run the same way.
 */
function failedRun(jobs: readonly RlJob[], k: number, message: string): RunError {
  const data = jobs[k].data;
  const shared = message.includes(data) && jobs.every((job) => job.data === data);
  return new RunError(shared ? message : `run ${describeTags(jobs[k].tags)}: ${message}`);
}

/**
 * Runs the jobs on `workers` child processes (0: one after the other in this thread). Outcomes
 * come back in job order. Runs found in the cache are not run again, and each finished run is added to it at once,
 * so an interrupted or edited sweep recomputes only what is missing. The first failed run stops the others; the call
 * rejects with a `RunError` that names the run and carries only the message (no worker frames).
 */
export async function runRlJobs(jobs: readonly RlJob[], options: RunJobsOptions = {}): Promise<RlJobOutcome[]> {
  checkConfigs(jobs);
  const workers = Math.min(options.workers ?? 2, jobs.length);
  const cacheDir = options.cacheDir === undefined ? runCacheDir() : options.cacheDir;
  const cache = cacheDir === null ? null : new RunCache(cacheDir);
  const outcomes = new Array<RlJobOutcome>(jobs.length);
  const status = new RunStatus(options.label ?? 'runs', jobs.length, options.onStatus);
  let done = 0;
  const finish = (k: number, outcome: RlJobOutcome, fromCache: boolean) => {
    outcomes[k] = { ...outcome, tags: { ...jobs[k].tags } };
    done += 1;
    if (!fromCache) cache?.put(jobs[k], outcome);
    status.finished(k, fromCache);
    options.onDone?.(outcomes[k], done, jobs.length);
  };
  const todo: number[] = [];
  jobs.forEach((job, k) => {
    const cached = cache?.get<RlJobOutcome>(job);
    if (cached !== undefined) finish(k, cached, true);
    else todo.push(k);
  });
  try {
    if (todo.length === 0) return outcomes;
    status.start();
    if (workers <= 0) {
      const datasets = new JobDatasets();
      for (const k of todo) {
        if (options.signal?.aborted) throw status.interrupted(cacheDir);
        status.started(k);
        try {
          finish(k, await runRlJob(jobs[k], datasets, (f) => status.progress(k, f)), false);
        } catch (error) {
          throw failedRun(jobs, k, error instanceof Error ? error.message : String(error));
        }
      }
      return outcomes;
    }
    let failure: RunError | undefined;
    const pool = await runInChildProcesses<RlJob, RlJobOutcome>(
      todo.map((k) => jobs[k]),
      {
        script: path.join(__dirname, `sweeps-worker${path.extname(__filename)}`),
        workers,
        stopOnFailure: true,
        signal: options.signal,
        onStart: (i) => status.started(todo[i]),
        onProgress: (i, fraction) => status.progress(todo[i], fraction),
        onDone: (i, outcome) => finish(todo[i], outcome, false),
        onFailed: (i, message) => {
          failure ??= failedRun(jobs, todo[i], message);
        },
      },
    );
    if (pool.interrupted) throw status.interrupted(cacheDir);
    if (failure !== undefined) throw failure;
    return outcomes;
  } finally {
    status.stop();
  }
}
