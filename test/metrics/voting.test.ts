import assert from 'node:assert/strict';
import fc from 'fast-check';
import { majorityVote, pluralityVote, softVote } from '../../src/metrics/voting';
import { naivePlurality } from './naive';

describe('metrics/voting', () => {
  it('plurality: most votes wins, abstentions ignored, ties go to the lowest choice', () => {
    assert.equal(pluralityVote([2, 2, 1], 3), 2);
    assert.equal(pluralityVote([-1, -1, 1], 3), 1); // one answering member decides
    assert.equal(pluralityVote([2, 1], 3), 1); // 1-1 tie -> lowest
    assert.equal(pluralityVote([3, 3, 0, 0, 1], 4), 0); // 2-2 tie between 0 and 3 -> 0
    assert.equal(pluralityVote([-1, -1], 3), -1);
    assert.equal(pluralityVote([], 3), -1);
  });

  it('majority: needs more than half of ALL members, abstainers included', () => {
    assert.equal(majorityVote([1, 1, 0], 2), 1); // 2 of 3 > 1.5
    assert.equal(majorityVote([1, 1, 0, 0], 2), -1); // 2 of 4 is not > 2
    assert.equal(majorityVote([1, 1, -1, -1], 2), -1); // abstainers count against
    assert.equal(majorityVote([1, 1, 1, -1], 2), 1);
    assert.equal(majorityVote([], 2), -1);
  });

  it('soft vote: argmax of the mean row, ties -> lowest, all-zero rows -> -1', () => {
    // mean of [.6,.4,0] and [0,.5,.5] = [.3,.45,.25] -> 1
    assert.equal(softVote([[0.6, 0.4, 0], [0, 0.5, 0.5]], 3), 1);
    // mean of [.5,.5] and [0,0] (abstained) = [.25,.25] -> tie -> 0
    assert.equal(softVote([[0.5, 0.5], [0, 0]], 2), 0);
    assert.equal(softVote([[0, 0], [0, 0]], 2), -1);
    assert.equal(softVote([], 2), -1);
  });

  it('rejects votes that are not -1 or a choice, naming the vote', () => {
    assert.throws(() => pluralityVote([0, 3], 3), /vote #1 = 3/);
    assert.throws(() => majorityVote([0.5], 3), /vote #0 = 0.5/);
    assert.throws(() => softVote([[0.5, -0.1]], 2), /row #0 entry 1/);
    assert.throws(() => softVote([[1]], 2), /row #0 has 1 entries/);
  });

  it('plurality equals bincount().argmax() on random votes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((c) =>
          fc.tuple(fc.constant(c), fc.array(fc.integer({ min: -1, max: c - 1 }), { maxLength: 12 })),
        ),
        ([c, votes]) => {
          assert.equal(pluralityVote(votes, c), naivePlurality(votes, c));
          const maj = majorityVote(votes, c);
          if (maj >= 0) assert.equal(maj, pluralityVote(votes, c)); // a strict majority is the plurality winner
        },
      ),
      { numRuns: 300 },
    );
  });
});
