/**
 * What every experiment function returns: tables and plotly figure specs, each table carrying the provenance of its
 * numbers, so that a notebook or the CLI can display and write them without knowing how they were made.
 */
import type { FigureSpec } from '../figures/spec';

export type Cell = string | number | boolean | null;

export interface ExperimentTable {
  /** Stable file stem (CSV + Markdown). */
  name: string;
  title: string;
  /** Where the numbers come from: "real recorded outputs: ...", "simulated pool (calibrated to ...)", "synthetic: ...", "paper ...". */
  provenance: string;
  rows: Array<Record<string, Cell>>;
}

export interface ExperimentOutput {
  tables: ExperimentTable[];
  figures: FigureSpec[];
  /** One line per data source used. */
  provenance: string[];
}

/** Rounds for display tables; keeps NaN (an undefined statistic) as null so CSV/Markdown show it as empty. */
export function roundTo(x: number, digits: number): number | null {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? null : x;
  const f = 10 ** digits;
  return Math.round(x * f) / f + 0; // + 0 turns -0 into 0
}

/** A fraction as a percentage table cell, rounded to `digits` decimals (NaN as null, like `roundTo`). */
export function pct(x: number, digits = 2): number | null {
  return roundTo(100 * x, digits);
}

/** A fraction as a percentage in a sentence, with exactly `digits` decimals; "n/a" when undefined or infinite. */
export function pctText(x: number, digits = 2): string {
  return Number.isFinite(x) ? (100 * x).toFixed(digits) : 'n/a';
}

/** A number in a sentence with exactly `digits` decimals; "n/a" when it is not a finite number (NaN, null, text). */
export function fixedText(x: unknown, digits = 3): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

/** A table cell read back as a number: NaN when it is not a finite one (an undefined statistic is stored as null). */
export function cellNumber(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}
