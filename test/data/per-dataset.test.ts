import assert from 'node:assert/strict';
import { PerDataset } from '../../src/data/per-dataset';
import { answersDataset } from '../baselines/helpers';

describe('data/per-dataset', () => {
  it('makes a value once per dataset object and key, and keeps datasets with the same content apart', () => {
    const spec = { answers: [[0, 1], [1, 1]], labels: [0, 1] };
    const a = answersDataset(spec);
    const b = answersDataset(spec);
    const cache = new PerDataset<string, number>();
    let made = 0;
    const make = () => ++made;
    assert.equal(cache.get(a, 'k', make), 1);
    assert.equal(cache.get(a, 'k', make), 1, 'asked again: not made again');
    assert.equal(cache.get(a, 'other', make), 2);
    assert.equal(cache.get(b, 'k', make), 3, 'another object with the same content has its own entry');
    assert.equal(made, 3);
  });
});
