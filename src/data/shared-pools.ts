import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadBbhLeaderboard, type BbhLabels } from './bbh';
import type { Dataset } from './dataset';
import { DataFormatError } from './errors';
import { readRecordedOutputs } from './recorded';
import { readSampledAnswers, type SlotOrder } from './sampled-answers';

/**
 * The real pools shipped next to the repository in `<repo>/../shared/data/<name>` (each folder's README gives
 * provenance, licence and what was dropped). Loaded by name: `loadSharedPool('mmlu-redux-14', { labels: 'redux' })`,
 * or on the command line `--data mmlu-redux-14?labels=redux`.
 */

/** `<repo>/../shared/data`, from src/data or dist/data alike (both sit two levels below the repo). */
export const SHARED_DATA_DIR = resolve(__dirname, '../../../shared/data');

export const SHARED_POOL_NAMES = ['bbh-leaderboard', 'mmlu-redux-14', 'mmlu-helm-10', 'emotion-11', 'gsm8k-zeroeval-43'] as const;
export type SharedPoolName = (typeof SHARED_POOL_NAMES)[number];

export interface SharedPoolOptions {
  /** Folder holding the pools (default SHARED_DATA_DIR). */
  dir?: string;
  /**
   * bbh-leaderboard: `corrected` (default) or `rlfocal`; mmlu-redux-14: `original` (default, the MMLU key, as the
   * source's leaderboard scores it) or `redux` (the Redux-corrected key `label_redux`).
   */
  labels?: string;
  /** gsm8k-zeroeval-43: answer slots per question (default 10, the authors' padding). */
  k?: number;
  /** gsm8k-zeroeval-43: order of a question's answer slots (default 'neutral'; 'pool-count' = the authors' order). */
  slotOrder?: SlotOrder;
  /** gsm8k-zeroeval-43: receives the line about questions excluded because no model gave the gold answer. */
  warn?: (message: string) => void;
}

export function isSharedPoolName(name: string): name is SharedPoolName {
  return (SHARED_POOL_NAMES as readonly string[]).includes(name);
}

/** Whether the pool's folder is present (tests and notebooks skip a pool that is not). */
export function sharedPoolAvailable(name: SharedPoolName, dir = SHARED_DATA_DIR): boolean {
  const folder = join(dir, name);
  return existsSync(join(folder, 'models.json')) && (existsSync(join(folder, 'outputs.jsonl')) || existsSync(join(folder, 'answers.jsonl')));
}

const LABEL_VARIANTS: Partial<Record<SharedPoolName, Record<string, string>>> = {
  'bbh-leaderboard': { corrected: 'label', rlfocal: 'label' },
  'mmlu-redux-14': { original: 'label', redux: 'label_redux' },
};

export async function loadSharedPool(name: SharedPoolName, options: SharedPoolOptions = {}): Promise<Dataset> {
  const folder = join(options.dir ?? SHARED_DATA_DIR, name);
  if (!sharedPoolAvailable(name, options.dir)) {
    throw new DataFormatError(`shared pool "${name}" not found (expected models.json and outputs.jsonl or answers.jsonl)`, { file: folder });
  }
  const variants = LABEL_VARIANTS[name];
  if (options.labels !== undefined && (variants === undefined || !(options.labels in variants))) {
    const known = variants ? Object.keys(variants).join(', ') : 'none: this pool has one label set';
    throw new DataFormatError(`unknown label set "${options.labels}" (known: ${known})`, { file: name, field: 'labels' });
  }
  for (const field of ['k', 'slotOrder'] as const) {
    if (options[field] !== undefined && name !== 'gsm8k-zeroeval-43') {
      throw new DataFormatError(`${field} (answer slots) applies to the sampled-answers pool gsm8k-zeroeval-43 only`, { file: name, field });
    }
  }
  if (name === 'bbh-leaderboard') return loadBbhLeaderboard({ dir: folder, labels: (options.labels ?? 'corrected') as BbhLabels });
  if (name === 'gsm8k-zeroeval-43') return loadGsm8k(folder, options);
  const labelField = variants?.[options.labels ?? Object.keys(variants)[0]] ?? 'label';
  const data = await readRecordedOutputs(folder, { labelField });
  if (labelField === 'label') return data;
  return data.withProvenance({ ...data.provenance, notes: [...(data.provenance.notes ?? []), `labels: ${labelField} (${options.labels})`] });
}

async function loadGsm8k(folder: string, options: SharedPoolOptions): Promise<Dataset> {
  const spec = readSampledModels(join(folder, 'models.json'));
  const k = options.k ?? 10;
  const { dataset, report } = await readSampledAnswers(join(folder, 'answers.jsonl'), {
    k,
    ...(options.slotOrder ? { slotOrder: options.slotOrder } : {}),
    answerKind: 'numeric',
    models: spec.ids,
    // The exclusion is stated in the provenance notes below, where every summary prints it.
    warn: options.warn ?? (() => undefined),
  });
  const excluded = `${report.excluded} of ${report.questions} questions excluded: no model's answer among the ${k} answer slots is the gold answer`;
  options.warn?.(excluded);
  return dataset.withProvenance({ ...dataset.provenance, kind: 'real', source: spec.source, notes: [excluded] });
}

/** The sampled-answers pool's models.json: model ids in `column` order and the provenance line. */
function readSampledModels(file: string): { ids: string[]; source: string } {
  let doc: { models?: Array<{ column?: unknown; id?: unknown }>; provenance?: { source?: unknown } };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DataFormatError(`cannot read: ${(error as Error).message}`, { file });
  }
  if (!Array.isArray(doc.models) || doc.models.length === 0) throw new DataFormatError('expected a non-empty array', { file, field: 'models' });
  const ids: string[] = [];
  doc.models.forEach((m, k) => {
    if (typeof m?.id !== 'string' || m.id === '') throw new DataFormatError('expected a non-empty string', { file, field: `models[${k}].id` });
    if (m.column !== k) throw new DataFormatError(`expected column ${k}, got ${String(m.column)}`, { file, field: `models[${k}].column` });
    ids.push(m.id);
  });
  const source = typeof doc.provenance?.source === 'string' ? doc.provenance.source : 'real recorded outputs: gsm8k-zeroeval-43';
  return { ids, source };
}
