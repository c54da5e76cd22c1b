import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSharedPool, sharedPoolAvailable } from '../../src/data/shared-pools';
import { runTable1 } from '../../src/experiments/table1';
import { runTable1Real } from '../../src/experiments/table1-real';

const TINY = { deciderEpisodes: 1, fusionEpisodes: 1 };

describe('experiments/table1-real (skipped without ../shared)', function () {
  this.timeout(180000);
  let store: string;
  beforeEach(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'table1-real-'));
  });
  afterEach(() => fs.rmSync(store, { recursive: true, force: true }));

  it('bbh-leaderboard: every model, votes, oracle and RL-Focal from the benchmark store; a rerun resumes with the same numbers', async function () {
    if (!sharedPoolAvailable('bbh-leaderboard')) this.skip();
    const params = { pools: { bbh: 'bbh-leaderboard' }, seeds: [0], rl: TINY, store };
    const first = await runTable1Real(['bbh', 'mmlu'], params);
    assert.equal(first.columns.length, 1, 'only the benchmarks asked for that have a pool in params.pools');
    const c = first.columns[0];
    const data = await loadSharedPool('bbh-leaderboard');
    const test = data.modelAccuracies(data.splitIndices('test'));
    assert.equal(c.nModels, data.nModels);
    assert.equal(c.testQueries, data.splitIndices('test').length);
    // Table 1's "best model" is the best single test accuracy; every model has its own row.
    assert.equal(c.rows.filter((r) => r.method.startsWith('single: ')).length, data.nModels);
    assert.equal(c.best.accuracy, Math.max(...test));
    assert.ok(Math.abs(c.relativeGain - (100 * (c.rl.accuracy - c.best.accuracy)) / c.best.accuracy) < 1e-12);
    for (const r of [c.best, c.bestOnTrain, c.plurality, c.soft, c.rl]) assert.ok(r.accuracy <= c.oracle.accuracy, `${r.method} <= oracle`);
    assert.equal(c.rl.family, 'rl-focal');
    assert.match(c.provenance, /^real recorded outputs \(bbh-leaderboard\)/);
    // Same store, same settings: nothing reruns and the numbers are read back unchanged.
    const again = await runTable1Real(['bbh'], params);
    assert.deepEqual(again.columns[0].rows, c.rows);
  });

  it('runTable1 puts paper, simulated and real columns side by side, each labelled', async function () {
    if (!sharedPoolAvailable('bbh-leaderboard')) this.skip();
    const out = await runTable1({ benchmarks: ['bbh'], nQueries: 150, seeds: [0], rl: TINY, realBbh: false, votesOnlyControl: false, real: { pools: { bbh: 'bbh-leaderboard' }, seeds: [0], rl: TINY, store } });
    assert.equal(out.real.length, 1);
    const table = out.tables.find((t) => t.name === 'table1-real-vs-simulated')!;
    const headers = Object.keys(table.rows[0]);
    assert.deepEqual(headers, ['item', 'BBH · paper', 'BBH · simulated pool (calibration table)', 'BBH · real recorded outputs (bbh-leaderboard)']);
    const rl = table.rows.find((r) => String(r.item).startsWith('RL-Focal'))!;
    assert.equal(rl['BBH · paper'], 'stripped');
    assert.equal(Number(rl['BBH · real recorded outputs (bbh-leaderboard)']), Number((100 * out.real[0].rl.accuracy).toFixed(2)));
    assert.match(table.provenance, /real recorded outputs \(bbh-leaderboard\)/);
    assert.ok(out.provenance.some((p) => p.startsWith('BBH · real recorded outputs')));
  });
});
