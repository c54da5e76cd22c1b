import { existsSync, statSync } from 'node:fs';
import { withPaperPrices } from '../baselines/prices';
import type { Dataset } from '../data/dataset';
import { DataFormatError } from '../data/errors';
import { readRecordedOutputs } from '../data/recorded';
import { SLOT_ORDERS, type SlotOrder } from '../data/sampled-answers';
import { isSharedPoolName, loadSharedPool, SHARED_POOL_NAMES, type SharedPoolName, type SharedPoolOptions } from '../data/shared-pools';
import { BENCHMARK_NAMES, simulatePool, type BenchmarkName, type SimulatePoolOptions } from '../sim/index';

/**
 * One string names a dataset everywhere (CLI `--data`, sweep manifests, notebooks):
 *   - a folder in the recorded-outputs layout (models.json + outputs.jsonl);
 *   - the name of a real pool shipped next to the repository (`../shared/data/<name>`, see loadSharedPool):
 *     `bbh-leaderboard` (alias `bbh`; `?labels=rlfocal`), `mmlu-redux-14` (`?labels=redux`), `mmlu-helm-10`,
 *     `emotion-11`, `gsm8k-zeroeval-43` (`?k=<answer slots>&slotOrder=neutral|pool-count`);
 *   - `sim:<benchmark>[?n=<queries>&seed=<seed>&models=<ids>&<simulator option>=<value>...]`: a simulated pool
 *     (simulatePool; n defaults to 2000, seed to 0).
 * A string that is none of these is an error naming it, never a silent fallback.
 */

export interface LoadDatasetOptions {
  /** Keep only these models (ids), in this order. */
  models?: string[];
  /** Keep only these subtasks, in stream order. */
  subtasks?: string[];
  /** Fill model prices from the paper's Table 8 (DeepInfra) by model id; unmatched models keep theirs or get NaN. */
  paperPrices?: boolean;
}

export async function loadDataset(spec: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const source = parseDataSpec(spec);
  let data: Dataset;
  if (source.kind === 'shared') {
    data = await loadSharedPool(source.name, sharedPoolOptions(spec, source.params));
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
  return options.paperPrices ? withPaperPrices(data) : data;
}

export type DataSpec =
  | { kind: 'folder'; dir: string }
  | { kind: 'shared'; name: SharedPoolName; params: URLSearchParams }
  | { kind: 'sim'; benchmark: string; params: URLSearchParams };

export function parseDataSpec(spec: string): DataSpec {
  const [head, query = ''] = spec.split('?', 2);
  const name = head === 'bbh' ? 'bbh-leaderboard' : head;
  // A local folder of the same name wins over the shared pool, so a user's own copy is never shadowed.
  if (isSharedPoolName(name) && !existsSync(spec)) return { kind: 'shared', name, params: new URLSearchParams(query) };
  if (spec.startsWith('sim:')) {
    const [benchmark, query = ''] = spec.slice(4).split('?', 2);
    if (benchmark === '') throw new DataFormatError('name a benchmark after "sim:" (e.g. sim:mmlu)', { file: spec });
    return { kind: 'sim', benchmark, params: new URLSearchParams(query) };
  }
  if (!existsSync(spec)) {
    throw new DataFormatError(
      `no such folder (--data takes a recorded-outputs folder with models.json and outputs.jsonl, a shared pool (${SHARED_POOL_NAMES.join(', ')}; "bbh" for short), or "sim:<benchmark>")`,
      { file: spec },
    );
  }
  if (!statSync(spec).isDirectory()) {
    throw new DataFormatError('is a file; --data takes the folder holding models.json and outputs.jsonl', { file: spec });
  }
  return { kind: 'folder', dir: spec };
}

function sharedPoolOptions(spec: string, params: URLSearchParams): SharedPoolOptions {
  const options: SharedPoolOptions = {};
  for (const [key, value] of params) {
    if (key === 'labels') options.labels = value;
    else if (key === 'k') {
      const k = Number(value);
      if (!Number.isInteger(k) || k < 2 || k > 255) throw new DataFormatError(`expected an integer 2..255, got "${value}"`, { file: spec, field: 'k' });
      options.k = k;
    } else if (key === 'slotOrder') {
      if (!(SLOT_ORDERS as readonly string[]).includes(value)) {
        throw new DataFormatError(`expected one of ${SLOT_ORDERS.join(', ')}, got "${value}"`, { file: spec, field: 'slotOrder' });
      }
      options.slotOrder = value as SlotOrder;
    } else throw new DataFormatError(`unknown parameter "${key}" (known: labels, k, slotOrder)`, { file: spec, field: key });
  }
  return options;
}

function selectModelsById(data: Dataset, ids: string[], spec: string): Dataset {
  const indices = ids.map((id) => {
    const at = data.models.findIndex((m) => m.id === id);
    if (at < 0) throw new DataFormatError(`unknown model "${id}" (known: ${data.models.map((m) => m.id).join(', ')})`, { file: spec, field: 'models' });
    return at;
  });
  return data.selectModels(indices);
}

/** Numeric simulator options settable in a `sim:` spec, by their SimulatePoolOptions names. */
const SIM_NUMBER_PARAMS = [
  'meanRunLength',
  'abstentionRate',
  'familyLoading',
  'difficultyLoading',
  'distractorSharing',
  'appealSharing',
  'confidenceSharpness',
  'confidenceNoise',
  'subtaskConfidenceGain',
  'difficultyConfidence',
  'runnerUpBoost',
  'trainFraction',
  'samples',
  'answerSpace',
] as const;
const DEFAULT_SIM_QUERIES = 2000;

async function simulate(spec: string, benchmark: string, params: URLSearchParams): Promise<Dataset> {
  if (!(BENCHMARK_NAMES as readonly string[]).includes(benchmark)) {
    throw new DataFormatError(`unknown benchmark "${benchmark}" (known: ${BENCHMARK_NAMES.join(', ')})`, { file: spec, field: 'benchmark' });
  }
  const known = ['n', 'seed', 'models', 'keepUnanswerable', ...SIM_NUMBER_PARAMS];
  const number = (key: string): number | undefined => {
    const text = params.get(key);
    if (text === null) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new DataFormatError(`expected a number, got "${text}"`, { file: spec, field: key });
    return value;
  };
  for (const key of params.keys()) {
    if (!known.includes(key)) throw new DataFormatError(`unknown parameter "${key}" (known: ${known.join(', ')})`, { file: spec, field: key });
  }
  const options: SimulatePoolOptions = {
    benchmark: benchmark as BenchmarkName,
    nQueries: number('n') ?? DEFAULT_SIM_QUERIES,
    seed: number('seed') ?? 0,
  };
  const models = params.get('models');
  if (models !== null) options.models = models.split(',').map((m) => m.trim());
  const keep = params.get('keepUnanswerable');
  if (keep !== null) {
    if (keep !== 'true' && keep !== 'false') throw new DataFormatError(`expected true or false, got "${keep}"`, { file: spec, field: 'keepUnanswerable' });
    options.keepUnanswerable = keep === 'true';
  }
  for (const key of SIM_NUMBER_PARAMS) {
    const value = number(key);
    if (value !== undefined) options[key] = value;
  }
  try {
    return simulatePool(options);
  } catch (error) {
    // The simulator validates its options with RangeErrors; here they come from the user's spec.
    if (error instanceof RangeError) throw new DataFormatError(error.message, { file: spec });
    throw error;
  }
}
