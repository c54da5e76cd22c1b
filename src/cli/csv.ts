/** CSV for result tables: header row, full-precision numbers, empty cells for NaN/missing, RFC 4180 quoting. */
export function toCsv(rows: ReadonlyArray<object>, columns: readonly string[]): string {
  const cell = (value: unknown): string => {
    if (value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell((row as Record<string, unknown>)[c])).join(','));
  return lines.join('\n') + '\n';
}
