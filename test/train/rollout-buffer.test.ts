import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RolloutBuffer } from '../../src/train/rollout-buffer';
import { Rng } from '../../src/util/rng';

const sizes = { capacity: 5, nModels: 2, deciderObs: 3, deciderState: 4, fusionObs: 2, fusionState: 3 };

function step(t: number, acted: boolean) {
  return {
    decider: { obs: [t, t + 0.1, t + 0.2], state: [t, 1, 2, 3], value: -t, team: [1, t % 2], logProb: -0.5 * t, headLogProbs: [-t, -2 * t] },
    fusion: { obs: [t, -t], state: acted ? [9, t, 9] : null, value: acted ? 2 * t : 0, action: acted ? t % 3 : -1, logProb: acted ? -t : 0, acted },
  };
}

describe('train/rollout-buffer', () => {
  it('add stores both moves of a step in its row, copies the arrays, and refuses a step past the capacity', () => {
    const b = new RolloutBuffer(sizes);
    for (let t = 0; t < 5; t++) {
      const { decider, fusion } = step(t, t !== 2);
      b.add(decider, fusion, t / 10, t === 3);
      decider.obs.fill(NaN); // the caller's arrays are reused between steps
    }
    assert.equal(b.size, 5);
    assert.ok(b.full);
    assert.deepEqual(Array.from(b.deciderObs.subarray(3 * 3, 4 * 3)), [3, 3.1, 3.2]);
    assert.deepEqual(Array.from(b.deciderStates.subarray(4 * 4, 5 * 4)), [4, 1, 2, 3]);
    assert.deepEqual(Array.from(b.teams.subarray(2, 4)), [1, 1]);
    assert.deepEqual(Array.from(b.deciderHeadLogProbs.subarray(8, 10)), [-4, -8]);
    assert.deepEqual(Array.from(b.fusionStates.subarray(3, 6)), [9, 1, 9]);
    assert.deepEqual(Array.from(b.fusionActed), [1, 1, 0, 1, 1]);
    assert.deepEqual(Array.from(b.fusionActions), [0, 1, -1, 0, 1]);
    assert.deepEqual(Array.from(b.dones), [0, 0, 0, 1, 0]);
    assert.deepEqual(Array.from(b.rewards), [0, 0.1, 0.2, 0.3, 0.4]);
    const { decider, fusion } = step(5, true);
    assert.throws(() => b.add(decider, fusion, 0, false), /RolloutBuffer\.add: the buffer holds its 5 steps/);
    b.reset();
    assert.equal(b.size, 0);
    b.add(decider, fusion, 1, true);
    assert.equal(b.rewards[0], 1);
  });

  it('minibatches: each epoch one shuffle of the running order cut into chunks (the draws of the original update loop)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.nat(1000), (n, size, epochs, seed) => {
        const b = new RolloutBuffer({ ...sizes, capacity: n });
        for (let t = 0; t < n; t++) {
          const { decider, fusion } = step(t, true);
          b.add(decider, fusion, 0, false);
        }
        const got = Array.from(b.minibatches(new Rng(seed), epochs, size), (rows) => Array.from(rows));
        const rng = new Rng(seed);
        const order = Int32Array.from({ length: n }, (_, k) => k);
        const expected: number[][] = [];
        for (let e = 0; e < epochs; e++) {
          rng.shuffle(order);
          for (let s = 0; s < n; s += size) expected.push(Array.from(order.subarray(s, Math.min(n, s + size))));
        }
        assert.deepEqual(got, expected);
        for (let e = 0; e < epochs; e++) {
          const epoch = got.slice(e * Math.ceil(n / size), (e + 1) * Math.ceil(n / size)).flat();
          assert.deepEqual([...epoch].sort((x, y) => x - y), Array.from({ length: n }, (_, k) => k));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('actedRows keeps the minibatch rows where the Fusion agent chose the answer, in order', () => {
    const b = new RolloutBuffer(sizes);
    for (let t = 0; t < 5; t++) {
      const { decider, fusion } = step(t, t % 2 === 0);
      b.add(decider, fusion, 0, false);
    }
    assert.deepEqual(Array.from(b.actedRows([4, 1, 2, 3])), [4, 2]);
    assert.deepEqual(Array.from(b.actedRows([1, 3])), []);
  });
});
