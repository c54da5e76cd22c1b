import { Critic } from '../agents/critic';
import { Decider } from '../agents/decider';
import { Fusion } from '../agents/fusion';
import type { Mlp } from '../agents/mlp';
import { DeciderLayout, FusionLayout, deciderStateSize, fusionStateSize, type ObservationLayouts } from '../env/observations';
import { Rng } from '../util/rng';
import type { RlFocalConfig } from './config';

/** The trained system: both policies and (MAPPO only) the centralized critic, with the layouts they read. */
export interface RlFocalAgents {
  decider: Decider;
  fusion: Fusion;
  critic: Critic | null;
  deciderLayout: DeciderLayout;
  fusionLayout: FusionLayout;
}

/**
 * Observation layouts implied by a configuration for a pool of N models and at most Cmax choices: the one place a
 * configuration becomes layouts (the agents are sized by them, `envOptionsFor` hands them to the environment).
 */
export function layoutsFor(config: RlFocalConfig, nModels: number, maxChoices: number): ObservationLayouts {
  return {
    decider: new DeciderLayout(nModels, {
      metrics: config.deciderMetrics,
      mode: config.deciderObservation,
      weights: config.deciderMetricWeights,
      teamSize: config.teamSizeScale,
      modelAccuracy: config.deciderModelAccuracy,
      queryAccuracy: config.deciderQueryAccuracy,
    }),
    fusion: new FusionLayout(nModels, maxChoices, config.fusionRecentRewards, config.fusionFeatures.includes('query-vote')),
  };
}

/**
 * Fresh agents, initialised from `config.seed` (each network from its own fork of the seed). `startingTeam` (see
 * `startingTeam` in train-rl-focal.ts) is the team `deciderInitialTeam` other than 'uniform' starts the Decider
 * toward; without it (agents whose weights are loaded next, parameter counts) the Decider starts at p = 1/2.
 */
export function createAgents(config: RlFocalConfig, nModels: number, maxChoices: number, startingTeam?: ArrayLike<number>): RlFocalAgents {
  const { decider: deciderLayout, fusion: fusionLayout } = layoutsFor(config, nModels, maxChoices);
  const init = new Rng(config.seed).fork('init');
  const decider = new Decider(
    {
      nModels,
      inputSize: deciderLayout.size,
      hidden: config.deciderHidden,
      activation: config.deciderActivation,
      head: config.deciderHead,
      headOutputs: config.deciderHeadOutputs,
      ...initialSelection(config, nModels, startingTeam),
    },
    init.fork('decider'),
  );
  const fusion = new Fusion(
    {
      layout: fusionLayout,
      architecture: config.fusionArchitecture,
      hidden: config.fusionHidden,
      activation: config.fusionActivation,
      features: config.fusionFeatures,
      teamInput: config.fusionTeamInput,
      biasInit: config.fusionBiasInit,
    },
    init.fork('fusion'),
  );
  if (config.fusionInit === 'vote') fusion.startAsVote(FUSION_VOTE_WEIGHT);
  const critic =
    config.algorithm === 'mappo'
      ? new Critic(
          {
            deciderStateSize: deciderStateSize(deciderLayout),
            fusionStateSize: fusionStateSize(deciderLayout, fusionLayout),
            hidden: config.criticHidden,
            activation: config.criticActivation,
          },
          init.fork('critic'),
        )
      : null;
  return { decider, fusion, critic, deciderLayout, fusionLayout };
}

/** The Decider's starting selection probabilities (see `RlFocalConfig.deciderInitialTeamSize`). */
function initialSelection(config: RlFocalConfig, nModels: number, team?: ArrayLike<number>): { initialSelectionProbability?: number | Float64Array } {
  const k = config.deciderInitialTeamSize;
  if (k <= 0) return {};
  if (config.deciderInitialTeam === 'uniform') return { initialSelectionProbability: Math.min(0.5, k / nModels) };
  if (!team) return {};
  const p = new Float64Array(nModels).fill(Math.min(0.5, 1 / nModels));
  for (let r = 0; r < team.length; r++) p[team[r]] = INITIAL_MEMBER_PROBABILITY;
  return { initialSelectionProbability: p };
}

/** Starting selection probability of a member of the Decider's starting team (`deciderInitialTeam`). */
const INITIAL_MEMBER_PROBABILITY = 0.8;

/**
 * Weight of each member's vote and of its probability in `fusionInit: 'vote'`: the starting Fusion answers with the
 * choice of most votes plus summed probability, and puts about e^1 more probability on a choice one vote ahead, so
 * that it still explores.
 */
const FUSION_VOTE_WEIGHT = 1;

/** Every network of the system, by a stable name (checkpoints and snapshots use these names). */
export function networksOf(agents: RlFocalAgents): Record<string, Mlp> {
  const nets: Record<string, Mlp> = { decider: agents.decider.net, fusion: agents.fusion.net };
  if (agents.critic) {
    nets.criticDecider = agents.critic.deciderNode;
    nets.criticFusion = agents.critic.fusionNode;
  }
  return nets;
}

/** Policy parameters (the figure the paper's Table 7 reports: Decider + Fusion, no critic). */
export function policyParameterCount(agents: RlFocalAgents): { decider: number; fusion: number; critic: number; policies: number } {
  const decider = agents.decider.net.nParams;
  const fusion = agents.fusion.net.nParams;
  const critic = agents.critic ? agents.critic.deciderNode.nParams + agents.critic.fusionNode.nParams : 0;
  return { decider, fusion, critic, policies: decider + fusion };
}

export type WeightSnapshot = Record<string, Float64Array>;

export function snapshotWeights(agents: RlFocalAgents): WeightSnapshot {
  const out: WeightSnapshot = {};
  for (const [name, net] of Object.entries(networksOf(agents))) out[name] = Float64Array.from(net.params);
  return out;
}

export function restoreWeights(agents: RlFocalAgents, snapshot: WeightSnapshot): void {
  for (const name of Object.keys(networksOf(agents))) {
    if (!snapshot[name]) throw new RangeError(`restoreWeights: network "${name}" expects weights, got none`);
  }
  restoreNetworks(agents, snapshot);
}

/** Restores the networks a (partial) snapshot holds and leaves the others as they are. */
export function restoreNetworks(agents: RlFocalAgents, snapshot: WeightSnapshot): void {
  for (const [name, net] of Object.entries(networksOf(agents))) {
    const w = snapshot[name];
    if (w === undefined) continue;
    if (w.length !== net.nParams) throw new RangeError(`restoreWeights: network "${name}" expects ${net.nParams} weights, got ${w.length}`);
    net.params.set(w);
  }
}
