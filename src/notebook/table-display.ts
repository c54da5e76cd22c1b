/**
 * How a table looks inline in a notebook: every numeric column printed with one fixed number of decimals (the most
 * any of its values needs, at most `maxDecimals`), so 34.00 stays 34.00 beside 33.75, and a missing value (null,
 * undefined, NaN) shown as "—" instead of "null". Only the display: the CSV and Markdown files keep the raw values.
 */
import type { ColumnTable } from 'arquero';

export const MISSING = '—';

export interface DisplayTable {
  columns: string[];
  /** Right-align (numeric) per column. */
  numeric: boolean[];
  cells: string[][];
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** Decimals `x` needs to be written exactly, up to `max` (1e-12 tolerance for binary fractions). */
function decimalsOf(x: number, max: number): number {
  for (let d = 0; d < max; d++) {
    const f = 10 ** d;
    if (Math.abs(Math.round(x * f) / f - x) <= 1e-12 * Math.max(1, Math.abs(x))) return d;
  }
  return max;
}

export function formatTableForDisplay(table: ColumnTable, limit: number, maxDecimals = 4): DisplayTable {
  const columns = table.columnNames();
  const rows = table.objects({ limit }) as Array<Record<string, unknown>>;
  const numeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number' && Number.isFinite(r[c])) && rows.every((r) => isMissing(r[c]) || typeof r[c] === 'number'));
  const decimals = columns.map((c, j) =>
    numeric[j] ? Math.max(0, ...rows.map((r) => (typeof r[c] === 'number' && Number.isFinite(r[c]) ? decimalsOf(r[c] as number, maxDecimals) : 0))) : 0,
  );
  const cells = rows.map((r) =>
    columns.map((c, j) => {
      const v = r[c];
      if (isMissing(v)) return MISSING;
      if (numeric[j] && typeof v === 'number') return Number.isFinite(v) ? v.toFixed(decimals[j]) : String(v);
      return String(v);
    }),
  );
  return { columns, numeric, cells };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An HTML table whose cells may wrap, so right-hand columns stay visible instead of hiding behind a scroll bar. */
export function displayTableHtml(t: DisplayTable): string {
  const align = (j: number) => (t.numeric[j] ? 'right' : 'left');
  const head = t.columns.map((c, j) => `<th style="text-align:${align(j)}">${escapeHtml(c)}</th>`).join('');
  const body = t.cells
    .map((row) => `<tr>${row.map((v, j) => `<td style="text-align:${align(j)};white-space:normal">${escapeHtml(v)}</td>`).join('')}</tr>`)
    .join('');
  return `<table style="table-layout:auto;max-width:100%"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The same as Markdown, for output outside a notebook. */
export function displayTableMarkdown(t: DisplayTable): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `|${t.columns.map(esc).join('|')}|`,
    `|${t.numeric.map((n) => (n ? '-:' : ':-')).join('|')}|`,
    ...t.cells.map((row) => `|${row.map(esc).join('|')}|`),
  ].join('\n');
}
