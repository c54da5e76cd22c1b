import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng } from '../../src/util/rng';
import { averageRanks, partialSpearman, pearson, spearman } from '../../src/stats/correlation';

describe('stats/correlation', () => {
  it('Pearson and Spearman of known series', () => {
    assert.equal(pearson([1, 2, 3, 4], [2, 4, 6, 8]).value, 1);
    assert.ok(Math.abs(pearson([1, 2, 3, 4], [8, 6, 4, 2]).value + 1) < 1e-15);
    // Monotone but not linear: Spearman 1, Pearson below 1.
    assert.equal(spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 125]).value, 1);
    assert.ok(pearson([1, 2, 3, 4, 5], [1, 8, 27, 64, 125]).value < 1);
    // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) = 0.9486832980505138
    assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 3, 2, 4]).value - 0.9486832980505138) < 1e-12);
    assert.deepEqual(Array.from(averageRanks([10, 20, 20, 5])), [1, 2.5, 2.5, 0]);
  });

  it('skips NaN pairs and counts them; constant columns give NaN', () => {
    const r = pearson([1, NaN, 3, 4, 5], [1, 2, NaN, 4, 5]);
    assert.equal(r.n, 3);
    assert.equal(r.skipped, 2);
    assert.ok(Number.isNaN(pearson([1, 1, 1, 1], [1, 2, 3, 4]).value));
  });

  it('partial Spearman removes a shared driver', () => {
    // x and y both follow z plus independent noise: strongly correlated, but not once z is accounted for.
    const rng = new Rng(3);
    const z = Array.from({ length: 400 }, () => rng.normal());
    const x = z.map((v) => v + 0.4 * rng.normal());
    const y = z.map((v) => v + 0.4 * rng.normal());
    assert.ok(spearman(x, y).value > 0.7);
    assert.ok(Math.abs(partialSpearman(x, y, z)) < 0.15);
  });

  it('Spearman is 1 for any increasing map and -1 for any decreasing one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 3, maxLength: 12 }), (xs) => {
        const up = xs.map((x) => Math.exp(x / 100) * 2 + 1);
        const down = xs.map((x) => -x * 3);
        assert.ok(Math.abs(spearman(xs, up).value - 1) < 1e-12);
        assert.ok(Math.abs(spearman(xs, down).value + 1) < 1e-12);
      }),
    );
  });

  it('two points give +-1 when minPairs allows it (the sweeps\' trend sentences), NaN by default', () => {
    assert.equal(spearman([1, 2], [5, 3], { minPairs: 2 }).value, -1);
    assert.ok(Number.isNaN(spearman([1, 2], [5, 3]).value));
  });
});
