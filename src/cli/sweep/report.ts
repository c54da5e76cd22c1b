import * as path from 'node:path';
import { summarizeSeeds } from '../../stats/seeds';
import { toCsv } from '../csv';
import { canonicalJson, expandGrid, type SweepCell } from '../../runs/grid';
import { collectResults, openSameSweep, type CellResult, type SweepManifest } from '../../runs/store';

/**
 * Merges the result folders of a sweep (one, or one per shard) into one table: a row per config, in grid order,
 * with the mean and standard error over seeds of every metric the cells reported. The table depends only on the
 * cell results, not on which shard or worker produced them or in which order they finished.
 */

/** Config values as given in the grid (any JSON), counts and metric numbers. */
export type ReportValue = unknown;

export interface SweepReport {
  columns: string[];
  rows: Array<Record<string, ReportValue>>;
  metrics: string[];
  cellsExpected: number;
  cellsFound: number;
  /** Cells present in more than one folder (the first folder's result is used). */
  duplicates: number;
}

export function buildSweepReport(dirs: readonly string[]): SweepReport {
  const { stores, manifest } = openSameSweep(dirs, 'sweep');
  const cells = expandGrid({ grid: manifest.grid, base: {}, seeds: manifest.seeds });
  const { results, duplicates } = collectResults(stores, cells);

  const metrics: string[] = [];
  for (const cell of cells) {
    const result = results.get(cell.id);
    if (!result) continue;
    for (const name of Object.keys(result.metrics)) if (!metrics.includes(name)) metrics.push(name);
  }
  const keys = manifest.grid.map(([key]) => key);
  const columns = [...keys, 'seeds', ...metrics.flatMap((m) => [`${m}_mean`, `${m}_se`])];
  const rows = groupByConfig(cells).map((group) => {
    const row: Record<string, ReportValue> = {};
    for (const key of keys) row[key] = group[0].overrides[key];
    const done = group.map((cell) => results.get(cell.id)).filter((r): r is CellResult => r !== undefined);
    row.seeds = done.length;
    for (const name of metrics) {
      const values = done.map((r) => r.metrics[name]).filter((v): v is number => typeof v === 'number');
      const summary = summarizeSeeds(values);
      row[`${name}_mean`] = summary.mean;
      row[`${name}_se`] = summary.standardError;
    }
    return row;
  });
  return { columns, rows, metrics, cellsExpected: cells.length, cellsFound: results.size, duplicates };
}

function groupByConfig(cells: readonly SweepCell[]): SweepCell[][] {
  const groups: SweepCell[][] = [];
  for (const cell of cells) (groups[cell.configIndex] ??= []).push(cell);
  return groups;
}

/** Strings bare, anything else as JSON (`0.6`, `true`, `[0.5,0.5]`). */
function formatConfigValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Full precision, empty for NaN (a single seed has no standard error). */
export function reportCsv(report: SweepReport): string {
  return toCsv(report.rows, report.columns);
}

/** Means and standard errors at 4 decimals, as `mean ± se` per metric. */
export function reportMarkdown(report: SweepReport, manifest?: SweepManifest): string {
  const keyColumns = report.columns.slice(0, report.columns.indexOf('seeds') + 1);
  const header = [...keyColumns, ...report.metrics];
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [`| ${header.map(escape).join(' | ')} |`, `|${header.map((_, k) => (k < keyColumns.length ? '---' : '---:')).join('|')}|`];
  for (const row of report.rows) {
    const keys = keyColumns.map((c) => escape(formatConfigValue(row[c])));
    const values = report.metrics.map((m) => {
      const mean = row[`${m}_mean`] as number;
      const se = row[`${m}_se`] as number;
      if (!Number.isFinite(mean)) return '–';
      return Number.isFinite(se) ? `${mean.toFixed(4)} ± ${se.toFixed(4)}` : mean.toFixed(4);
    });
    lines.push(`| ${[...keys, ...values].join(' | ')} |`);
  }
  const missing = report.cellsExpected - report.cellsFound;
  const incomplete = missing > 0 ? ` Incomplete: ${missing} of ${report.cellsExpected} cells have no result yet.` : '';
  const note = manifest
    ? `\nData: ${manifest.data}. Mean ± standard error over the finished seeds of each row (column seeds; ${manifest.seeds.length} per config when complete).${incomplete}\n`
    : '';
  return lines.join('\n') + '\n' + note;
}

/** The warning `report` prints when cells are missing: how many, and the range of seeds the rows hold. */
export function incompleteWarning(report: SweepReport, seedsPerConfig: number): string | undefined {
  const missing = report.cellsExpected - report.cellsFound;
  if (missing === 0) return undefined;
  const counts = report.rows.map((row) => row.seeds as number);
  const range = `${Math.min(...counts)}-${Math.max(...counts)}`;
  return `${missing} of ${report.cellsExpected} cells have no result (unfinished or failed); rows hold ${range} of ${seedsPerConfig} seeds each`;
}

export function reportFiles(outDir: string): { csv: string; md: string } {
  return { csv: path.join(outDir, 'report.csv'), md: path.join(outDir, 'report.md') };
}
