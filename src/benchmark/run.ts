import * as path from 'node:path';
import type { FusionMlpConfig } from '../baselines/fusion-mlp';
import type { CellOutcome } from '../runs/cell';
import { cellsOfShard, expandGrid, type Shard, type SweepCell } from '../runs/grid';
import { runShard } from '../runs/shard-run';
import { SweepStore, type ShardRunSummary, type SweepManifest } from '../runs/store';
import { InputError } from '../util/input-error';
import { parseDataSpec } from '../sources/data-source';
import { SHARED_POOL_NAMES, sharedPoolAvailable } from '../data/shared-pools';
import type { RlFocalConfig } from '../train/config';
import type { ProgressStream } from '../util/progress';
import type { BenchmarkSettings } from './cell';
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
  /** Worker processes; 1 (default) runs the cells in this process, one after another. */
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
  /** Aborting stops the run: workers killed, finished cells kept, the summary says interrupted (CLI: Ctrl-C). */
  signal?: AbortSignal;
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
export function resolveBenchmarkParams(params: BenchmarkParams): Required<Omit<BenchmarkParams, 'onCell' | 'progress' | 'only' | 'signal'>> & Pick<BenchmarkParams, 'onCell' | 'progress' | 'only' | 'signal'> {
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
    signal: params.signal,
  };
}

export async function runBenchmark(input: BenchmarkParams): Promise<BenchmarkRunSummary> {
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
  const enabled = params.progress?.enabled ?? false;
  const stream = params.progress?.stream ?? process.stderr;
  const name = (cell: SweepCell) => `${cell.overrides.pool} ${cell.overrides.method} s${cell.seed}`;
  return runShard({
    kind: 'benchmark',
    store,
    shard: params.shard,
    cellsTotal: cells.length,
    mine,
    worker: { data: manifest.data, dataOptions: {}, perSubtask: false, base: manifest.base, cellModule: path.join(__dirname, `cell${path.extname(__filename)}`) },
    // One worker runs the cells in this process.
    workers: params.workers <= 1 ? 0 : params.workers,
    progress: { stream, enabled },
    ...(enabled ? { lines: stream } : {}),
    name,
    headline: (cell, _outcome, seconds) => `${name(cell)} (${seconds.toFixed(1)} s)`,
    onCell: params.onCell,
    signal: params.signal,
  });
}
