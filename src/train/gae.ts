/**
 * Generalized advantage estimation (Schulman et al. 2016) over the two-move steps of a rollout.
 *
 * Step t has the Decider's move (value V_D(t) at the Decider's critic state) and then the Fusion agent's move
 * (value V_F(t)); the shared reward r_t arrives after the Fusion move, and the next step starts at V_D(t+1):
 *
 *   A_F(t) = r_t + gamma * V_D(t+1) - V_F(t) + gamma * lambda * A_D(t+1)
 *   A_D(t) = A_F(t) + V_F(t) - V_D(t)          (= r_t + gamma V_D(t+1) - V_D(t) + gamma lambda A_D(t+1))
 *
 * i.e. ordinary GAE on the Decider's chain, and for the Fusion agent the same chain seen from after the Decider's
 * move. After a step with done = 1 the future is 0; after the rollout's last step it is (V_D = `nextValue`, A = 0),
 * the truncated estimate of SB3/CleanRL. Returns (the critic targets) are A + V.
 */
export function computeGae(buffer: GaeRows, nextValue: number, gamma: number, lambda: number): void {
  let value = nextValue;
  let advantage = 0;
  for (let t = buffer.size - 1; t >= 0; t--) {
    const notDone = buffer.dones[t] ? 0 : 1;
    const vF = buffer.fusionValues[t];
    const vD = buffer.deciderValues[t];
    const aF = buffer.rewards[t] + gamma * notDone * value - vF + gamma * lambda * notDone * advantage;
    const aD = aF + vF - vD;
    buffer.fusionAdvantages[t] = aF;
    buffer.deciderAdvantages[t] = aD;
    buffer.fusionReturns[t] = aF + vF;
    buffer.deciderReturns[t] = aD + vD;
    value = vD;
    advantage = aD;
  }
}

/** What GAE reads and writes of a rollout (`RolloutBuffer` is one): the first `size` rows of each array. */
export interface GaeRows {
  readonly size: number;
  readonly rewards: ArrayLike<number>;
  readonly dones: ArrayLike<number>;
  readonly deciderValues: ArrayLike<number>;
  readonly fusionValues: ArrayLike<number>;
  readonly deciderAdvantages: Float64Array;
  readonly fusionAdvantages: Float64Array;
  readonly deciderReturns: Float64Array;
  readonly fusionReturns: Float64Array;
}
