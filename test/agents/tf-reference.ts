import { tf } from '../tfjs';
import type { Activation, Mlp } from '../../src/agents/mlp';

/**
 * The same network in tfjs, for autodiff reference gradients. Weights are copied from our flat layout (per layer:
 * W[out][in] row-major, then b) into tf variables; `forward` is y = act(x W^T + b) layer by layer.
 * tfjs computes in float32, so comparisons use a tolerance relative to the gradient's scale.
 */
export interface TfMlp {
  variables: tf.Variable[];
  forward(x: tf.Tensor2D): tf.Tensor2D;
  /** Concatenated gradients in our flat layout. */
  flatten(grads: tf.NamedTensorMap): Float64Array;
  dispose(): void;
}

export function tfMlp(net: Mlp): TfMlp {
  const sizes = net.sizes;
  const variables: tf.Variable[] = [];
  let offset = 0;
  for (let l = 1; l < sizes.length; l++) {
    const nIn = sizes[l - 1];
    const nOut = sizes[l];
    variables.push(tf.variable(tf.tensor2d(Array.from(net.params.subarray(offset, offset + nIn * nOut)), [nOut, nIn]), true, `W${l}_${uid}`));
    offset += nIn * nOut;
    variables.push(tf.variable(tf.tensor1d(Array.from(net.params.subarray(offset, offset + nOut))), true, `b${l}_${uid}`));
    offset += nOut;
  }
  uid++;
  const activate = (act: Activation, y: tf.Tensor2D): tf.Tensor2D => {
    switch (act) {
      case 'identity':
        return y;
      case 'relu':
        return tf.relu(y);
      case 'tanh':
        return tf.tanh(y);
      case 'sigmoid':
        return tf.sigmoid(y);
    }
  };
  return {
    variables,
    forward(x) {
      let h = x;
      for (let l = 1; l < sizes.length; l++) {
        const W = variables[2 * (l - 1)] as unknown as tf.Tensor2D;
        const b = variables[2 * (l - 1) + 1] as unknown as tf.Tensor1D;
        h = activate(l === sizes.length - 1 ? net.outputActivation : net.hiddenActivation, tf.add(tf.matMul(h, W, false, true), b));
      }
      return h;
    },
    flatten(grads) {
      const out = new Float64Array(net.nParams);
      let o = 0;
      for (const v of variables) {
        const g = grads[v.name].dataSync();
        out.set(g, o);
        o += g.length;
      }
      return out;
    },
    dispose() {
      variables.forEach((v) => v.dispose());
    },
  };
}

let uid = 0;

/** Gradients of `loss` with respect to the network's variables, in our flat layout. */
export function tfGradients(ref: TfMlp, loss: () => tf.Scalar): { value: number; grads: Float64Array } {
  const { value, grads } = tf.variableGrads(loss, ref.variables);
  const flat = ref.flatten(grads);
  const v = value.dataSync()[0];
  value.dispose();
  Object.values(grads).forEach((g) => g.dispose());
  return { value: v, grads: flat };
}

/** max |a - b| / max(max |b|, 1e-3): float32 reference, float64 ours. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 1e-3;
  for (let k = 0; k < a.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return diff / scale;
}
