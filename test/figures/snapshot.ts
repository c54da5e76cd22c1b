import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { FigureSpec } from '../../src/figures/spec';

/**
 * Snapshot testing of figure specs, as Observable Plot does for its SVGs: a spec is compared, as JSON with every
 * number rounded to 6 significant digits (so a last-bit floating-point change does not count), with the committed
 * file `test/figures/snapshots/<name>.json`. UPDATE_SNAPSHOTS=1 rewrites the files instead; a missing file fails.
 */
export const SNAPSHOT_DIR = path.join(__dirname, 'snapshots');

export const UPDATE_COMMAND = 'UPDATE_SNAPSHOTS=1 npx mocha test/figures/snapshots.test.ts';

/** `value` with every finite number rounded to 6 significant digits (-0 as 0); other values unchanged. */
export function roundSignificant(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(6)) + 0 : value;
  if (Array.isArray(value)) return value.map(roundSignificant);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, roundSignificant);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, roundSignificant(v)]));
  }
  return value;
}

/** The text a spec is stored as: its rounded JSON, two-space indented, one trailing newline. */
export function snapshotText(spec: FigureSpec): string {
  return `${JSON.stringify(roundSignificant(spec), null, 2)}\n`;
}

/** Compares `spec` with its snapshot (or writes it, under UPDATE_SNAPSHOTS=1). */
export function matchSnapshot(spec: FigureSpec, dir: string = SNAPSHOT_DIR, env: NodeJS.ProcessEnv = process.env): void {
  const file = path.join(dir, `${spec.name}.json`);
  const actual = snapshotText(spec);
  if (env.UPDATE_SNAPSHOTS === '1') {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) {
    assert.fail(`no snapshot ${path.relative(process.cwd(), file)}: create it with ${UPDATE_COMMAND} (then review and commit the file)`);
  }
  const expected = fs.readFileSync(file, 'utf8');
  if (actual !== expected) {
    // deepEqual shows the difference field by field; the text comparison above also catches key order.
    assert.deepEqual(JSON.parse(actual), JSON.parse(expected), `figure spec "${spec.name}" differs from its snapshot (${UPDATE_COMMAND} accepts the change)`);
    assert.fail(`figure spec "${spec.name}": same values as its snapshot in another key order (${UPDATE_COMMAND} accepts the change)`);
  }
}
