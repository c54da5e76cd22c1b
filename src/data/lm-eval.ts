import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetBuilder } from './builder';
import type { Dataset, ModelInfo, Provenance } from './dataset';
import { DataFormatError } from './errors';
import { MAX_CHOICES, MIN_CHOICES, type RecordLocation } from './fields';
import { describe, forEachLine, parseJsonRecord, readFailure } from './jsonl';
import { scoresToProbs } from './scores';

/**
 * Reader of lm-evaluation-harness per-sample logs (`--log_samples`; also the files of the Open LLM Leaderboard
 * "details" datasets): one JSONL per (model, task), `samples_<task>_<timestamp>.jsonl`, one line per document:
 *   {"doc_id": 0, "doc": {...}, "target": "False" | "3" | 3,
 *    "arguments": {"gen_args_0": {"arg_0": "<prompt>", "arg_1": " False"}, ...}  (or [["<prompt>", " False"], ...]),
 *    "resps": [[["-0.31", "False"]], ...], "filtered_resps": [["-0.31", "False"], ...], "filter"?: "none", ...}
 * For a multiple-choice task there is one request per choice: `filtered_resps[j] = [loglik_j, is_greedy_j]`
 * (harness >= 0.4.3 writes them as strings via sanitize_list; older logs as numbers; both are read). Models are
 * joined by `doc_id`; every model must have seen the same documents with the same gold answer.
 */

export interface LmEvalSampleFile {
  /** Model id: one column of the pool. */
  model: string;
  /** A samples_<task>_<timestamp>.jsonl (or .jsonl.gz). */
  path: string;
  /** lm-eval task name; parsed from the file name when omitted. */
  task?: string;
}

export interface ReadLmEvalOptions {
  /** Dataset task name of every query (default "lm-eval"); each lm-eval task becomes a subtask. */
  taskName?: string;
  /** Per subtask, the first floor(trainFraction * n) documents in doc_id order are train (default 0.8). */
  trainFraction?: number;
  /** Keep only lines whose `filter` equals this (logs with several filters repeat every doc_id once per filter). */
  filter?: string;
  /** Metadata (params, family, price) of the models, matched by id. */
  models?: ModelInfo[];
  provenance?: Provenance;
}

interface ParsedDoc {
  line: number;
  scores: Float64Array;
  label: number;
  hash: string | undefined;
}

interface ParsedFile {
  source: LmEvalSampleFile & { task: string };
  docs: Map<number, ParsedDoc>;
}

const SAMPLES_NAME = /^samples_(.+?)(?:_(\d{4}-\d{2}-\d{2}T[\d.-]+))?\.jsonl(?:\.gz)?$/;

/** The lm-eval task name in a samples file name (`samples_leaderboard_bbh_navigate_2024-06-26T23-11-46.557442.jsonl`). */
export function lmEvalTaskFromFileName(file: string): string | undefined {
  return SAMPLES_NAME.exec(basename(file))?.[1];
}

export async function readLmEvalSamples(files: LmEvalSampleFile[], options: ReadLmEvalOptions = {}): Promise<Dataset> {
  if (files.length === 0) throw new RangeError('readLmEvalSamples: no files given');
  const trainFraction = options.trainFraction ?? 0.8;
  if (!(trainFraction >= 0 && trainFraction <= 1)) throw new RangeError(`readLmEvalSamples: trainFraction must be in [0, 1], got ${trainFraction}`);
  const sources = files.map((f) => {
    const task = f.task ?? lmEvalTaskFromFileName(f.path);
    if (!task) throw new DataFormatError('cannot tell the task from the file name (expected samples_<task>_<timestamp>.jsonl); pass `task`', { file: f.path });
    return { ...f, task };
  });
  const modelIds = unique(sources.map((s) => s.model));
  const tasks = unique(sources.map((s) => s.task));
  const byTaskModel = new Map<string, (typeof sources)[number]>();
  for (const s of sources) {
    const key = `${s.task}\u0000${s.model}`;
    const other = byTaskModel.get(key);
    if (other) throw new DataFormatError(`second samples file for model "${s.model}" and task "${s.task}" (also ${other.path})`, { file: s.path });
    byTaskModel.set(key, s);
  }
  const models = modelIds.map((id) => ({ ...(options.models?.find((m) => m.id === id) ?? {}), id }));
  const builder = new DatasetBuilder(models);
  const N = modelIds.length;
  const taskName = options.taskName ?? 'lm-eval';

  for (const task of tasks) {
    const perModel: ParsedFile[] = [];
    for (const id of modelIds) {
      const source = byTaskModel.get(`${task}\u0000${id}`);
      if (!source) {
        const present = sources.filter((s) => s.task === task);
        throw new DataFormatError(`model "${id}" has no samples file for task "${task}" (every model must answer every task)`, {
          file: present[0].path,
          field: 'model',
        });
      }
      perModel.push(await parseSamplesFile(source, options.filter));
    }
    const reference = perModel[0];
    for (const other of perModel.slice(1)) checkSameDocuments(reference, other);
    const docIds = [...reference.docs.keys()].sort((a, b) => a - b);
    const nTrain = Math.floor(trainFraction * docIds.length);
    docIds.forEach((docId, k) => {
      const first = reference.docs.get(docId)!;
      const choices = first.scores.length;
      const { query, probStart } = builder.addQuery({
        task: taskName,
        subtask: task,
        split: k < nTrain ? 'train' : 'test',
        label: first.label,
        choices,
        queryId: `${task}/${docId}`,
      });
      for (let i = 0; i < N; i++) {
        const doc = perModel[i].docs.get(docId)!;
        builder.predictions[query * N + i] = scoresToProbs('loglik', doc.scores, builder.probs, probStart + i * choices);
      }
    });
  }
  const data = builder.build({ kind: 'real', source: '' });
  return data.withProvenance(
    options.provenance ?? {
      kind: 'real',
      source: `real recorded outputs: lm-evaluation-harness samples (${N} LLMs, ${data.nQueries} questions, ${tasks.length} tasks)`,
    },
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function checkSameDocuments(reference: ParsedFile, other: ParsedFile): void {
  const file = other.source.path;
  for (const [docId, doc] of reference.docs) {
    if (!other.docs.has(docId)) {
      throw new DataFormatError(`doc_id ${docId} is missing (present in ${reference.source.path} line ${doc.line})`, { file, field: 'doc_id' });
    }
  }
  for (const [docId, doc] of other.docs) {
    const at = { file, line: doc.line };
    const ref = reference.docs.get(docId);
    if (!ref) throw new DataFormatError(`doc_id ${docId} is not in ${reference.source.path}`, { ...at, field: 'doc_id' });
    if (ref.hash !== undefined && doc.hash !== undefined && ref.hash !== doc.hash) {
      throw new DataFormatError(`doc_id ${docId} is a different document than in ${reference.source.path} line ${ref.line}`, {
        ...at,
        field: 'doc_hash',
      });
    }
    if (doc.scores.length !== ref.scores.length) {
      throw new DataFormatError(
        `doc_id ${docId} has ${doc.scores.length} choices but ${ref.scores.length} in ${reference.source.path} line ${ref.line}`,
        { ...at, field: 'filtered_resps' },
      );
    }
    if (doc.label !== ref.label) {
      throw new DataFormatError(
        `doc_id ${docId}: gold choice ${doc.label} differs from ${ref.label} in ${reference.source.path} line ${ref.line}`,
        { ...at, field: 'target' },
      );
    }
  }
}

async function parseSamplesFile(source: LmEvalSampleFile & { task: string }, filter: string | undefined): Promise<ParsedFile> {
  const file = source.path;
  const docs = new Map<number, ParsedDoc>();
  let records = 0;
  await forEachLine(file, (text, line) => {
    if (text.trim() === '') return;
    const at = { file, line };
    const record = parseJsonRecord(text, file, line);
    if (filter !== undefined && record.filter !== undefined && record.filter !== filter) return;
    records++;
    const docId = record.doc_id;
    if (typeof docId !== 'number' || !Number.isInteger(docId) || docId < 0) {
      throw new DataFormatError(docId === undefined ? 'missing "doc_id"' : `must be a non-negative integer, got ${describe(docId)}`, {
        ...at,
        field: 'doc_id',
      });
    }
    const earlier = docs.get(docId);
    if (earlier) {
      const hint = record.filter !== undefined ? ' (several filters? pass the `filter` option)' : '';
      throw new DataFormatError(`duplicate doc_id ${docId} (first on line ${earlier.line})${hint}`, { ...at, field: 'doc_id' });
    }
    const scores = readLogliks(record, at);
    const label = resolveTarget(record, scores.length, at);
    const hash = typeof record.doc_hash === 'string' ? record.doc_hash : undefined;
    docs.set(docId, { line, scores, label, hash });
  });
  if (records === 0) {
    throw new DataFormatError(filter !== undefined ? `no records with filter "${filter}"` : 'no records (empty file)', { file });
  }
  return { source, docs };
}

/** One log-likelihood per choice: `filtered_resps[j][0]`, else `resps[j][0][0]`. */
function readLogliks(record: Record<string, unknown>, at: RecordLocation): Float64Array {
  const useFiltered = record.filtered_resps !== undefined;
  const field = useFiltered ? 'filtered_resps' : 'resps';
  const list = record[field];
  if (list === undefined) throw new DataFormatError('missing "filtered_resps" (and "resps")', { ...at, field: 'filtered_resps' });
  if (!Array.isArray(list)) throw new DataFormatError(`must be a list over choices, got ${describe(list)}`, { ...at, field });
  if (list.length < MIN_CHOICES || list.length > MAX_CHOICES) {
    throw new DataFormatError(
      `${list.length} responses: a multiple-choice task needs ${MIN_CHOICES}..${MAX_CHOICES} choices (one loglikelihood request per choice; generation tasks are not supported)`,
      { ...at, field },
    );
  }
  const scores = new Float64Array(list.length);
  for (let j = 0; j < list.length; j++) {
    let entry: unknown = list[j];
    // resps nests one more level (a list of repeats per request); filtered_resps holds the first repeat.
    if (!useFiltered && Array.isArray(entry)) entry = entry[0];
    const value = Array.isArray(entry) ? entry[0] : entry;
    const parsed = parseLoglik(value);
    if (parsed === undefined) {
      throw new DataFormatError(`log-likelihood must be a finite number or numeric string, got ${describe(value)}`, {
        ...at,
        field: `${field}[${j}]`,
      });
    }
    scores[j] = parsed;
  }
  return scores;
}

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function parseLoglik(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && DECIMAL.test(value)) {
    const v = Number(value);
    return Number.isFinite(v) ? v : undefined;
  }
  return undefined;
}

/**
 * The gold choice index, following the harness: an integer target, or a string of digits, IS the index (the harness
 * turns a digit target into an int when the task has a choice list, and logs str(target)); any other string is
 * looked up among the choice strings, i.e. the continuations in `arguments` with the leading target delimiter
 * (whitespace) removed.
 */
function resolveTarget(record: Record<string, unknown>, choices: number, at: RecordLocation): number {
  const target = record.target;
  if (target === undefined) throw new DataFormatError('missing "target"', { ...at, field: 'target' });
  let index: number;
  if (typeof target === 'number' && Number.isInteger(target)) index = target;
  else if (typeof target === 'string' && /^\d+$/.test(target.trim())) index = Number(target.trim());
  else if (typeof target === 'string') {
    const strings = choiceStrings(record, choices, at);
    const matches = strings.flatMap((s, j) => (s.trim() === target.trim() ? [j] : []));
    if (matches.length !== 1) {
      const shown = strings.map((s) => JSON.stringify(s.trim())).join(', ');
      throw new DataFormatError(
        matches.length === 0 ? `target ${JSON.stringify(target)} is not one of the choices [${shown}]` : `target ${JSON.stringify(target)} matches several choices [${shown}]`,
        { ...at, field: 'target' },
      );
    }
    index = matches[0];
  } else {
    throw new DataFormatError(`must be a choice index or a choice string, got ${describe(target)}`, { ...at, field: 'target' });
  }
  if (index < 0 || index >= choices) {
    throw new DataFormatError(`gold index ${index} is out of range for ${choices} choices`, { ...at, field: 'target' });
  }
  return index;
}

/** The continuation string of each request: `arguments.gen_args_<j>.arg_1` or `arguments[j][1]`. */
function choiceStrings(record: Record<string, unknown>, choices: number, at: RecordLocation): string[] {
  const args = record.arguments;
  const out: string[] = [];
  for (let j = 0; j < choices; j++) {
    let continuation: unknown;
    if (Array.isArray(args)) {
      const pair = args[j];
      continuation = Array.isArray(pair) ? pair[1] : undefined;
    } else if (typeof args === 'object' && args !== null) {
      const pair = (args as Record<string, unknown>)[`gen_args_${j}`];
      continuation = typeof pair === 'object' && pair !== null ? (pair as Record<string, unknown>).arg_1 : undefined;
    }
    if (typeof continuation !== 'string') {
      throw new DataFormatError(
        `the target is a string, so the choice strings are needed, but request ${j} has no continuation string`,
        { ...at, field: Array.isArray(args) ? `arguments[${j}][1]` : `arguments.gen_args_${j}.arg_1` },
      );
    }
    out.push(continuation);
  }
  return out;
}

export interface LmEvalOutputDirOptions extends ReadLmEvalOptions {
  /** Several runs of the same (model, task): "error" (default) or take the "latest" timestamp. */
  repeatedRuns?: 'error' | 'latest';
}

/**
 * The samples files of an lm-eval output folder: `<dir>/<model_name_sanitized>/samples_<task>_<timestamp>.jsonl`,
 * model id = folder name with "__" turned back into "/" (the harness's sanitising).
 */
export function findLmEvalSampleFiles(dir: string, repeatedRuns: 'error' | 'latest' = 'error'): LmEvalSampleFile[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    throw new DataFormatError(`cannot list the folder: ${(err as Error).message}`, { file: dir });
  }
  const chosen = new Map<string, LmEvalSampleFile & { stamp: string }>();
  for (const entry of entries) {
    const modelDir = join(dir, entry);
    if (!statSync(modelDir).isDirectory()) continue;
    const model = entry.replace(/__/g, '/');
    let names: string[];
    try {
      names = readdirSync(modelDir).sort();
    } catch (err) {
      throw new DataFormatError(readFailure(err), { file: modelDir });
    }
    for (const name of names) {
      const match = SAMPLES_NAME.exec(name);
      if (!match) continue;
      const file = { model, path: join(modelDir, name), task: match[1], stamp: match[2] ?? '' };
      const key = `${model}\u0000${file.task}`;
      const other = chosen.get(key);
      if (other && repeatedRuns === 'error') {
        throw new DataFormatError(
          `two runs of task "${file.task}" for model "${model}" (also ${other.path}); keep one, or pass repeatedRuns: "latest"`,
          { file: file.path },
        );
      }
      if (!other || file.stamp > other.stamp) chosen.set(key, file);
    }
  }
  if (chosen.size === 0) throw new DataFormatError('no <model>/samples_<task>_<timestamp>.jsonl files found', { file: dir });
  return [...chosen.values()].map(({ model, path, task }) => ({ model, path, task }));
}

/** Reads every samples file of an lm-eval output folder (see findLmEvalSampleFiles). */
export async function readLmEvalOutputDir(dir: string, options: LmEvalOutputDirOptions = {}): Promise<Dataset> {
  return readLmEvalSamples(findLmEvalSampleFiles(dir, options.repeatedRuns), options);
}
