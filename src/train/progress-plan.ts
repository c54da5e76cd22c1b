import type { ResolvedConfig } from './config';
import type { TrainProgress } from './train-rl-focal';

/**
 * Progress steps a seed will report through onProgress at most: per agent set its episodes, the test pass and, with a
 * validation share, the guard's comparison (early stopping can skip episodes; a subtask too short for a validation
 * split has no guard).
 */
export function stepsPerSeed(config: ResolvedConfig, subtasks: number): number {
  return subtasks * stepsPerAgentSet(config);
}

function stepsPerAgentSet(config: ResolvedConfig): number {
  return config.deciderEpisodes + config.fusionEpisodes + 1 + (config.validationFraction > 0 ? 1 : 0);
}

/** Position of a progress event within its seed, counting skipped (early-stopped) episodes as done. */
export function progressPosition(config: ResolvedConfig, progress: TrainProgress): number {
  const perSubtask = stepsPerAgentSet(config);
  // The refit (`refitAfterGuard`) is not in the plan: its episodes hold the count at the seed's end.
  if (progress.refit) return (progress.subtaskCount ?? 1) * perSubtask;
  const within =
    progress.turn === 'decider'
      ? progress.episode + 1
      : progress.turn === 'fusion'
        ? config.deciderEpisodes + progress.episode + 1
        : progress.turn === 'test'
          ? config.deciderEpisodes + config.fusionEpisodes + 1
          : perSubtask;
  return (progress.subtaskIndex ?? 0) * perSubtask + within;
}
