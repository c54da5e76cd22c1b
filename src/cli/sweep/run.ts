import * as path from 'node:path';
import { Progress, type ProgressStream } from '../../util/progress';
import type { LoadDatasetOptions } from '../../sources/data-source';
import { withOverrides } from '../config-input';
import { cellsOfShard, expandGrid, type ConfigOverrides, type Shard, type SweepCell, type SweepGrid } from '../../runs/grid';
import { runInChildProcesses } from '../../util/process-pool';
import type { CellOutcome } from '../../runs/cell';
import { CellClaims } from '../../runs/claims';
import { pendingCells, SweepStore, type ShardRunSummary, type SweepManifest } from '../../runs/store';
import type { SweepWorkerData } from '../../runs/worker';

export interface SweepOptions {
  data: string;
  dataOptions: LoadDatasetOptions;
  perSubtask: boolean;
  grid: SweepGrid;
  /** Config fixed for every cell before the grid's own base (from --config and --set). */
  base: ConfigOverrides;
  out: string;
  workers: number;
  shard: Shard;
  cellModule?: string;
  progress: { stream: ProgressStream; enabled: boolean };
  /** Aborting (Ctrl-C) kills every worker; finished cells stay written, nothing partial is left. */
  signal?: AbortSignal;
}

export type SweepSummary = ShardRunSummary;

/**
 * Runs the cells of one shard that have no result yet, on child processes, writing each result as it finishes.
 * Killing the process at any point leaves only complete result files; running the same command again runs what
 * is missing.
 */
export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const started = Date.now();
  const base = withOverrides(options.base, options.grid.base);
  const cells = expandGrid(options.grid);
  const mine = cellsOfShard(cells, options.shard);
  const store = new SweepStore(options.out);
  const cellModule = options.cellModule === undefined ? undefined : path.resolve(options.cellModule);
  const manifest: SweepManifest = {
    version: 1,
    data: options.data,
    dataOptions: options.dataOptions,
    perSubtask: options.perSubtask,
    base,
    grid: options.grid.grid,
    seeds: options.grid.seeds,
    ...(cellModule === undefined ? {} : { cellModule }),
    cells: cells.length,
  };
  store.open(manifest);
  const todo = pendingCells(mine, store.finishedCellIds());
  const shardName = `${options.shard.index}/${options.shard.count}`;
  store.log({ event: 'run', shard: shardName, cells: mine.length, todo: todo.length, workers: options.workers });
  if (todo.length < mine.length) store.log({ event: 'skipped', cells: mine.length - todo.length });

  const progress = new Progress({
    label: `sweep ${shardName}`,
    total: todo.length,
    unit: 'cells',
    stream: options.progress.stream,
    enabled: options.progress.enabled,
  });
  if (todo.length < mine.length) {
    options.progress.stream.write(`sweep ${shardName}: ${mine.length - todo.length} of ${mine.length} cells already finished, skipped\n`);
  }
  const failures: SweepSummary['failures'] = [];
  let ran = 0;
  const claims = new CellClaims(store);
  const ext = path.extname(__filename);
  const workerData: SweepWorkerData = {
    data: options.data,
    dataOptions: options.dataOptions,
    perSubtask: options.perSubtask,
    base,
    cellModule: cellModule ?? path.join(__dirname, `train-cell${ext}`),
  };
  // Claims this run still holds when it stops (interrupted, a callback threw) are released: see CellClaims.
  const pool = await runInChildProcesses<SweepCell, CellOutcome>(todo, {
    script: path.join(__dirname, '..', '..', 'runs', `worker${ext}`),
    init: workerData,
    workers: options.workers,
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
      progress.tick(1, headline(cell.id, outcome.metrics));
    },
    onFailed: (k, message, worker) => {
      const cell = todo[k];
      claims.release(cell.id);
      store.log({ event: 'failed', cell: cell.id, worker, message });
      failures.push({ cell: cell.id, message });
      options.progress.stream.write(`sweep ${shardName}: cell ${cell.id} failed: ${message}\n`);
      progress.tick(1);
    },
  }).finally(() => claims.releaseAll());
  if (pool.interrupted) {
    store.log({ event: 'interrupted', cells: pool.unfinished.length });
    options.progress.stream.write(
      `\ninterrupted: ${mine.length - todo.length + ran} of ${mine.length} cells finished, kept in ${options.out}\n`,
    );
  }
  if (todo.length > 0 && !pool.interrupted) progress.finish();
  if (claims.elsewhere.length > 0) {
    options.progress.stream.write(`sweep ${shardName}: ${claims.elsewhere.length} cells left to the other run that is computing them (see their .claim files in ${store.cellsDir})\n`);
  }
  return {
    out: options.out,
    shard: shardName,
    cells_total: cells.length,
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

/** The last finished cell's main number, shown after the progress counts. */
function headline(cellId: string, metrics: Record<string, number>): string {
  const [name, value] = Object.entries(metrics)[0] ?? [];
  return name === undefined ? cellId : `${cellId} ${name}=${typeof value === 'number' ? value.toFixed(4) : String(value)}`;
}
