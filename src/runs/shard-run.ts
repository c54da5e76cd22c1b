import * as path from 'node:path';
import { Progress, type ProgressStream } from '../util/progress';
import type { CellOutcome } from './cell';
import { cellRunner, type SweepWorkerData } from './cell-runner';
import { CellClaims } from './claims';
import { runJobs } from './engine';
import type { Shard, SweepCell } from './grid';
import { pendingCells, type ShardRunSummary, type SweepStore } from './store';

export interface ShardRunOptions {
  /** What the lines call the run: "sweep", "benchmark". */
  kind: string;
  /** The store, already opened with the run's manifest. */
  store: SweepStore;
  shard: Shard;
  /** Cells of the whole grid. */
  cellsTotal: number;
  /** The cells this run is for (its shard, maybe filtered); those with a result in the store are skipped. */
  mine: readonly SweepCell[];
  /** What runs a cell (`cellRunner`); sent to the workers. */
  worker: SweepWorkerData;
  /** Child processes; 0 runs the cells in this process (the engine's `runJobs`). */
  workers: number;
  /** The progress bar, and the interrupted line (always written). */
  progress: { stream: ProgressStream; enabled: boolean };
  /** Where the other lines go (skipped, failed, left to another run); none when absent. */
  lines?: ProgressStream;
  /** Aborting (Ctrl-C) kills every worker; finished cells stay written, nothing partial is left. */
  signal?: AbortSignal;
  /** How failures and progress name a cell (default its id). */
  name?(cell: SweepCell): string;
  /** Shown after the progress counts when a cell finishes. */
  headline(cell: SweepCell, outcome: CellOutcome, seconds: number): string;
  onCell?(cell: SweepCell, outcome: CellOutcome, seconds: number): void;
}

/**
 * Runs the cells of one shard of a sweep store (`rl-focal sweep`, `rl-focal benchmark`) that have no result yet, on
 * the engine, writing each result as it finishes. A cell is claimed before it starts, so two runs on one store never
 * compute it both; the claims this run still holds when it stops (interrupted, a callback threw) are released.
 * Killing the process at any point leaves only complete result files; running the same command again runs what is
 * missing. A failed cell is logged and reported; the other cells run.
 */
export async function runShard(options: ShardRunOptions): Promise<ShardRunSummary> {
  const started = Date.now();
  const { store, mine, kind } = options;
  const name = options.name ?? ((cell: SweepCell) => cell.id);
  const todo = pendingCells(mine, store.finishedCellIds());
  const shardName = `${options.shard.index}/${options.shard.count}`;
  store.log({ event: 'run', shard: shardName, cells: mine.length, todo: todo.length, workers: options.workers });
  if (todo.length < mine.length) {
    store.log({ event: 'skipped', cells: mine.length - todo.length });
    options.lines?.write(`${kind} ${shardName}: ${mine.length - todo.length} of ${mine.length} cells already finished, skipped\n`);
  }
  const progress = new Progress({ label: `${kind} ${shardName}`, total: todo.length, unit: 'cells', ...options.progress });
  const failures: ShardRunSummary['failures'] = [];
  let ran = 0;
  const claims = new CellClaims(store);
  const pool = await runJobs<SweepCell, CellOutcome>(todo, {
    workers: options.workers,
    run: cellRunner(options.worker),
    script: path.join(__dirname, `worker${path.extname(__filename)}`),
    init: options.worker,
    signal: options.signal,
    claim: (k) => {
      if (claims.take(todo[k].id)) return true;
      progress.tick(1);
      return false;
    },
    onStart: (k, worker) => store.log({ event: 'start', cell: todo[k].id, worker }),
    onDone: (k, outcome, seconds, worker) => {
      const cell = todo[k];
      store.writeResult({
        cell: { id: cell.id, index: cell.index, configId: cell.configId, overrides: cell.overrides, seed: cell.seed },
        metrics: outcome.metrics,
        timing: { wallSeconds: seconds, finishedAt: new Date().toISOString() },
        ...(outcome.details ? { details: outcome.details } : {}),
      });
      claims.release(cell.id);
      store.log({ event: 'done', cell: cell.id, worker, seconds });
      ran++;
      progress.tick(1, options.headline(cell, outcome, seconds));
      options.onCell?.(cell, outcome, seconds);
    },
    onFailed: (k, message, worker) => {
      const cell = todo[k];
      claims.release(cell.id);
      store.log({ event: 'failed', cell: cell.id, worker, message });
      failures.push({ cell: name(cell), message });
      options.lines?.write(`${kind} ${shardName}: cell ${name(cell)} failed: ${message}\n`);
      progress.tick(1);
    },
  }).finally(() => claims.releaseAll());
  if (pool.interrupted) {
    store.log({ event: 'interrupted', cells: pool.unfinished.length });
    options.progress.stream.write(`\ninterrupted: ${mine.length - todo.length + ran} of ${mine.length} cells finished, kept in ${store.dir}\n`);
  }
  if (todo.length > 0 && !pool.interrupted) progress.finish();
  if (claims.elsewhere.length > 0) {
    options.lines?.write(`${kind} ${shardName}: ${claims.elsewhere.length} cells left to the other run that is computing them (see their .claim files in ${store.cellsDir})\n`);
  }
  return {
    out: store.dir,
    shard: shardName,
    cells_total: options.cellsTotal,
    cells_in_shard: mine.length,
    skipped: mine.length - todo.length + claims.finishedMeanwhile,
    ran,
    claimed_elsewhere: claims.elsewhere.length,
    failed: failures.length,
    failures,
    interrupted: pool.interrupted,
    wall_seconds: (Date.now() - started) / 1000,
  };
}
