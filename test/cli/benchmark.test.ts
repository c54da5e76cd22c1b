import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Dataset } from '../../src/data/dataset';
import { writeRecordedOutputs } from '../../src/data/recorded';
import { simulatePool } from '../../src/sim/index';
import { ensureBuilt, runCli, sleep, startCli, tempDir } from './helpers';

/**
 * `rl-focal benchmark` through the built binary on a small fixture folder: a simulated 12-model pool (two subtasks,
 * question text naming the subtask) written in the recorded-outputs layout.
 */

function writeFixture(dir: string): string {
  const sim = simulatePool({ benchmark: 'mmlu', nQueries: 200, seed: 3 });
  const subtaskIds = Uint16Array.from({ length: sim.nQueries }, (_, t) => (Math.floor(t / 20) % 2));
  const questions = Array.from({ length: sim.nQueries }, (_, t) => (subtaskIds[t] === 0 ? `chemistry acid reaction ${t % 5}` : `finance bond price ${t % 5}`));
  const data = new Dataset({ ...sim.columns(), subtaskIds, subtaskNames: ['chemistry', 'finance'], questions }).withStreamSplit(0.8);
  const folder = path.join(dir, 'pool');
  writeRecordedOutputs(data, folder);
  return folder;
}

const cellFiles = (out: string) => fs.readdirSync(path.join(out, 'cells')).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort();
const METHODS = 'single,vote-all,top-k,budget-team,knn-router,random-team,oracle';

describe('cli: benchmark (built binary, fixture pool)', function () {
  this.timeout(120000);
  let dir: string;
  let pool: string;
  before(() => {
    ensureBuilt();
    dir = tempDir();
    pool = writeFixture(dir);
  });

  it('Ctrl-C (SIGINT) stops the workers, exits 130 with the interrupted line, keeps the finished cells and no claim', async () => {
    const out = path.join(dir, 'interrupted');
    const args = ['benchmark', '--data', pool, '--methods', 'rl-focal', '--seeds', '6', '--workers', '2', '--out', out, '--set', 'deciderEpisodes=30', '--set', 'fusionEpisodes=30'];
    const first = startCli(args);
    while (!fs.existsSync(path.join(out, 'cells')) || cellFiles(out).length < 1) await sleep(50);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.equal(stopped.summary.interrupted, true);
    const kept = cellFiles(out).length;
    assert.ok(kept >= 1 && kept < 6, `kept ${kept}`);
    assert.match(stopped.stderr, /interrupted: \d+ of 6 cells finished, kept in /);
    assert.deepEqual(fs.readdirSync(path.join(out, 'cells')).filter((f) => f.endsWith('.claim') || f.startsWith('.')), [], 'no claim or temp file left');
  });

  it('runs every method family, writes the table, the cost-quality table, the JSON and the Pareto specs', async () => {
    const out = path.join(dir, 'one');
    const run = await runCli(['benchmark', '--data', pool, '--methods', METHODS, '--seeds', '2', '--out', out, '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    // 6 seed-independent families once, random-team once per seed
    assert.equal(run.summary.cells_total, 8);
    assert.equal(run.summary.ran, 8);
    assert.equal(cellFiles(out).length, 8);
    for (const f of ['benchmark-table.csv', 'benchmark-table.md', 'benchmark-cost-quality.md', 'benchmark.json', 'benchmark-pareto-calls-pool.json']) {
      assert.ok(fs.existsSync(path.join(out, f)), f);
    }
    const json = JSON.parse(fs.readFileSync(path.join(out, 'benchmark.json'), 'utf8'));
    const random = json.rows.find((r: { family: string }) => r.family === 'random-team');
    assert.equal(random.seeds, 2);
    const knn = json.rows.find((r: { family: string }) => r.family === 'knn-router');
    assert.equal(knn.callsPerQuery, 1);
    const oracle = json.rows.find((r: { family: string }) => r.family === 'oracle');
    assert.equal(oracle.frontierCalls, false, 'the oracle is a reference, never on the frontier');
    for (const r of json.rows) assert.ok(r.accuracy <= oracle.accuracy + 1e-12, `${r.method} above the oracle`);
    assert.ok(json.pools[0].frontierCalls.length >= 1);
    assert.ok(json.pools[0].aiqCalls > 0 && json.pools[0].aiqCalls <= json.pools[0].aiqHullCalls + 1e-12);
  });

  it('resumes without recomputing finished cells, and recomputes exactly a deleted one', async () => {
    const out = path.join(dir, 'resume');
    const args = ['benchmark', '--data', pool, '--methods', 'single,random-team', '--seeds', '2', '--out', out, '--quiet'];
    assert.equal((await runCli(args)).code, 0);
    const before = cellFiles(out).map((f) => [f, fs.statSync(path.join(out, 'cells', f)).mtimeMs]);
    const again = await runCli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.summary.ran, 0);
    assert.equal(again.summary.skipped, 3);
    assert.deepEqual(cellFiles(out).map((f) => [f, fs.statSync(path.join(out, 'cells', f)).mtimeMs]), before);
    fs.rmSync(path.join(out, 'cells', before[0][0] as string));
    const third = await runCli(args);
    assert.equal(third.summary.ran, 1);
    assert.equal(cellFiles(out).length, 3);
  });

  it('leaves a cell that another live run has claimed to that run', async () => {
    const out = path.join(dir, 'claimed');
    const args = ['benchmark', '--data', pool, '--methods', 'single,random-team', '--seeds', '2', '--out', out, '--quiet'];
    assert.equal((await runCli(args)).code, 0);
    const [taken] = cellFiles(out);
    const id = taken.slice(0, -'.json'.length);
    fs.rmSync(path.join(out, 'cells', taken));
    // This test process stands for the other run: alive, on this host, not the CLI's own process.
    const claim = path.join(out, 'cells', `${id}.claim`);
    fs.writeFileSync(claim, JSON.stringify({ pid: process.pid, host: os.hostname(), time: new Date().toISOString() }) + '\n');
    const beside = await runCli(args);
    assert.equal(beside.code, 0, beside.stderr);
    assert.equal(beside.summary.ran, 0);
    assert.equal(beside.summary.claimed_elsewhere, 1);
    assert.ok(fs.existsSync(claim), 'the other run\'s claim is left alone');
    fs.rmSync(claim);
    const after = await runCli(args);
    assert.equal(after.summary.ran, 1);
    assert.equal(cellFiles(out).length, 3);
    assert.ok(!fs.existsSync(claim), 'a finished cell releases its claim');
  });

  it('two shards merged give the same table as one run', async () => {
    const args = (out: string, shard: string) => ['benchmark', '--data', pool, '--methods', 'single,vote-all,random-team', '--seeds', '2', '--out', out, '--shard', shard, '--quiet'];
    const whole = path.join(dir, 'whole');
    assert.equal((await runCli(args(whole, '1/1'))).code, 0);
    const a = path.join(dir, 'shard-a');
    const b = path.join(dir, 'shard-b');
    const first = await runCli(args(a, '1/2'));
    assert.ok(first.summary.missing > 0, 'one shard alone is incomplete');
    assert.equal((await runCli(args(b, '2/2'))).code, 0);
    const merged = path.join(dir, 'merged');
    const merge = await runCli(['benchmark', '--merge', `${a},${b}`, '--out', merged, '--quiet']);
    assert.equal(merge.code, 0, merge.stderr);
    assert.equal(merge.summary.missing, 0);
    assert.equal(fs.readFileSync(path.join(merged, 'benchmark-table.csv'), 'utf8'), fs.readFileSync(path.join(whole, 'benchmark-table.csv'), 'utf8'));
  });

  it('bad flags exit 2 with one line naming the flag', async () => {
    const out = path.join(dir, 'bad');
    const cases: Array<[string[], RegExp]> = [
      [['--methods', 'single,telepathy'], /--methods.*unknown method "telepathy"/],
      [['--seeds', '0'], /--seeds/],
      [['--shard', '3/2'], /--shard/],
      [['--set', 'gamma=7'], /gamma/],
      [['--data', path.join(dir, 'no-such-pool')], /no-such-pool/],
    ];
    for (const [extra, pattern] of cases) {
      const run = await runCli(['benchmark', '--data', pool, '--out', out, ...extra]);
      assert.equal(run.code, 2, `${extra.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
  });
});
