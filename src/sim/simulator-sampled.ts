import type { Rng } from '../util/rng';
import { normalCdf } from '../stats/normal';

/**
 * GSM8K-like open questions (paper App. B, spec §7.1): each model answers S times; the pool's answer space is
 * the K answers with the largest summed frequency (padded with empty slots to K); model i's vector is
 * count_i(answer) / S over that space, not renormalised, so a model with no answer in the space has an all-zero
 * row (abstention). This is the convention of the sampled-answers reader (sampled-answers.ts), including
 * `keepUnanswerable`: one reserved extra slot K on every question, which is the label of the questions whose
 * gold answer is outside the space (no model puts mass on it). Equal pooled counts are ordered at random
 * (the reader orders them by first appearance; simulated samples have no order).
 *
 * Answer identities of one question: 0 = gold, 1 = the question's attractive wrong answer, 2-3 = two other
 * common wrong answers, then three wrong answers private to each model. A wrong sample is answer 1 with
 * probability `sharing`, 2 or 3 with (1 - sharing) / 4 each, one of the model's own three with (1 - sharing) / 6
 * each. Whether a model is right (gold strictly most frequent among its samples) is decided by the latent model
 * upstream; the samples are drawn with per-sample gold probability Phi(SAMPLE_SHARPNESS * margin) and redrawn
 * until they agree with that decision (a deterministic repair after MAX_REDRAWS).
 */

/** Slope of the per-sample gold probability in the latent margin. */
export const SAMPLE_SHARPNESS = 1.5;
const MAX_REDRAWS = 50;
const SHARED_ANSWERS = 4;
const PRIVATE_ANSWERS = 3;

export interface SampledQuery {
  /** Position of the gold answer in the space (K, the reserved slot, when it is outside and kept). */
  label: number;
  /** True when the gold answer is not among the K most frequent answers. */
  goldOutside: boolean;
  /** Model-major frequencies count / S over the `slots` options (a row of zeros when none of its samples is in the space). */
  probs: Float64Array;
}

export class SampledAnswerer {
  private readonly counts: Int32Array;
  private readonly totals: Int32Array;
  private readonly keys: Float64Array;
  private readonly nAnswers: number;

  /** Options per question: K, or K + 1 with the reserved slot of `keepUnanswerable`. */
  readonly slots: number;

  constructor(
    private readonly nModels: number,
    private readonly samples: number,
    private readonly answerSpace: number,
    private readonly sharing: number,
    keepUnanswerable: boolean,
  ) {
    this.slots = keepUnanswerable ? answerSpace + 1 : answerSpace;
    this.nAnswers = SHARED_ANSWERS + PRIVATE_ANSWERS * nModels;
    this.counts = new Int32Array(nModels * this.nAnswers);
    this.totals = new Int32Array(this.nAnswers);
    this.keys = new Float64Array(this.nAnswers);
  }

  /**
   * One question. `correct[i]` and `margin[i]` come from the latent model; `abstain[i]` marks models with no
   * parsable answer (all-zero row).
   */
  answer(correct: ArrayLike<number>, margin: ArrayLike<number>, abstain: ArrayLike<number>, rng: Rng): SampledQuery {
    const { nModels: N, nAnswers: A, counts, totals } = this;
    counts.fill(0);
    totals.fill(0);
    for (let i = 0; i < N; i++) {
      if (abstain[i]) continue;
      const row = i * A;
      const goldProbability = normalCdf(SAMPLE_SHARPNESS * margin[i]);
      let agreed = false;
      for (let attempt = 0; attempt < MAX_REDRAWS && !agreed; attempt++) {
        counts.fill(0, row, row + A);
        for (let k = 0; k < this.samples; k++) counts[row + this.drawAnswer(i, goldProbability, rng)] += 1;
        agreed = this.outcome(row) === (correct[i] ? 1 : -1);
      }
      if (!agreed) this.repair(row, correct[i] === 1);
      for (let a = 0; a < A; a++) totals[a] += counts[row + a];
    }
    // Rank answers by pooled frequency; equal totals are ordered at random so gold gets no positional advantage.
    const present: number[] = [];
    for (let a = 0; a < A; a++) {
      if (totals[a] > 0) {
        present.push(a);
        this.keys[a] = rng.next();
      }
    }
    present.sort((a, b) => totals[b] - totals[a] || this.keys[a] - this.keys[b]);
    const space = present.slice(0, this.answerSpace);
    const gold = space.indexOf(0);
    const probs = new Float64Array(N * this.slots);
    for (let i = 0; i < N; i++) {
      for (let p = 0; p < space.length; p++) probs[i * this.slots + p] = counts[i * A + space[p]] / this.samples;
    }
    return { label: gold >= 0 ? gold : this.answerSpace, goldOutside: gold < 0, probs };
  }

  private drawAnswer(model: number, goldProbability: number, rng: Rng): number {
    if (rng.next() < goldProbability) return 0;
    const u = rng.next();
    if (u < this.sharing) return 1;
    const rest = (u - this.sharing) / (1 - this.sharing);
    if (rest < 0.5) return rest < 0.25 ? 2 : 3;
    return SHARED_ANSWERS + PRIVATE_ANSWERS * model + Math.min(PRIVATE_ANSWERS - 1, Math.floor(((rest - 0.5) / 0.5) * PRIVATE_ANSWERS));
  }

  /** +1 when gold is strictly the most frequent answer, -1 when some wrong answer is strictly more frequent than gold, 0 otherwise. */
  private outcome(row: number): number {
    const gold = this.counts[row];
    let bestWrong = 0;
    for (let a = 1; a < this.nAnswers; a++) if (this.counts[row + a] > bestWrong) bestWrong = this.counts[row + a];
    if (gold > bestWrong) return 1;
    return bestWrong > gold ? -1 : 0;
  }

  /** Move samples until the outcome matches the latent decision. */
  private repair(row: number, correct: boolean): void {
    const counts = this.counts;
    if (correct) {
      for (;;) {
        let top = 1;
        for (let a = 2; a < this.nAnswers; a++) if (counts[row + a] > counts[row + top]) top = a;
        if (counts[row] > counts[row + top]) return;
        counts[row + top] -= 1;
        counts[row] += 1;
      }
    }
    while (counts[row + 1] <= counts[row]) {
      if (counts[row] > 0) counts[row] -= 1;
      else {
        let donor = 2;
        while (counts[row + donor] === 0) donor++;
        counts[row + donor] -= 1;
      }
      counts[row + 1] += 1;
    }
  }
}
