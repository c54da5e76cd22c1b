import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Dataset } from '../../data/dataset';
import { loadDataset, type LoadDatasetOptions } from '../../sources/data-source';
import { describeError } from '../errors';
import type { CellContext, CellFunction } from './cell';
import type { WorkerReply, WorkerRequest } from './pool';
import type { ConfigOverrides } from './grid';
import { runTrainCell } from './train-cell';

/** Worker-thread entry of `rl-focal sweep`: runs the cells the main thread sends, one at a time. */

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

if (parentPort) {
  const port = parentPort;
  const settings = workerData as SweepWorkerData;
  let dataset: Promise<Dataset> | undefined;
  const context: CellContext = {
    data: settings.data,
    base: settings.base,
    perSubtask: settings.perSubtask,
    loadDataset: () => (dataset ??= loadDataset(settings.data, settings.dataOptions)),
  };
  let runCell: CellFunction | undefined;

  port.on('message', async ({ cell }: WorkerRequest) => {
    const started = process.hrtime.bigint();
    let reply: WorkerReply;
    try {
      runCell ??= loadCellFunction(settings.cellModule);
      const outcome = await runCell(cell, context);
      reply = { kind: 'done', cellId: cell.id, outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    } catch (error) {
      reply = { kind: 'failed', cellId: cell.id, message: describeError(error).message, stack: (error as Error)?.stack };
    }
    port.postMessage(reply);
  });
}
