import assert from 'node:assert/strict';
import { aiq, aiqHull, paretoFrontier, upperHull } from '../../src/benchmark/pareto';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

describe('benchmark/pareto', () => {
  const points = [
    { method: 'single', x: 1, y: 0.6 },
    { method: 'worse single', x: 1, y: 0.5 },
    { method: 'pair', x: 2, y: 0.62 },
    { method: 'dear and bad', x: 3, y: 0.55 },
    { method: 'all', x: 4, y: 0.7 },
    { method: 'no cost', x: Number.NaN, y: 0.9 },
  ];

  it('keeps the non-dominated points, cheapest first, and drops points without a spend', () => {
    assert.deepEqual(paretoFrontier(points).map((p) => p.method), ['single', 'pair', 'all']);
  });

  it('the concave envelope drops a frontier point under the line of its neighbours', () => {
    // (2, 0.62) is under the segment (1, 0.6)-(4, 0.7) whose value at 2 is 0.6333
    assert.deepEqual(upperHull(points).map((p) => p.method), ['single', 'all']);
  });

  it('AIQ is the mean of the step frontier over [lo, hi] (hand-computed)', () => {
    // over [1, 4]: 0.6 on [1, 2), 0.62 on [2, 4), 0.7 at 4 -> (0.6 + 2 * 0.62) / 3
    close(aiq(points), (0.6 + 2 * 0.62) / 3);
    // with hi = 5 (e.g. N calls): + 0.7 on [4, 5]
    close(aiq(points, { hi: 5 }), (0.6 + 2 * 0.62 + 0.7) / 4);
    // a range starting below every method counts that stretch as 0
    close(aiq(points, { lo: 0 }), (0 + 0.6 + 2 * 0.62) / 4);
    close(aiq([{ method: 'one', x: 1, y: 0.8 }], { hi: 1 }), 0.8);
    assert.ok(Number.isNaN(aiq([])));
  });

  it('the hull variant integrates the straight lines (hand-computed) and is never below the step AIQ', () => {
    // segment (1, 0.6)-(4, 0.7): mean 0.65 over [1, 4]
    close(aiqHull(points), 0.65);
    close(aiqHull(points, { hi: 5 }), (0.65 * 3 + 0.7) / 4);
    assert.ok(aiqHull(points) >= aiq(points));
  });
});
