import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Dataset } from './dataset';
import { DataFormatError } from './errors';
import { readRecordedOutputs } from './recorded';

/**
 * The real BBH data set shipped next to the repository (`<repo>/../shared/data/bbh-leaderboard`): 5 LLMs, 24 BBH
 * subtasks, 5,761 questions, Open LLM Leaderboard v2 log-likelihoods. See that folder's README.md.
 */

/** `<repo>/../shared/data/bbh-leaderboard`, from src/data or dist/data alike (both sit two levels below the repo). */
export const DEFAULT_BBH_LEADERBOARD_DIR = resolve(__dirname, '../../../shared/data/bbh-leaderboard');

/**
 * `corrected`: the gold choice index of the folder (`doc_to_choice.index(target)`).
 * `rlfocal`: the label rl-focal stored (index of the target in the sorted set of targets), which disagrees with the
 * score columns on 7 subtasks; only for reproducing the authors' numbers.
 */
export type BbhLabels = 'corrected' | 'rlfocal';

export interface BbhOptions {
  dir?: string;
  labels?: BbhLabels;
}

export function bbhLeaderboardAvailable(dir = DEFAULT_BBH_LEADERBOARD_DIR): boolean {
  return existsSync(join(dir, 'outputs.jsonl')) && existsSync(join(dir, 'models.json'));
}

interface SubtaskEntry {
  subtask: string;
  k: number;
  rlfocal_label_to_choice_index: number[];
}

export async function loadBbhLeaderboard(dirOrOptions: string | BbhOptions = {}): Promise<Dataset> {
  const options = typeof dirOrOptions === 'string' ? { dir: dirOrOptions } : dirOrOptions;
  const dir = options.dir ?? DEFAULT_BBH_LEADERBOARD_DIR;
  const labels = options.labels ?? 'corrected';
  const data = await readRecordedOutputs(dir, {
    provenance: {
      kind: 'real',
      source: 'real recorded outputs: bbh-leaderboard (5 LLMs, BIG-Bench-Hard 24 subtasks, Open LLM Leaderboard v2 log-likelihoods)',
      notes: labels === 'rlfocal' ? ["labels: rl-focal's stored labels (wrong on 7 subtasks), only to reproduce the authors' numbers"] : [],
    },
  });
  return labels === 'rlfocal' ? withRlFocalLabels(data, join(dir, 'subtasks.json')) : data;
}

/**
 * Replaces each corrected label c by the rl-focal label r with `rlfocal_label_to_choice_index[r] === c`: rl-focal
 * compared r directly with the argmax score column.
 */
function withRlFocalLabels(data: Dataset, subtasksFile: string): Dataset {
  let entries: SubtaskEntry[];
  try {
    entries = JSON.parse(readFileSync(subtasksFile, 'utf8')) as SubtaskEntry[];
  } catch (err) {
    throw new DataFormatError(`cannot read the rl-focal label map: ${(err as Error).message}`, { file: subtasksFile });
  }
  const bySubtask = new Map(entries.map((e) => [e.subtask, e]));
  const labels = new Int32Array(data.nQueries);
  for (let t = 0; t < data.nQueries; t++) {
    const name = data.subtaskNames[data.subtaskIds[t]];
    const entry = bySubtask.get(name);
    if (!entry) throw new DataFormatError(`no entry for subtask "${name}"`, { file: subtasksFile, field: 'subtask' });
    const map = entry.rlfocal_label_to_choice_index;
    const r = map.indexOf(data.labels[t]);
    if (r < 0 || map.lastIndexOf(data.labels[t]) !== r || r >= data.choiceCounts[t]) {
      throw new DataFormatError(`choice ${data.labels[t]} has no unique rl-focal label in subtask "${name}"`, {
        file: subtasksFile,
        field: 'rlfocal_label_to_choice_index',
      });
    }
    labels[t] = r;
  }
  return new Dataset({ ...data.columns(), labels });
}
