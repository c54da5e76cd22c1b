import { bernoulliEntropy, bernoulliEntropyGrad, bernoulliLogProb, categoricalEntropy, categoricalGrad, logSoftmax } from '../agents/distributions';
import type { Decider } from '../agents/decider';
import { teamIndex } from '../agents/decider';
import type { Fusion } from '../agents/fusion';
import type { Mlp } from '../agents/mlp';
import { sigmoid } from '../agents/mlp';

/**
 * The losses of both algorithms on one minibatch. Each function runs the forward pass, returns the loss value and
 * statistics, and ACCUMULATES the gradient into the network's `grads` (call `net.zeroGrad()` first). Gradients are
 * checked against tfjs autodiff in `test/train/losses.test.ts`.
 *
 * Rows are addressed through `index[k]` (k < batch) into the stored arrays, so minibatches need no copying.
 */
export interface PolicyLossStats {
  loss: number;
  /** Mean entropy of the policy on the batch (nats). */
  entropy: number;
  /** Mean of (ratio - 1) - log ratio (CleanRL's unbiased KL(old || new) estimate). */
  approxKl: number;
  /** Fraction of samples (or heads, for 'per-head') with |ratio - 1| > epsilon. */
  clipFraction: number;
}

/** -min(rho A, clip(rho, 1-eps, 1+eps) A) and its derivative with respect to log rho. */
function clippedSurrogate(logRatio: number, advantage: number, epsilon: number): { loss: number; dLogRatio: number; ratio: number } {
  const ratio = Math.exp(logRatio);
  const unclipped = ratio * advantage;
  const clipped = Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon) * advantage;
  // The unclipped term is active when it is the smaller one (ties: inside the clip range, same gradient).
  if (unclipped <= clipped) return { loss: -unclipped, dLogRatio: -unclipped, ratio };
  return { loss: -clipped, dLogRatio: 0, ratio };
}

export interface DeciderBatch {
  obs: Float64Array;
  obsSize: number;
  /** 0/1 teams, N per row. */
  teams: Uint8Array;
  oldLogProbs: Float64Array;
  /** Per-head old log-probabilities (N per row); 'per-head' ratio only. */
  oldHeadLogProbs: Float64Array;
  advantages: Float64Array;
}

/**
 * Clipped surrogate of Eq. 7 for the Decider, minus the entropy bonus, averaged over the batch.
 * 'joint': rho = pi(team | o) / pi_old(team | o) with pi the product of the Bernoulli heads (or the joint softmax).
 * 'per-head': one clipped term per head with rho_i = pi(a_i | o) / pi_old(a_i | o), averaged over heads (code).
 */
export function deciderPpoLoss(
  decider: Decider,
  batch: DeciderBatch,
  index: ArrayLike<number>,
  n: number,
  options: { epsilon: number; entropyCoef: number; ratio: 'joint' | 'per-head'; advantageScale?: { mean: number; std: number } },
  scratch: { obs: Float64Array; grad: Float64Array },
): PolicyLossStats {
  const N = decider.nModels;
  const D = batch.obsSize;
  gatherRows(batch.obs, D, index, n, scratch.obs);
  const z = decider.logits(scratch.obs, n);
  const W = decider.nLogits;
  const grad = scratch.grad;
  grad.fill(0, 0, n * W);
  const { mean, std } = options.advantageScale ?? { mean: 0, std: 1 };
  let loss = 0;
  let entropy = 0;
  let kl = 0;
  let clipped = 0;
  const logp = decider.head === 'joint' ? new Float64Array(W) : null;
  for (let k = 0; k < n; k++) {
    const row = index[k];
    const A = (batch.advantages[row] - mean) / std;
    const zo = k * W;
    if (logp) {
      const action = teamIndex(batch.teams, row * N, N);
      logSoftmax(z.subarray(zo, zo + W), 0, W, logp);
      const h = categoricalEntropy(logp, 0, W);
      const s = clippedSurrogate(logp[action] - batch.oldLogProbs[row], A, options.epsilon);
      loss += s.loss - options.entropyCoef * h;
      entropy += h;
      kl += s.ratio - 1 - Math.log(s.ratio);
      if (Math.abs(s.ratio - 1) > options.epsilon) clipped++;
      const local = grad.subarray(zo, zo + W);
      categoricalGrad(logp, 0, W, action, s.dLogRatio / n, -options.entropyCoef / n, h, local);
      continue;
    }
    let h = 0;
    for (let i = 0; i < N; i++) h += bernoulliEntropy(z[zo + i]);
    entropy += h;
    loss -= options.entropyCoef * h;
    for (let i = 0; i < N; i++) grad[zo + i] -= (options.entropyCoef * bernoulliEntropyGrad(z[zo + i])) / n;
    if (options.ratio === 'joint') {
      let lp = 0;
      for (let i = 0; i < N; i++) lp += bernoulliLogProb(z[zo + i], batch.teams[row * N + i]);
      const s = clippedSurrogate(lp - batch.oldLogProbs[row], A, options.epsilon);
      loss += s.loss;
      kl += s.ratio - 1 - Math.log(s.ratio);
      if (Math.abs(s.ratio - 1) > options.epsilon) clipped++;
      if (s.dLogRatio !== 0) {
        for (let i = 0; i < N; i++) grad[zo + i] += (s.dLogRatio * ((batch.teams[row * N + i] ? 1 : 0) - sigmoid(z[zo + i]))) / n;
      }
    } else {
      for (let i = 0; i < N; i++) {
        const a = batch.teams[row * N + i];
        const s = clippedSurrogate(bernoulliLogProb(z[zo + i], a) - batch.oldHeadLogProbs[row * N + i], A, options.epsilon);
        loss += s.loss / N;
        kl += (s.ratio - 1 - Math.log(s.ratio)) / N;
        if (Math.abs(s.ratio - 1) > options.epsilon) clipped += 1 / N;
        grad[zo + i] += (s.dLogRatio * ((a ? 1 : 0) - sigmoid(z[zo + i]))) / (N * n);
      }
    }
  }
  decider.backwardLogits(grad.subarray(0, n * W), n);
  return { loss: loss / n, entropy: entropy / n, approxKl: kl / n, clipFraction: clipped / n };
}

export interface FusionBatch {
  obs: Float64Array;
  obsSize: number;
  actions: Int32Array;
  oldLogProbs: Float64Array;
  advantages: Float64Array;
}

/** Clipped surrogate of Eq. 7 for the Fusion agent (categorical over the query's choices), minus entropy bonus. */
export function fusionPpoLoss(
  fusion: Fusion,
  batch: FusionBatch,
  index: ArrayLike<number>,
  n: number,
  options: { epsilon: number; entropyCoef: number; advantageScale?: { mean: number; std: number } },
  scratch: { obs: Float64Array; grad: Float64Array; logp: Float64Array },
): PolicyLossStats {
  const Cmax = fusion.layout.maxChoices;
  gatherRows(batch.obs, batch.obsSize, index, n, scratch.obs);
  const z = fusion.logits(scratch.obs, n);
  const grad = scratch.grad;
  grad.fill(0, 0, n * Cmax);
  const { mean, std } = options.advantageScale ?? { mean: 0, std: 1 };
  let loss = 0;
  let entropy = 0;
  let kl = 0;
  let clipped = 0;
  for (let k = 0; k < n; k++) {
    const row = index[k];
    const A = (batch.advantages[row] - mean) / std;
    const C = fusion.choiceCounts[k];
    const off = k * Cmax;
    logSoftmax(z, off, C, scratch.logp);
    const h = categoricalEntropy(scratch.logp, off, C);
    const a = batch.actions[row];
    const s = clippedSurrogate(scratch.logp[off + a] - batch.oldLogProbs[row], A, options.epsilon);
    loss += s.loss - options.entropyCoef * h;
    entropy += h;
    kl += s.ratio - 1 - Math.log(s.ratio);
    if (Math.abs(s.ratio - 1) > options.epsilon) clipped++;
    categoricalGrad(scratch.logp, off, C, a, s.dLogRatio / n, -options.entropyCoef / n, h, grad);
  }
  fusion.backwardLogits(grad.subarray(0, n * Cmax), n);
  return { loss: loss / n, entropy: entropy / n, approxKl: kl / n, clipFraction: clipped / n };
}

/**
 * Critic regression: loss 0.5 * mean (V(s) - R)^2 (gradient (V - R) / n); returns the mean squared error.
 */
export function valueLoss(net: Mlp, states: Float64Array, stateSize: number, returns: Float64Array, index: ArrayLike<number>, n: number, scratch: { obs: Float64Array; grad: Float64Array }): number {
  gatherRows(states, stateSize, index, n, scratch.obs);
  const v = net.forward(scratch.obs, n);
  let se = 0;
  for (let k = 0; k < n; k++) {
    const diff = v[k] - returns[index[k]];
    se += diff * diff;
    scratch.grad[k] = diff / n;
  }
  net.backward(scratch.grad.subarray(0, n), n);
  return se / n;
}

/**
 * The authors' Decider loss (spec §7 item 1): mean over (step, head) of -A_t * rho_{t,i} with
 * rho = exp(log pi - stop_gradient(log pi)) = 1, i.e. the gradient of -A_t log pi_i(a_{t,i} | o_t), averaged over
 * steps and heads. (Their clip never acts because the ratio is always 1.)
 */
export function deciderReinforceLoss(
  decider: Decider,
  batch: { obs: Float64Array; teams: Uint8Array; advantages: Float64Array },
  n: number,
  scratch: { grad: Float64Array },
): number {
  if (decider.head !== 'branching') throw new RangeError("deciderReinforceLoss: the authors' loss needs deciderHead 'branching'");
  const N = decider.nModels;
  const z = decider.logits(batch.obs, n);
  const grad = scratch.grad;
  let loss = 0;
  for (let k = 0; k < n; k++) {
    const A = batch.advantages[k];
    for (let i = 0; i < N; i++) {
      loss -= A;
      grad[k * N + i] = (-A * ((batch.teams[k * N + i] ? 1 : 0) - sigmoid(z[k * N + i]))) / (n * N);
    }
  }
  decider.backwardLogits(grad.subarray(0, n * N), n);
  return loss / (n * N);
}

/**
 * The authors' Fusion loss (spec §7 item 2): -sum_t A_t * pi(a_t | o_t), the PROBABILITY of the argmax answer
 * where REINFORCE has its log-probability (their environment returns `pred_probs[ens_pred]`).
 */
export function fusionReinforceLoss(
  fusion: Fusion,
  batch: { obs: Float64Array; actions: Int32Array; advantages: Float64Array },
  n: number,
  scratch: { grad: Float64Array; logp: Float64Array },
): number {
  const Cmax = fusion.layout.maxChoices;
  const z = fusion.logits(batch.obs, n);
  const grad = scratch.grad;
  grad.fill(0, 0, n * Cmax);
  let loss = 0;
  for (let k = 0; k < n; k++) {
    const C = fusion.choiceCounts[k];
    const off = k * Cmax;
    logSoftmax(z, off, C, scratch.logp);
    const a = batch.actions[k];
    const pa = Math.exp(scratch.logp[off + a]);
    const A = batch.advantages[k];
    loss -= A * pa;
    for (let c = 0; c < C; c++) grad[off + c] = -A * pa * ((c === a ? 1 : 0) - Math.exp(scratch.logp[off + c]));
  }
  fusion.backwardLogits(grad.subarray(0, n * Cmax), n);
  return loss;
}

/** Copies rows `index[0..n)` of a row-major matrix into `out`. */
export function gatherRows(src: Float64Array, width: number, index: ArrayLike<number>, n: number, out: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const from = index[k] * width;
    out.set(src.subarray(from, from + width), k * width);
  }
}
