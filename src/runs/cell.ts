import type { Dataset } from '../data/dataset';
import type { ConfigOverrides, SweepCell } from './grid';

/** What a cell function gets besides its cell: the sweep's data source and fixed config. */
export interface CellContext {
  /** The `--data` spec of the sweep (a folder, `sim:<benchmark>`, `bbh`). */
  data: string;
  /** Config fixed for every cell (from --config, --set and the grid's base). */
  base: ConfigOverrides;
  /** Train one agent set per subtask (sweep --per-subtask). */
  perSubtask: boolean;
  /** The sweep's dataset (with --models/--subtasks applied), loaded once per worker on first use. */
  loadDataset(): Promise<Dataset>;
}

export interface CellOutcome {
  /** The numbers the report averages over seeds. */
  metrics: Record<string, number>;
  details?: Record<string, unknown>;
}

/** One cell of a sweep. The shipped sweep runs RL-Focal training; `--cell-module` swaps in another function. */
export type CellFunction = (cell: SweepCell, context: CellContext) => Promise<CellOutcome> | CellOutcome;
