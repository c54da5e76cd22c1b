import * as path from 'node:path';
import type { FusionMlpConfig } from '../baselines/fusion-mlp';
import type { CellContext, CellOutcome } from '../runs/cell';
import { cellsOfShard, expandGrid, type Shard, type SweepCell } from '../runs/grid';
import { CellClaims } from '../runs/claims';
import { pendingCells, SweepStore, type ShardRunSummary, type SweepManifest } from '../runs/store';
import type { SweepWorkerData } from '../runs/worker';
import { InputError } from '../util/input-error';
import { parseDataSpec } from '../sources/data-source';
import { SHARED_POOL_NAMES, sharedPoolAvailable } from '../data/shared-pools';
import type { RlFocalConfig } from '../train/config';
import { runInChildProcesses } from '../util/process-pool';
import { Progress, type ProgressStream } from '../util/progress';
import { runCell, type BenchmarkSettings } from './cell';
import { METHOD_FAMILY_NAMES, methodFamily } from './methods';

/**
 * `rl-focal benchmark` as a library function: every method family x every pool x seeds, stored in the sweep layout
 * (src/runs/store.ts: sweep.json, cells/<id>.json written atomically, sweep-log.jsonl), so a rerun skips the
 * finished cells, `shard` splits the cells between machines, and `benchmarkReport` merges the folders.
 * The grid is pool (slowest) x method family; families whose result does not depend on the seed run with the
 * first seed only.
 */

/** Marks a sweep folder as a benchmark (the manifest's `cellModule`); the real module path is resolved at run time. */
export const BENCHMARK_CELL_MODULE = 'rl-focal benchmark';

export interface BenchmarkParams {
  /** `--data` specs; default every shared pool present next to the repository. */
  pools?: string[];
  /** Method family names (METHOD_FAMILY_NAMES); default all. */
  methods?: string[];
  /** Default [0, 1, 2]. */
  seeds?: number[];
  /** Output folder (shared by the shards; rerun to resume). */
  out: string;
  /** Default 1/1. */
  shard?: Shard;
  /** Worker threads; 1 (default) runs the cells in this thread, one after another. */
  workers?: number;
  /** Overrides of RL-Focal's configuration; default none (the library's defaults). */
  rl?: Partial<RlFocalConfig>;
  /** Supervised fusion networks' config; false = skip them. Default: their defaults. */
  fusion?: FusionMlpConfig | false;
  /** Table 8 prices where a model id matches (default true). */
  paperPrices?: boolean;
  progress?: { stream: ProgressStream; enabled: boolean };
  /**
   * Run only the cells of these pools / methods / seeds (each a subset of the grid's); the stored benchmark is still the
   * whole grid, so a notebook can fill it one pool or one method at a time and report it as one benchmark.
   */
  only?: { pools?: string[]; methods?: string[]; seeds?: number[] };
  /** Called after every finished cell (notebook progress). */
  onCell?: (cell: SweepCell, outcome: CellOutcome, seconds: number) => void;
}

export type BenchmarkRunSummary = ShardRunSummary;

/** The shared pools present next to the repository (the default `pools`). */
export function availableSharedPools(): string[] {
  return SHARED_POOL_NAMES.filter((name) => sharedPoolAvailable(name));
}

/** The benchmark's cells: pool x family x seed, seed-independent families on the first seed only. */
export function benchmarkCells(pools: readonly string[], methods: readonly string[], seeds: readonly number[]): SweepCell[] {
  const all = expandGrid({ grid: [['pool', [...pools]], ['method', [...methods]]], base: {}, seeds: [...seeds] });
  return all.filter((cell) => methodFamily(String(cell.overrides.method))!.seeded || cell.seed === seeds[0]);
}

/** Checks the parameters (bad ones are InputErrors naming the flag) and fills in the defaults. */
export function resolveBenchmarkParams(params: BenchmarkParams): Required<Omit<BenchmarkParams, 'onCell' | 'progress' | 'only'>> & Pick<BenchmarkParams, 'onCell' | 'progress' | 'only'> {
  const pools = params.pools ?? availableSharedPools();
  if (pools.length === 0) throw new InputError('no pools: none of the shared pools is present next to the repository; name folders with --data', { field: '--data' });
  for (const spec of pools) parseDataSpec(spec);
  if (new Set(pools).size !== pools.length) throw new InputError('a pool is listed twice', { field: '--data' });
  const methods = params.methods ?? [...METHOD_FAMILY_NAMES];
  for (const m of methods) {
    if (!methodFamily(m)) throw new InputError(`unknown method "${m}" (known: ${METHOD_FAMILY_NAMES.join(', ')})`, { field: '--methods' });
  }
  if (methods.length === 0 || new Set(methods).size !== methods.length) throw new InputError('name each method once', { field: '--methods' });
  for (const p of params.only?.pools ?? []) if (!pools.includes(p)) throw new RangeError(`runBenchmark: only.pools names "${p}", which is not among the pools`);
  for (const m of params.only?.methods ?? []) if (!methods.includes(m)) throw new RangeError(`runBenchmark: only.methods names "${m}", which is not among the methods`);
  const seeds = params.seeds ?? [0, 1, 2];
  if (seeds.length === 0 || new Set(seeds).size !== seeds.length || !seeds.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new InputError('seeds must be distinct non-negative integers', { field: '--seeds' });
  }
  return {
    pools,
    methods,
    seeds,
    out: params.out,
    shard: params.shard ?? { index: 1, count: 1 },
    workers: params.workers ?? 1,
    rl: params.rl ?? {},
    fusion: params.fusion ?? {},
    paperPrices: params.paperPrices ?? true,
    progress: params.progress,
    onCell: params.onCell,
    only: params.only,
  };
}

export async function runBenchmark(input: BenchmarkParams): Promise<BenchmarkRunSummary> {
  const started = Date.now();
  const params = resolveBenchmarkParams(input);
  const settings: BenchmarkSettings = { rl: params.rl, fusion: params.fusion, paperPrices: params.paperPrices };
  const cells = benchmarkCells(params.pools, params.methods, params.seeds);
  const only = params.only;
  const mine = cellsOfShard(cells, params.shard).filter(
    (cell) =>
      (!only?.pools || only.pools.includes(String(cell.overrides.pool))) &&
      (!only?.methods || only.methods.includes(String(cell.overrides.method))) &&
      (!only?.seeds || only.seeds.includes(cell.seed)),
  );
  const store = new SweepStore(params.out);
  const manifest: SweepManifest = {
    version: 1,
    data: params.pools.join(','),
    dataOptions: {},
    perSubtask: false,
    base: settings as unknown as Record<string, unknown>,
    grid: [
      ['pool', params.pools],
      ['method', params.methods],
    ],
    seeds: params.seeds,
    cellModule: BENCHMARK_CELL_MODULE,
    cells: cells.length,
  };
  store.open(manifest);
  const todo = pendingCells(mine, store.finishedCellIds());
  const shardName = `${params.shard.index}/${params.shard.count}`;
  store.log({ event: 'run', shard: shardName, cells: mine.length, todo: todo.length, workers: params.workers });
  const stream = params.progress?.stream ?? process.stderr;
  const enabled = params.progress?.enabled ?? false;
  if (todo.length < mine.length) {
    store.log({ event: 'skipped', cells: mine.length - todo.length });
    if (enabled) stream.write(`benchmark ${shardName}: ${mine.length - todo.length} of ${mine.length} cells already finished, skipped\n`);
  }
  const progress = new Progress({ label: `benchmark ${shardName}`, total: todo.length, unit: 'cells', stream, enabled });
  const failures: BenchmarkRunSummary['failures'] = [];
  let ran = 0;
  const done = (cell: SweepCell, outcome: CellOutcome, seconds: number, worker: number) => {
    store.writeResult({
      cell: { id: cell.id, index: cell.index, configId: cell.configId, overrides: cell.overrides, seed: cell.seed },
      metrics: outcome.metrics,
      timing: { wallSeconds: seconds, finishedAt: new Date().toISOString() },
      ...(outcome.details ? { details: outcome.details } : {}),
    });
    claims.release(cell.id);
    store.log({ event: 'done', cell: cell.id, worker, seconds });
    ran++;
    progress.tick(1, `${cell.overrides.pool} ${cell.overrides.method} s${cell.seed} (${seconds.toFixed(1)} s)`);
    params.onCell?.(cell, outcome, seconds);
  };
  const failed = (cell: SweepCell, message: string, worker: number) => {
    claims.release(cell.id);
    store.log({ event: 'failed', cell: cell.id, worker, message });
    failures.push({ cell: `${cell.overrides.pool} ${cell.overrides.method} s${cell.seed}`, message });
    if (enabled) stream.write(`benchmark ${shardName}: ${cell.overrides.pool} ${cell.overrides.method} seed ${cell.seed} failed: ${message}\n`);
    progress.tick(1);
  };

  // Two runs on one store (shards of an array job that overlap, a rerun started beside a live one) never compute a
  // cell both: a cell is claimed before it starts (runs/store.ts), and cells another live run claimed are left to it.
  const claims = new CellClaims(store);
  const claim = (cell: SweepCell): boolean => {
    if (claims.take(cell.id)) return true;
    progress.tick(1);
    return false;
  };

  let interrupted = false;
  try {
    if (params.workers <= 1) {
      const context: CellContext = { data: manifest.data, base: manifest.base, perSubtask: false, loadDataset: () => Promise.reject(new Error('benchmark cells load their own pool')) };
      for (const cell of todo) {
        if (!claim(cell)) continue;
        store.log({ event: 'start', cell: cell.id, worker: 0 });
        const t0 = process.hrtime.bigint();
        let outcome: CellOutcome;
        try {
          outcome = await runCell(cell, context);
        } catch (error) {
          failed(cell, (error as Error)?.message ?? String(error), 0);
          continue;
        }
        done(cell, outcome, Number(process.hrtime.bigint() - t0) / 1e9, 0);
      }
    } else {
      const ext = path.extname(__filename);
      const workerData: SweepWorkerData = {
        data: manifest.data,
        dataOptions: {},
        perSubtask: false,
        base: manifest.base,
        cellModule: path.join(__dirname, `cell${ext}`),
      };
      const pool = await runInChildProcesses<SweepCell, CellOutcome>(todo, {
        script: path.join(__dirname, '..', 'runs', `worker${ext}`),
        init: workerData,
        workers: params.workers,
        claim: (k) => claim(todo[k]),
        onStart: (k, worker) => store.log({ event: 'start', cell: todo[k].id, worker }),
        onDone: (k, outcome, seconds, worker) => done(todo[k], outcome, seconds, worker),
        onFailed: (k, message, worker) => failed(todo[k], message, worker),
      });
      if (pool.interrupted) {
        store.log({ event: 'interrupted', cells: pool.unfinished.length });
        stream.write(`\ninterrupted: ${mine.length - todo.length + ran} of ${mine.length} cells finished, kept in ${params.out}\n`);
        interrupted = true;
      }
    }
  } finally {
    claims.releaseAll();
  }
  if (interrupted) return summary(true);
  if (todo.length > 0) progress.finish();
  if (claims.elsewhere.length > 0 && enabled) {
    stream.write(`benchmark ${shardName}: ${claims.elsewhere.length} cells left to the other run that is computing them (see their .claim files in ${store.cellsDir})\n`);
  }
  return summary(false);

  function summary(interrupted: boolean): BenchmarkRunSummary {
    return {
      out: params.out,
      shard: shardName,
      cells_total: cells.length,
      cells_in_shard: mine.length,
      skipped: mine.length - todo.length + claims.finishedMeanwhile,
      ran,
      claimed_elsewhere: claims.elsewhere.length,
      failed: failures.length,
      failures,
      interrupted,
      wall_seconds: (Date.now() - started) / 1000,
    };
  }
}
