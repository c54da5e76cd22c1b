import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng';
import { coupledRandomPool } from '../../src/sim/prediction-pools';
import {
  conventionComparison, conventionFindings, covarianceLinkFindings, focalCovarianceLink, metricCorrelationFindings, metricCorrelationMatrix,
} from '../../src/experiments/focal-covariance';

describe('experiments/focal-covariance', () => {
  it('builds link, matrix and convention tables with one row per size / metric', () => {
    const pool = { key: 'test', provenance: 'synthetic test pool', data: coupledRandomPool(new Rng(5), { nModels: 6, nQueries: 300, nChoices: 4, coupling: 0.5 }) };
    const link = focalCovarianceLink(pool);
    assert.equal(link.stats.length, 2 ** 6 - 6 - 1);
    assert.equal(link.table.rows[0].team_size, 'all');
    assert.ok(link.identityMaxError < 1e-12);
    const matrix = metricCorrelationMatrix(pool);
    const k = matrix.columns.length;
    for (let a = 0; a < k; a++) {
      assert.equal(matrix.matrix[a * k + a], 1);
      for (let b = 0; b < k; b++) assert.ok(Number.isNaN(matrix.matrix[a * k + b]) || Math.abs(matrix.matrix[a * k + b] - matrix.matrix[b * k + a]) < 1e-12);
    }
    // EnsembleBench reports 1 - x for diversity metrics: the rank correlation with accuracy flips sign.
    const conventions = conventionComparison(pool);
    for (const row of conventions.rows) {
      const hmd = row['spearman_with_accuracy_higher-more-diverse'] as number;
      const eb = row.spearman_with_accuracy_ensemblebench as number;
      // Both are rounded to 3 decimals, and rounding halves away from zero differs by sign: allow one unit.
      if (hmd !== null) assert.ok(Math.abs(hmd + eb) <= 1e-3 + 1e-12, String(row.metric));
    }
  });

  const pool = { key: 'test', provenance: 'simulated pool (calibrated to data/calibration): test', data: coupledRandomPool(new Rng(5), { nModels: 6, nQueries: 300, nChoices: 4, coupling: 0.5 }) };

  it('covarianceLinkFindings reads the pooled row and says a link holds exactly when its coefficient has the expected sign', () => {
    const link = focalCovarianceLink(pool);
    const sentence = covarianceLinkFindings(pool, link);
    const all = link.table.rows[0];
    assert.ok(sentence.startsWith(`test (simulated pool, calibrated to data/calibration, ${link.stats.length} teams, all sizes pooled)`), sentence);
    const focalCov = all.spearman_focal_cov as number;
    assert.ok(sentence.includes(`error covariance) = ${focalCov.toFixed(3)}, so this link ${focalCov < 0 ? 'holds' : 'does not hold'}`), sentence);
    const covErr = all.spearman_cov_ens_error as number;
    assert.ok(sentence.includes(`plurality-vote error) = ${covErr.toFixed(3)}, so this link ${covErr > 0 ? 'holds' : 'reverses'}`), sentence);
  });

  it('metricCorrelationFindings names the metric that correlates best with accuracy and the one closest to focal diversity', () => {
    const m = metricCorrelationMatrix(pool);
    const sentence = metricCorrelationFindings(pool, m);
    const K = m.columns.length;
    const acc = m.columns.indexOf('plurality_accuracy');
    const focal = m.columns.indexOf('focal_diversity');
    const diversity = m.columns.map((c, a) => ({ c, a })).filter(({ c }) => c !== 'plurality_accuracy');
    const best = diversity.filter(({ a }) => Number.isFinite(m.matrix[a * K + acc])).reduce((x, y) => (m.matrix[y.a * K + acc] > m.matrix[x.a * K + acc] ? y : x));
    const nearest = diversity.filter(({ a }) => a !== focal && Number.isFinite(m.matrix[focal * K + a])).reduce((x, y) => (m.matrix[focal * K + y.a] > m.matrix[focal * K + x.a] ? y : x));
    assert.ok(sentence.includes(best.c === 'focal_diversity' ? 'the highest of' : `(highest: ${best.c} `), sentence);
    assert.ok(sentence.endsWith(`the metric closest to focal diversity is ${nearest.c} (ρ = ${m.matrix[focal * K + nearest.a].toFixed(3)}).`), sentence);
  });

  it('conventionFindings: under EnsembleBench every metric with a nonzero coefficient changes sign', () => {
    const table = conventionComparison(pool);
    const nonzero = table.rows.filter((r) => typeof r.spearman_with_accuracy_ensemblebench === 'number' && r.spearman_with_accuracy_ensemblebench !== 0).length;
    const sentence = conventionFindings(pool, table);
    assert.ok(sentence.startsWith('test: '), sentence);
    assert.ok(sentence.includes(`${nonzero} of ${table.rows.length} metrics' correlations change sign`), sentence);
  });
});
