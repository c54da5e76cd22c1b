import assert from 'node:assert/strict';
import { summarizeSeeds } from '../../src/stats/seeds';
import { runRlFocalSeeds } from '../../src/runs/seed-runs';
import { simulatedPool } from '../../src/experiments/table1-pools';
import { bbhLeaderboard } from '../../src/train/presets';

const TINY = { ...bbhLeaderboard, deciderEpisodes: 1, fusionEpisodes: 1 };

describe('runs/seed-runs', () => {
  it('summarises seeds from the runs, and the same seeds give the same runs', async () => {
    const pool = simulatedPool('gpqa', { nQueries: 120, seed: 3 });
    const a = await runRlFocalSeeds(pool.data, TINY, { seeds: [0, 1] });
    const b = await runRlFocalSeeds(pool.data, TINY, { seeds: [0, 1] });
    assert.equal(a.runs.length, 2);
    assert.deepEqual(a.accuracy, summarizeSeeds(a.runs.map((r) => r.test.accuracy)));
    assert.deepEqual(a.runs.map((r) => Array.from(r.test.predictions)), b.runs.map((r) => Array.from(r.test.predictions)));
    for (const r of a.runs) {
      assert.equal(r.test.correct.length, pool.data.splitIndices('test').length);
      assert.equal(r.selectionFrequency.length, pool.data.nModels);
      assert.equal(r.curves.decider.length, 1);
      assert.equal(r.curves.fusion.length, 1);
    }
  });

  it('per-subtask runs cover every test query and report every subtask', async () => {
    const pool = simulatedPool('musr', { nQueries: 240, seed: 1, });
    const runs = await runRlFocalSeeds(pool.data, TINY, { seeds: [0], perSubtask: true });
    const run = runs.runs[0];
    assert.equal(run.test.correct.length, pool.data.splitIndices('test').length);
    assert.deepEqual(new Set(run.perSubtask!.map((s) => s.subtask)), new Set(pool.data.subtaskNames));
    // Calls per model over all test queries = the selection frequencies times the test size.
    const total = run.test.cost.callsPerModel.reduce((s, c) => s + c, 0);
    assert.ok(Math.abs(total / run.test.correct.length - run.test.cost.callsPerQuery) < 1e-9);
  });
});
