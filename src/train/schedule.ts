import type { EnsembleEnv } from '../env/ensemble-env';
import { restoreWeights, snapshotWeights, type RlFocalAgents, type WeightSnapshot } from './agents';
import type { ResolvedConfig } from './config';
import type { EpisodeRoles, EpisodeStats, Trainer } from './episode';

// Algorithm 1 (offline warm start on the train stream, `warmStart`) and Algorithm 2 (online operation on the test
// stream, `runOnline`).

/** Which turn an episode belongs to: Algorithm 1's two turns, or the test pass of Algorithm 2. */
export type TrainingTurn = 'decider' | 'fusion' | 'test';

export interface TurnResult {
  episodes: EpisodeStats[];
  /** Index of the episode whose weights were kept (-1 when no episode ran). */
  bestEpisode: number;
  stoppedEarly: boolean;
}

export function warmStartRoles(turn: 'decider' | 'fusion', config: ResolvedConfig): EpisodeRoles {
  if (turn === 'decider') return { decider: 'learn', fusion: 'interim', deciderAction: 'sample', fusionAction: 'argmax' };
  // MAPPO's clipped surrogate needs actions drawn from the policy; the code answers by argmax (spec §7 item 2).
  return { decider: 'act', fusion: 'learn', deciderAction: 'sample', fusionAction: config.algorithm === 'mappo' ? 'sample' : 'argmax' };
}

export function onlineRoles(config: ResolvedConfig): EpisodeRoles {
  const mode = config.onlineUpdates ? 'learn' : 'act';
  return { decider: mode, fusion: mode, deciderAction: config.testDeciderAction, fusionAction: 'argmax' };
}

export function runTurn(
  trainer: Trainer,
  env: EnsembleEnv,
  agents: RlFocalAgents,
  turn: 'decider' | 'fusion',
  config: ResolvedConfig,
  onEpisode?: (episode: number, episodes: number, stats: EpisodeStats) => void,
): TurnResult {
  const episodes = turn === 'decider' ? config.deciderEpisodes : config.fusionEpisodes;
  const roles = warmStartRoles(turn, config);
  const history: EpisodeStats[] = [];
  let best = -Infinity;
  let bestEpisode = -1;
  let kept: WeightSnapshot | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  for (let e = 0; e < episodes; e++) {
    const stats = trainer.runEpisode(env, roles);
    history.push(stats);
    onEpisode?.(e, episodes, stats);
    if (stats.accuracy > best) {
      best = stats.accuracy;
      bestEpisode = e;
      if (config.restoreBest) kept = snapshotWeights(agents);
      sinceBest = 0;
    } else if (++sinceBest >= config.patience) {
      stoppedEarly = e < episodes - 1;
      break;
    }
  }
  if (kept) restoreWeights(agents, kept);
  trainer.endTurn();
  return { episodes: history, bestEpisode: config.restoreBest ? bestEpisode : history.length - 1, stoppedEarly };
}

/**
 * Algorithm 1: the agents train in turns (spec §6, lines 12 and 23): first the Decider for `deciderEpisodes` episodes
 * with the interim plurality vote as the answer (reward with the size term), then the Fusion agent for
 * `fusionEpisodes` episodes with the Decider frozen (it still samples its teams). Each turn (`runTurn`) keeps the
 * weights of its best episode by training accuracy and stops after `patience` episodes without improvement, as the
 * code does.
 */
export function warmStart(
  trainer: Trainer,
  env: EnsembleEnv,
  agents: RlFocalAgents,
  config: ResolvedConfig,
  onEpisode?: (turn: TrainingTurn, episode: number, episodes: number, stats: EpisodeStats) => void,
): { decider: TurnResult; fusion: TurnResult } {
  const decider = runTurn(trainer, env, agents, 'decider', config, (e, n, s) => onEpisode?.('decider', e, n, s));
  const fusion = runTurn(trainer, env, agents, 'fusion', config, (e, n, s) => onEpisode?.('fusion', e, n, s));
  return { decider, fusion };
}

/**
 * Algorithm 2: one pass over the test stream, serving every query once; with `onlineUpdates` both agents keep
 * learning from the feedback every U queries.
 */
export function runOnline(trainer: Trainer, env: EnsembleEnv, config: ResolvedConfig): EpisodeStats {
  return trainer.runEpisode(env, onlineRoles(config));
}
