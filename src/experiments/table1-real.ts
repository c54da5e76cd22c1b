/**
 * Table 1's real columns: the BBH, MMLU and GSM8K columns measured on pools of real recorded outputs
 * (`../shared/data`), beside the simulated columns and what survives of the paper. They run through the benchmark's
 * engine and store (`runBenchmark`, src/benchmark): the Table 1 methods that can run on recorded outputs (every
 * model alone, the best single model chosen on train, plurality and soft vote of all models, the oracle, RL-Focal)
 * are its method families, the store is resumable, and the numbers are those `rl-focal benchmark` gives.
 */
import { buildBenchmarkReport, type BenchmarkRow } from '../benchmark/report';
import { runBenchmark } from '../benchmark/run';
import { isSharedPoolName, sharedPoolAvailable } from '../data/shared-pools';
import type { BenchmarkName } from '../sim/calibration';
import type { RlFocalConfig } from '../train/config';
import { BENCHMARK_TITLES } from './table1-pools';
import type { ProgressSink } from '../runs/progress-sink';

/** The benchmark families Table 1's rows come from (the supervised fusion and routers are not Table 1 methods). */
export const TABLE1_REAL_FAMILIES: readonly string[] = ['single', 'vote-all', 'oracle', 'rl-focal'];

/**
 * The real pool beside each simulated column. MMLU: mmlu-redux-14 with its original MMLU key (the one the source's
 * leaderboard and the paper's MMLU score against; `mmlu-redux-14?labels=redux` is the corrected key), not
 * mmlu-helm-10, whose 10 older models overlap the paper's pool less.
 */
export const TABLE1_REAL_POOLS: Readonly<Partial<Record<BenchmarkName, string>>> = Object.freeze({
  bbh: 'bbh-leaderboard',
  mmlu: 'mmlu-redux-14',
  gsm8k: 'gsm8k-zeroeval-43',
});

export interface Table1RealParams {
  /** `--data` spec of the real pool beside each benchmark's column; default TABLE1_REAL_POOLS. */
  pools: Partial<Record<BenchmarkName, string>>;
  /** RL-Focal seeds (seed-independent methods run once). */
  seeds: number[];
  /** Overrides of RL-Focal's library defaults (`{}` = the defaults, as `rl-focal benchmark` runs it). */
  rl: Partial<RlFocalConfig>;
  /** The benchmark store (sweep layout): finished cells are kept, so a rerun with the same settings resumes. */
  store: string;
}

export interface Table1RealColumn {
  benchmark: BenchmarkName;
  /** The pool's `--data` spec. */
  pool: string;
  /** Column title, e.g. "BBH · real recorded outputs (bbh-leaderboard)". */
  title: string;
  provenance: string;
  nModels: number;
  testQueries: number;
  seeds: number;
  /** The pool's benchmark rows (every method of TABLE1_REAL_FAMILIES). */
  rows: BenchmarkRow[];
  /** Table 1's "best model": the best test accuracy of a single model (as the simulated columns use it). */
  best: BenchmarkRow;
  bestOnTrain: BenchmarkRow;
  plurality: BenchmarkRow;
  soft: BenchmarkRow;
  oracle: BenchmarkRow;
  rl: BenchmarkRow;
  /** RL-Focal's mean relative to `best`, in percent. */
  relativeGain: number;
}

export interface Table1RealOutput {
  columns: Table1RealColumn[];
  /** Why a column is missing (pool folder absent). */
  notes: string[];
}

function pick(rows: BenchmarkRow[], pool: string, test: (r: BenchmarkRow) => boolean, what: string): BenchmarkRow {
  const found = rows.find((r) => r.pool === pool && test(r));
  if (!found) throw new Error(`table1 real column ${pool}: the benchmark store has no ${what} row`);
  return found;
}

/** Runs (or resumes) the real columns for `benchmarks` whose pool is present, and reads them back from the store. */
export async function runTable1Real(benchmarks: readonly BenchmarkName[], params: Table1RealParams, onProgress?: ProgressSink): Promise<Table1RealOutput> {
  const notes: string[] = [];
  const wanted: Array<[BenchmarkName, string]> = [];
  for (const benchmark of benchmarks) {
    const pool = params.pools[benchmark];
    if (pool === undefined) continue;
    const name = pool.split('?')[0];
    if (isSharedPoolName(name) && !sharedPoolAvailable(name)) {
      notes.push(`real ${benchmark} column skipped: ../shared/data/${name} is absent`);
      continue;
    }
    wanted.push([benchmark, pool]);
  }
  if (wanted.length === 0) return { columns: [], notes };
  const summary = await runBenchmark({
    pools: wanted.map(([, pool]) => pool),
    methods: [...TABLE1_REAL_FAMILIES],
    seeds: params.seeds,
    out: params.store,
    rl: params.rl,
    fusion: false,
    onCell: (cell, _outcome, seconds) =>
      onProgress?.({ stage: `Table 1 · real ${cell.overrides.pool}`, message: `Table 1 · real recorded outputs · ${cell.overrides.pool} · ${cell.overrides.method} · seed ${cell.seed} (${seconds.toFixed(1)} s)`, final: true }),
  });
  if (summary.failed > 0) throw new Error(`table1 real columns: ${summary.failures.map((f) => `${f.cell}: ${f.message}`).join('; ')}`);
  const report = buildBenchmarkReport([params.store]);
  const columns = wanted.map(([benchmark, pool]): Table1RealColumn => {
    const view = report.pools.find((p) => p.pool === pool)!;
    const rows = report.rows.filter((r) => r.pool === pool);
    const singles = rows.filter((r) => r.method.startsWith('single: '));
    const best = singles.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    const rl = pick(rows, pool, (r) => r.family === 'rl-focal', 'RL-Focal');
    return {
      benchmark,
      pool,
      title: `${BENCHMARK_TITLES[benchmark]} · real recorded outputs (${pool})`,
      provenance: `real recorded outputs (${pool}): ${view.provenance}`,
      nModels: view.nModels,
      testQueries: view.testQueries,
      seeds: rl.seeds,
      rows,
      best,
      bestOnTrain: pick(rows, pool, (r) => r.method.startsWith('best single (chosen on train)'), 'best-single'),
      plurality: pick(rows, pool, (r) => r.method.startsWith('plurality vote: all'), 'plurality-vote'),
      soft: pick(rows, pool, (r) => r.method.startsWith('soft vote: all'), 'soft-vote'),
      oracle: pick(rows, pool, (r) => r.family === 'oracle', 'oracle'),
      rl,
      relativeGain: (100 * (rl.accuracy - best.accuracy)) / best.accuracy,
    };
  });
  return { columns, notes };
}
