import { serveJobs } from '../util/process-pool';
import type { CellOutcome } from './cell';
import { cellRunner, type SweepWorkerData } from './cell-runner';
import type { SweepCell } from './grid';

let run: ((cell: SweepCell) => Promise<CellOutcome>) | undefined;

/** Child-process entry of `rl-focal sweep` and `rl-focal benchmark`: runs the cells the parent sends, one at a time. */
serveJobs<SweepWorkerData, SweepCell, CellOutcome>((cell, { init }) => (run ??= cellRunner(init))(cell));
