import assert from 'node:assert/strict';
import { standardError, summarizeSeeds } from '../../src/stats/seeds';

describe('stats/seeds', () => {
  it('seed summary uses the sample standard deviation', () => {
    const s = summarizeSeeds([1, 2, 3]);
    assert.equal(s.mean, 2);
    assert.equal(s.std, 1);
    assert.equal(s.standardError, 1 / Math.sqrt(3));
    assert.equal(standardError([5, 5, 5, 5]), 0);
    assert.ok(Number.isNaN(summarizeSeeds([4]).standardError));
  });
});
