import { Adam } from '../agents/adam';
import type { EnsembleEnv } from '../env/ensemble-env';
import { checkLayoutsMatch } from '../env/observations';
import { Rng } from '../util/rng';
import type { RlFocalAgents } from './agents';
import type { ResolvedConfig } from './config';
import { EpisodeRecorder, emptyDiagnostics, type EpisodeRoles, type EpisodeStats, type Trainer } from './episode';
import { deciderReinforceLoss, fusionReinforceLoss } from './losses';

/**
 * What the authors' code actually runs (spec §6 "What the code actually runs", §7 items 1-9), for reproducing its
 * numbers: two independent REINFORCE learners, no critic.
 *
 * - Every step is stored (Decider: its observation, team and reward; Fusion: its observation, argmax answer and
 *   reward). When the episode's step counter `count` satisfies count % U == 0 and count > 0, the Fusion learner and
 *   then the Decider learner update on everything stored since their last update (U + 1 steps the first time, U
 *   afterwards; leftovers at an episode's end carry into the next episode, as the code's lists do).
 * - Advantages: discounted returns G_t = r_t + gamma G_{t+1} computed backwards over that batch only (episode
 *   boundaries ignored), normalised (G - mean) / (std + 1e-9) with the unbiased std.
 * - Losses: `deciderReinforceLoss` (mean over step and head) and `fusionReinforceLoss` (sum, probability instead of
 *   log-probability); one Adam step (eps 1e-5) per update; no gradient clipping, no entropy bonus.
 * - The Fusion agent always answers by argmax; the Decider always samples.
 * - A turn ends by dropping the stored steps and rebuilding both optimizers (`update_policy_params`).
 */
export class ReinforceParityTrainer implements Trainer {
  private readonly agents: RlFocalAgents;
  private readonly config: ResolvedConfig;
  private readonly actionRng: Rng;
  private optDecider: Adam;
  private optFusion: Adam;
  private readonly decider = new GrowingBatch();
  private readonly fusion = new GrowingBatch();
  private readonly team: Uint8Array;
  private scratch = { grad: new Float64Array(0), logp: new Float64Array(0) };

  constructor(agents: RlFocalAgents, config: ResolvedConfig, rng: Rng) {
    this.agents = agents;
    this.config = config;
    this.actionRng = rng.fork('actions');
    this.optDecider = new Adam(agents.decider.net.nParams, { lr: config.lrDecider, eps: config.adamEps });
    this.optFusion = new Adam(agents.fusion.net.nParams, { lr: config.lrFusion, eps: config.adamEps });
    this.team = new Uint8Array(agents.decider.nModels);
  }

  runEpisode(env: EnsembleEnv, roles: EpisodeRoles): EpisodeStats {
    checkLayoutsMatch(this.agents, env);
    const { decider, fusion } = this.agents;
    const N = decider.nModels;
    const recorder = new EpisodeRecorder(env);
    const team = this.team;
    const learnDecider = roles.decider === 'learn';
    const learnFusion = roles.fusion === 'learn';
    let positiveRewards = 0;
    let count = 0;
    let o1 = env.reset();
    for (;; count++) {
      decider.act(o1, roles.deciderAction === 'sample' ? this.actionRng : null, team);
      if (learnDecider) this.decider.push(o1, team, N);
      const turn = env.stepDecider(team);
      let answer: number | null = null;
      let fusionActs = false;
      if (roles.fusion !== 'interim') {
        fusionActs = turn.teamSize > 0;
        answer = fusionActs ? fusion.act(turn.observation, roles.fusionAction === 'sample' ? this.actionRng : null).choice : -1;
        if (learnFusion && fusionActs) this.fusion.push(turn.observation, null, 0, answer);
      }
      const outcome = env.stepFusion(answer);
      recorder.record(team, outcome);
      positiveRewards += Math.max(outcome.reward, 0);
      if (learnDecider) this.decider.reward(outcome.reward);
      if (learnFusion && fusionActs) this.fusion.reward(outcome.reward);
      if (count % this.config.updatePeriod === 0 && count > 0) {
        const diag = emptyDiagnostics(Math.max(this.decider.size, this.fusion.size));
        if (learnFusion) diag.fusionLoss = this.updateFusion();
        if (learnDecider) diag.deciderLoss = this.updateDecider();
        recorder.updates.push(diag);
      }
      if (outcome.done) break;
      o1 = outcome.observation;
    }
    // The code reports sum(max(r, 0)) / count with count = the last loop index (one fewer than the steps served).
    return recorder.finish(this.config.parityLoopQuirks ? positiveRewards / count : undefined);
  }

  endTurn(): void {
    this.decider.clear();
    this.fusion.clear();
    this.optDecider = new Adam(this.agents.decider.net.nParams, { lr: this.config.lrDecider, eps: this.config.adamEps });
    this.optFusion = new Adam(this.agents.fusion.net.nParams, { lr: this.config.lrFusion, eps: this.config.adamEps });
  }

  private updateDecider(): number {
    const b = this.decider;
    if (b.size < 2) {
      // torch's std of one value is NaN: the code would write NaN weights. Skip instead.
      b.clear();
      return NaN;
    }
    const net = this.agents.decider;
    normalisedReturns(b.rewards, b.size, this.config.gammaDecider, b.advantages);
    this.ensureScratch(b.size * Math.max(net.nLogits, 2));
    net.net.zeroGrad();
    const loss = deciderReinforceLoss(net, b, b.size, this.scratch);
    this.optDecider.step(net.net.params, net.net.grads);
    b.clear();
    return loss;
  }

  private updateFusion(): number {
    const b = this.fusion;
    if (b.size < 2) {
      b.clear();
      return NaN;
    }
    const net = this.agents.fusion;
    normalisedReturns(b.rewards, b.size, this.config.gammaFusion, b.advantages);
    this.ensureScratch(b.size * net.layout.maxChoices);
    net.net.zeroGrad();
    const loss = fusionReinforceLoss(net, b, b.size, this.scratch);
    this.optFusion.step(net.net.params, net.net.grads);
    b.clear();
    return loss;
  }

  private ensureScratch(n: number): void {
    if (this.scratch.grad.length < n) this.scratch = { grad: new Float64Array(2 * n), logp: new Float64Array(2 * n) };
  }
}

/** G_t = r_t + gamma G_{t+1} over the batch, then (G - mean) / (std + 1e-9), std with Bessel's correction (torch). */
export function normalisedReturns(rewards: ArrayLike<number>, n: number, gamma: number, out: Float64Array): Float64Array {
  let g = 0;
  for (let t = n - 1; t >= 0; t--) {
    g = rewards[t] + gamma * g;
    out[t] = g;
  }
  let mean = 0;
  for (let t = 0; t < n; t++) mean += out[t];
  mean /= n;
  let ss = 0;
  for (let t = 0; t < n; t++) ss += (out[t] - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  for (let t = 0; t < n; t++) out[t] = (out[t] - mean) / (std + 1e-9);
  return out;
}

/** Rows stored since the last update (the code's Python lists), growing as needed. */
class GrowingBatch {
  size = 0;
  width = 0;
  obs = new Float64Array(0);
  teams = new Uint8Array(0);
  actions = new Int32Array(0);
  rewards = new Float64Array(0);
  advantages = new Float64Array(0);
  private capacity = 0;
  private nTeam = 0;

  push(obs: ArrayLike<number>, team: ArrayLike<number> | null, nTeam: number, action = 0): void {
    if (this.size === this.capacity || this.width !== obs.length || this.nTeam !== nTeam) this.grow(obs.length, nTeam);
    this.obs.set(obs, this.size * this.width);
    if (team) this.teams.set(team, this.size * nTeam);
    this.actions[this.size] = action;
    this.size++;
  }

  /** Reward of the last pushed row. */
  reward(r: number): void {
    this.rewards[this.size - 1] = r;
  }

  clear(): void {
    this.size = 0;
  }

  private grow(width: number, nTeam: number): void {
    if ((width !== this.width || nTeam !== this.nTeam) && this.size > 0) {
      throw new Error(`ReinforceParityTrainer: observation width changed from ${this.width} to ${width} with ${this.size} steps stored`);
    }
    const capacity = Math.max(64, 2 * this.capacity);
    const keep = this.size;
    const obs = new Float64Array(capacity * width);
    const teams = new Uint8Array(capacity * nTeam);
    const actions = new Int32Array(capacity);
    const rewards = new Float64Array(capacity);
    obs.set(this.obs.subarray(0, keep * width));
    teams.set(this.teams.subarray(0, keep * nTeam));
    actions.set(this.actions.subarray(0, keep));
    rewards.set(this.rewards.subarray(0, keep));
    this.obs = obs;
    this.teams = teams;
    this.actions = actions;
    this.rewards = rewards;
    this.advantages = new Float64Array(capacity);
    this.width = width;
    this.nTeam = nTeam;
    this.capacity = capacity;
  }
}
