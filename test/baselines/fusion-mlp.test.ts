import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fusionMlpBaseline, maskedSoftmaxCrossEntropy } from '../../src/baselines/fusion-mlp';
import { voteBaseline } from '../../src/baselines/vote';
import { Rng } from '../../src/util/rng';
import { tf } from '../tfjs';
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
    const a = fusionMlpBaseline(d, { seed: 4, perSubtask: false, epochs: 20 });
    const b = fusionMlpBaseline(d, { seed: 4, perSubtask: false, epochs: 20 });
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

describe('baselines/fusion-mlp: the masked cross-entropy', () => {
  it('equals tfjs softmaxCrossEntropy of the masked logits, and so does its gradient (autodiff)', () => {
    const rowArb = fc.record({
      width: fc.integer({ min: 2, max: 6 }),
      rows: fc.integer({ min: 1, max: 5 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    });
    fc.assert(
      fc.property(rowArb, ({ width, rows, seed }) => {
        const rng = new Rng(seed);
        const logits = Float64Array.from({ length: rows * width }, () => rng.uniform(-4, 4));
        const mask = new Float64Array(rows * width);
        const labels = new Int32Array(rows);
        for (let r = 0; r < rows; r++) {
          const real = 2 + rng.int(width - 1);
          mask.fill(-1e9, r * width + real, (r + 1) * width);
          labels[r] = rng.int(real);
        }
        const grad = new Float64Array(rows * width);
        const loss = maskedSoftmaxCrossEntropy(logits, mask, labels, rows, width, grad);
        const [tfLoss, tfGrad] = tf.tidy(() => {
          const y = tf.oneHot(tf.tensor1d(labels, 'int32'), width).toFloat();
          const m = tf.tensor2d(Float32Array.from(mask), [rows, width]);
          const f = (z: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, tf.add(z, m)) as tf.Scalar;
          const z = tf.tensor2d(Float32Array.from(logits), [rows, width]);
          return [f(z).dataSync()[0], tf.grad(f)(z).dataSync()];
        });
        // tfjs computes in float32: a tolerance at that precision.
        assert.ok(Math.abs(loss - tfLoss) < 1e-5 * Math.max(1, Math.abs(tfLoss)), `loss ${loss} vs tfjs ${tfLoss}`);
        grad.forEach((g, k) => assert.ok(Math.abs(g - tfGrad[k]) < 1e-6, `gradient ${k}: ${g} vs tfjs ${tfGrad[k]}`));
      }),
      { numRuns: 50 },
    );
  });
});
