import assert from 'node:assert/strict';
import { tf } from '../tfjs';
import { Adam, clipGradNorm } from '../../src/agents/adam';
import { Mlp, type Activation } from '../../src/agents/mlp';
import { Rng } from '../../src/util/rng';
import { relativeError, tfGradients, tfMlp } from './tf-reference';

const ACTS: Activation[] = ['sigmoid', 'relu', 'tanh', 'identity'];

function randomArray(rng: Rng, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * rng.normal());
}

describe('agents/Mlp', () => {
  for (const act of ACTS) {
    it(`${act}: forward and parameter/input gradients match tfjs autodiff`, () => {
      const rng = new Rng(7);
      const net = new Mlp({ sizes: [5, 7, 6, 3], hiddenActivation: act, biasInit: 0.01 }, rng.fork('init'));
      const B = 4;
      const x = randomArray(rng, B * 5);
      const upstream = randomArray(rng, B * 3);
      const y = Float64Array.from(net.forward(x, B));
      net.zeroGrad();
      const gradInput = new Float64Array(B * 5);
      net.backward(upstream, B, gradInput);
      const ref = tfMlp(net);
      const xt = tf.tensor2d(Array.from(x), [B, 5]);
      const ut = tf.tensor2d(Array.from(upstream), [B, 3]);
      const yRef = ref.forward(xt).dataSync();
      assert.ok(relativeError(y, yRef) < 1e-6, `forward rel. error ${relativeError(y, yRef)}`);
      const { grads } = tfGradients(ref, () => tf.sum(tf.mul(ref.forward(xt), ut)) as tf.Scalar);
      assert.ok(relativeError(net.grads, grads) < 1e-6, `parameter gradient rel. error ${relativeError(net.grads, grads)}`);
      const gx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(ref.forward(xx as tf.Tensor2D), ut)))(xt).dataSync();
      assert.ok(relativeError(gradInput, gx) < 1e-6, `input gradient rel. error ${relativeError(gradInput, gx)}`);
      ref.dispose();
    });
  }

  it('parameter gradients match central finite differences in float64 (1e-7)', () => {
    const rng = new Rng(3);
    for (const act of ['sigmoid', 'tanh'] as Activation[]) {
      const net = new Mlp({ sizes: [4, 5, 2], hiddenActivation: act }, rng.fork(act));
      const x = randomArray(rng, 3 * 4);
      const u = randomArray(rng, 3 * 2);
      const loss = (): number => net.forward(x, 3).reduce((s, v, k) => s + v * u[k], 0);
      net.zeroGrad();
      net.forward(x, 3);
      net.backward(u, 3);
      const h = 1e-6;
      for (let k = 0; k < net.nParams; k++) {
        const keep = net.params[k];
        net.params[k] = keep + h;
        const up = loss();
        net.params[k] = keep - h;
        const down = loss();
        net.params[k] = keep;
        assert.ok(Math.abs((up - down) / (2 * h) - net.grads[k]) < 1e-7, `${act} param ${k}`);
      }
    }
  });

  it('initialises Xavier-uniform from the seed: same seed same weights, bounds sqrt(6 / (fan_in + fan_out))', () => {
    const a = new Mlp({ sizes: [10, 20, 3], hiddenActivation: 'relu', biasInit: 0.01 }, new Rng(1));
    const b = new Mlp({ sizes: [10, 20, 3], hiddenActivation: 'relu', biasInit: 0.01 }, new Rng(1));
    const c = new Mlp({ sizes: [10, 20, 3], hiddenActivation: 'relu', biasInit: 0.01 }, new Rng(2));
    assert.deepEqual(a.params, b.params);
    assert.notDeepEqual(a.params, c.params);
    const limit1 = Math.sqrt(6 / 30);
    for (let k = 0; k < 200; k++) assert.ok(Math.abs(a.params[k]) <= limit1);
    for (let k = 200; k < 220; k++) assert.equal(a.params[k], 0.01);
    assert.equal(a.nParams, 10 * 20 + 20 + 20 * 3 + 3);
  });

  it('rejects impossible layer sizes', () => {
    assert.throws(() => new Mlp({ sizes: [3], hiddenActivation: 'relu' }, new Rng(1)), /at least \[input, output\]/);
    assert.throws(() => new Mlp({ sizes: [3, 0, 2], hiddenActivation: 'relu' }, new Rng(1)), /integer >= 1/);
  });
});

describe('agents/Adam', () => {
  it('takes the same steps as tf.train.adam (bias-corrected moments)', () => {
    const rng = new Rng(5);
    const params = randomArray(rng, 6);
    const opt = new Adam(6, { lr: 0.01, eps: 1e-7 });
    const v = tf.variable(tf.tensor1d(Array.from(params)));
    const tfOpt = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    for (let step = 0; step < 5; step++) {
      const g = randomArray(rng, 6);
      opt.step(params, g);
      tfOpt.applyGradients([{ name: v.name, tensor: tf.tensor1d(Array.from(g)) }]);
    }
    assert.ok(relativeError(params, v.dataSync()) < 1e-6);
    v.dispose();
    tfOpt.dispose();
  });

  it('clips the global gradient norm', () => {
    const g = Float64Array.from([3, 4]);
    assert.equal(clipGradNorm(g, 1), 5);
    assert.ok(Math.abs(Math.hypot(g[0], g[1]) - 1) < 1e-6);
    const h = Float64Array.from([0.3, 0.4]);
    clipGradNorm(h, 1);
    assert.deepEqual(Array.from(h), [0.3, 0.4]);
  });
});
