import type { Rng } from '../util/rng';
import { argmax, bernoulliLogProb, logSoftmax } from './distributions';
import { Mlp, sigmoid, type Activation } from './mlp';

export type DeciderHead = 'branching' | 'joint';

export const MAX_JOINT_MODELS = 12;

export interface DeciderOptions {
  nModels: number;
  inputSize: number;
  /** Hidden layer widths of the trunk (authors' code: [128]; paper: 2-layer sigmoid MLP). */
  hidden: readonly number[];
  /** Trunk activation (paper Eq. 5: sigmoid; authors' code: ReLU). */
  activation: Activation;
  head: DeciderHead;
  /** 'branching' only: 1 logit per head (Bernoulli) or 2 (authors' 2-way softmax). */
  headOutputs: 1 | 2;
  biasInit?: number;
  /**
   * 'branching' only: start head i's output bias at logit(p_i) and shrink the head weights 100-fold (CleanRL's
   * 0.01-gain policy head), so that before any training model i is selected with probability p_i (within about
   * 0.01 in logit, whatever the observation) instead of about 1/2. One p for every head, or one per model. Default:
   * no change.
   */
  initialSelectionProbability?: number | ArrayLike<number>;
}

/**
 * The Decider's policy pi_theta1(o1) (spec §2.3).
 *
 * 'branching' (Eq. 5, action branching of Tavakoli et al. 2018): a shared trunk MLP whose last layer branches into
 * one head per model; head i gives the Bernoulli logit of "model i is in the next team", so
 * pi(a | o) = prod_i p_i^a_i (1 - p_i)^(1 - a_i). Each head has its own weights (row i of the last layer) and is
 * trained only through its own action's log-probability; the trunk is shared. `headOutputs: 2` reproduces the
 * authors' heads, each a 2-way softmax `Linear(128 -> 2)` (logit difference = Bernoulli logit; same distribution,
 * twice the head weights, used by the parameter count of spec Table 7).
 *
 * 'joint' (the single-head ablation of Figure 4): one softmax head over all 2^N teams, i.e. the flat combinatorial
 * action space that action branching exists to avoid. It is the only "single branch" that still chooses a whole
 * team per query with the same observation and action space, so it isolates the branching structure; it needs 2^N
 * outputs and is therefore limited to N <= 12.
 */
export class Decider {
  readonly net: Mlp;
  readonly nModels: number;
  readonly head: DeciderHead;
  readonly headOutputs: 1 | 2;
  /** Width of `logits` rows: N Bernoulli logits ('branching') or 2^N team logits ('joint'). */
  readonly nLogits: number;
  private logitBuffer = new Float64Array(0);
  private gradBuffer = new Float64Array(0);
  private readonly jointLogp: Float64Array;

  constructor(options: DeciderOptions, rng: Rng) {
    const N = options.nModels;
    if (options.head === 'joint' && N > MAX_JOINT_MODELS) {
      throw new RangeError(`deciderHead: 'joint' needs 2^N outputs and supports N <= ${MAX_JOINT_MODELS} models, got N = ${N}`);
    }
    if (options.head === 'joint' && options.headOutputs !== 1) throw new RangeError("deciderHeadOutputs: 2 only applies to deciderHead 'branching'");
    this.nModels = N;
    this.head = options.head;
    this.headOutputs = options.headOutputs;
    this.nLogits = options.head === 'joint' ? 1 << N : N;
    const outputs = options.head === 'joint' ? this.nLogits : N * options.headOutputs;
    this.net = new Mlp({ sizes: [options.inputSize, ...options.hidden, outputs], hiddenActivation: options.activation, biasInit: options.biasInit }, rng);
    this.jointLogp = new Float64Array(options.head === 'joint' ? this.nLogits : 0);
    const initial = options.initialSelectionProbability;
    if (initial !== undefined && options.head === 'branching') {
      if (typeof initial !== 'number' && initial.length !== N) throw new RangeError(`initialSelectionProbability: expected ${N} probabilities, got ${initial.length}`);
      const bias = this.net.outputBias;
      const weights = this.net.outputWeights;
      for (let k = 0; k < weights.length; k++) weights[k] *= 0.01;
      for (let i = 0; i < N; i++) {
        const p = typeof initial === 'number' ? initial : initial[i];
        if (!(p > 0 && p < 1)) throw new RangeError(`initialSelectionProbability: must be in (0, 1), got ${p}`);
        const logit = Math.log(p / (1 - p));
        // A 2-way head's Bernoulli logit is output[1] - output[0] (see `logits`).
        if (options.headOutputs === 1) bias[i] = logit;
        else bias[2 * i + 1] = bias[2 * i] + logit;
      }
    }
  }

  /** Logit rows for a batch of observations (view valid until the next call). */
  logits(obs: ArrayLike<number>, batch = 1): Float64Array {
    const out = this.net.forward(obs, batch);
    if (this.headOutputs === 1) return out;
    const N = this.nModels;
    if (this.logitBuffer.length < batch * N) this.logitBuffer = new Float64Array(batch * N);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < N; i++) this.logitBuffer[b * N + i] = out[b * 2 * N + 2 * i + 1] - out[b * 2 * N + 2 * i];
    }
    return this.logitBuffer.subarray(0, batch * N);
  }

  /** Backpropagates d loss / d logits (same layout as `logits`) through the network of the last `logits` call. */
  backwardLogits(gradLogits: ArrayLike<number>, batch = 1): void {
    if (this.headOutputs === 1) {
      this.net.backward(gradLogits, batch);
      return;
    }
    const N = this.nModels;
    if (this.gradBuffer.length < batch * 2 * N) this.gradBuffer = new Float64Array(batch * 2 * N);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < N; i++) {
        const g = gradLogits[b * N + i];
        this.gradBuffer[b * 2 * N + 2 * i] = -g;
        this.gradBuffer[b * 2 * N + 2 * i + 1] = g;
      }
    }
    this.net.backward(this.gradBuffer.subarray(0, batch * 2 * N), batch);
  }

  /**
   * Chooses a team for one observation: sampled from the policy (`rng` given) or its mode (`rng` null: each
   * p_i > 0.5, or the most probable team). The branching mode is the most probable *non-empty* team: when no head
   * passes 1/2 it is the single most probable model (an empty team answers nothing, and a policy started toward
   * small teams has every p_i < 1/2 at first). Writes the 0/1 team into `team` and returns log pi(team | o); with
   * `headLogProbs` ('branching' only) also each head's log pi(a_i | o).
   */
  act(obs: ArrayLike<number>, rng: Rng | null, team: Uint8Array, headLogProbs?: Float64Array): number {
    const z = this.logits(obs, 1);
    const N = this.nModels;
    if (this.head === 'branching') {
      const fallback = rng ? -1 : modeFallback(z, N);
      let logp = 0;
      for (let i = 0; i < N; i++) {
        const a = rng ? (rng.next() < sigmoid(z[i]) ? 1 : 0) : z[i] > 0 || i === fallback ? 1 : 0;
        team[i] = a;
        const lp = bernoulliLogProb(z[i], a);
        if (headLogProbs) headLogProbs[i] = lp;
        logp += lp;
      }
      return logp;
    }
    const lp = this.jointLogp;
    logSoftmax(z, 0, this.nLogits, lp);
    let index: number;
    if (rng) {
      let u = rng.next();
      index = this.nLogits - 1;
      for (let k = 0; k < this.nLogits; k++) {
        u -= Math.exp(lp[k]);
        if (u < 0) {
          index = k;
          break;
        }
      }
    } else {
      index = argmax(lp, 0, this.nLogits);
    }
    for (let i = 0; i < N; i++) team[i] = (index >>> i) & 1;
    return lp[index];
  }

  /** Marginal selection probabilities P(model i selected | o) for one observation. */
  selectionProbabilities(obs: ArrayLike<number>, out = new Float64Array(this.nModels)): Float64Array {
    const z = this.logits(obs, 1);
    const N = this.nModels;
    if (this.head === 'branching') {
      for (let i = 0; i < N; i++) out[i] = sigmoid(z[i]);
      return out;
    }
    logSoftmax(z, 0, this.nLogits, this.jointLogp);
    out.fill(0);
    for (let k = 0; k < this.nLogits; k++) {
      const p = Math.exp(this.jointLogp[k]);
      for (let i = 0; i < N; i++) if ((k >>> i) & 1) out[i] += p;
    }
    return out;
  }
}

/** Team (0/1 vector) -> index of the 'joint' head. */
export function teamIndex(team: ArrayLike<number>, offset = 0, n = team.length - offset): number {
  let index = 0;
  for (let i = 0; i < n; i++) if (team[offset + i]) index |= 1 << i;
  return index;
}

/** The head to select when no branching head passes 1/2 (-1 when one does): the one with the largest logit. */
function modeFallback(z: ArrayLike<number>, n: number): number {
  let best = 0;
  for (let i = 0; i < n; i++) {
    if (z[i] > 0) return -1;
    if (z[i] > z[best]) best = i;
  }
  return best;
}
