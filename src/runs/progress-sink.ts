// Progress lines of in-process runs (`runRlFocalSeeds`, the experiments), worded for a notebook display.

/** One line of progress, already worded for a notebook display. */
export interface ExperimentProgress {
  /** Which run of the experiment (e.g. "table1 · mmlu · seed 2/5"). */
  stage: string;
  /** The full line to show. */
  message: string;
  /** The last line of a run: never dropped by `throttleProgress`. */
  final?: boolean;
}

export type ProgressSink = (progress: ExperimentProgress) => void;

/**
 * At most one progress line per `intervalMs` (the others are dropped; `final: true` lines always pass). A notebook
 * display is one Jupyter message per update: hundreds of updates inside one synchronous stretch overflow the
 * kernel's socket ("Socket is busy writing") and kill the cell.
 */
export function throttleProgress(sink: ProgressSink | undefined, intervalMs = 1000): ProgressSink | undefined {
  if (!sink) return undefined;
  let last = -Infinity;
  return (progress) => {
    const now = performance.now();
    if (!progress.final && now - last < intervalMs) return;
    last = now;
    sink(progress);
  };
}
