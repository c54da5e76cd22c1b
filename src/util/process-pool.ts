/**
 * One pool of child processes for every parallel run of the project, behind the engine `runJobs` (src/runs/engine.ts:
 * the notebook sweeps' `runRlJobs`, `rl-focal sweep`, `rl-focal benchmark`). Jobs are plain data; each child runs one
 * job at a time and the next job goes to whichever child frees up first.
 *
 * Children are processes, not worker threads, so that the owner can always stop them at once, even in the middle of a
 * synchronous training loop: an abort signal, or an interrupt that reaches a child (Jupyter interrupts a kernel by
 * sending SIGINT to its process group; Ctrl-C in a terminal does the same), kills every child, waits until they
 * have exited and resolves with `interrupted: true`. The pool never installs a SIGINT listener itself: inside a tslab
 * kernel that would make the next interrupt kill the kernel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Parent -> child. */
type ToChild = { kind: 'init'; init: unknown } | { kind: 'job'; index: number; job: unknown };
/** Child -> parent. */
type FromChild =
  | { kind: 'progress'; index: number; fraction: number }
  | { kind: 'done'; index: number; result: unknown; seconds: number }
  | { kind: 'failed'; index: number; message: string; stack?: string };

export interface ProcessPoolOptions<R> {
  /** The child's entry script (it calls `serveJobs`); a `.ts` file runs under tsx (the unit tests). */
  script: string;
  /** Sent to every child once, before its first job (settings shared by all jobs). */
  init?: unknown;
  /** Children at most (never more than the jobs). */
  workers: number;
  /** After a failed job, stop the pool (kill the other children, start nothing new). Default: run the other jobs. */
  stopOnFailure?: boolean;
  /** Aborting kills every child; the run resolves with `interrupted: true`. */
  signal?: AbortSignal;
  /** Called before a job starts; false skips it (another process holds it: a shared sweep folder). Default: run it. */
  claim?(index: number): boolean;
  onStart?(index: number, worker: number): void;
  /** A child's own estimate of how far its job is, in [0, 1]. */
  onProgress?(index: number, fraction: number): void;
  /** Throwing here (e.g. the result cannot be written) stops the pool and rejects the run with that error. */
  onDone(index: number, result: R, seconds: number, worker: number): void;
  /** The job threw, or its child died (out of memory, killed from outside); the child is replaced. */
  onFailed(index: number, message: string, worker: number, stack?: string): void;
}

export interface ProcessPoolRun {
  finished: number;
  failed: number;
  /** Stopped by the abort signal or an interrupt (SIGINT) that reached the children; unfinished jobs did not run. */
  interrupted: boolean;
  /** Indices of the jobs that neither finished nor failed. */
  unfinished: number[];
}

/** The last characters a child wrote to stderr, quoted when it dies (a crash message names its cause). */
const STDERR_TAIL = 2000;

/**
 * Runs `jobs` on child processes. Resolves once every child has exited, so when it returns no work is running,
 * whatever the outcome.
 */
export function runInChildProcesses<J, R>(jobs: readonly J[], options: ProcessPoolOptions<R>): Promise<ProcessPoolRun> {
  const queue = jobs.map((_, index) => index);
  const finishedOrFailed = new Set<number>();
  const children = new Set<ChildProcess>();
  let finished = 0;
  let failed = 0;
  let stopping: 'interrupted' | 'failure' | 'error' | null = null;
  let error: unknown;
  let nextWorker = 0;

  return new Promise<ProcessPoolRun>((resolve, reject) => {
    const killAll = (): void => {
      for (const child of children) child.kill('SIGKILL');
    };
    // A parent that exits (process.exit in a CLI, a kernel shutting down) takes its children with it.
    process.on('exit', killAll);
    const onAbort = (): void => stop('interrupted');
    options.signal?.addEventListener('abort', onAbort);

    const settleIfIdle = (): void => {
      if (children.size > 0) return;
      process.off('exit', killAll);
      options.signal?.removeEventListener('abort', onAbort);
      if (stopping === 'error') {
        reject(error);
        return;
      }
      resolve({
        finished,
        failed,
        interrupted: stopping === 'interrupted',
        unfinished: jobs.map((_, index) => index).filter((index) => !finishedOrFailed.has(index)),
      });
    };

    function stop(reason: 'interrupted' | 'failure' | 'error'): void {
      if (stopping === null || reason === 'error') stopping = reason;
      queue.length = 0;
      killAll();
      settleIfIdle();
    }

    /**
     * Runs one of the owner's callbacks; if it throws, the run stops with that error (children killed, the promise
     * rejected once they are gone), as a throw from a job's callback does on the in-process path.
     */
    const callback = (f: () => void): boolean => {
      try {
        f();
        return true;
      } catch (e) {
        error = e;
        stop('error');
        return false;
      }
    };

    const startChild = (): void => {
      const worker = nextWorker++;
      const child = fork(options.script, [], {
        execArgv: path.extname(options.script) === '.ts' ? ['--import', 'tsx'] : [],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
      });
      children.add(child);
      let current: number | undefined;
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
      });

      const fail = (index: number, message: string, stack?: string): void => {
        finishedOrFailed.add(index);
        failed++;
        if (!callback(() => options.onFailed(index, message, worker, stack))) return;
        if (options.stopOnFailure) stop('failure');
      };

      const next = (): void => {
        for (;;) {
          current = stopping === null ? queue.shift() : undefined;
          if (current === undefined) break;
          const index = current;
          let claimed = true;
          if (options.claim !== undefined && !callback(() => (claimed = options.claim!(index)))) current = undefined;
          if (current === undefined || claimed) break;
        }
        if (current === undefined || !callback(() => options.onStart?.(current!, worker))) {
          current = undefined;
          if (child.connected) child.disconnect();
          return;
        }
        child.send({ kind: 'job', index: current, job: jobs[current] } satisfies ToChild);
      };

      child.on('message', (message: FromChild) => {
        if (current === undefined || message.index !== current || stopping !== null) return;
        if (message.kind === 'progress') {
          const index = current;
          callback(() => options.onProgress?.(index, message.fraction));
          return;
        }
        const index = current;
        if (message.kind === 'done') {
          finishedOrFailed.add(index);
          finished++;
          if (!callback(() => options.onDone(index, message.result as R, message.seconds, worker))) return;
        } else {
          fail(index, message.message, message.stack);
        }
        next();
      });
      child.on('error', () => {
        // Reported by 'exit' (a child that cannot be spawned or signalled exits, or never started).
      });
      child.on('exit', (code, signal) => {
        children.delete(child);
        const index = current;
        current = undefined;
        if (signal === 'SIGINT' && stopping === null) {
          // The interrupt was meant for the whole process group (Jupyter's Interrupt, Ctrl-C): stop everything.
          stop('interrupted');
          return;
        }
        if (index !== undefined && stopping === null) {
          const cause = signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
          const said = stderr.trim().split('\n').slice(-3).join(' | ');
          fail(index, `worker process ${cause} while running the job${said ? `: ${said}` : ''}`);
          if (stopping === null && queue.length > 0) startChild();
        }
        settleIfIdle();
      });

      child.send({ kind: 'init', init: options.init ?? null } satisfies ToChild);
      next();
    };

    if (queue.length === 0) {
      settleIfIdle();
      return;
    }
    if (options.signal?.aborted) {
      stopping = 'interrupted';
      queue.length = 0;
      settleIfIdle();
      return;
    }
    const count = Math.max(1, Math.min(options.workers, queue.length));
    for (let k = 0; k < count; k++) startChild();
  });
}

/** What a job handler gets besides its job: the init value of the pool and a way to report progress. */
export interface JobContext<I> {
  init: I;
  /** How far the job is, in [0, 1]; sent to the parent at most every 200 ms. */
  progress(fraction: number): void;
}

const PROGRESS_EVERY_MS = 200;

/**
 * The child side of `runInChildProcesses`: call it from the entry script with the function that runs one job. Jobs
 * arrive one at a time; the child exits when the parent disconnects (no more jobs, or the parent is gone).
 */
export function serveJobs<I, J, R>(run: (job: J, context: JobContext<I>) => Promise<R> | R): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('serveJobs: this script must be started by runInChildProcesses');
  let init: I;
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message: ToChild) => {
    if (message.kind === 'init') {
      init = message.init as I;
      return;
    }
    const { index } = message;
    const started = process.hrtime.bigint();
    let lastProgress = 0;
    const context: JobContext<I> = {
      init,
      progress: (fraction) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        send({ kind: 'progress', index, fraction } satisfies FromChild);
      },
    };
    let reply: FromChild;
    try {
      const result = await run(message.job as J, context);
      reply = { kind: 'done', index, result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      reply = { kind: 'failed', index, message: e.message, stack: e.stack };
    }
    send(reply);
  });
}
