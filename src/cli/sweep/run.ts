import * as path from 'node:path';
import type { ProgressStream } from '../../util/progress';
import type { LoadDatasetOptions } from '../../sources/data-source';
import { withOverrides } from '../config-input';
import { cellsOfShard, expandGrid, type ConfigOverrides, type Shard, type SweepGrid } from '../../runs/grid';
import { runShard } from '../../runs/shard-run';
import { SweepStore, type ShardRunSummary, type SweepManifest } from '../../runs/store';

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
 * Runs the cells of one shard that have no result yet, on child processes, writing each result as it finishes
 * (`runShard`). Killing the process at any point leaves only complete result files; running the same command again
 * runs what is missing.
 */
export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
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
  return runShard({
    kind: 'sweep',
    store,
    shard: options.shard,
    cellsTotal: cells.length,
    mine,
    worker: {
      data: options.data,
      dataOptions: options.dataOptions,
      perSubtask: options.perSubtask,
      base,
      cellModule: cellModule ?? path.join(__dirname, `train-cell${path.extname(__filename)}`),
    },
    workers: options.workers,
    progress: options.progress,
    lines: options.progress.stream,
    signal: options.signal,
    headline: (cell, outcome) => headline(cell.id, outcome.metrics),
  });
}

/** The last finished cell's main number, shown after the progress counts. */
function headline(cellId: string, metrics: Record<string, number>): string {
  const [name, value] = Object.entries(metrics)[0] ?? [];
  return name === undefined ? cellId : `${cellId} ${name}=${typeof value === 'number' ? value.toFixed(4) : String(value)}`;
}
