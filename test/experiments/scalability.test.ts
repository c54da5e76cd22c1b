import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PAPER_FIGURE6, fitPowerLaw, scalabilityExperiment } from '../../src/experiments/scalability';

describe('experiments/scalability', () => {
  it('fitPowerLaw recovers the exponent and scale of an exact power law', () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 3, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (b, a) => {
        const x = [8, 16, 24, 40, 80];
        const fit = fitPowerLaw(x, x.map((n) => a * n ** b));
        assert.ok(Math.abs(fit.exponent - b) < 1e-9);
        assert.ok(Math.abs(Math.exp(fit.intercept) - a) < 1e-6 * a);
        assert.ok(fit.exponentSe < 1e-6);
      }),
    );
  });

  it("the paper's printed Figure 6 times grow sub-linearly (b about 0.91)", () => {
    const fit = fitPowerLaw([...PAPER_FIGURE6.poolSize], [...PAPER_FIGURE6.time]);
    assert.ok(fit.exponent > 0.85 && fit.exponent < 0.95, String(fit.exponent));
    assert.ok(fit.r2 > 0.99);
  });

  it('replays the pool k times: N = 8k models, one row per k, time ratios relative to the smallest pool', async () => {
    const result = await scalabilityExperiment({
      data: 'sim:gsm8k?n=240&seed=3',
      replicas: [1, 2],
      seeds: [1],
      config: { window: 20, deciderEpisodes: 1, fusionEpisodes: 1, updatePeriod: 40 },
      workers: 0,
    });
    const rows = result.tables[0].rows;
    assert.deepEqual(rows.map((r) => r.pool_size), [8, 16]);
    assert.equal(rows[0].time_vs_smallest_pool, 1);
    assert.equal(result.fit.points, 2);
    assert.match(result.tables[0].provenance, /np\.random\.normal/);
  });
});
