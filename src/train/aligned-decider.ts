/**
 * The learner of the open-ended aligned-model selection (spec §3 Table 6, §7 item 17), as the authors'
 * `open_ended_test.py` runs it: a Decider MLP samples ONE of three models per query from a categorical; its
 * observation is the one-hot of its previous choice and the three models' scores on the previous query; the reward is
 * the chosen model's score; REINFORCE updates every U steps. A separate learner from the RL-Focal Decider (which picks
 * a team and hands it to a Fusion agent), kept as the authors wrote it.
 */
import { Adam } from '../agents/adam';
import { Mlp, type Activation } from '../agents/mlp';
import type { AlignedStream } from '../sim/aligned-stream';
import { Rng } from '../util/rng';

/** Settings of an `AlignedDecider` (network, REINFORCE, episodes over the train stream, seed). */
export interface AlignedDeciderConfig {
  hidden: number[];
  activation: Activation;
  lr: number;
  gamma: number;
  /** Steps between REINFORCE updates. */
  updatePeriod: number;
  episodes: number;
  /** Keep learning every U steps during the test pass (as the main RL-Focal test pass does). */
  onlineUpdates: boolean;
  seed: number;
}

/** open_ended_test.py values (spec §7 item 17); the hidden activation is not recorded there: ReLU assumed. */
export const DEFAULT_ALIGNED_DECIDER: Readonly<AlignedDeciderConfig> = Object.freeze({
  hidden: [100, 100],
  activation: 'relu',
  lr: 1e-4,
  gamma: 0.99,
  updatePeriod: 10,
  episodes: 25,
  onlineUpdates: true,
  seed: 0,
} as AlignedDeciderConfig);

// Observation: one-hot of the previous choice (3), then the three models' scores on the previous query (3).
const OBS = 6;

/**
 * The Decider of the open-ended experiment: softmax over 3 models from [one-hot previous choice, previous scores].
 * REINFORCE as in the authors' agent: discounted returns over the last U steps, normalised, loss = -mean(A log pi).
 */
export class AlignedDecider {
  readonly net: Mlp;
  private readonly opt: Adam;
  private readonly rng: Rng;
  private readonly obs: number[] = [];
  private readonly actions: number[] = [];
  private readonly rewards: number[] = [];
  private readonly probs = new Float64Array(3);

  constructor(readonly config: AlignedDeciderConfig) {
    const root = new Rng(config.seed);
    this.net = new Mlp({ sizes: [OBS, ...config.hidden, 3], hiddenActivation: config.activation }, root.fork('init'));
    this.opt = new Adam(this.net.nParams, { lr: config.lr });
    this.rng = root.fork('actions');
  }

  /** Choice probabilities for an observation. */
  probabilities(observation: ArrayLike<number>): Float64Array {
    return softmax(this.net.forward(observation, 1), new Float64Array(3));
  }

  act(observation: ArrayLike<number>): number {
    return this.rng.categorical(softmax(this.net.forward(observation, 1), this.probs));
  }

  /** Stores a transition; updates every U stored steps when learning. */
  record(observation: ArrayLike<number>, action: number, reward: number, learn: boolean): void {
    if (!learn) return;
    for (let k = 0; k < OBS; k++) this.obs.push(observation[k]);
    this.actions.push(action);
    this.rewards.push(reward);
    if (this.actions.length >= this.config.updatePeriod) this.update();
  }

  private update(): void {
    const n = this.actions.length;
    const returns = new Float64Array(n);
    let g = 0;
    for (let t = n - 1; t >= 0; t--) {
      g = this.rewards[t] + this.config.gamma * g;
      returns[t] = g;
    }
    let mean = 0;
    for (const r of returns) mean += r;
    mean /= n;
    let ss = 0;
    for (const r of returns) ss += (r - mean) ** 2;
    const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    const logits = this.net.forward(Float64Array.from(this.obs), n);
    const grad = new Float64Array(n * 3);
    for (let t = 0; t < n; t++) {
      const p = softmax(logits.subarray(t * 3, t * 3 + 3), this.probs);
      const advantage = (returns[t] - mean) / (std + 1e-9);
      // d/dlogits of -A log p(a), averaged over the batch.
      for (let c = 0; c < 3; c++) grad[t * 3 + c] = (-advantage * ((c === this.actions[t] ? 1 : 0) - p[c])) / n;
    }
    this.net.zeroGrad();
    this.net.backward(grad, n);
    this.opt.step(this.net.params, this.net.grads);
    this.obs.length = 0;
    this.actions.length = 0;
    this.rewards.length = 0;
  }
}

function softmax(logits: ArrayLike<number>, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < logits.length; c++) max = Math.max(max, logits[c]);
  let sum = 0;
  for (let c = 0; c < logits.length; c++) sum += out[c] = Math.exp(logits[c] - max);
  for (let c = 0; c < logits.length; c++) out[c] /= sum;
  return out;
}

/** One pass over a stream: returns the chosen model per query. */
export function runAlignedPass(decider: AlignedDecider, stream: AlignedStream, learn: boolean): Uint8Array {
  const choices = new Uint8Array(stream.length);
  const observation = new Float64Array(OBS);
  // Before the first query: no previous choice, no previous scores.
  for (let t = 0; t < stream.length; t++) {
    const a = decider.act(observation);
    choices[t] = a;
    const reward = stream.scores[t * 3 + a];
    decider.record(observation, a, reward, learn);
    observation.fill(0);
    observation[a] = 1;
    for (let i = 0; i < 3; i++) observation[3 + i] = stream.scores[t * 3 + i];
  }
  return choices;
}
