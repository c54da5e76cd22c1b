import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, runCli, sleep, startCli, tempDir, writeJson } from './helpers';

/**
 * Sweep machinery through the built binary, with an injected deterministic cell function (`--cell-module`) that
 * records every execution in its own log, independently of the sweep's bookkeeping.
 */

const CELL_MODULE = `
const fs = require('node:fs');
const path = require('node:path');
exports.runCell = async (cell) => {
  fs.appendFileSync(path.join(__dirname, 'executions.log'), cell.id + '\\n');
  fs.appendFileSync(path.join(__dirname, 'pids.log'), process.pid + '\\n');
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.CELL_MS ?? 0)));
  // Busy, like a training loop: the process can only be stopped by killing it.
  const until = Date.now() + Number(process.env.CELL_BUSY_MS ?? 0);
  while (Date.now() < until);
  if (cell.overrides.alpha === 'boom') throw new Error('cell exploded on purpose');
  const alpha = cell.overrides.alpha, window = cell.overrides.window;
  return { metrics: { test_accuracy: 0.5 + alpha / 10 + ((cell.seed * 7) % 5) / 100, calls_per_query: window / 100 } };
};
`;

function setup(grid: unknown): { dir: string; grid: string; cell: string } {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'cell.js'), CELL_MODULE);
  return { dir, grid: writeJson(path.join(dir, 'grid.json'), grid), cell: path.join(dir, 'cell.js') };
}

function executions(dir: string): string[] {
  const file = path.join(dir, 'executions.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
}

function cellFiles(out: string): string[] {
  const dir = path.join(out, 'cells');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.')) : [];
}

const GRID = { grid: { alpha: [0.6, 1.0], window: [100, 500] }, seeds: 3 };

describe('cli: sweep and report (built binary, injected cell function)', function () {
  this.timeout(60000);
  before(ensureBuilt);

  it('runs every cell once, writes one result file per cell and a summary line', async () => {
    const { dir, grid, cell } = setup(GRID);
    const out = path.join(dir, 'out');
    const run = await runCli(['sweep', '--data', 'unused', '--grid', grid, '--out', out, '--cell-module', cell, '--workers', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.summary.command, 'sweep');
    assert.equal(run.summary.cells_total, 12);
    assert.equal(run.summary.ran, 12);
    assert.equal(run.summary.skipped, 0);
    assert.equal(cellFiles(out).length, 12);
    assert.equal(executions(dir).length, 12);
    assert.equal(new Set(executions(dir)).size, 12);
    // A second run finds everything done and executes nothing.
    const again = await runCli(['sweep', '--data', 'unused', '--grid', grid, '--out', out, '--cell-module', cell, '--workers', '2']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.summary.skipped, 12);
    assert.equal(again.summary.ran, 0);
    assert.equal(executions(dir).length, 12);
  });

  it('killed mid-run (SIGKILL) and restarted, completes without re-running finished cells', async () => {
    const { dir, grid, cell } = setup({ ...GRID, seeds: 4 });
    const out = path.join(dir, 'out');
    const args = ['sweep', '--data', 'unused', '--grid', grid, '--out', out, '--cell-module', cell, '--workers', '2'];
    const first = startCli(args, { env: { CELL_MS: '150' } });
    while (cellFiles(out).length < 4) await sleep(20);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.signal, 'SIGKILL');
    const finishedBeforeKill = new Set(cellFiles(out).map((f) => f.replace(/\.json$/, '')));
    assert.ok(finishedBeforeKill.size >= 4 && finishedBeforeKill.size < 16, `finished before kill: ${finishedBeforeKill.size}`);
    for (const file of cellFiles(out)) JSON.parse(fs.readFileSync(path.join(out, 'cells', file), 'utf8')); // every file is complete

    const second = await runCli(args, { env: { CELL_MS: '0' } });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.summary.skipped, finishedBeforeKill.size);
    assert.equal(second.summary.ran, 16 - finishedBeforeKill.size);
    assert.equal(cellFiles(out).length, 16);
    const runs = executions(dir);
    const count = (id: string): number => runs.filter((r) => r === id).length;
    for (const id of finishedBeforeKill) assert.equal(count(id), 1, `finished cell ${id} ran again`);
    // Only the cells in flight at the kill (at most one per worker) ran twice.
    const twice = [...new Set(runs)].filter((id) => count(id) > 1);
    assert.ok(twice.length <= 2, `re-run cells: ${twice.join(', ')}`);
    // The sweep's own log agrees: one "done" per cell overall.
    const events = fs.readFileSync(path.join(out, 'sweep-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const done = events.filter((e) => e.event === 'done').map((e) => e.cell);
    assert.equal(done.length, 16);
    assert.equal(new Set(done).size, 16);
  });

  it('Ctrl-C (SIGINT) kills every worker mid-cell, exits 130 with one line, keeps only complete cells; a re-run finishes the rest', async () => {
    const { dir, grid, cell } = setup({ ...GRID, seeds: 4 });
    const out = path.join(dir, 'out');
    const args = ['sweep', '--data', 'unused', '--grid', grid, '--out', out, '--cell-module', cell, '--workers', '2'];
    const first = startCli(args, { env: { CELL_BUSY_MS: '400' } });
    while (cellFiles(out).length < 2) await sleep(20);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.equal(stopped.summary.interrupted, true);
    const kept = cellFiles(out).length;
    assert.ok(kept >= 2 && kept < 16, `kept ${kept}`);
    assert.match(stopped.stderr, new RegExp(`interrupted: ${kept} of 16 cells finished, kept in ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // Every worker is gone at exit (they were busy, so only a kill could stop them), and no temp file is left.
    const pids = [...new Set(fs.readFileSync(path.join(dir, 'pids.log'), 'utf8').trim().split('\n').map(Number))];
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} still running`);
    assert.deepEqual(fs.readdirSync(path.join(out, 'cells')).filter((f) => f.startsWith('.')), []);
    const second = await runCli(args);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.summary.skipped, kept);
    assert.equal(cellFiles(out).length, 16);
  });

  it('two shards (same or separate folders) report the same table as one unsharded run', async () => {
    const { dir, grid, cell } = setup(GRID);
    const common = ['--data', 'unused', '--grid', grid, '--cell-module', cell, '--workers', '2'];
    const whole = path.join(dir, 'whole');
    const shardA = path.join(dir, 'shard-a');
    const shardB = path.join(dir, 'shard-b');
    const shared = path.join(dir, 'shared');
    const runs = await Promise.all([
      runCli(['sweep', ...common, '--out', whole]),
      runCli(['sweep', ...common, '--out', shardA, '--shard', '1/2']),
      runCli(['sweep', ...common, '--out', shardB, '--shard', '2/2']),
      runCli(['sweep', ...common, '--out', shared, '--shard', '1/2']),
      runCli(['sweep', ...common, '--out', shared, '--shard', '2/2']),
    ]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      runs.slice(1, 3).map((r) => r.summary.cells_in_shard),
      [6, 6],
    );
    assert.equal(cellFiles(shardA).filter((f) => cellFiles(shardB).includes(f)).length, 0, 'shards overlap');

    const reportWhole = await runCli(['report', whole]);
    const reportSplit = await runCli(['report', shardA, shardB, '--out', path.join(dir, 'merged')]);
    const reportShared = await runCli(['report', shared]);
    for (const run of [reportWhole, reportSplit, reportShared]) assert.equal(run.code, 0, run.stderr);
    const csv = (d: string): string => fs.readFileSync(path.join(d, 'report.csv'), 'utf8');
    assert.equal(csv(path.join(dir, 'merged')), csv(whole));
    assert.equal(csv(shared), csv(whole));
    assert.equal(reportSplit.summary.cells_found, 12);
    assert.equal(reportSplit.summary.missing, 0);
    assert.equal(reportWhole.summary.configs, 4);
    // Mean and standard error are over the three seeds of each config.
    const row = reportWhole.summary.rows[0];
    assert.deepEqual([row.alpha, row.window, row.seeds], [0.6, 100, 3]);
    const seedValues = [0, 1, 2].map((s) => 0.5 + 0.06 + ((s * 7) % 5) / 100);
    const mean = seedValues.reduce((a, b) => a + b) / 3;
    assert.ok(Math.abs(row.test_accuracy_mean - mean) < 1e-12);
    const sd = Math.sqrt(seedValues.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
    assert.ok(Math.abs(row.test_accuracy_se - sd / Math.sqrt(3)) < 1e-12);
    assert.match(reportWhole.stdout, /\| alpha \| window \| seeds \| test_accuracy \| calls_per_query \|/);
  });

  it('a report of one shard counts the missing cells', async () => {
    const { dir, grid, cell } = setup(GRID);
    const out = path.join(dir, 'out');
    assert.equal((await runCli(['sweep', '--data', 'unused', '--grid', grid, '--out', out, '--cell-module', cell, '--shard', '2/3'])).code, 0);
    const report = await runCli(['report', out]);
    assert.equal(report.code, 0, report.stderr);
    assert.equal(report.summary.cells_found, 4);
    assert.equal(report.summary.missing, 8);
  });

  it('a failing cell is reported, not written, and makes the exit code 1', async () => {
    const { dir, grid, cell } = setup({ grid: { alpha: [0.6, 'boom'], window: [100] }, seeds: 1 });
    const out = path.join(dir, 'out');
    const run = await runCli(['sweep', '--data', 'unused', '--grid', grid, '--out', out, '--cell-module', cell]);
    assert.equal(run.code, 1);
    assert.equal(run.summary.failed, 1);
    assert.match(run.summary.failures[0].message, /cell exploded on purpose/);
    assert.equal(cellFiles(out).length, 1);
  });

  describe('bad input: exit code 2 and one line naming file, line and field', () => {
    it('malformed grid JSON', async () => {
      const dir = tempDir();
      const grid = path.join(dir, 'grid.json');
      fs.writeFileSync(grid, '{\n  "grid": {\n    "alpha": [0.6, 1.0,]\n  }\n}\n');
      const run = await runCli(['sweep', '--data', 'x', '--grid', grid, '--out', path.join(dir, 'out')]);
      assert.equal(run.code, 2);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`grid\\.json:3: invalid JSON: unexpected '\\]'`));
      assert.doesNotMatch(run.stderr, /at .*\.js:\d+/);
    });

    it('grid values that are not arrays, with the line of the field', async () => {
      const dir = tempDir();
      const grid = path.join(dir, 'grid.json');
      fs.writeFileSync(grid, '{\n  "grid": {\n    "alpha": [0.6],\n    "window": 100\n  }\n}\n');
      const run = await runCli(['sweep', '--data', 'x', '--grid', grid, '--out', path.join(dir, 'out')]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /grid\.json:4: field "grid\.window": grid\.window must be a non-empty array/);
    });

    it('shard out of range', async () => {
      const { dir, grid } = setup(GRID);
      const run = await runCli(['sweep', '--data', 'x', '--grid', grid, '--out', path.join(dir, 'out'), '--shard', '3/2']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /field "--shard": shard 3\/2 is out of range/);
    });

    it('reusing an output folder for a different grid', async () => {
      const { dir, grid, cell } = setup(GRID);
      const out = path.join(dir, 'out');
      assert.equal((await runCli(['sweep', '--data', 'x', '--grid', grid, '--out', out, '--cell-module', cell, '--seeds', '1'])).code, 0);
      const run = await runCli(['sweep', '--data', 'x', '--grid', grid, '--out', out, '--cell-module', cell, '--seeds', '2']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /sweep\.json: field "seeds": this folder holds a different sweep \(seeds differ\)/);
    });

    it('--workers 0 is a usage error', async () => {
      const run = await runCli(['sweep', '--data', 'x', '--grid', 'g.json', '--out', 'o', '--workers', '0']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /option '--workers <k>' argument '0' is invalid\. must be between 1 and 256/);
    });

    it('report of a folder that is not a sweep', async () => {
      const dir = tempDir();
      const run = await runCli(['report', dir]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /sweep\.json: not a sweep folder/);
    });
  });
});
