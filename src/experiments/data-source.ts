import { existsSync, statSync } from 'node:fs';
import { loadBbhLeaderboard, type BbhLabels } from '../data/bbh';
import type { Dataset } from '../data/dataset';
import { DataFormatError } from '../data/errors';
import { readRecordedOutputs } from '../data/recorded';

/**
 * One string names a dataset everywhere (CLI `--data`, sweep manifests, notebooks):
 *   - a folder in the recorded-outputs layout (models.json + outputs.jsonl);
 *   - `bbh` (or `bbh?labels=rlfocal`): the real bbh-leaderboard folder shipped next to the repository;
 *   - `sim:<benchmark>[?n=<queries>&seed=<seed>]`: a simulated pool.
 * A string that is none of these is an error naming it, never a silent fallback.
 */

export interface LoadDatasetOptions {
  /** Keep only these models (ids), in this order. */
  models?: string[];
  /** Keep only these subtasks, in stream order. */
  subtasks?: string[];
}

export async function loadDataset(spec: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const source = parseDataSpec(spec);
  let data: Dataset;
  if (source.kind === 'bbh') {
    const labels = source.params.get('labels') ?? 'corrected';
    if (labels !== 'corrected' && labels !== 'rlfocal') {
      throw new DataFormatError(`labels must be "corrected" or "rlfocal", got "${labels}"`, { file: spec, field: 'labels' });
    }
    data = await loadBbhLeaderboard({ labels: labels as BbhLabels });
  } else if (source.kind === 'sim') {
    data = await simulate(spec, source.benchmark, source.params);
  } else {
    data = await readRecordedOutputs(source.dir, options.models ? { models: options.models } : {});
  }
  if (options.models && source.kind !== 'folder') data = selectModelsById(data, options.models, spec);
  if (options.subtasks) {
    const known = new Set(data.subtaskNames);
    const unknown = options.subtasks.filter((s) => !known.has(s));
    if (unknown.length > 0) {
      throw new DataFormatError(`unknown subtask "${unknown[0]}" (known: ${data.subtaskNames.join(', ')})`, { file: spec, field: 'subtasks' });
    }
    data = data.filter({ subtasks: options.subtasks });
  }
  return data;
}

export type DataSpec =
  | { kind: 'folder'; dir: string }
  | { kind: 'bbh'; params: URLSearchParams }
  | { kind: 'sim'; benchmark: string; params: URLSearchParams };

export function parseDataSpec(spec: string): DataSpec {
  if (spec === 'bbh' || spec.startsWith('bbh?')) return { kind: 'bbh', params: new URLSearchParams(spec.slice(4)) };
  if (spec.startsWith('sim:')) {
    const [benchmark, query = ''] = spec.slice(4).split('?', 2);
    if (benchmark === '') throw new DataFormatError('name a benchmark after "sim:" (e.g. sim:mmlu)', { file: spec });
    return { kind: 'sim', benchmark, params: new URLSearchParams(query) };
  }
  if (!existsSync(spec)) {
    throw new DataFormatError(
      'no such folder (--data takes a recorded-outputs folder with models.json and outputs.jsonl, "bbh", or "sim:<benchmark>")',
      { file: spec },
    );
  }
  if (!statSync(spec).isDirectory()) {
    throw new DataFormatError('is a file; --data takes the folder holding models.json and outputs.jsonl', { file: spec });
  }
  return { kind: 'folder', dir: spec };
}

function selectModelsById(data: Dataset, ids: string[], spec: string): Dataset {
  const indices = ids.map((id) => {
    const at = data.models.findIndex((m) => m.id === id);
    if (at < 0) throw new DataFormatError(`unknown model "${id}" (known: ${data.models.map((m) => m.id).join(', ')})`, { file: spec, field: 'models' });
    return at;
  });
  return data.selectModels(indices);
}

async function simulate(spec: string, benchmark: string, params: URLSearchParams): Promise<Dataset> {
  throw new DataFormatError(`the simulator is not available in this build (benchmark "${benchmark}", ${params.size} parameters)`, { file: spec });
}
