import { strict as assert } from 'node:assert';
import { scoresToProbs } from '../../src/data/scores';

describe('data/scores', () => {
  it('a prob row whose sum overflows is rescaled by its maximum, not turned into an abstention', () => {
    const out = new Float64Array(3);
    assert.equal(scoresToProbs('prob', [1e308, 1e308, 1e308], out, 0), 0);
    assert.deepEqual(Array.from(out), [1 / 3, 1 / 3, 1 / 3]);
    assert.equal(scoresToProbs('prob', [Number.MAX_VALUE, 0, Number.MAX_VALUE / 2], out, 0), 0);
    assert.deepEqual(Array.from(out), [2 / 3, 0, 1 / 3]);
    // An all-zero row is still an abstention.
    assert.equal(scoresToProbs('prob', [0, 0, 0], out, 0), -1);
  });
});
