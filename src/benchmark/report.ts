import * as path from 'node:path';
import { summarizeSeeds } from '../stats/seeds';
import { writeTable } from '../figures/export';
import { writeFileAtomic } from '../util/atomic';
import { collectResults, openSameSweep, type SweepManifest } from '../runs/store';
import { InputError } from '../util/input-error';
import { toJson } from '../util/json';
import type { ExperimentTable } from '../notebook/output';
import { pct, roundTo } from '../notebook/output';
import type { FigureSpec } from '../figures/spec';
import { scatterFigure, type ScatterSeries } from '../figures/scatter';
import type { BenchmarkCellDetails } from './cell';
import type { MethodKind } from '../eval/method-kind';
import { storedRowKind, type MethodRow } from './methods';
import { aiq, aiqHull, paretoFrontier, type CostQualityPoint } from './pareto';
import { BENCHMARK_CELL_MODULE, benchmarkCells } from './run';

/**
 * Merges benchmark folders (one, or one per shard) into the benchmark's table, its cost-quality view and a
 * machine-readable summary. Depends only on the finished cells, never on which shard or worker ran them.
 */

/** One method on one pool, over the seeds that ran it. */
export interface BenchmarkRow {
  pool: string;
  family: string;
  kind: MethodKind;
  method: string;
  /** Seeds aggregated (1 for seed-independent methods). */
  seeds: number;
  accuracy: number;
  /** Standard error of the mean over seeds; NaN with one seed. */
  accuracySe: number;
  accuracyMacro: number;
  callsPerQuery: number;
  costPer1000: number;
  reference: boolean;
  /** On the accuracy-vs-calls frontier / the accuracy-vs-cost frontier of its pool. */
  frontierCalls: boolean;
  frontierCost: boolean;
  note: string;
}

export interface PoolCostQuality {
  pool: string;
  nModels: number;
  testQueries: number;
  provenance: string;
  /** AIQ over [cheapest method's calls, N] (see pareto.ts), step and hull variants. */
  aiqCalls: number;
  aiqHullCalls: number;
  /** Over [cheapest, dearest] cost; NaN when fewer than two methods have a cost. */
  aiqCost: number;
  aiqHullCost: number;
  frontierCalls: string[];
  frontierCost: string[];
}

export interface BenchmarkReport {
  manifest: SweepManifest;
  rows: BenchmarkRow[];
  pools: PoolCostQuality[];
  skipped: Array<{ pool: string; family: string; reason: string }>;
  cellsExpected: number;
  cellsFound: number;
  duplicates: number;
}

export function buildBenchmarkReport(dirs: readonly string[]): BenchmarkReport {
  const { stores, manifest } = openSameSweep(dirs, 'benchmark', (first, store) => {
    if (first.cellModule !== BENCHMARK_CELL_MODULE) {
      throw new InputError('not a benchmark folder (a sweep of another kind)', { file: store.manifestFile, field: 'cellModule' });
    }
  });
  const pools = manifest.grid.find(([k]) => k === 'pool')![1] as string[];
  const methods = manifest.grid.find(([k]) => k === 'method')![1] as string[];
  const cells = benchmarkCells(pools, methods, manifest.seeds);
  const { results, duplicates } = collectResults(stores, cells);

  // Rows keyed by pool + method name, in cell order (pool, then family, then the family's own order).
  const groups = new Map<string, { pool: string; rows: MethodRow[] }>();
  const skipped: BenchmarkReport['skipped'] = [];
  const poolInfo = new Map<string, BenchmarkCellDetails>();
  for (const cell of cells) {
    const result = results.get(cell.id);
    if (!result) continue;
    const details = result.details as unknown as BenchmarkCellDetails;
    poolInfo.set(details.pool, details);
    if (details.skipped !== undefined && cell.seed === manifest.seeds[0]) skipped.push({ pool: details.pool, family: details.method, reason: details.skipped });
    for (const row of details.rows) {
      const key = `${details.pool}\u0000${row.method}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { pool: details.pool, rows: [] }));
      g.rows.push(row);
    }
  }
  // Cell files store NaN as null (JSON): read it back as NaN, never as 0.
  const num = (v: unknown) => (typeof v === 'number' ? v : NaN);
  const rows: BenchmarkRow[] = [...groups.values()].map(({ pool, rows: seeds }) => {
    const acc = summarizeSeeds(seeds.map((r) => num(r.accuracy)));
    const mean = (pick: (r: MethodRow) => number) => seeds.reduce((s, r) => s + num(pick(r)), 0) / seeds.length;
    return {
      pool,
      family: seeds[0].family,
      kind: storedRowKind(seeds[0]),
      method: seeds[0].method,
      seeds: seeds.length,
      accuracy: acc.mean,
      accuracySe: acc.standardError,
      accuracyMacro: mean((r) => r.accuracyMacro),
      callsPerQuery: mean((r) => r.callsPerQuery),
      costPer1000: mean((r) => r.costPer1000),
      reference: seeds[0].reference ?? false,
      frontierCalls: false,
      frontierCost: false,
      note: [...new Set(seeds.map((r) => r.note).filter((n): n is string => n !== undefined))].slice(0, 1).join(''),
    };
  });

  const poolViews: PoolCostQuality[] = [];
  for (const pool of pools) {
    const info = poolInfo.get(pool);
    if (!info) continue;
    const mine = rows.filter((r) => r.pool === pool && !r.reference);
    const callPoints = mine.map((r) => ({ method: r.method, x: r.callsPerQuery, y: r.accuracy, row: r }));
    const costPoints = mine.filter((r) => Number.isFinite(r.costPer1000)).map((r) => ({ method: r.method, x: r.costPer1000, y: r.accuracy, row: r }));
    const callFrontier = paretoFrontier(callPoints);
    const costFrontier = costPoints.length >= 2 ? paretoFrontier(costPoints) : [];
    for (const p of callFrontier) p.row.frontierCalls = true;
    for (const p of costFrontier) p.row.frontierCost = true;
    const lo = Math.min(...callPoints.map((p) => p.x));
    poolViews.push({
      pool,
      nModels: info.nModels,
      testQueries: info.testQueries,
      provenance: info.provenance,
      aiqCalls: callPoints.length > 0 ? aiq(callPoints, { lo, hi: Math.max(lo, info.nModels) }) : NaN,
      aiqHullCalls: callPoints.length > 0 ? aiqHull(callPoints, { lo, hi: Math.max(lo, info.nModels) }) : NaN,
      aiqCost: costPoints.length >= 2 ? aiq(costPoints) : NaN,
      aiqHullCost: costPoints.length >= 2 ? aiqHull(costPoints) : NaN,
      frontierCalls: callFrontier.map((p) => p.method),
      frontierCost: costFrontier.map((p) => p.method),
    });
  }
  return { manifest, rows, pools: poolViews, skipped, cellsExpected: cells.length, cellsFound: results.size, duplicates };
}

/**
 * The benchmark table: one row per pool and method, accuracy in % (mean and standard error over seeds), calls per
 * query, cents per 1,000 queries, frontier membership. Single models are listed only where they are on a frontier
 * (every one of them is in the JSON).
 */
export function benchmarkTable(report: BenchmarkReport): ExperimentTable {
  const shown = report.rows.filter((r) => r.kind !== 'single' || r.frontierCalls || r.frontierCost);
  return {
    name: 'benchmark-table',
    title: 'Every method on every pool: test accuracy (mean ± SE over seeds), calls per query, cost',
    provenance: `${report.pools.map((p) => `${p.pool}: ${p.provenance}`).join(' | ')}; seeds ${report.manifest.seeds.join(', ')}; choices on train, accuracy on test`,
    rows: shown.map((r) => ({
      pool: r.pool,
      method: r.method,
      seeds: r.seeds,
      accuracy_pct: pct(r.accuracy),
      se_pct: pct(r.accuracySe),
      macro_pct: pct(r.accuracyMacro),
      calls_per_query: roundTo(r.callsPerQuery, 3),
      cost_per_1000: roundTo(r.costPer1000, 4),
      frontier: r.reference ? 'reference' : [r.frontierCalls ? 'calls' : '', r.frontierCost ? 'cost' : ''].filter(Boolean).join('+'),
    })),
  };
}

/** Per pool: AIQ (step and hull) on calls and on cost, and the frontier methods. */
export function costQualityTable(report: BenchmarkReport): ExperimentTable {
  return {
    name: 'benchmark-cost-quality',
    title: 'Cost-quality per pool: area under the accuracy frontier (AIQ, %) over calls per query and over cost',
    provenance: `${report.pools.map((p) => `${p.pool}: ${p.provenance}`).join(' | ')}; AIQ as defined in src/benchmark/pareto.ts`,
    rows: report.pools.map((p) => ({
      pool: p.pool,
      models: p.nModels,
      test_queries: p.testQueries,
      aiq_calls_pct: pct(p.aiqCalls),
      aiq_hull_calls_pct: pct(p.aiqHullCalls),
      aiq_cost_pct: pct(p.aiqCost),
      frontier_calls: p.frontierCalls.join(' | '),
      frontier_cost: p.frontierCost.join(' | '),
    })),
  };
}

/** Accuracy vs calls per query for one pool (and vs cost when at least two methods have one): families as series, the frontier as a line. */
export function paretoFigures(report: BenchmarkReport): FigureSpec[] {
  const figures: FigureSpec[] = [];
  for (const p of report.pools) {
    const rows = report.rows.filter((r) => r.pool === p.pool && !r.reference);
    for (const axis of ['calls', 'cost'] as const) {
      const x = (r: BenchmarkRow) => (axis === 'calls' ? r.callsPerQuery : r.costPer1000);
      const usable = rows.filter((r) => Number.isFinite(x(r)));
      if (axis === 'cost' && usable.length < 2) continue;
      const families = [...new Set(usable.map((r) => r.family))];
      const series: ScatterSeries[] = families.map((family) => {
        const mine = usable.filter((r) => r.family === family);
        // RL-Focal as a larger star: the palette repeats after ten families, and it is the method the page is about.
        const highlight = family === 'rl-focal' ? { symbol: 'star', size: 14 } : {};
        return { name: family, x: mine.map(x), y: mine.map((r) => 100 * r.accuracy), text: mine.map((r) => r.method), ...highlight };
      });
      const frontier = usable.filter((r) => (axis === 'calls' ? r.frontierCalls : r.frontierCost)).sort((a, b) => x(a) - x(b));
      // Drawn as the step function AIQ integrates: flat until the next frontier method, flat again up to the range end.
      const end = axis === 'calls' ? Math.max(p.nModels, ...usable.map(x)) : Math.max(...usable.map(x));
      const step: { x: number[]; y: number[]; text: string[] } = { x: [], y: [], text: [] };
      frontier.forEach((r, k) => {
        const next = k + 1 < frontier.length ? x(frontier[k + 1]) : end;
        step.x.push(x(r), next);
        step.y.push(100 * r.accuracy, 100 * r.accuracy);
        step.text.push(r.method, r.method);
      });
      series.push({ name: 'Pareto frontier (step)', ...step, mode: 'lines' });
      const aiqValue = axis === 'calls' ? p.aiqCalls : p.aiqCost;
      figures.push(
        scatterFigure(`benchmark-pareto-${axis}-${poolStem(p.pool)}`, series, {
          title: `${p.pool} (${p.nModels} models): AIQ ${(100 * aiqValue).toFixed(2)} %`,
          xTitle: axis === 'calls' ? 'LLM calls per query' : 'cents per 1,000 queries (paper Table 8 prices)',
          yTitle: 'test accuracy (%)',
        }),
      );
    }
  }
  return figures;
}

/** A file-name stem for a pool spec: the folder's base name, with its `?` parameters kept readable. */
export function poolStem(spec: string): string {
  const [head, query] = spec.split('?', 2);
  const stem = path.basename(head) + (query ? `-${query}` : '');
  return stem.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Everything a program needs: the rows at full precision, the per-pool view, skipped families, completeness. */
export function benchmarkJson(report: BenchmarkReport): Record<string, unknown> {
  return {
    pools: report.pools,
    rows: report.rows,
    skipped: report.skipped,
    seeds: report.manifest.seeds,
    settings: report.manifest.base,
    cells_expected: report.cellsExpected,
    cells_found: report.cellsFound,
    duplicates: report.duplicates,
  };
}

/**
 * Writes the benchmark's files into `outDir`: the two tables (CSV + Markdown, `writeTable`), `benchmark.json`, and
 * one plotly spec per Pareto figure (`<name>.json`; the notebook renders them to PNG/SVG). Returns the paths.
 */
export function writeBenchmarkFiles(report: BenchmarkReport, outDir: string): string[] {
  const written: string[] = [];
  for (const table of [benchmarkTable(report), costQualityTable(report)]) {
    if (table.rows.length === 0) continue;
    const files = writeTable(table.rows, table.name, outDir);
    written.push(files.csv, files.md);
  }
  const json = path.join(outDir, 'benchmark.json');
  writeFileAtomic(json, toJson(benchmarkJson(report), 1) + '\n');
  written.push(json);
  for (const figure of paretoFigures(report)) {
    const file = path.join(outDir, `${figure.name}.json`);
    writeFileAtomic(file, toJson({ data: figure.data, layout: figure.layout }, 1) + '\n');
    written.push(file);
  }
  return written;
}
