import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const runner = path.join(repo, 'scripts', 'run-notebooks.mjs');
const fixtures = path.join(repo, 'test', 'fixtures', 'notebooks');

interface Run {
  status: number | null;
  output: string;
  out: string;
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function runNotebooks(...args: string[]): Run {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-focal-runner-'));
  tempDirs.push(out);
  const r = spawnSync(process.execPath, [runner, '--dir', fixtures, '--out', out, ...args], {
    encoding: 'utf8',
    cwd: repo,
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`, out };
}

interface NotebookJson {
  cells: Array<{ cell_type: string; execution_count: number | null; outputs?: Array<{ text?: string | string[] }> }>;
}

function readNotebook(file: string): NotebookJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
}

function outputText(cell: NotebookJson['cells'][number]): string {
  return (cell.outputs ?? []).map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join('');
}

describe('scripts/run-notebooks selection (no kernel needed)', () => {
  it('--only takes numeric prefixes, exact names and substrings, in name order', () => {
    const list = (...only: string[]) =>
      runNotebooks('--list', ...only.flatMap((o) => ['--only', o])).output.split('\n').filter((line) => line !== '');
    const all = ['01-good.ipynb', '02-throws.ipynb', '03-async-error.ipynb'];
    assert.deepEqual(list(), all);
    assert.deepEqual(list('3'), ['03-async-error.ipynb']);
    assert.deepEqual(list('error'), ['03-async-error.ipynb']);
    assert.deepEqual(list('02-throws.ipynb,1'), ['01-good.ipynb', '02-throws.ipynb']);
    assert.deepEqual(list('0'), [], 'a number matches the numeric prefix, not a substring');
  });

  it('exits 2 with a message when nothing matches', () => {
    const r = runNotebooks('--only', 'no-such-notebook');
    assert.equal(r.status, 2);
    assert.match(r.output, /no notebooks matching no-such-notebook/);
  });
});

describe('scripts/run-notebooks executing tslab notebooks', function () {
  before(function () {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import nbclient'], { encoding: 'utf8' });
    const custom = process.env.RL_FOCAL_PYTHON
      ? spawnSync(process.env.RL_FOCAL_PYTHON, ['-c', 'import nbclient'], { encoding: 'utf8' })
      : null;
    if (probe.status !== 0 && custom?.status !== 0) this.skip(); // no Jupyter stack: bootstrap was not run
  });

  it('runs a good notebook to the end, passing the fast flag to the kernel', () => {
    const r = runNotebooks('--only', 'good', '--fast');
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /all 2 code cells ran/);
    const nb = readNotebook(path.join(r.out, '01-good.ipynb'));
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    assert.deepEqual(code.map((c) => c.execution_count), [1, 2]);
    assert.match(outputText(code[1]), /fast 1\nsum 14/);
    assert.equal(nb.cells.length, 3, 'hidden check cells must not be written into the notebook');
  });

  it('stops at a throwing cell: names notebook and cell, prints source and error, reports later cells and notebooks not run', () => {
    const r = runNotebooks();
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /✔ 01-good\.ipynb/, 'notebooks before the failure run normally');
    assert.match(r.output, /FAILED .*02-throws\.ipynb/);
    assert.match(r.output, /cell index 2 \(code cell 2 of 4\): kernel replied 'error'/);
    assert.match(r.output, /source:\n {4}function explode\(\): never \{/);
    assert.match(r.output, /error:\n[\s\S]*Error: deliberate fixture failure/);
    assert.match(r.output, /not run: 2 later code cell\(s\): index 3, 4/);
    assert.match(r.output, /not run: 03-async-error\.ipynb/);
    assert.ok(!fs.existsSync(path.join(r.out, '03-async-error.ipynb')));
    const nb = readNotebook(path.join(r.out, '02-throws.ipynb'));
    assert.match(outputText(nb.cells[1]), /before 41/);
    for (const later of [nb.cells[3], nb.cells[4]]) {
      assert.equal(later.execution_count, null);
      assert.deepEqual(later.outputs, []);
    }
  });

  it('fails a cell whose promise rejects after the cell returned (tslab itself reports "ok")', () => {
    const r = runNotebooks('--only', 'async-error');
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /cell index 0 .*asynchronous error/);
    assert.match(r.output, /unhandled promise rejection: Error: nobody awaited this/);
    assert.match(r.output, /not run: 1 later code cell\(s\): index 1/);
  });
});
