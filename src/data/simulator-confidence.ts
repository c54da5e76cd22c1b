import type { Rng } from '../util/rng';
import { softplus } from './calibration-math';

/**
 * A model's probability vector over the C options of one question.
 *
 * The predicted option's logit exceeds the best other logit by softplus(sharpness * margin), where
 * margin = threshold - latent score is positive exactly when the model is right: confident answers are more
 * often right (the confidence is informative). The other logits are N(0, 1) noise, the gold option gets a
 * boost when the model is wrong (it tends to be the runner-up). The per-model temperature then bends the
 * whole vector, so confidences are informative but miscalibrated, differently per model.
 */

/** Logit boost of the gold option when the model picked another one. */
export const GOLD_RUNNER_UP_BOOST = 1;
/** Smallest logit gap of the predicted option, so the argmax is strict (no ties) even after rounding. */
const MIN_GAP = 1e-3;

/** Writes the logits of one model on one question into out[offset, offset + C). */
export function writeChoiceLogits(
  out: Float64Array,
  offset: number,
  choices: number,
  predicted: number,
  gold: number,
  margin: number,
  sharpness: number,
  rng: Rng,
): void {
  let maxOther = -Infinity;
  for (let c = 0; c < choices; c++) {
    if (c === predicted) continue;
    const logit = rng.normal() + (c === gold ? GOLD_RUNNER_UP_BOOST : 0);
    out[offset + c] = logit;
    if (logit > maxOther) maxOther = logit;
  }
  out[offset + predicted] = maxOther + softplus(sharpness * margin) + MIN_GAP;
}

/** softmax(logits / temperature) in place; returns the probability of the largest logit. */
export function softmaxInPlace(out: Float64Array, offset: number, choices: number, temperature: number): number {
  let top = -Infinity;
  for (let c = 0; c < choices; c++) if (out[offset + c] > top) top = out[offset + c];
  let sum = 0;
  for (let c = 0; c < choices; c++) {
    const e = Math.exp((out[offset + c] - top) / temperature);
    out[offset + c] = e;
    sum += e;
  }
  for (let c = 0; c < choices; c++) out[offset + c] /= sum;
  return 1 / sum;
}
