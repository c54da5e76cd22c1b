/**
 * `runRlJobs`: RL-Focal training jobs (`RlJob`, plain data) on the engine (`runJobs`), with the run cache and the
 * live status line; what the notebooks' sweeps (08-11), the cost and scalability experiments run.
 */
import path from 'node:path';
import { resolveConfig } from '../train/config';
import { runJobs } from './engine';
import { JobDatasets, runRlJob, type RlJob, type RlJobOutcome } from './rl-job';
import { RunCache, runCacheDir } from './run-cache';
import { RunError, RunStatus } from './run-status';

export interface RlJobsOptions {
  /**
   * Child processes running the jobs; 0 runs them in this process instead (tests, debugging: nothing can stop a run
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
 * Runs the jobs on `workers` child processes (0: one after the other in this process), through `runJobs`. Outcomes
 * come back in job order. Runs found in the cache are not run again, and each finished run is added to it at once,
 * so an interrupted or edited sweep recomputes only what is missing. The first failed run stops the others; the call
 * rejects with a `RunError` that names the run and carries only the message (no worker frames).
 */
export async function runRlJobs(jobs: readonly RlJob[], options: RlJobsOptions = {}): Promise<RlJobOutcome[]> {
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
    let failure: RunError | undefined;
    const datasets = new JobDatasets();
    const pool = await runJobs<RlJob, RlJobOutcome>(
      todo.map((k) => jobs[k]),
      {
        workers,
        run: (job, context) => runRlJob(job, datasets, context.progress),
        script: path.join(__dirname, `rl-job-worker${path.extname(__filename)}`),
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
