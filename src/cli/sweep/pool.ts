import { Worker } from 'node:worker_threads';
import type { SweepCell } from './grid';
import type { CellOutcome } from './cell';

/**
 * Runs cells on a fixed number of worker threads, one cell per worker at a time, handing the next cell to
 * whichever worker frees up first. A worker that dies (uncaught error, out of memory) fails only its current
 * cell and is replaced.
 */

export interface WorkerRequest {
  cell: SweepCell;
}

export type WorkerReply =
  | { kind: 'done'; cellId: string; outcome: CellOutcome; seconds: number }
  | { kind: 'failed'; cellId: string; message: string; stack?: string };

export interface PoolOptions {
  /** Path of the worker script (built JS, or TS when the parent runs under tsx). */
  script: string;
  workerData: unknown;
  workers: number;
  /** Called before a cell starts; false skips it (another run holds it). Default: every cell runs. */
  claim?(cell: SweepCell): boolean;
  onStart(cell: SweepCell, worker: number): void;
  onDone(cell: SweepCell, outcome: CellOutcome, seconds: number, worker: number): void;
  onFailed(cell: SweepCell, message: string, worker: number, stack?: string): void;
}

export function runOnWorkers(cells: readonly SweepCell[], options: PoolOptions): Promise<void> {
  const queue = cells.slice();
  const threads = Math.max(1, Math.min(options.workers, queue.length));
  if (queue.length === 0) return Promise.resolve();

  return new Promise((resolve, reject) => {
    let busy = 0;
    let nextWorkerNumber = 0;
    let settled = false;

    const finishIfIdle = (): void => {
      if (!settled && busy === 0 && queue.length === 0) {
        settled = true;
        resolve();
      }
    };

    const startWorker = (): void => {
      const number = nextWorkerNumber++;
      const worker = new Worker(options.script, { workerData: options.workerData });
      let current: SweepCell | undefined;
      let failedCurrent = false;

      const next = (): void => {
        do current = queue.shift();
        while (current !== undefined && options.claim !== undefined && !options.claim(current));
        failedCurrent = false;
        if (current === undefined) {
          void worker.terminate();
          return;
        }
        busy++;
        options.onStart(current, number);
        worker.postMessage({ cell: current } satisfies WorkerRequest);
      };

      const failCurrent = (message: string, stack?: string): void => {
        if (current === undefined || failedCurrent) return;
        failedCurrent = true;
        busy--;
        try {
          options.onFailed(current, message, number, stack);
        } catch (error) {
          settled = true;
          reject(error);
        }
      };

      worker.on('message', (reply: WorkerReply) => {
        if (current === undefined || reply.cellId !== current.id) return;
        try {
          if (reply.kind === 'done') options.onDone(current, reply.outcome, reply.seconds, number);
          else options.onFailed(current, reply.message, number, reply.stack);
        } catch (error) {
          // Writing the result failed (disk full, permissions): stop rather than run cells whose results are lost.
          settled = true;
          void worker.terminate();
          reject(error);
          return;
        }
        busy--;
        if (settled) {
          void worker.terminate();
          return;
        }
        next();
        finishIfIdle();
      });
      worker.on('error', (error) => {
        failCurrent(`worker crashed: ${error.message}`, error.stack);
      });
      worker.on('exit', () => {
        if (current !== undefined && !failedCurrent) failCurrent('worker exited while running the cell');
        const wasRunning = current !== undefined;
        current = undefined;
        if (wasRunning && !settled && queue.length > 0) startWorker();
        finishIfIdle();
      });
      next();
    };

    for (let k = 0; k < threads; k++) startWorker();
  });
}
