/**
 * From recorded scores to the Dataset's probabilities and predictions. Predictions are always taken from the raw
 * scores (ties -> lowest index, as np.argmax and lm-evaluation-harness do) so that recorded ties stay ties; the
 * probabilities are for the agents' observations.
 */

/** `loglik`: natural-log likelihoods (softmax over the choices). `prob`: non-negative weights (row-normalised). */
export type ScoreKind = 'loglik' | 'prob';

export const SCORE_KINDS: readonly ScoreKind[] = ['loglik', 'prob'];

/**
 * Writes the normalised distribution of one (query, model) score row into `out[offset .. offset + c)` and returns
 * the predicted choice: the lowest index among the maximal raw scores, or -1 for an abstention (a `prob` row of all
 * zeros, written as zeros). Scores must already be validated (finite; non-negative for `prob`).
 */
export function scoresToProbs(kind: ScoreKind, scores: ArrayLike<number>, out: Float64Array, offset: number): number {
  const c = scores.length;
  let best = 0;
  for (let k = 1; k < c; k++) if (scores[k] > scores[best]) best = k;
  if (kind === 'loglik') {
    const max = scores[best];
    let sum = 0;
    for (let k = 0; k < c; k++) {
      const e = Math.exp(scores[k] - max);
      out[offset + k] = e;
      sum += e;
    }
    for (let k = 0; k < c; k++) out[offset + k] /= sum;
    return best;
  }
  let sum = 0;
  for (let k = 0; k < c; k++) sum += scores[k];
  if (!Number.isFinite(sum)) {
    // Finite scores whose sum overflows ([1e308, 1e308]): divided by their maximum first, they sum to at most c.
    const max = scores[best];
    sum = 0;
    for (let k = 0; k < c; k++) sum += scores[k] / max;
    for (let k = 0; k < c; k++) out[offset + k] = scores[k] / max / sum;
    return best;
  }
  if (sum === 0) {
    for (let k = 0; k < c; k++) out[offset + k] = 0;
    return -1;
  }
  // A row that is already a distribution is kept bit for bit, so that writing a Dataset as `prob` and reading it
  // back is exact; dividing by a sum of 1 +- 1 ulp would perturb the last bits.
  const scale = Math.abs(sum - 1) <= 1e-12 ? 1 : sum;
  for (let k = 0; k < c; k++) out[offset + k] = scores[k] / scale;
  return best;
}
