import type { FusionLayout } from '../env/observations';
import type { Rng } from '../util/rng';
import { argmax, logSoftmax } from './distributions';
import { Mlp, type Activation } from './mlp';

export type FusionArchitecture = 'flat' | 'per-choice';
export type FusionFeature = 'prob' | 'logprob' | 'vote' | 'exp-prob' | 'query-vote';

export const FUSION_ARCHITECTURES: readonly FusionArchitecture[] = ['flat', 'per-choice'];
export const FUSION_FEATURES: readonly FusionFeature[] = ['prob', 'logprob', 'vote', 'exp-prob', 'query-vote'];

const LOGPROB_FLOOR = 10;

export interface FusionOptions {
  layout: FusionLayout;
  architecture: FusionArchitecture;
  hidden: readonly number[];
  activation: Activation;
  features: readonly FusionFeature[];
  /** Feed the 0/1 team vector as input too (the authors' flat MLP does not). */
  teamInput: boolean;
  biasInit?: number;
}

/**
 * The Fusion agent's policy pi_theta2(o2): a distribution over the query's choices given the selected models'
 * probability vectors (spec §2.4). Padded choices (beyond the query's C) always get probability 0.
 *
 * 'flat' (paper / authors' code): one MLP over the whole masked N x Cmax input, Cmax logits out (code: hidden
 *   100-100, sigmoid). Learns a separate weight for every (model, choice-slot) pair, so it needs many queries per
 *   choice count and treats choice "A" and choice "B" as unrelated inputs.
 * 'per-choice': one small MLP applied to every choice c with the features of that choice only (model i's
 *   probability of c, whether c is model i's vote, ..., each times the selection mask) and the team mask; its
 *   output is the logit of c. Permutation-equivariant in the choices and indifferent to C, so the ~200 training
 *   queries of a BBH subtask teach it one thing: how much to trust each model. With no hidden layer it is exactly a
 *   learned weighted (soft + hard) vote.
 *
 * Features, per (model i, choice c), zero when model i is not selected or c is padding:
 *   'prob'     q_i[c]
 *   'logprob'  1 + max(ln q_i[c], -10) / 10, in [0, 1] (confidence on a log scale; LLM choice probabilities from
 *              log-likelihoods are often 1 - 1e-9 vs 1e-9, which 'prob' flattens)
 *   'vote'     1 if c is model i's predicted choice
 *   'exp-prob' exp(q_i[c]) (the authors' `exp(prob_arr) * mask`, spec §7 item 6)
 *   'query-vote' model i's accuracy on the train questions nearest the query's text if c is its vote (ours; the
 *              layout must carry those accuracies): lets the scorer trust each member as much as it was right on
 *              questions like this one, as a nearest-neighbour router does
 */
export class Fusion {
  readonly net: Mlp;
  readonly layout: FusionLayout;
  readonly architecture: FusionArchitecture;
  readonly features: readonly FusionFeature[];
  readonly teamInput: boolean;
  readonly inputSize: number;
  /** Real choices of each row of the last `logits` call. */
  choiceCounts = new Int32Array(0);
  private input = new Float64Array(0);
  private logitRows = new Float64Array(0);
  private rowGrad = new Float64Array(0);
  private rowOffsets = new Int32Array(0);
  private rows = 0;
  private readonly logp: Float64Array;

  constructor(options: FusionOptions, rng: Rng) {
    if (options.features.length === 0) throw new RangeError('fusionFeatures: at least one feature is needed');
    if (options.features.includes('query-vote') && options.layout.queryAccuracy < 0) {
      throw new RangeError("fusionFeatures: 'query-vote' needs a Fusion layout carrying the query-neighbour accuracies");
    }
    const L = options.layout;
    const F = options.features.length;
    const extra = (options.teamInput ? L.nModels : 0) + L.recentRewards;
    this.layout = L;
    this.architecture = options.architecture;
    this.features = [...options.features];
    this.teamInput = options.teamInput;
    this.inputSize = options.architecture === 'flat' ? F * L.nModels * L.maxChoices + extra : F * L.nModels + extra;
    const outputs = options.architecture === 'flat' ? L.maxChoices : 1;
    this.net = new Mlp({ sizes: [this.inputSize, ...options.hidden, outputs], hiddenActivation: options.activation, biasInit: options.biasInit }, rng);
    this.logp = new Float64Array(L.maxChoices);
  }

  /**
   * Sets the network to a vote: `weight` on every model's 'prob' and 'vote' features, 0 on every other input and
   * bias, so that the starting Fusion agent scores each choice by its votes plus its summed probability over the
   * selected models (a hard and a soft vote added; a confident minority can outscore a hesitant majority) —
   * `fusionInit: 'vote'`. Only the linear per-choice scorer (no hidden layer) can start so.
   */
  startAsVote(weight: number): void {
    if (this.architecture !== 'per-choice' || this.net.sizes.length !== 2) {
      throw new RangeError("fusionInit: 'vote' needs fusionArchitecture 'per-choice' and fusionHidden []");
    }
    const N = this.layout.nModels;
    const w = this.net.outputWeights;
    w.fill(0);
    this.net.outputBias.fill(0);
    this.features.forEach((f, k) => {
      if (f === 'prob' || f === 'vote') w.fill(weight, k * N, (k + 1) * N);
    });
  }

  /**
   * Logits `[batch][Cmax]` for a batch of fusion observations (rows of `layout.size`); entries at or beyond a row's
   * choice count are meaningless (use `choiceCounts`). View valid until the next call.
   */
  logits(obs: ArrayLike<number>, batch = 1): Float64Array {
    const L = this.layout;
    const Cmax = L.maxChoices;
    if (this.choiceCounts.length < batch) {
      this.choiceCounts = new Int32Array(batch);
      this.rowOffsets = new Int32Array(batch + 1);
    }
    if (this.logitRows.length < batch * Cmax) this.logitRows = new Float64Array(batch * Cmax);
    let rows = 0;
    for (let b = 0; b < batch; b++) {
      const C = L.choiceCount(obs, b * L.size);
      this.choiceCounts[b] = C;
      this.rowOffsets[b] = rows;
      rows += this.architecture === 'flat' ? 1 : C;
    }
    this.rowOffsets[batch] = rows;
    this.rows = rows;
    if (this.input.length < rows * this.inputSize) this.input = new Float64Array(rows * this.inputSize);
    const x = this.input;
    for (let b = 0; b < batch; b++) {
      const o = b * L.size;
      if (this.architecture === 'flat') {
        this.writeFlatRow(obs, o, x, b * this.inputSize);
      } else {
        for (let c = 0; c < this.choiceCounts[b]; c++) this.writeChoiceRow(obs, o, c, x, (this.rowOffsets[b] + c) * this.inputSize);
      }
    }
    const out = this.net.forward(x, rows);
    const z = this.logitRows;
    z.fill(0, 0, batch * Cmax);
    for (let b = 0; b < batch; b++) {
      const C = this.choiceCounts[b];
      if (this.architecture === 'flat') {
        for (let c = 0; c < C; c++) z[b * Cmax + c] = out[b * Cmax + c];
      } else {
        for (let c = 0; c < C; c++) z[b * Cmax + c] = out[this.rowOffsets[b] + c];
      }
    }
    return z.subarray(0, batch * Cmax);
  }

  /** Backpropagates d loss / d logits (layout of `logits`) through the network of the last `logits` call. */
  backwardLogits(gradLogits: ArrayLike<number>, batch = 1): void {
    const Cmax = this.layout.maxChoices;
    const width = this.architecture === 'flat' ? Cmax : 1;
    if (this.rowGrad.length < this.rows * width) this.rowGrad = new Float64Array(this.rows * width);
    const g = this.rowGrad;
    g.fill(0, 0, this.rows * width);
    for (let b = 0; b < batch; b++) {
      const C = this.choiceCounts[b];
      for (let c = 0; c < C; c++) {
        if (this.architecture === 'flat') g[b * Cmax + c] = gradLogits[b * Cmax + c];
        else g[this.rowOffsets[b] + c] = gradLogits[b * Cmax + c];
      }
    }
    this.net.backward(g.subarray(0, this.rows * width), this.rows);
  }

  /**
   * Answers one observation: sampled (`rng` given) or argmax (`rng` null; ties -> lowest choice). Returns the
   * choice and its log-probability. An observation with no selected model still gets an answer (the environment
   * ignores it and scores the empty team as wrong).
   */
  act(obs: ArrayLike<number>, rng: Rng | null): { choice: number; logProb: number } {
    const z = this.logits(obs, 1);
    const C = this.choiceCounts[0];
    logSoftmax(z, 0, C, this.logp);
    let choice: number;
    if (rng) {
      let u = rng.next();
      choice = C - 1;
      for (let c = 0; c < C; c++) {
        u -= Math.exp(this.logp[c]);
        if (u < 0) {
          choice = c;
          break;
        }
      }
    } else {
      choice = argmax(z, 0, C);
    }
    return { choice, logProb: this.logp[choice] };
  }

  /** Probability of each real choice for one observation. */
  probabilities(obs: ArrayLike<number>): Float64Array {
    const z = this.logits(obs, 1);
    const C = this.choiceCounts[0];
    const out = new Float64Array(C);
    logSoftmax(z, 0, C, out);
    for (let c = 0; c < C; c++) out[c] = Math.exp(out[c]);
    return out;
  }

  private feature(f: FusionFeature, obs: ArrayLike<number>, o: number, i: number, c: number): number {
    const L = this.layout;
    if (obs[o + L.team + i] !== 1) return 0;
    switch (f) {
      case 'prob':
        return obs[o + i * L.maxChoices + c];
      case 'logprob': {
        const p = obs[o + i * L.maxChoices + c];
        return p > 0 ? Math.max(0, 1 + Math.log(p) / LOGPROB_FLOOR) : 0;
      }
      case 'vote':
        return obs[o + L.votes + i] === c ? 1 : 0;
      case 'exp-prob':
        return Math.exp(obs[o + i * L.maxChoices + c]);
      case 'query-vote':
        return obs[o + L.votes + i] === c ? obs[o + L.queryAccuracy + i] : 0;
    }
  }

  private writeFlatRow(obs: ArrayLike<number>, o: number, x: Float64Array, xo: number): void {
    const L = this.layout;
    const N = L.nModels;
    const Cmax = L.maxChoices;
    const C = L.choiceCount(obs, o);
    let k = xo;
    for (const f of this.features) {
      for (let i = 0; i < N; i++) {
        for (let c = 0; c < Cmax; c++) x[k++] = c < C ? this.feature(f, obs, o, i, c) : 0;
      }
    }
    k = this.writeContext(obs, o, x, k);
  }

  private writeChoiceRow(obs: ArrayLike<number>, o: number, c: number, x: Float64Array, xo: number): void {
    const N = this.layout.nModels;
    let k = xo;
    for (const f of this.features) for (let i = 0; i < N; i++) x[k++] = this.feature(f, obs, o, i, c);
    this.writeContext(obs, o, x, k);
  }

  private writeContext(obs: ArrayLike<number>, o: number, x: Float64Array, k: number): number {
    const L = this.layout;
    if (this.teamInput) for (let i = 0; i < L.nModels; i++) x[k++] = obs[o + L.team + i];
    for (let r = 0; r < L.recentRewards; r++) x[k++] = obs[o + L.rewards + r];
    return k;
  }
}
