import type { Rng } from '../util/rng';
import { computeGae } from './gae';
import type { DeciderBatch, FusionBatch } from './losses';

export interface RolloutSizes {
  capacity: number;
  nModels: number;
  deciderObs: number;
  deciderState: number;
  fusionObs: number;
  fusionState: number;
}

/** The Decider's move of one step, as `RolloutBuffer.add` stores it (arrays are copied). */
export interface DeciderMove {
  /** Observation o1 the Decider acted on. */
  obs: ArrayLike<number>;
  /** Critic state at the Decider's move and the critic's value of it. */
  state: ArrayLike<number>;
  value: number;
  /** The team chosen (0/1 per model). */
  team: ArrayLike<number>;
  /** log pi_old(team | o1) of the whole team (sum over heads). */
  logProb: number;
  /** log pi_old(a_i | o1) per head (branching Decider; the 'per-head' ratio). */
  headLogProbs: ArrayLike<number>;
}

/** The Fusion agent's move of one step (or the interim vote, when it did not act). */
export interface FusionMove {
  /** Observation o2 (stored whether or not the Fusion agent acted). */
  obs: ArrayLike<number>;
  /** Critic state at the Fusion agent's move and its value; null when only the Decider learns (the value is then 0). */
  state: ArrayLike<number> | null;
  value: number;
  /** The answer, -1 for none (interim vote or empty team). */
  action: number;
  logProb: number;
  /** The Fusion agent chose the answer (not the interim vote, team not empty): only such rows train it. */
  acted: boolean;
}

/**
 * Fixed-length storage of the last U steps for MAPPO (the "rollout" of Stable-Baselines3's RolloutBuffer): `add` one
 * step at a time until `full`, `computeReturnsAndAdvantages` (two-move GAE, `gae.ts`), then `minibatches` for the
 * update's epochs, then `reset`. A rollout may span an episode boundary; `dones[t] = 1` marks the last step of an
 * episode so that GAE does not bootstrap across it.
 *
 * Each step has two moves (Decider, then Fusion), so each row keeps both agents' observations, critic states,
 * actions, log-probabilities and values. The rows are public for reading (the losses gather minibatch rows from
 * them); only `add` and `computeReturnsAndAdvantages` write them.
 */
export class RolloutBuffer {
  readonly sizes: RolloutSizes;
  readonly deciderObs: Float64Array;
  readonly deciderStates: Float64Array;
  readonly teams: Uint8Array;
  readonly deciderLogProbs: Float64Array;
  readonly deciderHeadLogProbs: Float64Array;
  readonly deciderValues: Float64Array;
  readonly fusionObs: Float64Array;
  readonly fusionStates: Float64Array;
  readonly fusionActions: Int32Array;
  readonly fusionLogProbs: Float64Array;
  readonly fusionActed: Uint8Array;
  readonly fusionValues: Float64Array;
  readonly rewards: Float64Array;
  readonly dones: Uint8Array;
  readonly deciderAdvantages: Float64Array;
  readonly fusionAdvantages: Float64Array;
  readonly deciderReturns: Float64Array;
  readonly fusionReturns: Float64Array;
  /** The rows of one minibatch where the Fusion agent acted (see `actedRows`). */
  private readonly acted: Int32Array;
  private rows = 0;

  constructor(sizes: RolloutSizes) {
    const U = sizes.capacity;
    this.sizes = { ...sizes };
    this.deciderObs = new Float64Array(U * sizes.deciderObs);
    this.deciderStates = new Float64Array(U * sizes.deciderState);
    this.teams = new Uint8Array(U * sizes.nModels);
    this.deciderLogProbs = new Float64Array(U);
    this.deciderHeadLogProbs = new Float64Array(U * sizes.nModels);
    this.deciderValues = new Float64Array(U);
    this.fusionObs = new Float64Array(U * sizes.fusionObs);
    this.fusionStates = new Float64Array(U * sizes.fusionState);
    this.fusionActions = new Int32Array(U);
    this.fusionLogProbs = new Float64Array(U);
    this.fusionActed = new Uint8Array(U);
    this.fusionValues = new Float64Array(U);
    this.rewards = new Float64Array(U);
    this.dones = new Uint8Array(U);
    this.deciderAdvantages = new Float64Array(U);
    this.fusionAdvantages = new Float64Array(U);
    this.deciderReturns = new Float64Array(U);
    this.fusionReturns = new Float64Array(U);
    this.acted = new Int32Array(U);
  }

  /** Steps stored since the last `reset`. */
  get size(): number {
    return this.rows;
  }

  get full(): boolean {
    return this.rows === this.sizes.capacity;
  }

  /** Stores one step: both moves, the shared reward and whether the step ended its episode. */
  add(decider: DeciderMove, fusion: FusionMove, reward: number, done: boolean): void {
    if (this.full) throw new RangeError(`RolloutBuffer.add: the buffer holds its ${this.sizes.capacity} steps (reset it after the update)`);
    const row = this.rows;
    const s = this.sizes;
    this.deciderObs.set(decider.obs, row * s.deciderObs);
    this.deciderStates.set(decider.state, row * s.deciderState);
    this.deciderValues[row] = decider.value;
    this.teams.set(decider.team, row * s.nModels);
    this.deciderLogProbs[row] = decider.logProb;
    this.deciderHeadLogProbs.set(decider.headLogProbs, row * s.nModels);
    this.fusionObs.set(fusion.obs, row * s.fusionObs);
    if (fusion.state) this.fusionStates.set(fusion.state, row * s.fusionState);
    this.fusionValues[row] = fusion.value;
    this.fusionActions[row] = fusion.action;
    this.fusionLogProbs[row] = fusion.logProb;
    this.fusionActed[row] = fusion.acted ? 1 : 0;
    this.rewards[row] = reward;
    this.dones[row] = done ? 1 : 0;
    this.rows++;
  }

  /**
   * Advantages and returns of both agents over the stored steps (two-move GAE, `computeGae`); `lastValue` is the
   * critic's V_D after the last stored step (0 when that step ended an episode).
   */
  computeReturnsAndAdvantages(lastValue: number, gamma: number, lambda: number): void {
    computeGae(this, lastValue, gamma, lambda);
  }

  /**
   * Row indices of the update's minibatches: `epochs` passes, each one shuffle of the running order (the order is
   * shuffled again each epoch, not rebuilt) cut into consecutive chunks of `size` (the last may be shorter). The
   * yielded arrays are views that the next epoch's shuffle overwrites.
   */
  *minibatches(rng: Rng, epochs: number, size: number): Generator<Int32Array> {
    const n = this.rows;
    const order = Int32Array.from({ length: n }, (_, k) => k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(order);
      for (let start = 0; start < n; start += size) yield order.subarray(start, Math.min(n, start + size));
    }
  }

  /** The rows of `rows` where the Fusion agent acted, in order (a view, overwritten by the next call). */
  actedRows(rows: ArrayLike<number>): Int32Array {
    let f = 0;
    for (let k = 0; k < rows.length; k++) if (this.fusionActed[rows[k]]) this.acted[f++] = rows[k];
    return this.acted.subarray(0, f);
  }

  /** The Decider's rows as its PPO loss reads them. */
  deciderBatch(): DeciderBatch {
    return {
      obs: this.deciderObs,
      obsSize: this.sizes.deciderObs,
      teams: this.teams,
      oldLogProbs: this.deciderLogProbs,
      oldHeadLogProbs: this.deciderHeadLogProbs,
      advantages: this.deciderAdvantages,
    };
  }

  /** The Fusion agent's rows as its PPO loss reads them. */
  fusionBatch(): FusionBatch {
    return {
      obs: this.fusionObs,
      obsSize: this.sizes.fusionObs,
      actions: this.fusionActions,
      oldLogProbs: this.fusionLogProbs,
      advantages: this.fusionAdvantages,
    };
  }

  /** Empties the buffer (SB3's `reset`): the next `add` writes row 0. */
  reset(): void {
    this.rows = 0;
  }
}
