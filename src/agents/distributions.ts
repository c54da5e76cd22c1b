/**
 * The two action distributions of RL-Focal, written on logits so that log-probabilities, entropies and their
 * derivatives stay finite however confident a policy becomes.
 *
 * - Decider: N independent Bernoulli heads (Eq. 5), `p_i = sigmoid(z_i)`.
 * - Fusion (and the joint Decider ablation): a categorical over the first n entries of a logit row (the rest are
 *   padding and get probability 0).
 */
import { sigmoid } from './mlp';

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** log sigmoid(z) (a = 1) or log(1 - sigmoid(z)) (a = 0). */
export function bernoulliLogProb(logit: number, a: number): number {
  return a ? -softplus(-logit) : -softplus(logit);
}

/** d log pi(a) / d logit = a - p. */
export function bernoulliLogProbGrad(logit: number, a: number): number {
  return (a ? 1 : 0) - sigmoid(logit);
}

/** Entropy in nats: p softplus(-z) + (1 - p) softplus(z). */
export function bernoulliEntropy(logit: number): number {
  const p = sigmoid(logit);
  return p * softplus(-logit) + (1 - p) * softplus(logit);
}

/** dH/dz = -z p (1 - p). */
export function bernoulliEntropyGrad(logit: number): number {
  const p = sigmoid(logit);
  return -logit * p * (1 - p);
}

/**
 * Writes the log-softmax of `logits[offset .. offset + n)` into `out[offset ..]` and returns the log-sum-exp.
 */
export function logSoftmax(logits: ArrayLike<number>, offset: number, n: number, out: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < n; c++) if (logits[offset + c] > max) max = logits[offset + c];
  let sum = 0;
  for (let c = 0; c < n; c++) sum += Math.exp(logits[offset + c] - max);
  const lse = max + Math.log(sum);
  for (let c = 0; c < n; c++) out[offset + c] = logits[offset + c] - lse;
  return lse;
}

/** Entropy of the categorical with log-probabilities `logp[offset .. offset + n)`. */
export function categoricalEntropy(logp: ArrayLike<number>, offset: number, n: number): number {
  let h = 0;
  for (let c = 0; c < n; c++) {
    const lp = logp[offset + c];
    if (lp > -Infinity) h -= Math.exp(lp) * lp;
  }
  return h;
}

/**
 * Adds to `grad[offset + c]` the derivative, with respect to the logits, of
 * `wLogProb * log pi(action) + wEntropy * H(pi)`, given the row's log-probabilities and its entropy.
 * d log pi(a)/dz_c = 1[c = a] - pi_c;  dH/dz_c = -pi_c (log pi_c + H).
 */
export function categoricalGrad(
  logp: ArrayLike<number>,
  offset: number,
  n: number,
  action: number,
  wLogProb: number,
  wEntropy: number,
  entropy: number,
  grad: Float64Array,
): void {
  for (let c = 0; c < n; c++) {
    const lp = logp[offset + c];
    const pc = Math.exp(lp);
    let g = -wLogProb * pc;
    if (c === action) g += wLogProb;
    if (wEntropy !== 0 && pc > 0) g += -wEntropy * pc * (lp + entropy);
    grad[offset + c] += g;
  }
}

/** Index of the largest of `values[offset .. offset + n)`; ties -> lowest index. */
export function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (values[offset + c] > values[offset + best]) best = c;
  return best;
}
