import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PAPER_FIGURE6 } from '../../src/experiments/scalability';
import { fitPowerLaw } from '../../src/stats/regression';

describe('stats/regression', () => {
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
});
