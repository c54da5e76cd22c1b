import assert from 'node:assert/strict';
import { spearman } from '../../src/stats/correlation';
import { eq19MaxMismatch, robustnessFindings, robustnessGainCorrelations, runRobustnessExperiment } from '../../src/experiments/robustness';

describe('experiments/robustness (App. G experiment)', () => {
  const result = runRobustnessExperiment({ drawsPerNoise: 40, memberNoise: [0, 0.5, 2], directionsPerDraw: 8, norms: [2, 'inf'] });

  it('no perturbation inside a bound flips a prediction; every worst-case step just outside does', () => {
    for (const c of result.perturbations) {
      assert.ok(c.models > 0);
      assert.equal(c.randomInsideFlips, 0);
      assert.equal(c.worstInsideFlips, 0);
      assert.equal(c.worstOutsideFlips, c.worstOutside);
    }
  });

  it('no violation of min_k R_k <= R_ens when members share the ensemble\'s class, and Eq. 19 matches the averaged model', () => {
    for (const d of result.draws) {
      if (d.condition !== 'members disagree on c') assert.ok(d.claimHolds);
      if (d.ensembleCorrect) assert.ok(d.claimHoldsTrue);
      assert.ok(d.eq19Mismatch < 1e-9);
    }
  });

  it('identical members (noise 0) always share (c, j) and have R_ens = min_k R_k', () => {
    const zero = result.draws.filter((d) => d.noise === 0);
    assert.ok(zero.length > 0);
    for (const d of zero) {
      assert.equal(d.condition, 'shared (c, j)');
      // Members equal to the teacher never err on the focal sample: no focal diversity to report.
      assert.ok(Number.isNaN(d.memberFocalDiversity));
      assert.ok(Math.abs(d.ensembleRadius - d.minMemberRadius) <= 1e-9 * Math.max(1, d.minMemberRadius));
    }
  });

  it('noisy members get a focal diversity in [0, 1]', () => {
    const noisy = result.draws.filter((d) => d.noise === 2);
    assert.ok(noisy.length > 0);
    for (const d of noisy) assert.ok(d.memberFocalDiversity >= 0 && d.memberFocalDiversity <= 1, String(d.memberFocalDiversity));
  });

  it('is reproducible from its seed and reports every draw in its tables', () => {
    const again = runRobustnessExperiment({ drawsPerNoise: 40, memberNoise: [0, 0.5, 2], directionsPerDraw: 8, norms: [2, 'inf'] });
    assert.deepEqual(again.draws, result.draws);
    const claim = result.tables.find((t) => t.name === 'appG-robustness-claim')!;
    const ownRows = claim.rows.filter((r) => r.reference_class === 'own prediction');
    assert.equal(ownRows.reduce((s, r) => s + Number(r.draws), 0), result.draws.length);
    assert.deepEqual(result.figures.map((f) => f.name), [
      'appG-robustness-ens-vs-min-member', 'appG-robustness-ratio-by-condition', 'appG-robustness-gain-vs-diversity', 'appG-robustness-gain-vs-focal',
    ]);
  });

  it('gain correlations: one per norm and measure, pooled over the shared-class draws, the within-σ median among the per-σ values', () => {
    const gains = robustnessGainCorrelations(result);
    assert.deepEqual(gains.map((g) => `${g.norm}|${g.measure}`), ['2|gradient diversity', "2|members' focal diversity", '∞|gradient diversity', "∞|members' focal diversity"]);
    for (const g of gains) {
      const ds = result.draws.filter((d) => d.norm === g.norm && d.condition !== 'members disagree on c' && d.minMemberRadius > 0);
      const measure = (d: (typeof ds)[number]) => (g.measure === 'gradient diversity' ? d.gradientDiversity : d.memberFocalDiversity);
      assert.equal(g.n + g.skipped, ds.length);
      assert.equal(g.pooled, spearman(ds.map(measure), ds.map((d) => d.ensembleRadius / d.minMemberRadius)).value);
      const perSigma = [0, 0.5, 2].map((noise) => ds.filter((d) => d.noise === noise))
        .map((group) => spearman(group.map(measure), group.map((d) => d.ensembleRadius / d.minMemberRadius)).value)
        .filter((v) => Number.isFinite(v));
      if (perSigma.length === 0) assert.ok(Number.isNaN(g.withinMedian));
      else assert.ok(perSigma.includes(g.withinMedian));
    }
  });

  it('findings: one sentence on Eq. 18, one on Eq. 19, and per norm one on the claim and one on the gain, with the run\'s counts', () => {
    const findings = robustnessFindings(result);
    const norms = [...new Set(result.draws.map((d) => d.norm))];
    assert.equal(findings.length, 2 + 2 * norms.length);
    const inside = result.perturbations.reduce((s, c) => s + c.randomInside + c.worstInside, 0);
    assert.match(findings[0], new RegExp(`0 of ${inside} perturbations`));
    assert.match(findings[0], /the bound is valid and, for linear models, tight/);
    assert.ok(findings[1].includes(`${eq19MaxMismatch(result).toExponential(1)} over ${result.draws.length} draws`));
    for (const [k, norm] of norms.entries()) {
      assert.ok(findings[2 + k].startsWith(`p=${norm}: paper (Eqs. 20-25)`));
      assert.ok(findings[2 + norms.length + k].startsWith(`p=${norm}: paper's interpretation`));
    }
    assert.deepEqual(robustnessFindings(result), findings);
  });
});
