export interface RolloutSizes {
  capacity: number;
  nModels: number;
  deciderObs: number;
  deciderState: number;
  fusionObs: number;
  fusionState: number;
}

/**
 * Fixed-length storage of the last U steps for MAPPO (the "rollout" of Stable-Baselines3's RolloutBuffer): rows of
 * typed arrays, filled step by step, consumed by one update, then cleared. A rollout may span an episode boundary;
 * `dones[t] = 1` marks the last step of an episode so that GAE does not bootstrap across it.
 *
 * Each step has two moves (Decider, then Fusion), so each row keeps both agents' observations, critic states,
 * actions, log-probabilities and values.
 */
export class RolloutBuffer {
  readonly sizes: RolloutSizes;
  size = 0;
  readonly deciderObs: Float64Array;
  readonly deciderStates: Float64Array;
  readonly teams: Uint8Array;
  /** log pi_old(team | o1) of the whole team (sum over heads). */
  readonly deciderLogProbs: Float64Array;
  /** log pi_old(a_i | o1) per head (branching Decider; the 'per-head' ratio). */
  readonly deciderHeadLogProbs: Float64Array;
  readonly deciderValues: Float64Array;
  readonly fusionObs: Float64Array;
  readonly fusionStates: Float64Array;
  readonly fusionActions: Int32Array;
  readonly fusionLogProbs: Float64Array;
  /** 1 when the Fusion agent chose the answer (not the interim vote, team not empty). */
  readonly fusionActed: Uint8Array;
  readonly fusionValues: Float64Array;
  readonly rewards: Float64Array;
  readonly dones: Uint8Array;
  readonly deciderAdvantages: Float64Array;
  readonly fusionAdvantages: Float64Array;
  readonly deciderReturns: Float64Array;
  readonly fusionReturns: Float64Array;

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
  }

  get full(): boolean {
    return this.size === this.sizes.capacity;
  }

  clear(): void {
    this.size = 0;
  }
}
