import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fusionMlpBaseline } from '../../src/baselines/fusion-mlp';
import { useTfBackend } from '../../src/baselines/tf-backend';
import { voteBaseline } from '../../src/baselines/vote';
import { Rng } from '../../src/util/rng';
import { handDataset, oneHot } from './helpers';

/**
 * Model 0 is confidently wrong in a fixed way (answers label + 1 mod C); model 1 is noise. Voting cannot recover
 * the label, a fusion network can (it learns "the answer before model 0's").
 */
function contrarianPool(seed: number, T: number, choices: (t: number) => number) {
  const rng = new Rng(seed);
  const labels: number[] = [];
  const probs: number[][][] = [];
  for (let t = 0; t < T; t++) {
    const c = choices(t);
    const y = rng.int(c);
    labels.push(y);
    const noise = Array.from({ length: c }, () => rng.next());
    const sum = noise.reduce((a, b) => a + b, 0);
    probs.push([oneHot((y + 1) % c, c), noise.map((v) => v / sum)]);
  }
  return handDataset({ labels, probs, split: labels.map((_, t) => (t < 0.7 * T ? 'train' : 'test')) });
}

describe('baselines/fusion-mlp', () => {
  it('learns what voting cannot: a member that is reliably wrong', () => {
    const d = contrarianPool(1, 200, () => 3);
    const fused = fusionMlpBaseline(d, { seed: 1 });
    assert.ok(fused.accuracy > 0.95, `fusion accuracy ${fused.accuracy}`);
    assert.ok(voteBaseline(d, 'plurality').accuracy < 0.5);
    assert.equal(fused.cost.callsPerQuery, 2);
    assert.equal(fused.correct.length, 60);
  });

  it('never answers a padded choice and is deterministic given the seed', () => {
    // One network over queries with 2 and 5 choices: the 2-choice queries are padded to 5.
    const d = contrarianPool(2, 160, (t) => (t % 2 === 0 ? 2 : 5));
    const before = tf.memory().numTensors;
    const a = fusionMlpBaseline(d, { seed: 4, perSubtask: false, epochs: 20 });
    const b = fusionMlpBaseline(d, { seed: 4, perSubtask: false, epochs: 20 });
    assert.equal(tf.memory().numTensors, before, 'no tensors leak');
    const test = d.splitIndices('test');
    test.forEach((t, q) => assert.ok(a.predictions[q] >= 0 && a.predictions[q] < d.choiceCounts[t]));
    assert.deepEqual(a.predictions, b.predictions);
    assert.ok(a.accuracy > 0.8, `accuracy ${a.accuracy}`);
  });

  it('rejects bad settings', () => {
    const d = contrarianPool(3, 20, () => 2);
    assert.throws(() => fusionMlpBaseline(d, { seed: 1, epochs: 0 }), /epochs/);
    assert.throws(() => fusionMlpBaseline(d, { seed: 1, hidden: [0] }), /hidden/);
    assert.throws(() => fusionMlpBaseline(d, { seed: 1, team: [2] }), /not a model index/);
  });
});

describe('baselines/useTfBackend', () => {
  it('runs the fusion on the wasm backend and restores the previous one', async () => {
    const d = contrarianPool(5, 60, () => 3);
    const previous = await useTfBackend('wasm');
    try {
      assert.equal(tf.getBackend(), 'wasm');
      const r = fusionMlpBaseline(d, { seed: 1, epochs: 10 });
      assert.equal(r.details!.backend, 'wasm');
      assert.ok(r.predictions.every((p) => p >= 0 && p < 3));
    } finally {
      await tf.setBackend(previous);
    }
    assert.equal(tf.getBackend(), previous);
    await assert.rejects(useTfBackend('webgpu' as never), /unknown backend/);
  });
});
