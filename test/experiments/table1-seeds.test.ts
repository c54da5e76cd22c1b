import assert from 'node:assert/strict';
import { summarizeSeeds } from '../../src/stats/seeds';
import { curveBand, formatPercentSe, runRlFocalSeeds, throttleProgress, type ExperimentProgress } from '../../src/experiments/table1-seeds';
import { simulatedPool } from '../../src/experiments/table1-pools';
import { bbhLeaderboard } from '../../src/train/presets';

const TINY = { ...bbhLeaderboard, deciderEpisodes: 1, fusionEpisodes: 1 };

describe('experiments/table1-seeds', () => {
  it('formats mean ± SE in percent, and the mean alone for one seed', () => {
    assert.equal(formatPercentSe(summarizeSeeds([0.5, 0.6])), '55.00 ± 5.00');
    assert.equal(formatPercentSe(summarizeSeeds([0.5])), '50.00');
    assert.equal(formatPercentSe(summarizeSeeds([])), 'n/a');
  });

  it('throttles progress lines but always passes final ones', () => {
    const seen: string[] = [];
    const sink = throttleProgress((p: ExperimentProgress) => seen.push(p.message), 60_000)!;
    for (let k = 0; k < 100; k++) sink({ stage: 's', message: `line ${k}` });
    sink({ stage: 's', message: 'last', final: true });
    assert.deepEqual(seen, ['line 0', 'last']);
    assert.equal(throttleProgress(undefined), undefined);
  });

  it('curveBand gives the per-episode mean and sample std, cut to the shortest curve', () => {
    const band = curveBand([
      [{ episode: 1, accuracy: 0.2, meanTeamSize: 1 }, { episode: 2, accuracy: 0.4, meanTeamSize: 1 }],
      [{ episode: 1, accuracy: 0.4, meanTeamSize: 1 }],
    ]);
    assert.deepEqual(band.episode, [1]);
    assert.ok(Math.abs(band.mean[0] - 0.3) < 1e-12);
    assert.ok(Math.abs(band.std[0] - Math.SQRT2 * 0.1) < 1e-12);
  });

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
