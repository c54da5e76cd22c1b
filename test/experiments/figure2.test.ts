import assert from 'node:assert/strict';
import { experimentPools } from '../../src/experiments/pools';
import { figure2CorrelationTable, figure2Findings, poolLandscape } from '../../src/experiments/figure2';

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

  it('findings: one overall sentence, one per pool, and the range across pools, counting wins by |coefficient|', async () => {
    const { pools } = await experimentPools({ benchmarks: ['bbh', 'gsm8k'], nQueries: 300, seed: 3, includeRealBbh: false, split: 'all' });
    const landscapes = pools.map(poolLandscape);
    const findings = figure2Findings(landscapes);
    assert.equal(findings.length, 1 + landscapes.length + 1);
    const focalWins = landscapes.filter((l) => Math.abs(l.correlations.spearman_focal_acc as number) > Math.abs(l.correlations.spearman_kappa_acc as number)).length;
    assert.ok(findings[0].includes(`larger |Spearman| with plurality-vote accuracy on ${focalWins} of 2 pools`), findings[0]);
    landscapes.forEach((l, k) => {
      assert.ok(findings[1 + k].startsWith(`${l.pool.key} (simulated pool, calibrated to data/calibration, ${l.pool.data.nModels} models, ${l.teams.length} teams)`), findings[1 + k]);
      assert.ok(findings[1 + k].includes(`focal diversity) ${(l.correlations.spearman_focal_acc as number).toFixed(3)} vs`), findings[1 + k]);
    });
    const sorted = landscapes.map((l) => l.correlations.spearman_focal_acc as number).sort((a, b) => a - b);
    assert.ok(findings[3].includes(`ranges from ${sorted[0].toFixed(3)}`) && findings[3].includes(`to ${sorted[1].toFixed(3)}`), findings[3]);
  });
});
