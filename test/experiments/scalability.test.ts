import assert from 'node:assert/strict';
import { scalabilityExperiment } from '../../src/experiments/scalability';

describe('experiments/scalability', () => {
  it('replays the pool k times: N = 8k models, one row per k, time ratios relative to the smallest pool', async () => {
    const result = await scalabilityExperiment({
      data: 'sim:gsm8k?n=240&seed=3',
      replicas: [1, 2],
      seeds: [1],
      config: { window: 20, deciderEpisodes: 1, fusionEpisodes: 1, updatePeriod: 40 },
      workers: 1,
    });
    const rows = result.tables[0].rows;
    assert.deepEqual(rows.map((r) => r.pool_size), [8, 16]);
    assert.equal(rows[0].time_vs_smallest_pool, 1);
    assert.equal(result.fit.points, 2);
    assert.match(result.tables[0].provenance, /np\.random\.normal/);
  });
});
