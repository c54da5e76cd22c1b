import type { Rng } from '../util/rng';
import { softplus } from '../stats/normal';

/**
 * A model's answer and probability vector over the C options of one question (choices mode), given whether the
 * latent model made it right.
 *
 * Each wrong option c has the utility x_c = sqrt(appealSharing) * A_c + sqrt(1 - appealSharing) * e_c, with A_c ~
 * N(0, 1) the option's appeal on this question, drawn once per question and shared by every model, and e_c ~
 * N(0, 1) private to the model. A wrong model answers the wrong option of largest utility, so wrong models fall for
 * the same attractive options, and the options other models fell for also rank high in its vector (as on real
 * BBH: an option another wrong model chose beats the gold in a wrong model's vector half of the time, an option
 * nobody chose 28 % of the time). The gold's utility is private: N(0, 1) + runnerUpBoost when the model is wrong
 * (whether two wrong models rank the gold second is independent given the option count on the real pool). The
 * boost is fitted to the real rate at which the gold is a wrong model's runner-up; it is below 0 when the gold
 * attracts a wrong model less than an exchangeable wrong option would (the runner-up of the largest of C - 1
 * utilities would otherwise be the gold with probability 2 / C).
 *
 * The answered option's logit is the best other utility plus the lead softplus(sharpness * (signal + noise * e)),
 * e ~ N(0, 1), with the confidence signal (confidenceSignal)
 *
 *   signal = margin + subtaskGain * ease - difficultyConfidence * z
 *
 * margin = threshold - latent score (> 0 exactly when right), ease = the subtask's threshold minus the model's mean
 * threshold, z = the question's shared difficulty. Confident answers are more often right, but only as much as on
 * real outputs: without the noise the lead would tell right from wrong answers perfectly (lead > log 2 iff right;
 * real leads reach AUC 0.56-0.66 within a subtask on bbh-leaderboard), which a fusion over the vectors would
 * exploit. The subtask gain lets the confidence follow how easy the subtask is for the model (real models are more
 * confident on their good subtasks: pooled AUC 0.63-0.70), the difficulty term how hard the question is for every
 * model rather than for this one: when two models disagree, the more confident is right less often than their
 * separate AUCs would suggest (60 % of such pairs on real BBH). The per-model temperature then bends the whole
 * vector (softmaxInPlace).
 *
 * Both fixed the former label leak (data/README.md "## Simulator"): independent gold boosts of every wrong model
 * on top of noise-free leads let a fusion over several models' vectors beat the any-model-right oracle.
 */

export interface ConfidenceShape {
  /** Slope of the answered option's logit lead in the latent margin. */
  sharpness: number;
  /** Noise added to the signal in the lead, in margin units: how poorly the confidence reveals correctness. */
  noise: number;
  /** Utility offset of the gold option for a model that answers wrong (private to the model; may be negative). */
  runnerUpBoost: number;
  /** Share of the wrong options' utility variance that is the question's appeal, common to all models. */
  appealSharing: number;
}

/** The confidence signal of one model on one question (see the file comment). */
export function confidenceSignal(margin: number, ease: number, difficulty: number, subtaskGain: number, difficultyConfidence: number): number {
  return margin + subtaskGain * ease - difficultyConfidence * difficulty;
}

/** Smallest logit gap of the answered option, so the argmax is strict (no ties) even after rounding. */
const MIN_GAP = 1e-3;

/** Draws the shared option appeal A_c ~ N(0, 1) of one question into out[0, C). */
export function drawOptionAppeal(out: Float64Array, choices: number, rng: Rng): void {
  for (let c = 0; c < choices; c++) out[c] = rng.normal();
}

/**
 * Writes the logits of one model on one question into out[offset, offset + C) and returns the answered option
 * (the gold when `right`). `appeal` is the question's shared option appeal (drawOptionAppeal); without it the
 * shared part is a fresh draw, which has the same distribution for a single model. The number of random draws
 * does not depend on the shape or the outcome.
 */
export function writeModelLogits(
  out: Float64Array,
  offset: number,
  choices: number,
  gold: number,
  right: boolean,
  signal: number,
  shape: ConfidenceShape,
  rng: Rng,
  appeal?: Float64Array,
): number {
  const shared = Math.sqrt(shape.appealSharing);
  const own = Math.sqrt(1 - shape.appealSharing);
  const lead = softplus(shape.sharpness * (signal + shape.noise * rng.normal()));
  let answer = gold;
  for (let c = 0; c < choices; c++) {
    const common = appeal ? appeal[c] : rng.normal();
    const utility = c === gold ? rng.normal() + shape.runnerUpBoost : shared * common + own * rng.normal();
    out[offset + c] = utility;
    if (!right && c !== gold && (answer === gold || utility > out[offset + answer])) answer = c;
  }
  let best = -Infinity;
  for (let c = 0; c < choices; c++) if (c !== answer && out[offset + c] > best) best = out[offset + c];
  out[offset + answer] = best + lead + MIN_GAP;
  return answer;
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
