import { Adam } from '../agents/adam';
import { logSoftmax } from '../agents/distributions';
import type { EnsembleEnv } from '../env/ensemble-env';
import type { Rng } from '../util/rng';
import type { RlFocalAgents } from './agents';

/** Passes over the train stream whose (query, sampled team) pairs make the fitting set. */
const TEAM_DRAWS = 4;
/** Epochs of Adam over the fitting set, and its minibatch size. */
const EPOCHS = 20;
const BATCH = 32;
/** L2 penalty on the Fusion parameters: a few hundred queries per subtask, a few dozen parameters. */
const L2 = 1e-3;

/**
 * Fits the Fusion agent by cross-entropy to the recorded labels of its train queries before reinforcement learning
 * starts (`fusionInit: 'supervised'`, ours; the supervised fusion of LLM-TOPLA as a starting point). Sound only in
 * offline replay, where the label of every train query is recorded: it is what the Fusion agent's reward would say
 * about every answer at once, instead of about the one answer it sampled. Each query is seen with teams drawn from
 * the Decider's starting policy, so the fit covers the teams the Decider will try first. Starts from the weights
 * the agents hold and leaves the Decider and the critic untouched.
 */
export function fitFusionOnTrain(agents: RlFocalAgents, env: EnsembleEnv, labels: Int32Array, lr: number, rng: Rng): void {
  const L = agents.fusionLayout;
  const rows: Float64Array[] = [];
  const rowLabels: number[] = [];
  const team = new Uint8Array(env.nModels);
  for (let draw = 0; draw < TEAM_DRAWS; draw++) {
    let obs = env.reset(draw);
    for (;;) {
      agents.decider.act(obs, rng, team);
      const turn = env.stepDecider(team);
      if (turn.teamSize > 0) {
        rows.push(Float64Array.from(turn.observation));
        rowLabels.push(labels[turn.query]);
      }
      const out = env.stepFusion(null);
      if (out.done) break;
      obs = out.observation;
    }
  }
  if (rows.length === 0) return;
  const net = agents.fusion.net;
  const optimizer = new Adam(net.nParams, { lr });
  const order = Int32Array.from(rows, (_, k) => k);
  const batchObs = new Float64Array(BATCH * L.size);
  const gradLogits = new Float64Array(BATCH * L.maxChoices);
  const logp = new Float64Array(L.maxChoices);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    rng.shuffle(order);
    for (let from = 0; from < order.length; from += BATCH) {
      const b = Math.min(BATCH, order.length - from);
      for (let k = 0; k < b; k++) batchObs.set(rows[order[from + k]], k * L.size);
      const z = agents.fusion.logits(batchObs, b);
      gradLogits.fill(0);
      for (let k = 0; k < b; k++) {
        const C = agents.fusion.choiceCounts[k];
        logSoftmax(z, k * L.maxChoices, C, logp);
        for (let c = 0; c < C; c++) gradLogits[k * L.maxChoices + c] = (Math.exp(logp[c]) - (c === rowLabels[order[from + k]] ? 1 : 0)) / b;
      }
      net.zeroGrad();
      agents.fusion.backwardLogits(gradLogits, b);
      for (let p = 0; p < net.nParams; p++) net.grads[p] += L2 * net.params[p];
      optimizer.step(net.params, net.grads);
    }
  }
}
