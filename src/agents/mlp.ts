import type { Rng } from '../util/rng';

export type Activation = 'sigmoid' | 'relu' | 'tanh' | 'identity';

export const ACTIVATIONS: readonly Activation[] = ['sigmoid', 'relu', 'tanh', 'identity'];

export interface MlpOptions {
  /** Layer widths `[input, hidden..., output]`; at least input and output. */
  sizes: readonly number[];
  /** Activation after every hidden layer. */
  hiddenActivation: Activation;
  /** Activation after the output layer (policies and critics use 'identity' and apply their own head maths). */
  outputActivation?: Activation;
  /** Initial value of every bias (the authors' Fusion MLP uses 0.01; PyTorch-style Xavier setups often use 0). */
  biasInit?: number;
}

/**
 * A fully connected network on plain Float64Arrays with hand-written backprop.
 *
 * Why not tfjs: the agents run one tiny forward pass per query (tens of thousands per training run); tfjs pays a
 * per-op dispatch cost of tens of microseconds, which dominates networks of a few thousand weights. These loops do
 * the same maths in a few microseconds and are checked against tfjs autodiff in `test/agents/gradients.test.ts`.
 *
 * Layout: all parameters live in one flat `params` vector (layer by layer: weights `W[out][in]` row-major, then
 * biases), with a matching `grads` vector, so an optimizer, gradient clipping and checkpoints treat a network as one
 * array. Inputs and outputs are row-major batches `[batch][features]`.
 */
export class Mlp {
  readonly sizes: readonly number[];
  readonly hiddenActivation: Activation;
  readonly outputActivation: Activation;
  readonly params: Float64Array;
  readonly grads: Float64Array;
  /** Offset of layer l's weights and biases in `params`. */
  private readonly weightOffsets: number[];
  private readonly biasOffsets: number[];
  /** acts[0] = input copy, acts[l] = post-activation output of layer l; each holds `capacity` rows. */
  private acts: Float64Array[] = [];
  private deltas: Float64Array[] = [];
  private capacity = 0;

  constructor(options: MlpOptions, rng: Rng) {
    const sizes = options.sizes;
    if (sizes.length < 2) throw new RangeError(`Mlp: sizes needs at least [input, output], got [${sizes.join(', ')}]`);
    for (const s of sizes) {
      if (!(Number.isInteger(s) && s >= 1)) throw new RangeError(`Mlp: every layer width must be an integer >= 1, got [${sizes.join(', ')}]`);
    }
    this.sizes = [...sizes];
    this.hiddenActivation = options.hiddenActivation;
    this.outputActivation = options.outputActivation ?? 'identity';
    this.weightOffsets = [];
    this.biasOffsets = [];
    let n = 0;
    for (let l = 1; l < sizes.length; l++) {
      this.weightOffsets.push(n);
      n += sizes[l] * sizes[l - 1];
      this.biasOffsets.push(n);
      n += sizes[l];
    }
    this.params = new Float64Array(n);
    this.grads = new Float64Array(n);
    // Xavier-uniform (Glorot & Bengio 2010), as `nn.init.xavier_uniform_` in the authors' code.
    const biasInit = options.biasInit ?? 0;
    for (let l = 1; l < sizes.length; l++) {
      const fanIn = sizes[l - 1];
      const fanOut = sizes[l];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const w = this.weightOffsets[l - 1];
      for (let k = 0; k < fanIn * fanOut; k++) this.params[w + k] = rng.uniform(-limit, limit);
      this.params.fill(biasInit, this.biasOffsets[l - 1], this.biasOffsets[l - 1] + fanOut);
    }
  }

  get inputSize(): number {
    return this.sizes[0];
  }

  get outputSize(): number {
    return this.sizes[this.sizes.length - 1];
  }

  get nParams(): number {
    return this.params.length;
  }

  /** The output layer's weights (row-major, as `params` stores them), as a view into `params`. */
  get outputWeights(): Float64Array {
    const last = this.weightOffsets[this.weightOffsets.length - 1];
    return this.params.subarray(last, last + this.sizes[this.sizes.length - 2] * this.outputSize);
  }

  /** The output layer's biases, as a view into `params` (writing it changes the network). */
  get outputBias(): Float64Array {
    const last = this.biasOffsets[this.biasOffsets.length - 1];
    return this.params.subarray(last, last + this.outputSize);
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }

  /**
   * Forward pass of `batch` rows of `input` (row-major, at least batch * inputSize values). Returns a view of the
   * output rows, valid until the next call. The activations are kept for `backward`.
   */
  forward(input: ArrayLike<number>, batch = 1): Float64Array {
    this.ensureCapacity(batch);
    const sizes = this.sizes;
    const nIn0 = sizes[0];
    const a0 = this.acts[0];
    for (let k = 0; k < batch * nIn0; k++) a0[k] = input[k];
    const p = this.params;
    const last = sizes.length - 1;
    for (let l = 1; l <= last; l++) {
      const nIn = sizes[l - 1];
      const nOut = sizes[l];
      const x = this.acts[l - 1];
      const y = this.acts[l];
      const wo = this.weightOffsets[l - 1];
      const bo = this.biasOffsets[l - 1];
      const act = l === last ? this.outputActivation : this.hiddenActivation;
      for (let b = 0; b < batch; b++) {
        const xo = b * nIn;
        const yo = b * nOut;
        for (let j = 0; j < nOut; j++) {
          let s = p[bo + j];
          const row = wo + j * nIn;
          for (let k = 0; k < nIn; k++) s += p[row + k] * x[xo + k];
          y[yo + j] = s;
        }
      }
      activateInPlace(act, y, batch * nOut);
    }
    return this.acts[last].subarray(0, batch * sizes[last]);
  }

  /**
   * Accumulates into `grads` the gradient of a loss whose derivative with respect to the last `forward` output is
   * `gradOutput` (same layout). Writes the gradient with respect to the input into `gradInput` when given.
   */
  backward(gradOutput: ArrayLike<number>, batch = 1, gradInput?: Float64Array): void {
    if (batch > this.capacity) throw new RangeError(`Mlp.backward: batch ${batch} larger than the last forward pass`);
    const sizes = this.sizes;
    const last = sizes.length - 1;
    const p = this.params;
    const g = this.grads;
    let delta = this.deltas[last];
    const yLast = this.acts[last];
    const nLast = sizes[last];
    for (let k = 0; k < batch * nLast; k++) delta[k] = gradOutput[k];
    multiplyByDerivative(this.outputActivation, delta, yLast, batch * nLast);
    for (let l = last; l >= 1; l--) {
      const nIn = sizes[l - 1];
      const nOut = sizes[l];
      const x = this.acts[l - 1];
      const wo = this.weightOffsets[l - 1];
      const bo = this.biasOffsets[l - 1];
      for (let b = 0; b < batch; b++) {
        const xo = b * nIn;
        const dOff = b * nOut;
        for (let j = 0; j < nOut; j++) {
          const d = delta[dOff + j];
          if (d === 0) continue;
          g[bo + j] += d;
          const row = wo + j * nIn;
          for (let k = 0; k < nIn; k++) g[row + k] += d * x[xo + k];
        }
      }
      if (l === 1 && !gradInput) break;
      const prev = l === 1 ? gradInput! : this.deltas[l - 1];
      const prevAct = this.hiddenActivation;
      for (let b = 0; b < batch; b++) {
        const xo = b * nIn;
        const dOff = b * nOut;
        for (let k = 0; k < nIn; k++) prev[xo + k] = 0;
        for (let j = 0; j < nOut; j++) {
          const d = delta[dOff + j];
          if (d === 0) continue;
          const row = wo + j * nIn;
          for (let k = 0; k < nIn; k++) prev[xo + k] += p[row + k] * d;
        }
      }
      if (l > 1) multiplyByDerivative(prevAct, prev, x, batch * nIn);
      delta = prev;
    }
  }

  private ensureCapacity(batch: number): void {
    if (batch <= this.capacity) return;
    const cap = Math.max(batch, 2 * this.capacity, 1);
    this.acts = this.sizes.map((s) => new Float64Array(cap * s));
    this.deltas = this.sizes.map((s) => new Float64Array(cap * s));
    this.capacity = cap;
  }
}

/** y = act(y) over the first n entries (one loop per activation: no branch per element). */
function activateInPlace(act: Activation, y: Float64Array, n: number): void {
  switch (act) {
    case 'identity':
      return;
    case 'relu':
      for (let k = 0; k < n; k++) if (y[k] < 0) y[k] = 0;
      return;
    case 'tanh':
      for (let k = 0; k < n; k++) y[k] = Math.tanh(y[k]);
      return;
    case 'sigmoid':
      for (let k = 0; k < n; k++) y[k] = sigmoid(y[k]);
      return;
  }
}

/** delta *= act'(.) expressed through the activation's output y (all four allow it). */
function multiplyByDerivative(act: Activation, delta: Float64Array, y: Float64Array, n: number): void {
  switch (act) {
    case 'identity':
      return;
    case 'relu':
      for (let k = 0; k < n; k++) if (!(y[k] > 0)) delta[k] = 0;
      return;
    case 'tanh':
      for (let k = 0; k < n; k++) delta[k] *= 1 - y[k] * y[k];
      return;
    case 'sigmoid':
      for (let k = 0; k < n; k++) delta[k] *= y[k] * (1 - y[k]);
      return;
  }
}

/** Numerically stable logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function checkActivation(value: string, field: string): Activation {
  if ((ACTIVATIONS as readonly string[]).includes(value)) return value as Activation;
  throw new RangeError(`${field}: unknown activation "${value}" (expected ${ACTIVATIONS.join(', ')})`);
}
