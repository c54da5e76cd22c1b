import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { aboveSecondLargest, bivariateNormalUpper, firstRoot, normalCdf, normalQuantile, rankAuc } from '../../src/stats/normal';

describe('stats/normal', () => {
  it('normal CDF and quantile agree with reference values (scipy.stats.norm)', () => {
    const cdf: Array<[number, number]> = [
      [-6, 9.865876450376946e-10],
      [-2.5, 0.006209665325776132],
      [-1, 0.15865525393145707],
      [0, 0.5],
      [0.3, 0.6179114221889526],
      [1.96, 0.9750021048517795],
      [4, 0.9999683287581669],
    ];
    for (const [x, p] of cdf) assert.ok(Math.abs(normalCdf(x) - p) <= 1e-13 + 1e-12 * p, `Phi(${x}) = ${normalCdf(x)}, expected ${p}`);
    const quantiles: Array<[number, number]> = [
      [1e-10, -6.361340902404056],
      [0.001, -3.090232306167813],
      [0.02, -2.053748910631823],
      [0.3, -0.5244005127080409],
      [0.5, 0],
      [0.8, 0.8416212335729143],
      [0.99, 2.3263478740408408],
    ];
    for (const [p, x] of quantiles) assert.ok(Math.abs(normalQuantile(p) - x) < 1e-9, `Phi^-1(${p}) = ${normalQuantile(p)}, expected ${x}`);
    assert.throws(() => normalQuantile(0), /\(0, 1\)/);
    assert.throws(() => normalQuantile(1), /\(0, 1\)/);
  });

  it('bivariate normal upper orthant agrees with reference values (scipy multivariate_normal)', () => {
    const cases: Array<[number, number, number, number]> = [
      [0, 0, 0.5, 1 / 3],
      [0.5, -0.3, 0.3, 0.23038944960564983],
      [-1, 1.2, -0.6, 0.05712595434531195],
      [1.5, 1.5, 0.9, 0.04394840071310857],
      [-0.2, -0.7, 0.95, 0.576469295203337],
      [2, -2, 0.7, 0.022750124641882516],
    ];
    for (const [h, k, r, p] of cases) assert.ok(Math.abs(bivariateNormalUpper(h, k, r) - p) < 2e-6, `P(X>${h}, Y>${k}; ${r}) = ${bivariateNormalUpper(h, k, r)}, expected ${p}`);
    assert.throws(() => bivariateNormalUpper(0, 0, 1), /0\.99/);
  });

  it('P(a shifted normal beats the second largest of n): 2 / (n + 1) unshifted, 1 and 0 at the extremes, increasing', () => {
    for (const n of [2, 3, 6, 17]) {
      assert.ok(Math.abs(aboveSecondLargest(0, n) - 2 / (n + 1)) < 1e-9, `n ${n}: ${aboveSecondLargest(0, n)}`);
      assert.ok(aboveSecondLargest(9, n) > 1 - 1e-6);
      assert.ok(aboveSecondLargest(-9, n) < 1e-6);
      assert.ok(aboveSecondLargest(0.5, n) > aboveSecondLargest(-0.5, n));
    }
    // n = 2 by direct numerical check: P(X > min(Y1, Y2)) = 1 - P(X < Y1, X < Y2) with X ~ N(1, 1).
    let below = 0;
    const h = 0.001;
    for (let x = -12; x < 12; x += h) below += h * Math.exp(-0.5 * (x - 1) ** 2) / Math.sqrt(2 * Math.PI) * (1 - normalCdf(x)) ** 2;
    assert.ok(Math.abs(aboveSecondLargest(1, 2) - (1 - below)) < 1e-5);
    assert.throws(() => aboveSecondLargest(0, 1), /n must be an integer >= 2/);
  });

  it('rank AUC counts ties one half and equals the pair-counting definition', () => {
    assert.equal(rankAuc([3, 4], [1, 2]), 1);
    assert.equal(rankAuc([1, 2], [3, 4]), 0);
    assert.equal(rankAuc([1, 2], [1, 2]), 0.5);
    assert.ok(Number.isNaN(rankAuc([], [1])));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 20 }), (pos, neg) => {
        let credit = 0;
        for (const p of pos) for (const q of neg) credit += p > q ? 1 : p === q ? 0.5 : 0;
        assert.ok(Math.abs(rankAuc(pos, neg) - credit / (pos.length * neg.length)) < 1e-12);
      }),
    );
  });

  it('firstRoot finds the first crossing of a non-monotone function and reports when there is none', () => {
    const bump = (x: number): number => 1 - (x - 2) ** 2; // roots 1 and 3; negative outside
    const root = firstRoot((x) => bump(x) - 0.5, 0, 5, 11, 40);
    assert.ok(root.exact && Math.abs(root.x - (2 - Math.sqrt(0.5))) < 1e-6, `${root.x}`);
    const none = firstRoot((x) => bump(x) - 2, 0, 5, 11, 40);
    assert.ok(!none.exact && Math.abs(none.x - 2) < 1e-9, `${none.x}`);
  });
});
