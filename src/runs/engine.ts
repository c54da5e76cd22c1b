import { runInChildProcesses, type ProcessPoolOptions, type ProcessPoolRun } from '../util/process-pool';

/** What a job function gets besides its job: a way to say how far it is. */
export interface JobProgress {
  /** How far the job is, in [0, 1]. */
  progress(fraction: number): void;
}

export interface JobEngineOptions<J, R> extends Omit<ProcessPoolOptions<R>, 'script' | 'workers' | 'onFailed'> {
  /**
   * Child processes running the jobs (`runInChildProcesses`); 0 runs them one after another in this process, where
   * a job may hold what cannot be sent to a child (an in-memory Dataset) but nothing can stop it before it ends.
   */
  workers: number;
  /** The job function of this process (workers 0). */
  run(job: J, context: JobProgress): Promise<R> | R;
  /** The child's entry script, needed with workers >= 1: it serves the same job function with `serveJobs`. */
  script?: string;
  /**
   * The job threw, or its child died (the child is replaced). `error` is the thrown value itself when the job ran in
   * this process (a child's error arrives as its message and stack only).
   */
  onFailed(index: number, message: string, worker: number, stack?: string, error?: unknown): void;
}

/**
 * The one engine behind every "config over seeds" of the project (`runRlJobs`, `runRlFocalSeeds`,
 * `rl-focal train --seeds`, `rl-focal sweep`, `rl-focal benchmark`): runs plain-data jobs in this process or on the child-process pool with the same callbacks,
 * so a failure, an abort and a claim mean the same on both paths. A failed job is reported (`onFailed`) and the
 * others run, unless `stopOnFailure`; an abort stops before the next job (in this process) or kills the children;
 * a throwing `onDone`/`onFailed` stops the run and rejects with its error.
 */
export async function runJobs<J, R>(jobs: readonly J[], options: JobEngineOptions<J, R>): Promise<ProcessPoolRun> {
  if (options.workers >= 1) {
    if (options.script === undefined) throw new Error('runJobs: workers >= 1 needs the script of the child processes');
    return runInChildProcesses(jobs, { ...options, script: options.script });
  }
  const settled = new Set<number>();
  let finished = 0;
  let failed = 0;
  let interrupted = false;
  for (let index = 0; index < jobs.length; index++) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    if (options.claim !== undefined && !options.claim(index)) continue;
    options.onStart?.(index, 0);
    const started = process.hrtime.bigint();
    let result: R;
    // A throwing onProgress stops the run with its error (as on the child path), not as this job's failure.
    let callbackError: { error: unknown } | undefined;
    const progress = (fraction: number): void => {
      if (callbackError !== undefined) return;
      try {
        options.onProgress?.(index, fraction);
      } catch (error) {
        callbackError = { error };
      }
    };
    try {
      result = await options.run(jobs[index], { progress });
    } catch (error) {
      if (callbackError !== undefined) throw callbackError.error;
      const e = error instanceof Error ? error : new Error(String(error));
      settled.add(index);
      failed++;
      options.onFailed(index, e.message, 0, e.stack, error);
      if (options.stopOnFailure) break;
      continue;
    }
    if (callbackError !== undefined) throw callbackError.error;
    settled.add(index);
    finished++;
    options.onDone(index, result, Number(process.hrtime.bigint() - started) / 1e9, 0);
    await yieldToEventLoop();
  }
  return { finished, failed, interrupted, unfinished: jobs.map((_, index) => index).filter((index) => !settled.has(index)) };
}

/**
 * Lets pending I/O (notebook display updates, an abort) through between long synchronous runs. A timer, not
 * `setImmediate`: the kernel's socket only drains when the event loop idles, and updates that pile up undrained kill
 * the cell (measured: a cell updating its display every 250 ms failed after 126-157 s with setImmediate between
 * seconds of work, even across two cells, and ran its 240 s to the end with a 5 ms timer).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}
