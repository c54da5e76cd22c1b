import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRecordedOutputs } from '../../src/data/recorded';
import { BBH_DIR, ensureBuilt, runCli, tempDir, writeRecordedFolder } from './helpers';

/** `rl-focal baselines` through the built binary. */

describe('cli: baselines (built binary)', function () {
  this.timeout(60000);
  before(ensureBuilt);

  it('reports every baseline with accuracy, calls per query and cost; single models match the data', async () => {
    const dir = tempDir();
    const data = writeRecordedFolder(path.join(dir, 'data'), { models: 3, perSubtask: 40, subtasks: 2, seed: 6 });
    const out = path.join(dir, 'out');
    const run = await runCli(['baselines', '--data', data, '--no-fusion', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 1);
    const rows: any[] = run.summary.baselines;
    assert.equal(run.summary.split, 'test');
    assert.equal(run.summary.queries, 16);
    for (const row of rows) {
      for (const key of ['method', 'accuracy', 'accuracy_macro', 'calls_per_query', 'cost_per_1000']) assert.ok(key in row, `${row.method} lacks ${key}`);
      assert.ok(row.accuracy >= 0 && row.accuracy <= 1);
    }
    const dataset = await readRecordedOutputs(data);
    const testAccuracy = dataset.modelAccuracies(dataset.splitIndices('test'));
    for (let i = 0; i < 3; i++) {
      const single = rows.find((r) => r.method === `single: model-${i}`);
      assert.ok(single, `no single baseline for model-${i}`);
      assert.equal(single.accuracy, testAccuracy[i]);
      assert.equal(single.calls_per_query, 1);
      assert.ok(Math.abs(single.cost_per_1000 - 1000 * 0.01 * (i + 1)) < 1e-9);
    }
    const oracle = rows.find((r) => r.method.startsWith('oracle'));
    for (const row of rows) assert.ok(row.accuracy <= oracle.accuracy + 1e-12, `${row.method} beats the oracle`);
    assert.ok(!rows.some((r) => r.method.includes('fusion')), '--no-fusion ran a fusion baseline');
    const csv = fs.readFileSync(path.join(out, 'baselines.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, rows.length + 1);
  });

  it('on the real bbh-leaderboard data reproduces the README figures (test split)', async function () {
    if (!fs.existsSync(path.join(BBH_DIR, 'outputs.jsonl'))) this.skip();
    const run = await runCli(['baselines', '--data', 'bbh', '--no-fusion', '--paper-prices', '-q']);
    assert.equal(run.code, 0, run.stderr);
    const accuracy = (prefix: string): number => run.summary.baselines.find((r: any) => r.method.startsWith(prefix)).accuracy;
    assert.equal(run.summary.queries, 1154);
    // shared/data/bbh-leaderboard/README.md, "Overall", corrected labels, test, micro.
    assert.equal(accuracy('single: mistralai/Mixtral-8x7B-Instruct-v0.1').toFixed(4), '0.5087');
    assert.equal(accuracy('single: microsoft/phi-2').toFixed(4), '0.5043');
    assert.equal(accuracy('plurality vote').toFixed(4), '0.5009');
    assert.equal(accuracy('oracle').toFixed(4), '0.8293');
    // Table 8 prices: all five models called on every query = 63 + 48 + 13 + 8 + 8.5 cents per 100 queries.
    const oracle = run.summary.baselines.find((r: any) => r.method.startsWith('oracle'));
    assert.ok(Math.abs(oracle.cost_per_1000 - 1405) < 1e-9);
  });

  it('rejects an unknown split and a missing folder (exit 2)', async () => {
    const split = await runCli(['baselines', '--data', 'bbh', '--split', 'dev']);
    assert.equal(split.code, 2);
    assert.match(split.stderr, /option '--split <split>' argument 'dev' is invalid\. expected one of train, test/);
    const missing = await runCli(['baselines', '--data', path.join(tempDir(), 'none')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /none: no such folder/);
  });
});
