import { Adam, clipGradNorm } from '../agents/adam';
import type { Mlp } from '../agents/mlp';
import type { EnsembleEnv } from '../env/ensemble-env';
import { Rng } from '../util/rng';
import type { RlFocalAgents } from './agents';
import type { ResolvedConfig } from './config';
import { EpisodeRecorder, emptyDiagnostics, type EpisodeRoles, type EpisodeStats, type Trainer, type UpdateDiagnostics } from './episode';
import { computeGae } from './gae';
import { deciderPpoLoss, fusionPpoLoss, valueLoss, type DeciderBatch, type FusionBatch } from './losses';
import { RolloutBuffer } from './rollout-buffer';

/**
 * MAPPO for the two RL-Focal agents (spec §2.5; Yu et al. 2022), CleanRL-style: collect U steps, compute GAE with
 * the centralized critic, then several epochs of shuffled minibatches of the clipped surrogate (Eq. 7) for each
 * learning agent plus the critic's MSE, each network with its own Adam and gradient-norm clip.
 */
export class MappoTrainer implements Trainer {
  private readonly agents: RlFocalAgents;
  private readonly config: ResolvedConfig;
  private readonly actionRng: Rng;
  private readonly minibatchRng: Rng;
  private readonly optDecider: Adam;
  private readonly optFusion: Adam;
  private readonly optCriticDecider: Adam;
  private readonly optCriticFusion: Adam;
  private buffer: RolloutBuffer | null = null;
  private readonly team: Uint8Array;
  private readonly headLogProbs: Float64Array;
  private scratch: { obs: Float64Array; grad: Float64Array; logp: Float64Array } | null = null;

  constructor(agents: RlFocalAgents, config: ResolvedConfig, rng: Rng) {
    if (!agents.critic) throw new Error('MappoTrainer: the agents have no critic (created for reference-parity?)');
    this.agents = agents;
    this.config = config;
    this.actionRng = rng.fork('actions');
    this.minibatchRng = rng.fork('minibatches');
    const adam = (net: Mlp, lr: number): Adam => new Adam(net.nParams, { lr, eps: config.adamEps });
    this.optDecider = adam(agents.decider.net, config.lrDecider);
    this.optFusion = adam(agents.fusion.net, config.lrFusion);
    this.optCriticDecider = adam(agents.critic.deciderNode, config.lrCritic);
    this.optCriticFusion = adam(agents.critic.fusionNode, config.lrCritic);
    this.team = new Uint8Array(agents.decider.nModels);
    this.headLogProbs = new Float64Array(agents.decider.nModels);
  }

  runEpisode(env: EnsembleEnv, roles: EpisodeRoles): EpisodeStats {
    const { decider, fusion } = this.agents;
    const critic = this.agents.critic!;
    const learning = roles.decider === 'learn' || roles.fusion === 'learn';
    // V at the Fusion agent's move only enters the Fusion agent's advantage (A_D does not depend on it, gae.ts).
    const fusionValues = roles.fusion === 'learn';
    const buffer = learning ? this.bufferFor(env) : null;
    const recorder = new EpisodeRecorder(env);
    const team = this.team;
    const N = decider.nModels;
    let o1 = env.reset();
    for (;;) {
      // Decider's move.
      const row = buffer ? buffer.size : 0;
      if (buffer) {
        buffer.deciderObs.set(o1, row * buffer.sizes.deciderObs);
        const s = env.state();
        buffer.deciderStates.set(s, row * buffer.sizes.deciderState);
        buffer.deciderValues[row] = critic.value('decider', s);
      }
      const deciderLogProb = decider.act(o1, roles.deciderAction === 'sample' ? this.actionRng : null, team, this.headLogProbs);
      const turn = env.stepDecider(team);
      // Fusion agent's move (or the interim plurality vote).
      let answer: number | null = null;
      let fusionLogProb = 0;
      const fusionActs = roles.fusion !== 'interim' && turn.teamSize > 0;
      if (buffer) {
        buffer.fusionObs.set(turn.observation, row * buffer.sizes.fusionObs);
        if (fusionValues) {
          const s = env.state();
          buffer.fusionStates.set(s, row * buffer.sizes.fusionState);
          buffer.fusionValues[row] = critic.value('fusion', s);
        } else {
          buffer.fusionValues[row] = 0;
        }
      }
      if (roles.fusion !== 'interim') {
        if (fusionActs) {
          const act = fusion.act(turn.observation, roles.fusionAction === 'sample' ? this.actionRng : null);
          answer = act.choice;
          fusionLogProb = act.logProb;
        } else {
          answer = -1;
        }
      }
      const outcome = env.stepFusion(answer);
      recorder.record(team, outcome);
      if (buffer) {
        buffer.teams.set(team, row * N);
        buffer.deciderLogProbs[row] = deciderLogProb;
        buffer.deciderHeadLogProbs.set(this.headLogProbs, row * N);
        buffer.fusionActions[row] = answer ?? -1;
        buffer.fusionLogProbs[row] = fusionLogProb;
        buffer.fusionActed[row] = fusionActs ? 1 : 0;
        buffer.rewards[row] = outcome.reward;
        buffer.dones[row] = outcome.done ? 1 : 0;
        buffer.size++;
        if (buffer.full) {
          const nextValue = outcome.done ? 0 : critic.value('decider', env.state());
          recorder.updates.push(this.update(buffer, nextValue, roles));
          buffer.clear();
        }
      }
      if (outcome.done) break;
      o1 = outcome.observation;
    }
    return recorder.finish();
  }

  endTurn(): void {
    this.buffer?.clear();
  }

  /** One MAPPO update on a full rollout. */
  update(buffer: RolloutBuffer, nextValue: number, roles: EpisodeRoles): UpdateDiagnostics {
    const cfg = this.config;
    const { decider, fusion } = this.agents;
    const critic = this.agents.critic!;
    const n = buffer.size;
    computeGae(buffer, nextValue, cfg.gamma, cfg.gaeLambda);
    const diag = emptyDiagnostics(n);
    diag.explainedVarianceDecider = explainedVariance(buffer.deciderValues, buffer.deciderReturns, n);
    if (roles.fusion === 'learn') diag.explainedVarianceFusion = explainedVariance(buffer.fusionValues, buffer.fusionReturns, n);
    const scratch = this.scratchFor(buffer);
    const deciderBatch: DeciderBatch = {
      obs: buffer.deciderObs,
      obsSize: buffer.sizes.deciderObs,
      teams: buffer.teams,
      oldLogProbs: buffer.deciderLogProbs,
      oldHeadLogProbs: buffer.deciderHeadLogProbs,
      advantages: buffer.deciderAdvantages,
    };
    const fusionBatch: FusionBatch = {
      obs: buffer.fusionObs,
      obsSize: buffer.sizes.fusionObs,
      actions: buffer.fusionActions,
      oldLogProbs: buffer.fusionLogProbs,
      advantages: buffer.fusionAdvantages,
    };
    const order = Int32Array.from({ length: n }, (_, k) => k);
    const fusionRows = new Int32Array(n);
    const learnDecider = roles.decider === 'learn';
    const learnFusion = roles.fusion === 'learn';
    const sums = { dl: 0, de: 0, dk: 0, dc: 0, dn: 0, fl: 0, fe: 0, fk: 0, fc: 0, fn: 0, vd: 0, vf: 0, vn: 0 };
    const size = cfg.minibatchSize;
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      this.minibatchRng.shuffle(order);
      for (let start = 0; start < n; start += size) {
        const mb = order.subarray(start, Math.min(n, start + size));
        const m = mb.length;
        // Critic: one value network per decision point.
        critic.deciderNode.zeroGrad();
        sums.vd += valueLoss(critic.deciderNode, buffer.deciderStates, buffer.sizes.deciderState, buffer.deciderReturns, mb, m, scratch);
        this.step(critic.deciderNode, this.optCriticDecider);
        if (learnFusion) {
          critic.fusionNode.zeroGrad();
          sums.vf += valueLoss(critic.fusionNode, buffer.fusionStates, buffer.sizes.fusionState, buffer.fusionReturns, mb, m, scratch);
          this.step(critic.fusionNode, this.optCriticFusion);
        }
        sums.vn++;
        if (learnDecider && m > 1) {
          decider.net.zeroGrad();
          const s = deciderPpoLoss(
            decider,
            deciderBatch,
            mb,
            m,
            { epsilon: cfg.clipEpsilon, entropyCoef: cfg.entropyDecider, ratio: cfg.deciderRatio, advantageScale: this.scale(buffer.deciderAdvantages, mb, m) },
            scratch,
          );
          this.step(decider.net, this.optDecider);
          sums.dl += s.loss;
          sums.de += s.entropy;
          sums.dk += s.approxKl;
          sums.dc += s.clipFraction;
          sums.dn++;
        }
        if (learnFusion) {
          let f = 0;
          for (let k = 0; k < m; k++) if (buffer.fusionActed[mb[k]]) fusionRows[f++] = mb[k];
          if (f > 1) {
            const rows = fusionRows.subarray(0, f);
            fusion.net.zeroGrad();
            const s = fusionPpoLoss(
              fusion,
              fusionBatch,
              rows,
              f,
              { epsilon: cfg.clipEpsilon, entropyCoef: cfg.entropyFusion, advantageScale: this.scale(buffer.fusionAdvantages, rows, f) },
              scratch,
            );
            this.step(fusion.net, this.optFusion);
            sums.fl += s.loss;
            sums.fe += s.entropy;
            sums.fk += s.approxKl;
            sums.fc += s.clipFraction;
            sums.fn++;
          }
        }
      }
    }
    diag.valueLossDecider = sums.vd / sums.vn;
    if (learnFusion) diag.valueLossFusion = sums.vf / sums.vn;
    if (sums.dn > 0) {
      diag.deciderLoss = sums.dl / sums.dn;
      diag.deciderEntropy = sums.de / sums.dn;
      diag.deciderApproxKl = sums.dk / sums.dn;
      diag.deciderClipFraction = sums.dc / sums.dn;
    }
    if (sums.fn > 0) {
      diag.fusionLoss = sums.fl / sums.fn;
      diag.fusionEntropy = sums.fe / sums.fn;
      diag.fusionApproxKl = sums.fk / sums.fn;
      diag.fusionClipFraction = sums.fc / sums.fn;
    }
    return diag;
  }

  private step(net: Mlp, optimizer: Adam): void {
    clipGradNorm(net.grads, this.config.maxGradNorm);
    optimizer.step(net.params, net.grads);
  }

  /** Minibatch advantage normalisation (as SB3 and CleanRL), or the identity when switched off. */
  private scale(advantages: Float64Array, rows: ArrayLike<number>, n: number): { mean: number; std: number } {
    if (!this.config.normalizeAdvantages) return { mean: 0, std: 1 };
    let mean = 0;
    for (let k = 0; k < n; k++) mean += advantages[rows[k]];
    mean /= n;
    let ss = 0;
    for (let k = 0; k < n; k++) ss += (advantages[rows[k]] - mean) ** 2;
    return { mean, std: Math.sqrt(ss / Math.max(1, n - 1)) + 1e-8 };
  }

  private bufferFor(env: EnsembleEnv): RolloutBuffer {
    const sizes = {
      capacity: this.config.updatePeriod,
      nModels: env.nModels,
      deciderObs: env.deciderLayout.size,
      deciderState: env.deciderStateSize,
      fusionObs: env.fusionLayout.size,
      fusionState: env.fusionStateSize,
    };
    const b = this.buffer;
    if (!b || Object.entries(sizes).some(([k, v]) => b.sizes[k as keyof typeof sizes] !== v)) this.buffer = new RolloutBuffer(sizes);
    return this.buffer!;
  }

  private scratchFor(buffer: RolloutBuffer): { obs: Float64Array; grad: Float64Array; logp: Float64Array } {
    const s = buffer.sizes;
    const width = Math.max(s.deciderObs, s.deciderState, s.fusionObs, s.fusionState);
    const gradWidth = Math.max(this.agents.decider.nLogits, this.agents.fusionLayout.maxChoices, 1);
    const rows = this.config.minibatchSize;
    if (!this.scratch || this.scratch.obs.length < rows * width || this.scratch.grad.length < rows * gradWidth) {
      this.scratch = {
        obs: new Float64Array(rows * width),
        grad: new Float64Array(rows * gradWidth),
        logp: new Float64Array(rows * this.agents.fusionLayout.maxChoices),
      };
    }
    return this.scratch;
  }
}

/** 1 - Var(returns - values) / Var(returns); NaN when the returns are constant. */
export function explainedVariance(values: Float64Array, returns: Float64Array, n: number): number {
  let mr = 0;
  let md = 0;
  for (let k = 0; k < n; k++) {
    mr += returns[k];
    md += returns[k] - values[k];
  }
  mr /= n;
  md /= n;
  let vr = 0;
  let vd = 0;
  for (let k = 0; k < n; k++) {
    vr += (returns[k] - mr) ** 2;
    vd += (returns[k] - values[k] - md) ** 2;
  }
  return vr > 0 ? 1 - vd / vr : NaN;
}
