import assert from 'node:assert/strict';
import { defaultTopKSizes, topKVoteBaseline } from '../../src/baselines/top-k-vote';
import { answersDataset } from './helpers';

describe('baselines/top-k vote', () => {
  it('votes with the k best models on train (ties -> lower index) and calls exactly them', () => {
    // train accuracies: m0 1/2, m1 2/2, m2 1/2, m3 2/2 -> top 2 = m1, m3; top 3 adds m0 (tie with m2 -> lower index)
    const d = answersDataset({
      answers: [
        [1, 0, 0, 0],
        [1, 1, 0, 1],
        [2, 0, 1, 0],
      ],
      labels: [0, 1, 0],
      split: ['train', 'train', 'test'],
    });
    const top2 = topKVoteBaseline(d, { k: 2, rule: 'plurality' });
    assert.deepEqual(top2.details!.team, ['m1', 'm3']);
    assert.deepEqual(top2.cost.callsPerModel, [0, 1, 0, 1]);
    assert.deepEqual(topKVoteBaseline(d, { k: 3, rule: 'soft' }).details!.team, ['m0', 'm1', 'm3']);
    assert.deepEqual(defaultTopKSizes(4), [2, 3]);
    assert.throws(() => topKVoteBaseline(d, { k: 5, rule: 'soft' }), /k must be/);
  });
});
