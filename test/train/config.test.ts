import assert from 'node:assert/strict';
import { createAgents, policyParameterCount } from '../../src/train/agents';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/train/config';
import { authorsCode } from '../../src/train/presets';
import { trainRlFocal } from '../../src/train/train-rl-focal';
import { syntheticPool } from './synthetic-pool';

describe('train/config', () => {
  it('resolves the defaults and derives the minibatch size', () => {
    const c = resolveConfig();
    assert.equal(c.algorithm, 'mappo');
    assert.equal(c.minibatchSize, Math.ceil(DEFAULT_CONFIG.updatePeriod / DEFAULT_CONFIG.minibatches));
    assert.equal(resolveConfig({ updatePeriod: 50, minibatches: 4 }).minibatchSize, 13);
  });

  const bad: Array<[string, object, RegExp]> = [
    ['unknown field', { windw: 10 }, /unknown field "windw"/],
    ['negative window', { window: -1 }, /RlFocalConfig\.window/],
    ['window 0 for training', { window: 0 }, /RlFocalConfig\.window: must be >= 1/],
    ['clip epsilon >= 1', { clipEpsilon: 1.5 }, /RlFocalConfig\.clipEpsilon/],
    ['gamma > 1', { gamma: 1.2 }, /RlFocalConfig\.gamma/],
    ['zero learning rate', { lrFusion: 0 }, /RlFocalConfig\.lrFusion/],
    ['update period 1', { updatePeriod: 1 }, /RlFocalConfig\.updatePeriod/],
    ['more minibatches than steps', { updatePeriod: 10, minibatches: 11 }, /RlFocalConfig\.minibatches/],
    ['unknown metric', { deciderMetrics: ['focal'] }, /RlFocalConfig\.deciderMetrics: unknown metric "focal"/],
    ['weights/metrics mismatch', { deciderObservation: 'weighted', deciderMetricWeights: [1] }, /RlFocalConfig\.deciderMetricWeights: 1 weights for 2 metrics/],
    ['unknown activation', { deciderActivation: 'gelu' }, /RlFocalConfig\.deciderActivation: unknown activation "gelu"/],
    ['empty decider trunk', { deciderHidden: [] }, /RlFocalConfig\.deciderHidden/],
    ['fractional width', { criticHidden: [3.5] }, /RlFocalConfig\.criticHidden\[0\]/],
    ['unknown fusion feature', { fusionFeatures: ['logits'] }, /RlFocalConfig\.fusionFeatures: unknown feature "logits"/],
    ['joint head with 2 outputs', { deciderHead: 'joint', deciderHeadOutputs: 2 }, /RlFocalConfig\.deciderHeadOutputs/],
    ['unknown algorithm', { algorithm: 'ppo' }, /RlFocalConfig\.algorithm/],
    ['patience 0', { patience: 0 }, /RlFocalConfig\.patience/],
    ['a fitted joint Decider', { deciderHead: 'joint', deciderFit: 'correctness' }, /RlFocalConfig\.deciderFit: 'correctness' fits the branching heads/],
    ['bad test window', { testWindow: 5 }, /RlFocalConfig\.testWindow/],
    ['unknown text routing', { textRouting: 'yes' }, /RlFocalConfig\.textRouting: expected one of 'auto', 'off', 'on'/],
    // Seeds are taken modulo 2^32 by Rng: 2^32 would be seed 0 again, -1 seed 2^32 - 1.
    ['seed 2^32', { seed: 2 ** 32 }, /RlFocalConfig\.seed: expected an integer in \[0, 4294967295\], got 4294967296/],
    ['negative seed', { seed: -1 }, /RlFocalConfig\.seed: expected an integer in \[0, 4294967295\], got -1/],
    ['a layer wider than 4096', { deciderHidden: [100000000] }, /RlFocalConfig\.deciderHidden\[0\]: layer width must be an integer in \[1, 4096\], got 100000000/],
    ['a quoted number', { alpha: '0.5' }, /RlFocalConfig\.alpha: must be a finite number >= 0, got the string "0\.5"/],
    ['a quoted clip epsilon (compared as a number before)', { clipEpsilon: '0.2' }, /RlFocalConfig\.clipEpsilon: must be in \(0, 1\), got the string "0\.2"/],
    ['a quoted gradient-norm clip', { maxGradNorm: '1' }, /RlFocalConfig\.maxGradNorm: must be > 0 \(Infinity = no clipping\), got the string "1"/],
  ];
  for (const [what, partial, message] of bad) {
    it(`rejects ${what} with an error naming the field`, () => {
      assert.throws(() => resolveConfig(partial as never), message);
    });
  }

  it('rejects data-dependent impossibilities when training starts (window vs train split, joint head vs N)', () => {
    const data = syntheticPool({ topics: [{ name: 'a', expert: 0, queries: 40 }], nModels: 3, nChoices: 3, seed: 1 });
    assert.throws(() => trainRlFocal(data, { window: 30, adaptWindow: false }), /RlFocalConfig\.window: w = 30 leaves too few of the 30 train queries/);
    assert.throws(() => createAgents(resolveConfig({ deciderHead: 'joint' }), 13, 4), /supports N <= 12/);
  });

  it('adaptWindow (default) shrinks a window the train split cannot hold to floor(train / 5) and records it', () => {
    const data = syntheticPool({ topics: [{ name: 'a', expert: 0, queries: 40 }], nModels: 3, nChoices: 3, seed: 1 });
    const run = trainRlFocal(data, { window: 30, deciderEpisodes: 1, fusionEpisodes: 1, validationFraction: 0 });
    assert.equal(run.config.window, 6);
    assert.equal(trainRlFocal(data, { window: 20, deciderEpisodes: 1, fusionEpisodes: 1, validationFraction: 0 }).config.window, 20);
    // With the default validation share the agents train on the first 24 of the 30 train queries.
    assert.equal(trainRlFocal(data, { window: 30, deciderEpisodes: 1, fusionEpisodes: 1 }).config.window, 4);
  });

  it("counts 3,472 + 13,804 = 17,276 policy parameters for the authors' networks at N = 8, C = 4 (spec Table 7)", () => {
    const agents = createAgents(resolveConfig(authorsCode), 8, 4);
    const count = policyParameterCount(agents);
    assert.equal(count.decider, 3472);
    assert.equal(count.fusion, 13804);
    assert.equal(count.policies, 17276);
    assert.equal(count.critic, 0);
  });

  it('rejects inherited names (constructor, toString) as unknown fields', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
      assert.throws(() => resolveConfig({ [key]: 1 } as never), new RegExp(`unknown field "${key}"`));
    }
  });
});
