import assert from 'node:assert/strict';
import fc from 'fast-check';
import { modelAccuraciesOf, voteAccuracies } from '../../src/metrics/accuracy';
import { smallPool } from '../sim/small-pool';

describe('metrics/accuracy', () => {
  it("modelAccuraciesOf equals each one-model team's vote accuracy over every query", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const pool = smallPool(seed);
        const all = Int32Array.from({ length: pool.nQueries }, (_, t) => t);
        const acc = modelAccuraciesOf(pool);
        assert.equal(acc.length, pool.nModels);
        for (let i = 0; i < pool.nModels; i++) assert.ok(Math.abs(acc[i] - voteAccuracies(pool, [i], all).oracle) < 1e-12);
      }),
      { numRuns: 30 },
    );
  });
});
