import assert from 'node:assert/strict';
import { experimentPools } from '../../src/experiments/pools';
import { figure2CorrelationTable, poolLandscape } from '../../src/experiments/figure2';

describe('experiments/figure2', () => {
  it('scans every team of size >= 2 of simulated pools and reports correlations in [-1, 1]', async () => {
    const { pools } = await experimentPools({ benchmarks: ['bbh', 'gsm8k'], nQueries: 300, seed: 3, includeRealBbh: false, split: 'all' });
    const landscapes = pools.map(poolLandscape);
    for (const l of landscapes) {
      const N = l.pool.data.nModels;
      assert.equal(l.teams.length, 2 ** N - N - 1);
      for (const key of ['pearson_focal_acc', 'spearman_focal_acc', 'pearson_kappa_acc', 'spearman_kappa_acc']) {
        const v = l.correlations[key] as number;
        assert.ok(v >= -1 && v <= 1, `${key} = ${v}`);
      }
      assert.deepEqual(l.figures.map((f) => f.name), [`fig2-landscape-${l.pool.key}`, `fig2-surface-${l.pool.key}`]);
      assert.match(l.pool.provenance, /^simulated pool/);
    }
    assert.equal(figure2CorrelationTable(landscapes).rows.length, 2);
  });
});
