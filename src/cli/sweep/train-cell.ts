import type { CellFunction } from './cell';

/** The shipped sweep cell: RL-Focal training (Algorithm 1) and online evaluation (Algorithm 2) on one config x seed. */
export const runTrainCell: CellFunction = () => {
  throw new Error('RL-Focal training is not wired into the sweep yet (src/train has not landed); use --cell-module');
};
