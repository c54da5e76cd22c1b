import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const script = path.join(repo, 'scripts', 'clean-notebooks.mjs');

function run(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: repo, timeout: 30_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('scripts/clean-notebooks', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-focal-clean-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds every tracked notebook clean (outputs stripped, the project kernelspec)', () => {
    const r = run('--check');
    assert.equal(r.status, 0, r.output);
  });

  it('reports, then strips, outputs, execution counts and a foreign kernelspec; the result passes --check', () => {
    const file = path.join(dir, 'saved.ipynb');
    fs.writeFileSync(file, JSON.stringify({
      cells: [
        { cell_type: 'code', execution_count: 3, metadata: { scrolled: true, tags: ['keep'] }, source: ['1 + 1'],
          outputs: [{ output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=' }, metadata: {} }] },
        { cell_type: 'markdown', metadata: {}, source: ['# t'] },
      ],
      metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
      nbformat: 4,
      nbformat_minor: 4,
    }));
    const check = run('--check', file);
    assert.equal(check.status, 1);
    assert.match(check.output, /saved\.ipynb: not clean \(cell metadata, outputs, execution counts, kernel metadata\)/);
    assert.equal(run(file).status, 0);
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(nb.cells[0].outputs, []);
    assert.equal(nb.cells[0].execution_count, null);
    assert.deepEqual(nb.cells[0].metadata, { tags: ['keep'] });
    assert.equal(nb.metadata.kernelspec.display_name, 'TypeScript (tslab, rl-focal-ts)');
    assert.equal(nb.cells[1].source[0], '# t');
    assert.equal(run('--check', file).status, 0);
  });

  it('exits 2 naming a file that is not a notebook', () => {
    const file = path.join(dir, 'bad.ipynb');
    fs.writeFileSync(file, '{"cells": 3}');
    const r = run('--check', file);
    assert.equal(r.status, 2);
    assert.match(r.output, /bad\.ipynb: not a notebook \(no "cells" array\)/);
  });
});
