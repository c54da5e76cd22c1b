import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sortTeam } from '../../src/metrics/bitset';

describe('metrics/bitset', () => {
  it('sortTeam writes any valid team in ascending order (small teams insertion-sorted, large ones natively)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }).chain((N) => fc.tuple(fc.constant(N), fc.shuffledSubarray([...Array(N).keys()]))), ([N, team]) => {
        const out = new Int32Array(N);
        const m = sortTeam(team, N, out);
        assert.equal(m, team.length);
        assert.deepEqual([...out.subarray(0, m)], [...team].sort((a, b) => a - b));
      }),
    );
  });

  it('sortTeam rejects a repeated member and an index outside the pool, at any team size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 100 }).chain((N) => fc.tuple(fc.constant(N), fc.shuffledSubarray([...Array(N).keys()], { minLength: 1 }))), ([N, team]) => {
        const repeated = [...team, team[0]];
        if (repeated.length <= N) assert.throws(() => sortTeam(repeated, N, new Int32Array(N + 1)), new RegExp(`model ${team[0]} twice`));
        assert.throws(() => sortTeam([...team.slice(1), N], N, new Int32Array(N + 1)), /is not a model index/);
      }),
    );
  });
});
