import assert from 'node:assert/strict';
import { latestCorrectBaseline, randomSelectBaseline } from '../../src/baselines/greedy';
import { bestSingleBaseline } from '../../src/baselines/single';
import { Rng } from '../../src/util/rng';
import { answersDataset } from './helpers';

/** A random pool of `n` models on `T` train + `T` test queries with 4 choices, model i right with prob 0.3 + 0.1 i. */
function randomPool(seed: number, n: number, T: number) {
  const rng = new Rng(seed);
  const labels: number[] = [];
  const answers: number[][] = [];
  for (let t = 0; t < 2 * T; t++) {
    const y = rng.int(4);
    labels.push(y);
    answers.push(Array.from({ length: n }, (_, i) => (rng.next() < 0.3 + 0.1 * i ? y : (y + 1 + rng.int(3)) % 4)));
  }
  return answersDataset({ labels, answers, split: labels.map((_, t) => (t < T ? 'train' : 'test')) });
}

describe('baselines/greedy', () => {
  const pool = randomPool(7, 5, 300);

  it('random select picks among the top-k by training accuracy and calls one model per query', () => {
    const r = randomSelectBaseline(pool, { k: 2, seed: 1 });
    assert.deepEqual(r.details!.members, ['m4', 'm3']);
    assert.equal(r.cost.callsPerQuery, 1);
    const N = pool.nModels;
    const test = pool.splitIndices('test');
    // Every answer is the answer of model 3 or 4, and both are used about half the time.
    assert.ok(test.every((t, q) => r.predictions[q] === pool.predictions[t * N + 3] || r.predictions[q] === pool.predictions[t * N + 4]));
    const [c3, c4] = [r.cost.callsPerModel[3], r.cost.callsPerModel[4]];
    assert.equal(c3 + c4, 300);
    assert.ok(c3 > 100 && c4 > 100);
    // k = 1 is the best single model.
    assert.deepEqual(randomSelectBaseline(pool, { k: 1, seed: 5 }).correct, bestSingleBaseline(pool).correct);
  });

  it('random baselines are deterministic given the seed and change with it', () => {
    for (const run of [randomSelectBaseline, latestCorrectBaseline]) {
      const a = run(pool, { k: 3, seed: 11 });
      const b = run(pool, { k: 3, seed: 11 });
      const c = run(pool, { k: 3, seed: 12 });
      assert.deepEqual(a.predictions, b.predictions);
      assert.notDeepEqual(a.predictions, c.predictions);
    }
    assert.throws(() => randomSelectBaseline(pool, { k: 0, seed: 1 }), /k must be/);
    assert.throws(() => latestCorrectBaseline(pool, { k: 6, seed: 1 }), /k must be/);
  });

  it('latest correct follows the member that was right most recently', () => {
    // Train makes m0 best (4/4), m1 second (2/4). Test stream, label 0, answers of (m0, m1):
    // q0 (0, 0): no history, tie, both say 0.   q1 (1, 0): both were right at q0 -> random member.
    // q2 (2, 3): only m1 was right at q1 -> m1's 3.   q3 (0, 1): nobody right at q2, m1 latest -> m1's 1.
    const d = answersDataset({
      labels: [0, 0, 0, 0, 0, 0, 0, 0],
      answers: [[0, 1, 1], [0, 0, 1], [0, 2, 1], [0, 0, 1],
        [0, 0, 1], [1, 0, 1], [2, 3, 1], [0, 1, 1]],
      split: ['train', 'train', 'train', 'train', 'test', 'test', 'test', 'test'],
    });
    const r = latestCorrectBaseline(d, { k: 2, seed: 3 });
    assert.deepEqual(r.details!.members, ['m0', 'm1']);
    assert.equal(r.predictions[0], 0);
    assert.equal(r.predictions[2], 3);
    assert.equal(r.predictions[3], 1);
    assert.equal(r.cost.callsPerQuery, 2);
    assert.deepEqual(r.cost.callsPerModel, [4, 4, 0]);
  });
});
