import { Adam } from '../agents/adam';
import { sigmoid } from '../agents/mlp';
import type { EnsembleEnv } from '../env/ensemble-env';
import type { Rng } from '../util/rng';
import type { RlFocalAgents } from './agents';

/** Passes over the train stream whose (observation, query) pairs make the fitting set. */
const TEAM_DRAWS = 4;
/** Epochs of Adam over the fitting set. */
const EPOCHS = 20;
/** Minibatch size of the fit. */
const BATCH = 32;
/** L2 penalty on the Decider parameters. */
const L2 = 1e-3;
/** Mean size of the mode team the head biases are shifted to, on the fitting observations: a router's one call. */
const TARGET_TEAM_SIZE = 1;

/**
 * Fits the Decider's branching heads before reinforcement learning (`deciderFit: 'correctness'`, ours): head i by
 * logistic regression to "model i answers this query right" on the Decider's observations of its train queries, each
 * seen with teams drawn from the starting policy (the observation holds the previous team). Sound only in offline
 * replay, where every model's answer to every train query is recorded: it is what the Decider's reward would say
 * about every model at once. Afterwards all head biases move by one constant so that, on the same observations, the
 * mode team (heads above 1/2, else the most probable model) has about `TARGET_TEAM_SIZE` members: the Decider starts
 * as a router that calls the models its observation singles out for this query. Leaves the Fusion agent and the
 * critic untouched.
 */
export function fitDeciderOnTrain(agents: RlFocalAgents, env: EnsembleEnv, correct: Uint8Array, lr: number, rng: Rng): void {
  const decider = agents.decider;
  const N = decider.nModels;
  const rows: Float64Array[] = [];
  const rowQueries: number[] = [];
  const team = new Uint8Array(N);
  for (let draw = 0; draw < TEAM_DRAWS; draw++) {
    let obs = env.reset(draw);
    for (;;) {
      rows.push(Float64Array.from(obs));
      decider.act(obs, rng, team);
      const turn = env.stepDecider(team);
      rowQueries.push(turn.query);
      const out = env.stepFusion(null);
      if (out.done) break;
      obs = out.observation;
    }
  }
  if (rows.length === 0) return;
  const size = rows[0].length;
  const net = decider.net;
  const optimizer = new Adam(net.nParams, { lr });
  const order = Int32Array.from(rows, (_, k) => k);
  const batchObs = new Float64Array(BATCH * size);
  const gradLogits = new Float64Array(BATCH * N);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    rng.shuffle(order);
    for (let from = 0; from < order.length; from += BATCH) {
      const b = Math.min(BATCH, order.length - from);
      for (let k = 0; k < b; k++) batchObs.set(rows[order[from + k]], k * size);
      const z = decider.logits(batchObs, b);
      for (let k = 0; k < b; k++) {
        const q = rowQueries[order[from + k]];
        for (let i = 0; i < N; i++) gradLogits[k * N + i] = (sigmoid(z[k * N + i]) - correct[q * N + i]) / b;
      }
      net.zeroGrad();
      decider.backwardLogits(gradLogits.subarray(0, b * N), b);
      for (let p = 0; p < net.nParams; p++) net.grads[p] += L2 * net.params[p];
      optimizer.step(net.params, net.grads);
    }
  }
  shiftToTeamSize(agents, rows, TARGET_TEAM_SIZE);
}

/**
 * Adds one constant to every head's bias so that the mean mode-team size over `rows` is about `target`: the
 * (1 - target / N) quantile of all fitted logits moves to 0 (the mode team is never empty, so a query with no head
 * above it still calls its most probable model).
 */
function shiftToTeamSize(agents: RlFocalAgents, rows: readonly Float64Array[], target: number): void {
  const decider = agents.decider;
  const N = decider.nModels;
  const all = new Float64Array(rows.length * N);
  rows.forEach((row, k) => all.set(decider.logits(row, 1), k * N));
  all.sort();
  const at = Math.min(all.length - 1, Math.max(0, Math.floor(all.length * (1 - target / N))));
  const shift = -all[at];
  const bias = decider.net.outputBias;
  // A 2-way head's Bernoulli logit is output[1] - output[0] (see Decider.logits).
  if (decider.headOutputs === 1) for (let i = 0; i < N; i++) bias[i] += shift;
  else for (let i = 0; i < N; i++) bias[2 * i + 1] += shift;
}
