import { strict as assert } from 'node:assert';
import { ensembleReward } from '../../src/env/reward';
import { freeCallsFor } from '../../src/train/config';
import { Decider } from '../../src/agents/decider';
import { sigmoid } from '../../src/agents/mlp';
import { Rng } from '../../src/util/rng';

describe('env/reward: price per call', () => {
  it('charges lambda per team member on right and wrong answers, and nothing at lambda 0', () => {
    assert.equal(ensembleReward(true, 3, 10, false, 1, 0.02), 1 - 0.06);
    assert.equal(ensembleReward(false, 3, 10, false, 1, 0.02), -1 - 0.06);
    assert.equal(ensembleReward(false, 2, 10, true, 1, 0.05), -1 - 0.2 - 0.1);
    assert.equal(ensembleReward(true, 5, 10, true, 1), 1);
  });

  it('leaves the first freeCalls calls uncharged', () => {
    assert.equal(ensembleReward(true, 3, 10, false, 1, 0.05, 3), 1);
    assert.equal(ensembleReward(true, 5, 10, false, 1, 0.05, 3), 1 - 0.1);
    assert.equal(ensembleReward(false, 1, 10, false, 1, 0.05, 3), -1);
  });

  it("'budget' frees max(3, floor(N / 4)) calls", () => {
    assert.deepEqual([5, 12, 14, 16, 43, 129].map((n) => freeCallsFor({ freeCalls: 'budget' }, n)), [3, 3, 3, 4, 10, 32]);
    assert.equal(freeCallsFor({ freeCalls: 2 }, 43), 2);
  });
});

describe('agents/decider: initial selection probability', () => {
  it('starts every head near p (only the output bias moves; the trunk adds a small term)', () => {
    for (const headOutputs of [1, 2] as const) {
      const d = new Decider({ nModels: 40, inputSize: 43, hidden: [16], activation: 'sigmoid', head: 'branching', headOutputs, initialSelectionProbability: 3 / 40 }, new Rng(1));
      const z = d.logits(new Float64Array(43), 1);
      const mean = Array.from(z, sigmoid).reduce((a, b) => a + b, 0) / 40;
      assert.ok(Math.abs(mean - 3 / 40) < 0.05, `mean selection probability ${mean}`);
    }
  });
});

describe('agents/decider: the mode team is never empty', () => {
  it('selects every head above 1/2, or the single most probable model when none is', () => {
    const d = new Decider({ nModels: 6, inputSize: 9, hidden: [8], activation: 'sigmoid', head: 'branching', headOutputs: 1, initialSelectionProbability: 0.05 }, new Rng(3));
    const obs = new Float64Array(9);
    const team = new Uint8Array(6);
    d.act(obs, null, team);
    const z = Array.from(d.logits(obs, 1));
    assert.ok(z.every((v) => v < 0), 'every head starts below 1/2');
    assert.deepEqual(Array.from(team), z.map((v) => (v === Math.max(...z) ? 1 : 0)));
    d.net.outputBias.set([3, -3, 3, -3, -3, -3]);
    d.act(obs, null, team);
    assert.deepEqual(Array.from(team), [1, 0, 1, 0, 0, 0]);
  });
});
