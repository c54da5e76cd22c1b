import { Adam, clipGradNorm } from '../agents/adam';
import type { Mlp } from '../agents/mlp';
import type { EnsembleEnv } from '../env/ensemble-env';
import { checkLayoutsMatch } from '../env/observations';
import { Rng } from '../util/rng';
import type { RlFocalAgents } from './agents';
import type { ResolvedConfig } from './config';
import { EpisodeRecorder, type EpisodeRoles, type EpisodeStats, type Trainer, type UpdateDiagnostics } from './episode';
import { deciderPpoLoss, fusionPpoLoss, valueLoss, type PolicyLossStats } from './losses';
import { RolloutBuffer, type DeciderMove, type FusionMove } from './rollout-buffer';

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
  private moves: StepMoves | null = null;
  private scratch: Scratch | null = null;

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
  }

  runEpisode(env: EnsembleEnv, roles: EpisodeRoles): EpisodeStats {
    checkLayoutsMatch(this.agents, env);
    const { decider, fusion } = this.agents;
    const critic = this.agents.critic!;
    const learning = roles.decider === 'learn' || roles.fusion === 'learn';
    const buffer = learning ? this.bufferFor(env) : null;
    const recorder = new EpisodeRecorder(env);
    // V at the Fusion agent's move only enters the Fusion agent's advantage (A_D does not depend on it, gae.ts).
    const { decider: d, fusion: f } = this.movesFor(env, roles.fusion === 'learn');
    let o1 = env.reset();
    for (;;) {
      // Decider's move. The env reuses its observation and state arrays: the step keeps copies for the buffer.
      if (buffer) {
        d.obs.set(o1);
        d.state.set(env.state());
        d.value = critic.value('decider', d.state);
      }
      d.logProb = decider.act(o1, roles.deciderAction === 'sample' ? this.actionRng : null, d.team, d.headLogProbs);
      const turn = env.stepDecider(d.team);
      // Fusion agent's move (or the interim plurality vote; -1 = no answer from an empty team).
      f.obs = turn.observation;
      f.acted = roles.fusion !== 'interim' && turn.teamSize > 0;
      f.action = -1;
      f.logProb = 0;
      if (buffer && f.state) {
        f.state.set(env.state());
        f.value = critic.value('fusion', f.state);
      }
      if (f.acted) {
        const act = fusion.act(turn.observation, roles.fusionAction === 'sample' ? this.actionRng : null);
        f.action = act.choice;
        f.logProb = act.logProb;
      }
      const outcome = env.stepFusion(roles.fusion === 'interim' ? null : f.action);
      recorder.record(d.team, outcome);
      if (buffer) {
        buffer.add(d, f, outcome.reward, outcome.done);
        if (buffer.full) {
          const nextValue = outcome.done ? 0 : critic.value('decider', env.state());
          recorder.updates.push(this.update(buffer, nextValue, roles));
          buffer.reset();
        }
      }
      if (outcome.done) break;
      o1 = outcome.observation;
    }
    return recorder.finish();
  }

  endTurn(): void {
    this.buffer?.reset();
  }

  /**
   * One MAPPO update on a full rollout (CleanRL's ppo.py loop): advantages and returns, then for every minibatch of
   * every epoch a step of each critic node on its MSE and a clipped-surrogate step of each learning agent.
   */
  update(buffer: RolloutBuffer, nextValue: number, roles: EpisodeRoles): UpdateDiagnostics {
    const cfg = this.config;
    const { decider, fusion } = this.agents;
    const critic = this.agents.critic!;
    const learnDecider = roles.decider === 'learn';
    const learnFusion = roles.fusion === 'learn';
    buffer.computeReturnsAndAdvantages(nextValue, cfg.gamma, cfg.gaeLambda);
    const explained = {
      decider: explainedVariance(buffer.deciderValues, buffer.deciderReturns, buffer.size),
      fusion: learnFusion ? explainedVariance(buffer.fusionValues, buffer.fusionReturns, buffer.size) : NaN,
    };
    const scratch = this.scratchFor(buffer);
    const deciderBatch = buffer.deciderBatch();
    const fusionBatch = buffer.fusionBatch();
    const deciderLoss = (rows: Int32Array, advantageScale: AdvantageScale): PolicyLossStats =>
      deciderPpoLoss(decider, deciderBatch, rows, rows.length, { epsilon: cfg.clipEpsilon, entropyCoef: cfg.entropyDecider, ratio: cfg.deciderRatio, advantageScale }, scratch);
    const fusionLoss = (rows: Int32Array, advantageScale: AdvantageScale): PolicyLossStats =>
      fusionPpoLoss(fusion, fusionBatch, rows, rows.length, { epsilon: cfg.clipEpsilon, entropyCoef: cfg.entropyFusion, advantageScale }, scratch);
    const { sizes } = buffer;
    const stats = { criticDecider: new Mean(), criticFusion: new Mean(), decider: new PolicyMeans(), fusion: new PolicyMeans() };
    for (const rows of buffer.minibatches(this.minibatchRng, cfg.epochs, cfg.minibatchSize)) {
      // Critic: one value network per decision point.
      stats.criticDecider.add(this.valueStep(critic.deciderNode, this.optCriticDecider, buffer.deciderStates, sizes.deciderState, buffer.deciderReturns, rows, scratch));
      if (learnFusion) stats.criticFusion.add(this.valueStep(critic.fusionNode, this.optCriticFusion, buffer.fusionStates, sizes.fusionState, buffer.fusionReturns, rows, scratch));
      if (learnDecider) this.policyStep(decider.net, this.optDecider, deciderLoss, buffer.deciderAdvantages, rows, stats.decider);
      // The Fusion agent learns only from the steps where it chose the answer.
      if (learnFusion) this.policyStep(fusion.net, this.optFusion, fusionLoss, buffer.fusionAdvantages, buffer.actedRows(rows), stats.fusion);
    }
    const d = stats.decider.means();
    const f = stats.fusion.means();
    return {
      samples: buffer.size,
      deciderLoss: d.loss,
      deciderEntropy: d.entropy,
      deciderApproxKl: d.approxKl,
      deciderClipFraction: d.clipFraction,
      fusionLoss: f.loss,
      fusionEntropy: f.entropy,
      fusionApproxKl: f.approxKl,
      fusionClipFraction: f.clipFraction,
      valueLossDecider: stats.criticDecider.mean(),
      valueLossFusion: learnFusion ? stats.criticFusion.mean() : NaN,
      explainedVarianceDecider: explained.decider,
      explainedVarianceFusion: explained.fusion,
    };
  }

  /** One Adam step of a critic node on its MSE to the returns over `rows`; the loss before the step. */
  private valueStep(net: Mlp, optimizer: Adam, states: Float64Array, stateSize: number, returns: Float64Array, rows: Int32Array, scratch: Scratch): number {
    net.zeroGrad();
    const loss = valueLoss(net, states, stateSize, returns, rows, rows.length, scratch);
    this.step(net, optimizer);
    return loss;
  }

  /**
   * One clipped-surrogate step of a policy on `rows`, its statistics added to `into`. Skipped below two rows: one
   * advantage has no spread to normalise by.
   */
  private policyStep(
    net: Mlp,
    optimizer: Adam,
    loss: (rows: Int32Array, advantageScale: AdvantageScale) => PolicyLossStats,
    advantages: Float64Array,
    rows: Int32Array,
    into: PolicyMeans,
  ): void {
    if (rows.length < 2) return;
    net.zeroGrad();
    into.add(loss(rows, this.scale(advantages, rows, rows.length)));
    this.step(net, optimizer);
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

  /**
   * The step's two moves as the episode loop fills them (arrays reused across steps); the Fusion agent's critic state
   * only when `fusionValues` (its value is 0 otherwise).
   */
  private movesFor(env: EnsembleEnv, fusionValues: boolean): StepMoves {
    const N = this.agents.decider.nModels;
    let m = this.moves;
    if (!m || m.decider.obs.length !== env.deciderLayout.size || m.decider.state.length !== env.deciderStateSize || m.fusionState.length !== env.fusionStateSize) {
      const decider = { obs: new Float64Array(env.deciderLayout.size), state: new Float64Array(env.deciderStateSize), value: 0, team: new Uint8Array(N), logProb: 0, headLogProbs: new Float64Array(N) };
      const fusionState = new Float64Array(env.fusionStateSize);
      m = this.moves = { decider, fusionState, fusion: { obs: new Float64Array(0), state: null, value: 0, action: -1, logProb: 0, acted: false } };
    }
    m.fusion.state = fusionValues ? m.fusionState : null;
    m.fusion.value = 0;
    return m;
  }

  private scratchFor(buffer: RolloutBuffer): Scratch {
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

type Scratch = { obs: Float64Array; grad: Float64Array; logp: Float64Array };
type AdvantageScale = { mean: number; std: number };

/** One step's moves as `runEpisode` fills them: the buffer's `add` copies them. */
interface StepMoves {
  decider: DeciderMove & { obs: Float64Array; state: Float64Array; team: Uint8Array; headLogProbs: Float64Array };
  fusion: FusionMove & { state: Float64Array | null };
  /** The Fusion agent's critic state, lent to `fusion.state` when its value is learned. */
  fusionState: Float64Array;
}

/** Running mean of one number over an update's minibatches (NaN when none was added). */
class Mean {
  private sum = 0;
  private count = 0;

  add(x: number): void {
    this.sum += x;
    this.count++;
  }

  mean(): number {
    return this.count > 0 ? this.sum / this.count : NaN;
  }
}

/** Running means of a policy loss's statistics over the minibatches that stepped the policy. */
class PolicyMeans {
  private readonly loss = new Mean();
  private readonly entropy = new Mean();
  private readonly approxKl = new Mean();
  private readonly clipFraction = new Mean();

  add(s: PolicyLossStats): void {
    this.loss.add(s.loss);
    this.entropy.add(s.entropy);
    this.approxKl.add(s.approxKl);
    this.clipFraction.add(s.clipFraction);
  }

  /** NaN everywhere when the policy never stepped (not learning, or every minibatch under two rows). */
  means(): PolicyLossStats {
    return { loss: this.loss.mean(), entropy: this.entropy.mean(), approxKl: this.approxKl.mean(), clipFraction: this.clipFraction.mean() };
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
