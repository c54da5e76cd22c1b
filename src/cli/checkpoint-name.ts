import { createHash } from 'node:crypto';
import type { CheckpointStage } from '../train/checkpoint';

/**
 * File name of a per-subtask checkpoint: the subtask's name made file-safe, plus a short hash of the exact name, so
 * that names the sanitising maps together (`math/algebra` and `math algebra`, or `代数` and `几何`) do not overwrite
 * each other.
 */
export function subtaskCheckpointName(subtask: string): string {
  const hash = createHash('sha256').update(subtask, 'utf8').digest('hex').slice(0, 8);
  return `agents-${subtask.replace(/[^\w.-]+/g, '_')}-${hash}.json`;
}

/**
 * File name of one of a run's two checkpoints: `agents.json` / `agents-<subtask>-<hash>.json` for the post-warm-start
 * agents (the ones that reproduce the reported test accuracy), with `-online` before `.json` for the agents after the
 * online test pass.
 */
export function checkpointFileName(subtask: string | undefined, stage: CheckpointStage): string {
  const name = subtask === undefined ? 'agents.json' : subtaskCheckpointName(subtask);
  return stage === 'post-online' ? name.replace(/\.json$/, '-online.json') : name;
}
