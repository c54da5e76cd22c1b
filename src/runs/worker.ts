import * as path from 'node:path';
import type { Dataset } from '../data/dataset';
import { loadDataset, type LoadDatasetOptions } from '../sources/data-source';
import { errorLine } from '../util/input-error';
import { serveJobs } from '../util/process-pool';
import type { CellContext, CellFunction, CellOutcome } from './cell';
import type { ConfigOverrides, SweepCell } from './grid';

/** What a worker process is started with: the run's data source, fixed config and cell function. */
export interface SweepWorkerData {
  data: string;
  dataOptions: LoadDatasetOptions;
  perSubtask: boolean;
  base: ConfigOverrides;
  /** Absolute path of a module exporting `runCell` (the sweep's RL-Focal training cell, the benchmark's cell, ...). */
  cellModule: string;
}

function loadCellFunction(modulePath: string): CellFunction {
  const loaded = require(path.resolve(modulePath)) as { runCell?: unknown };
  if (typeof loaded.runCell !== 'function') throw new Error(`${modulePath} does not export a function runCell(cell, context)`);
  return loaded.runCell as CellFunction;
}

let dataset: Promise<Dataset> | undefined;
let context: CellContext | undefined;
let runCell: CellFunction | undefined;

/** Child-process entry of `rl-focal sweep` and `rl-focal benchmark`: runs the cells the parent sends, one at a time. */
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
    // One line that names the file and field of an InputError, not the raw exception.
    throw new Error(errorLine(error));
  }
});
