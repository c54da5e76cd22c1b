import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as aq from 'arquero';
import { findChromium } from '../../src/figures/chromium';
import { renderFigures, writeTable } from '../../src/figures/export';
import { barFigure } from '../../src/figures/bar';
import { scatterFigure } from '../../src/figures/scatter';

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-focal-figures-'));
  tempDirs.push(dir);
  return dir;
}

describe('figures/export writeTable', () => {
  it('writes CSV that reads back to the same values, and a Markdown table with one line per row', () => {
    const dir = tempDir();
    const rows = [
      { method: 'RL-Focal', accuracy: 0.123456789, note: 'has, comma' },
      { method: 'plurality "vote"', accuracy: 1 / 3, note: '' },
    ];
    const { csv, md } = writeTable(rows, 'table-x', dir);
    assert.equal(csv, path.join(dir, 'table-x.csv'));
    assert.equal(md, path.join(dir, 'table-x.md'));
    const back = aq.fromCSV(fs.readFileSync(csv, 'utf8'), { parse: { note: String } }).objects();
    assert.deepEqual(back, rows.map((r) => ({ ...r, note: r.note === '' ? null : r.note })));
    const lines = fs.readFileSync(md, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2 + rows.length);
    assert.equal(lines[0], '|method|accuracy|note|');
    assert.match(lines[2], /\|0\.1235\|/);
  });

  it('keeps every row in the Markdown file too (arquero would stop at 100)', () => {
    const dir = tempDir();
    const rows = Array.from({ length: 250 }, (_, k) => ({ k, v: k / 7 }));
    const { md } = writeTable(rows, 'long', dir);
    const lines = fs.readFileSync(md, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2 + 250);
    assert.match(lines.at(-1)!, /^\|249\|/);
  });

  it('accepts an arquero table as is', () => {
    const dir = tempDir();
    const table = aq.table({ k: [1, 2, 3], v: ['a', 'b', 'c'] });
    const { csv } = writeTable(table, 'from-arquero', dir);
    assert.equal(fs.readFileSync(csv, 'utf8').trim(), 'k,v\n1,a\n2,b\n3,c');
  });

  it('refuses empty input, ragged rows and unsafe names, naming the table and row', () => {
    const dir = tempDir();
    assert.throws(() => writeTable([], 'empty', dir), /table "empty": no rows/);
    assert.throws(() => writeTable([{ a: 1 }, { b: 2 }], 'ragged', dir), /table "ragged" row 1: columns \[b\]/);
    assert.throws(() => writeTable([{ a: 1 }], '../escape', dir), /figure name/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

describe('figures/export renderFigures (system Chromium)', function () {
  before(function () {
    if (findChromium() === null) this.skip();
  });

  it('renders PNG at twice the CSS size and an SVG holding the drawn marks', async () => {
    const dir = tempDir();
    const specs = [
      scatterFigure('points', [{ name: 'p', x: Float64Array.of(1, 2, 3, 4), y: [4, 1, 3, 2] }], { title: 'P' }),
      { ...barFigure('bars', ['a', 'b', 'c'], [{ name: 'b', values: [1, 2, 3] }]), width: 400, height: 300 },
    ];
    const written = await renderFigures(specs, dir);
    assert.deepEqual(
      written.map((f) => path.basename(f)),
      ['points.png', 'points.svg', 'bars.png', 'bars.svg'],
    );
    const png = fs.readFileSync(path.join(dir, 'bars.png'));
    assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    assert.equal(png.readUInt32BE(16), 800); // IHDR width
    assert.equal(png.readUInt32BE(20), 600); // IHDR height
    const svg = fs.readFileSync(path.join(dir, 'points.svg'), 'utf8');
    assert.match(svg, /^<svg[^>]* width="720" height="450"/);
    assert.equal(svg.match(/class="point"/g)?.length, 4);
    const bars = fs.readFileSync(path.join(dir, 'bars.svg'), 'utf8');
    assert.equal(bars.match(/class="point"/g)?.length, 3);
  });

  it('refuses two figures with one name before launching anything', async () => {
    const spec = scatterFigure('same', [{ name: 'p', x: [1], y: [1] }]);
    await assert.rejects(renderFigures([spec, spec], tempDir()), /two figures are named "same"/);
  });
});
