import { strict as assert } from 'node:assert';
import { ensembleReward } from '../../src/env/reward';
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
