import * as path from 'node:path';
import type { Dataset } from '../../data/dataset';
import { loadDataset, type LoadDatasetOptions } from '../../sources/data-source';
import { serveJobs } from '../../util/process-pool';
import { describeError } from '../errors';
import type { CellContext, CellFunction, CellOutcome } from './cell';
import type { ConfigOverrides, SweepCell } from './grid';
import { runTrainCell } from './train-cell';

/** Child-process entry of `rl-focal sweep`: runs the cells the parent sends, one at a time. */

export interface SweepWorkerData {
  data: string;
  dataOptions: LoadDatasetOptions;
  perSubtask: boolean;
  base: ConfigOverrides;
  /** Absolute path of a module exporting `runCell`; RL-Focal training when absent. */
  cellModule?: string;
}

function loadCellFunction(modulePath: string | undefined): CellFunction {
  if (modulePath === undefined) return runTrainCell;
  const loaded = require(path.resolve(modulePath)) as { runCell?: unknown };
  if (typeof loaded.runCell !== 'function') throw new Error(`${modulePath} does not export a function runCell(cell, context)`);
  return loaded.runCell as CellFunction;
}

let dataset: Promise<Dataset> | undefined;
let context: CellContext | undefined;
let runCell: CellFunction | undefined;

serveJobs<SweepWorkerData, SweepCell, CellOutcome>(async (cell, { init: settings }) => {
  context ??= {
    data: settings.data,
    base: settings.base,
    perSubtask: settings.perSubtask,
    loadDataset: () => (dataset ??= loadDataset(settings.data, settings.dataOptions)),
  };
  runCell ??= loadCellFunction(settings.cellModule);
  try {
    return await runCell(cell, context);
  } catch (error) {
    // The CLI's wording of the error (an InputError names its file and field), not the raw exception.
    throw new Error(describeError(error).message);
  }
});
