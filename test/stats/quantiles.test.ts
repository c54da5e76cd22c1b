import assert from 'node:assert/strict';
import fc from 'fast-check';
import { meanOfDefined, quantileSorted, upperMedian } from '../../src/stats/quantiles';

describe('stats/quantiles', () => {
  it('quantileSorted interpolates between neighbours and hits the ends', () => {
    assert.equal(quantileSorted([1, 2, 3, 4], 0), 1);
    assert.equal(quantileSorted([1, 2, 3, 4], 1), 4);
    assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
    assert.ok(Number.isNaN(quantileSorted([], 0.5)));
  });

  it('quantileSorted is monotone in q and stays within the sample', () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(sample, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (values, a, b) => {
        const sorted = values.slice().sort((x, y) => x - y);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const qa = quantileSorted(sorted, lo);
        const qb = quantileSorted(sorted, hi);
        return qa <= qb + 1e-9 * Math.max(1, Math.abs(qb)) && qa >= sorted[0] - 1e-9 && qb <= sorted[sorted.length - 1] + 1e-9 * Math.max(1, Math.abs(sorted[sorted.length - 1]));
      }),
    );
  });

  it('upperMedian takes the upper middle value of the finite values, without interpolation', () => {
    assert.equal(upperMedian([3, 1, 2]), 2);
    assert.equal(upperMedian([4, 1, 3, 2]), 3);
    assert.equal(upperMedian([NaN, 5, Infinity, 1]), 5);
    assert.ok(Number.isNaN(upperMedian([NaN])));
  });

  it('upperMedian returns a member of the sample with at most half the finite values above it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 40 }), (values) => {
        const m = upperMedian(values);
        const above = values.filter((v) => v > m).length;
        return values.includes(m) && above <= values.length / 2;
      }),
    );
  });

  it('meanOfDefined skips NaN and is NaN when nothing is defined', () => {
    assert.equal(meanOfDefined([1, NaN, 3]), 2);
    assert.ok(Number.isNaN(meanOfDefined([NaN, NaN])));
    assert.ok(Number.isNaN(meanOfDefined([])));
  });
});
