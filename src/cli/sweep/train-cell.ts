import { withOverrides } from '../config-input';
import { trainSeed } from '../train-run';
import type { CellFunction } from '../../runs/cell';

/**
 * The shipped sweep cell: RL-Focal training (Algorithm 1) and online evaluation (Algorithm 2) of one config x
 * seed, with the same code path as `rl-focal train`. The cell's grid values override the sweep's base config.
 */
export const runCell: CellFunction = async (cell, context) => {
  const data = await context.loadDataset();
  const config = { ...withOverrides(context.base, cell.overrides), seed: cell.seed };
  const trained = trainSeed(data, config, { perSubtask: context.perSubtask, source: { data: context.data } });
  const m = trained.metrics;
  return {
    metrics: {
      test_accuracy: m.test_accuracy,
      test_accuracy_macro: m.test_accuracy_macro,
      calls_per_query: m.calls_per_query,
      cost_per_1000: m.cost_per_1000,
    },
    details: {
      best_episode: trained.runs.map(({ subtask, run }) => ({ ...(subtask ? { subtask } : {}), ...run.bestEpisode })),
      per_subtask: trained.runs.filter((r) => r.subtask !== undefined).map(({ subtask, run }) => ({ subtask, test_accuracy: run.test.accuracy })),
    },
  };
};
