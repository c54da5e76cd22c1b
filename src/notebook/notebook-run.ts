/**
 * How a notebook is being run, read once from the environment its kernel was started with: fast or full budgets,
 * whether this is the reproduction (`npm run reproduce` on unmodified notebooks), and where its files go. Interactive
 * sessions write to a scratch folder so an edited run never overwrites, or passes for, the committed results.
 */

/** Figures folder of interactive runs, relative to the notebooks folder (the kernel's working directory). */
export const SCRATCH_FIGURES_DIR = '../build/scratch-figures';
/** The committed reproduction, relative to the notebooks folder. */
export const REPRODUCTION_FIGURES_DIR = '../figures';

export interface NotebookRun {
  mode: 'fast' | 'full';
  /** `mode === 'fast'`: shrunk budgets, a smoke test rather than results. */
  fast: boolean;
  /**
   * True only when the notebook runner executed the committed notebook in full mode (it sets RL_FOCAL_REPRODUCTION=1
   * after checking the notebook has no uncommitted changes). An interactive session is never the reproduction, even
   * when it opts in to writing `figures/`.
   */
  reproduction: boolean;
  /** Where tables, figures and the summary go. */
  figuresDir: string;
}

/**
 * RL_FOCAL_FAST=1 selects fast budgets; RL_FOCAL_FIGURES names the output folder (the runner and `npm run notebook`
 * set it), else RL_FOCAL_WRITE_FIGURES=1 selects `../figures` and anything else the scratch folder.
 */
export function notebookRun(env: NodeJS.ProcessEnv = process.env): NotebookRun {
  const fast = env.RL_FOCAL_FAST === '1';
  const fallback = env.RL_FOCAL_WRITE_FIGURES === '1' ? REPRODUCTION_FIGURES_DIR : SCRATCH_FIGURES_DIR;
  return {
    mode: fast ? 'fast' : 'full',
    fast,
    reproduction: !fast && env.RL_FOCAL_REPRODUCTION === '1',
    figuresDir: env.RL_FOCAL_FIGURES !== undefined && env.RL_FOCAL_FIGURES !== '' ? env.RL_FOCAL_FIGURES : fallback,
  };
}
