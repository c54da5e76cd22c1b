import * as path from 'node:path';
import type { Dataset } from '../data/dataset';
import { loadDataset, type LoadDatasetOptions } from '../sources/data-source';
import { errorLine } from '../util/input-error';
import type { CellContext, CellFunction, CellOutcome } from './cell';
import type { ConfigOverrides, SweepCell } from './grid';

/** What runs the cells of a sweep store: its data source, fixed config and cell function (sent to each worker). */
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

/**
 * The job function of `rl-focal sweep` and `rl-focal benchmark` (in this process, or in a worker: runs/worker.ts): the
 * dataset is loaded once, on first use; a failure is one line that names the file and field of an InputError, not the
 * raw exception.
 */
export function cellRunner(settings: SweepWorkerData): (cell: SweepCell) => Promise<CellOutcome> {
  let dataset: Promise<Dataset> | undefined;
  const context: CellContext = {
    data: settings.data,
    base: settings.base,
    perSubtask: settings.perSubtask,
    loadDataset: () => (dataset ??= loadDataset(settings.data, settings.dataOptions)),
  };
  let runCell: CellFunction | undefined;
  return async (cell) => {
    runCell ??= loadCellFunction(settings.cellModule);
    try {
      return await runCell(cell, context);
    } catch (error) {
      throw new Error(errorLine(error));
    }
  };
}
