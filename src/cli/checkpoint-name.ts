import { createHash } from 'node:crypto';

/**
 * File name of a per-subtask checkpoint: the subtask's name made file-safe, plus a short hash of the exact name, so
 * that names the sanitising maps together (`math/algebra` and `math algebra`, or `代数` and `几何`) do not overwrite
 * each other.
 */
export function subtaskCheckpointName(subtask: string): string {
  const hash = createHash('sha256').update(subtask, 'utf8').digest('hex').slice(0, 8);
  return `agents-${subtask.replace(/[^\w.-]+/g, '_')}-${hash}.json`;
}
