import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng } from '../../src/util/rng';
import {
  averageLinearClassifiers,
  dualNorm,
  ensembleRobustnessBound,
  gradientDiversity,
  linearClassifier,
  linearLogits,
  lipschitzConstant,
  perturbedCopy,
  predictLinear,
  randomLinearClassifier,
  randomUnitDirection,
  robustnessBound,
  stepAlong,
  vectorNorm,
  worstCaseDirection,
  type LinearClassifier,
  type PNorm,
} from '../../src/metrics/lipschitz-bound';

const NORMS: PNorm[] = [1, 2, 'inf'];
const normArb = fc.constantFrom<PNorm>(...NORMS);
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function randomPoint(rng: Rng, dim: number): Float64Array {
  return Float64Array.from({ length: dim }, () => rng.normal());
}

function drawEnsemble(seed: number, nMembers: number, noise: number): { members: LinearClassifier[]; x0: Float64Array } {
  const rng = new Rng(seed);
  const teacher = randomLinearClassifier(rng, 4, 6);
  return { members: Array.from({ length: nMembers }, () => perturbedCopy(teacher, rng, noise)), x0: randomPoint(rng, 6) };
}

describe('metrics/lipschitz-bound', () => {
  it('dual norms pair 1 with inf and 2 with 2', () => {
    assert.equal(dualNorm(2), 2);
    assert.equal(dualNorm(1), 'inf');
    assert.equal(dualNorm('inf'), 1);
    assert.equal(vectorNorm([3, -4], 2), 5);
    assert.equal(vectorNorm([3, -4], 1), 7);
    assert.equal(vectorNorm([3, -4], 'inf'), 4);
  });

  it('the logit difference is Lipschitz with L = ||w_j - w_c||_q (Eqs. 11-12) and the worst-case step attains it', () => {
    fc.assert(
      fc.property(seedArb, normArb, (seed, p) => {
        const rng = new Rng(seed);
        const model = randomLinearClassifier(rng, 4, 7);
        const cc = rng.int(4);
        const jj = (cc + 1 + rng.int(3)) % 4;
        const L = lipschitzConstant(model, cc, jj, dualNorm(p));
        const g = (x: Float64Array) => { const f = linearLogits(model, x); return f[jj] - f[cc]; };
        const x = randomPoint(rng, 7);
        const y = randomPoint(rng, 7);
        const diff = x.map((v, d) => v - y[d]);
        assert.ok(Math.abs(g(x) - g(y)) <= L * vectorNorm(diff, p) * (1 + 1e-12) + 1e-12);
        const w = worstCaseDirection(model, cc, jj, p);
        assert.ok(Math.abs(vectorNorm(w, p) - 1) < 1e-12);
        assert.ok(Math.abs(g(stepAlong(x, w, 0.7)) - g(x) - 0.7 * L) < 1e-9 * Math.max(1, L));
      }),
      { numRuns: 200 },
    );
  });

  it('perturbations with ||delta||_p < R(x0) never change the prediction (Eq. 18), random and worst-case directions', () => {
    fc.assert(
      fc.property(seedArb, normArb, fc.double({ min: 0, max: 0.999, noNaN: true }), (seed, p, fraction) => {
        const rng = new Rng(seed);
        const model = randomLinearClassifier(rng, 5, 8);
        const x0 = randomPoint(rng, 8);
        const c = predictLinear(model, x0);
        const bound = robustnessBound(model, x0, c, p);
        assert.ok(bound.radius >= 0);
        for (let r = 0; r < 10; r++) {
          assert.equal(predictLinear(model, stepAlong(x0, randomUnitDirection(rng, 8, p), fraction * bound.radius)), c);
        }
        assert.equal(predictLinear(model, stepAlong(x0, worstCaseDirection(model, c, bound.competitor, p), fraction * bound.radius)), c);
      }),
      { numRuns: 300 },
    );
  });

  it('a step of (1 + eps) R(x0) along the worst-case direction changes the prediction: the bound is tight for linear models', () => {
    fc.assert(
      fc.property(seedArb, normArb, (seed, p) => {
        const rng = new Rng(seed);
        const model = randomLinearClassifier(rng, 5, 8);
        const x0 = randomPoint(rng, 8);
        const c = predictLinear(model, x0);
        const bound = robustnessBound(model, x0, c, p);
        const outside = stepAlong(x0, worstCaseDirection(model, c, bound.competitor, p), (1 + 1e-3) * bound.radius);
        assert.notEqual(predictLinear(model, outside), c);
      }),
      { numRuns: 300 },
    );
  });

  it('the bound is negative exactly when the reference class is not the prediction', () => {
    fc.assert(
      fc.property(seedArb, normArb, (seed, p) => {
        const rng = new Rng(seed);
        const model = randomLinearClassifier(rng, 4, 5);
        const x0 = randomPoint(rng, 5);
        const predicted = predictLinear(model, x0);
        for (let c = 0; c < 4; c++) assert.equal(robustnessBound(model, x0, c, p).radius > 0, c === predicted);
      }),
      { numRuns: 100 },
    );
  });

  it('Eq. 19 computed from the members equals Eq. 18 on the logit-averaged model', () => {
    fc.assert(
      fc.property(seedArb, normArb, fc.integer({ min: 2, max: 6 }), fc.double({ min: 0, max: 3, noNaN: true }), (seed, p, m, noise) => {
        const { members, x0 } = drawEnsemble(seed, m, noise);
        const averaged = averageLinearClassifiers(members);
        for (let c = 0; c < 4; c++) {
          const a = ensembleRobustnessBound(members, x0, c, p);
          const b = robustnessBound(averaged, x0, c, p);
          assert.ok(Math.abs(a.radius - b.radius) <= 1e-9 * Math.max(1, Math.abs(b.radius)));
          assert.equal(a.competitor, b.competitor);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('identical members: R_ens = R_k for every k and gradient diversity is 0', () => {
    fc.assert(
      fc.property(seedArb, normArb, (seed, p) => {
        const { members, x0 } = drawEnsemble(seed, 1, 0.5);
        const copies = [members[0], members[0], members[0]];
        const c = predictLinear(members[0], x0);
        const rk = robustnessBound(members[0], x0, c, p);
        const ens = ensembleRobustnessBound(copies, x0, c, p);
        assert.ok(Math.abs(ens.radius - rk.radius) <= 1e-12 * Math.max(1, rk.radius));
        assert.ok(Math.abs(gradientDiversity(copies, c, rk.competitor, dualNorm(p))) < 1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('min_k R_k <= R_ens whenever every bound is taken around one class c that the ensemble predicts (Eqs. 21-25)', () => {
    // The paper assumes one shared (c, j); the inequality only needs a shared c: for each j, sum of margins over
    // ||sum of gradients|| >= sum of margins over sum of norms (triangle inequality, numerator > 0) >= min_k of the
    // member ratios (mediant), and min over j commutes with min over k.
    fc.assert(
      fc.property(seedArb, normArb, fc.integer({ min: 2, max: 6 }), fc.double({ min: 0, max: 3, noNaN: true }), (seed, p, m, noise) => {
        const { members, x0 } = drawEnsemble(seed, m, noise);
        const c = predictLinear(averageLinearClassifiers(members), x0);
        const ens = ensembleRobustnessBound(members, x0, c, p).radius;
        const minMember = Math.min(...members.map((mm) => robustnessBound(mm, x0, c, p).radius));
        assert.ok(minMember <= ens + 1e-9 * Math.max(1, Math.abs(ens)));
      }),
      { numRuns: 400 },
    );
  });

  it('around each model\'s own prediction the claim can fail when members disagree (constructed counter-example)', () => {
    // Member A says class 0 with margin 2, member B says class 1 with margin 1.9 (both with L = 1); the average says
    // class 0 with margin 0.05 and L = ||(0.5, -0.5)||_2, so R_ens ~ 0.07 < min(R_A, R_B) = 1.9.
    const a = linearClassifier(Float64Array.from([1, 0, 0, 0]), Float64Array.from([2, 0]));
    const b = linearClassifier(Float64Array.from([0, 0, 0, 1]), Float64Array.from([0, 1.9]));
    const x0 = Float64Array.from([0, 0]);
    const rA = robustnessBound(a, x0, predictLinear(a, x0), 2).radius;
    const rB = robustnessBound(b, x0, predictLinear(b, x0), 2).radius;
    const cEns = predictLinear(averageLinearClassifiers([a, b]), x0);
    const rEns = ensembleRobustnessBound([a, b], x0, cEns, 2).radius;
    assert.equal(cEns, 0);
    assert.ok(Math.min(rA, rB) > rEns, `min member ${Math.min(rA, rB)} should exceed ensemble ${rEns}`);
  });
});
