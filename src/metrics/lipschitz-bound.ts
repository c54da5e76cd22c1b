/**
 * The Lipschitz-margin robustness bound of the paper's Appendix G.1 (Eqs. 9-20), evaluated exactly on linear
 * softmax classifiers f(x) = W x + b.
 *
 * Why linear models: the bound needs L^j_q = max_x ||grad f_j(x) - grad f_c(x)||_q (Eq. 12). For a linear model the
 * gradient of a logit difference is the constant w_j - w_c, so the maximum over x is exact and the bound can be
 * checked without any estimation error. An ensemble that averages logits of linear members is itself linear
 * (mean W, mean b), which lets Eq. 19 be checked against the single-model formula.
 */
import type { Rng } from '../util/rng';

/** The perturbation norm p; the Lipschitz constant uses the dual norm q (1/p + 1/q = 1). */
export type PNorm = 1 | 2 | 'inf';

export function dualNorm(p: PNorm): PNorm {
  if (p === 2) return 2;
  return p === 1 ? 'inf' : 1;
}

export function vectorNorm(v: ArrayLike<number>, p: PNorm): number {
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (p === 'inf') acc = Math.max(acc, a);
    else if (p === 1) acc += a;
    else acc += a * a;
  }
  return p === 2 ? Math.sqrt(acc) : acc;
}

/** f(x) = W x + b with W stored row-major (nClasses x dim). */
export interface LinearClassifier {
  readonly nClasses: number;
  readonly dim: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

export function linearClassifier(weights: Float64Array, bias: Float64Array): LinearClassifier {
  const nClasses = bias.length;
  if (nClasses < 2) throw new RangeError(`linearClassifier: need at least 2 classes, got ${nClasses}`);
  if (weights.length % nClasses !== 0 || weights.length === 0) {
    throw new RangeError(`linearClassifier: weights length ${weights.length} is not a positive multiple of ${nClasses} classes`);
  }
  return { nClasses, dim: weights.length / nClasses, weights, bias };
}

/** Gaussian weights and biases with standard deviation `scale`. */
export function randomLinearClassifier(rng: Rng, nClasses: number, dim: number, scale = 1): LinearClassifier {
  const weights = new Float64Array(nClasses * dim);
  const bias = new Float64Array(nClasses);
  for (let i = 0; i < weights.length; i++) weights[i] = rng.normal(0, scale);
  for (let c = 0; c < nClasses; c++) bias[c] = rng.normal(0, scale);
  return linearClassifier(weights, bias);
}

/** `base` plus independent Gaussian noise of standard deviation `noise` on every weight and bias. */
export function perturbedCopy(base: LinearClassifier, rng: Rng, noise: number): LinearClassifier {
  const weights = new Float64Array(base.weights.length);
  const bias = new Float64Array(base.bias.length);
  for (let i = 0; i < weights.length; i++) weights[i] = base.weights[i] + rng.normal(0, noise);
  for (let c = 0; c < bias.length; c++) bias[c] = base.bias[c] + rng.normal(0, noise);
  return linearClassifier(weights, bias);
}

export function linearLogits(model: LinearClassifier, x: ArrayLike<number>, out = new Float64Array(model.nClasses)): Float64Array {
  if (x.length !== model.dim) throw new RangeError(`linearLogits: input has ${x.length} features, model expects ${model.dim}`);
  const { weights, bias, dim } = model;
  for (let c = 0; c < model.nClasses; c++) {
    let s = bias[c];
    const row = c * dim;
    for (let d = 0; d < dim; d++) s += weights[row + d] * x[d];
    out[c] = s;
  }
  return out;
}

/** Index of the largest value, ties to the lowest index (the library-wide tie rule). */
export function argmaxClass(values: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < values.length; c++) if (values[c] > values[best]) best = c;
  return best;
}

export function predictLinear(model: LinearClassifier, x: ArrayLike<number>): number {
  return argmaxClass(linearLogits(model, x));
}

/** The logit-averaging ensemble of Eq. 19, f_bar = (1/M) sum_k f^k, which for linear members is linear. */
export function averageLinearClassifiers(members: readonly LinearClassifier[]): LinearClassifier {
  if (members.length === 0) throw new RangeError('averageLinearClassifiers: need at least one member');
  const { nClasses, dim } = members[0];
  const weights = new Float64Array(nClasses * dim);
  const bias = new Float64Array(nClasses);
  for (const [k, m] of members.entries()) {
    if (m.nClasses !== nClasses || m.dim !== dim) {
      throw new RangeError(`averageLinearClassifiers: member ${k} is ${m.nClasses}x${m.dim}, member 0 is ${nClasses}x${dim}`);
    }
    for (let i = 0; i < weights.length; i++) weights[i] += m.weights[i] / members.length;
    for (let c = 0; c < nClasses; c++) bias[c] += m.bias[c] / members.length;
  }
  return linearClassifier(weights, bias);
}

/** grad g = grad f_j - grad f_c (Eq. 9), constant for a linear model. */
export function logitDifferenceGradient(model: LinearClassifier, c: number, j: number, out = new Float64Array(model.dim)): Float64Array {
  const { weights, dim } = model;
  for (let d = 0; d < dim; d++) out[d] = weights[j * dim + d] - weights[c * dim + d];
  return out;
}

/** L^j_q of Eq. 12; exact because the gradient does not depend on x. */
export function lipschitzConstant(model: LinearClassifier, c: number, j: number, q: PNorm): number {
  return vectorNorm(logitDifferenceGradient(model, c, j), q);
}

/** margin / L with the limits a zero Lipschitz constant implies (a pair whose difference never changes). */
function marginRatio(margin: number, lipschitz: number): number {
  if (lipschitz > 0) return margin / lipschitz;
  if (margin > 0) return Infinity;
  return margin < 0 ? -Infinity : 0;
}

export interface RobustnessBound {
  /** R(x0) of Eq. 18 (Eq. 19 for an ensemble); negative when class c is not the prediction at x0. */
  radius: number;
  /** Reference class c. */
  classIndex: number;
  /** The competitor j attaining the minimum of Eq. 17. */
  competitor: number;
  /** f_c(x0) - f_j(x0) at that competitor. */
  margin: number;
  /** L^j_q at that competitor. */
  lipschitz: number;
}

/** Eq. 18: R(x0) = min_{j != c} (f_c(x0) - f_j(x0)) / L^j_q, perturbations measured in the p-norm. */
export function robustnessBound(model: LinearClassifier, x0: ArrayLike<number>, c: number, p: PNorm): RobustnessBound {
  checkClass(c, model.nClasses, 'robustnessBound');
  const logits = linearLogits(model, x0);
  const q = dualNorm(p);
  let best: RobustnessBound | undefined;
  for (let j = 0; j < model.nClasses; j++) {
    if (j === c) continue;
    const margin = logits[c] - logits[j];
    const lipschitz = lipschitzConstant(model, c, j, q);
    const radius = marginRatio(margin, lipschitz);
    if (best === undefined || radius < best.radius) best = { radius, classIndex: c, competitor: j, margin, lipschitz };
  }
  return best!;
}

/**
 * Eq. 19 (and, at one competitor, Eq. 20) computed from the members, without forming the averaged model:
 * for each j, sum_k (f^k_c - f^k_j) / || sum_k grad g^k_j ||_q (the 1/M factors cancel), minimised over j.
 */
export function ensembleRobustnessBound(members: readonly LinearClassifier[], x0: ArrayLike<number>, c: number, p: PNorm): RobustnessBound {
  if (members.length === 0) throw new RangeError('ensembleRobustnessBound: need at least one member');
  const { nClasses, dim } = members[0];
  checkClass(c, nClasses, 'ensembleRobustnessBound');
  const q = dualNorm(p);
  const memberLogits = members.map((m) => linearLogits(m, x0));
  const gradientSum = new Float64Array(dim);
  const gradient = new Float64Array(dim);
  let best: RobustnessBound | undefined;
  for (let j = 0; j < nClasses; j++) {
    if (j === c) continue;
    gradientSum.fill(0);
    let marginSum = 0;
    for (const [k, m] of members.entries()) {
      marginSum += memberLogits[k][c] - memberLogits[k][j];
      logitDifferenceGradient(m, c, j, gradient);
      for (let d = 0; d < dim; d++) gradientSum[d] += gradient[d];
    }
    const lipschitzSum = vectorNorm(gradientSum, q);
    const radius = marginRatio(marginSum, lipschitzSum);
    if (best === undefined || radius < best.radius) {
      best = { radius, classIndex: c, competitor: j, margin: marginSum / members.length, lipschitz: lipschitzSum / members.length };
    }
  }
  return best!;
}

/**
 * 1 - ||sum_k grad g^k||_q / sum_k ||grad g^k||_q at competitor j: the slack of the triangle inequality (Eq. 25).
 * 0 when the members' logit-difference gradients point the same way, towards 1 when they cancel. The ensemble's
 * per-competitor ratio equals (sum of margins / sum of member norms) / (1 - this), which is the mechanism the
 * paper's interpretation of Eqs. 21-25 appeals to.
 */
export function gradientDiversity(members: readonly LinearClassifier[], c: number, j: number, q: PNorm): number {
  const dim = members[0].dim;
  const gradientSum = new Float64Array(dim);
  const gradient = new Float64Array(dim);
  let normSum = 0;
  for (const m of members) {
    logitDifferenceGradient(m, c, j, gradient);
    normSum += vectorNorm(gradient, q);
    for (let d = 0; d < dim; d++) gradientSum[d] += gradient[d];
  }
  return normSum > 0 ? 1 - vectorNorm(gradientSum, q) / normSum : 0;
}

/**
 * The unit-p-norm direction that increases g = f_j - f_c fastest: it attains v . delta = ||v||_q with
 * v = grad g, so a step of length r raises g by exactly r * L^j_q (Eq. 13 holds with equality).
 */
export function worstCaseDirection(model: LinearClassifier, c: number, j: number, p: PNorm): Float64Array {
  const v = logitDifferenceGradient(model, c, j);
  const delta = new Float64Array(v.length);
  if (p === 2) {
    const n = vectorNorm(v, 2);
    for (let d = 0; d < v.length; d++) delta[d] = n > 0 ? v[d] / n : 0;
  } else if (p === 'inf') {
    for (let d = 0; d < v.length; d++) delta[d] = Math.sign(v[d]);
  } else {
    let top = 0;
    for (let d = 1; d < v.length; d++) if (Math.abs(v[d]) > Math.abs(v[top])) top = d;
    delta[top] = Math.sign(v[top]);
  }
  return delta;
}

/** A random direction with unit p-norm (a normalised Gaussian vector). */
export function randomUnitDirection(rng: Rng, dim: number, p: PNorm): Float64Array {
  const delta = new Float64Array(dim);
  let n = 0;
  while (!(n > 0)) {
    for (let d = 0; d < dim; d++) delta[d] = rng.normal();
    n = vectorNorm(delta, p);
  }
  for (let d = 0; d < dim; d++) delta[d] /= n;
  return delta;
}

/** x0 + scale * direction. */
export function stepAlong(x0: ArrayLike<number>, direction: ArrayLike<number>, scale: number): Float64Array {
  const x = new Float64Array(x0.length);
  for (let d = 0; d < x.length; d++) x[d] = x0[d] + scale * direction[d];
  return x;
}

function checkClass(c: number, nClasses: number, where: string): void {
  if (!Number.isInteger(c) || c < 0 || c >= nClasses) throw new RangeError(`${where}: class ${c} is not in [0, ${nClasses})`);
}
