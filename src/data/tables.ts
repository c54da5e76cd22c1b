import * as aq from 'arquero';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic';
import { basename } from 'node:path';
import { DatasetBuilder } from './builder';
import type { Dataset, ModelInfo, Provenance, SplitName } from './dataset';
import { DataFormatError } from './errors';
import { MAX_CHOICES, MIN_CHOICES } from './fields';
import { describe } from './jsonl';
import { scoresToProbs, type ScoreKind } from './scores';
import { readFailure } from './jsonl';

/**
 * CSV and Arrow exchange through arquero, in the tidy long layout: ONE ROW PER (question, model, choice).
 *
 *   query_id,task,subtask,split,label,model,choice,score
 *   q1,bbh,navigate,train,1,gpt-a,0,0.25
 *   q1,bbh,navigate,train,1,gpt-a,1,0.75
 *   q1,bbh,navigate,train,1,gpt-b,0,-1.2      (with scoreKind "loglik")
 *
 * Long because it is what pandas/R/SQL users produce and consume without parsing (melt/pivot, group-by model,
 * join on query), and because it holds a varying choice count without padding or packed strings. Questions and
 * models keep their order of first appearance. Written files hold the Dataset's probabilities (score kind "prob").
 * Tables do not record provenance: a table read without `options.provenance` is labelled real, with a note saying
 * so; pass the provenance when reading back simulated or synthetic data.
 */

export const TABLE_COLUMNS = ['query_id', 'task', 'subtask', 'split', 'label', 'model', 'choice', 'score'] as const;

export interface TableReadOptions {
  /** How to read `score` (default "prob": non-negative weights, all-zero = abstention; "loglik": softmax). */
  scoreKind?: ScoreKind;
  /** Model ids in column order (default: first appearance); rows of other models are not read. */
  models?: string[];
  /** Metadata (params, family, price) of the models, matched by id. */
  modelInfo?: ModelInfo[];
  provenance?: Provenance;
}

/** The Dataset as an arquero table in the long layout (probabilities as `score`). */
export function datasetToTable(dataset: Dataset): aq.ColumnTable {
  const N = dataset.nModels;
  let rows = 0;
  for (let t = 0; t < dataset.nQueries; t++) rows += N * dataset.choiceCounts[t];
  const queryId = new Array<string>(rows);
  const task = new Array<string>(rows);
  const subtask = new Array<string>(rows);
  const split = new Array<string>(rows);
  const label = new Int32Array(rows);
  const model = new Array<string>(rows);
  const choice = new Int32Array(rows);
  const score = new Float64Array(rows);
  let r = 0;
  for (let t = 0; t < dataset.nQueries; t++) {
    const id = dataset.queryIds ? dataset.queryIds[t] : `q${t}`;
    const taskName = dataset.taskNames[dataset.taskIds[t]];
    const subtaskName = dataset.subtaskNames[dataset.subtaskIds[t]];
    const splitName = dataset.split[t] === 0 ? 'train' : 'test';
    for (let i = 0; i < N; i++) {
      const row = dataset.probRow(t, i);
      for (let k = 0; k < row.length; k++, r++) {
        queryId[r] = id;
        task[r] = taskName;
        subtask[r] = subtaskName;
        split[r] = splitName;
        label[r] = dataset.labels[t];
        model[r] = dataset.models[i].id;
        choice[r] = k;
        score[r] = row[k];
      }
    }
  }
  return aq.table({ query_id: queryId, task, subtask, split, label, model, choice, score });
}

/** CSV text of the long layout (numbers printed shortest-round-trip, so reading back is exact). */
export function datasetToCsv(dataset: Dataset): string {
  return aq.toCSV(datasetToTable(dataset));
}

export function writeDatasetCsv(dataset: Dataset, file: string): void {
  writeFileAtomic(file, datasetToCsv(dataset));
}

/** Arrow IPC bytes of the long layout. */
export function datasetToArrow(dataset: Dataset): Uint8Array {
  return aq.toArrowIPC(datasetToTable(dataset));
}

export function writeDatasetArrow(dataset: Dataset, file: string): void {
  writeFileAtomic(file, datasetToArrow(dataset));
}

export function readDatasetCsv(file: string, options: TableReadOptions = {}): Dataset {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataFormatError(readFailure(err), { file });
  }
  // Excel writes a UTF-8 byte-order mark, and many writers end with blank lines: neither is data.
  text = text.replace(/^\uFEFF/, '').replace(/(\r?\n[ \t]*)+$/, '\n');
  if (text.trim() === '') throw new DataFormatError('empty file', { file });
  // Everything is read as text and parsed here, so that "007" stays an id and "NaN" is reported, not coerced.
  const table = aq.fromCSV(text, { autoType: false });
  // Line numbers: header is line 1 (quoted fields with line breaks would shift them; ids rarely contain any).
  return datasetFromTable(table, { ...options, source: file, rowLine: (row) => row + 2 });
}

export function readDatasetArrow(file: string, options: TableReadOptions = {}): Dataset {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new DataFormatError(readFailure(err), { file });
  }
  let table: aq.ColumnTable;
  try {
    table = aq.fromArrow(bytes);
  } catch (err) {
    throw new DataFormatError(`not an Arrow IPC file: ${(err as Error).message}`, { file });
  }
  return datasetFromTable(table, { ...options, source: file, rowLine: (row) => row + 1 });
}

interface QueryRows {
  id: string;
  task: string;
  subtask: string;
  split: SplitName;
  label: number;
  line: number;
  /** Per model, the score of each choice (undefined = not given). */
  scores: Array<Array<number | undefined>>;
}

/**
 * A Dataset from a long-layout table (CSV or Arrow already parsed, or built in memory). Errors name the source,
 * the row (`rowLine`: CSV line or 1-based Arrow row) and the column.
 */
export function datasetFromTable(
  table: aq.ColumnTable,
  options: TableReadOptions & { source?: string; rowLine?: (row: number) => number } = {},
): Dataset {
  const file = options.source ?? '<table>';
  const rowLine = options.rowLine ?? ((row: number) => row + 1);
  const kind = options.scoreKind ?? 'prob';
  const names = table.columnNames();
  for (const column of TABLE_COLUMNS) {
    if (!names.includes(column)) throw new DataFormatError(`missing column "${column}" (columns: ${names.join(', ')})`, { file, field: column });
  }
  const col = Object.fromEntries(TABLE_COLUMNS.map((c) => [c, table.array(c) as ArrayLike<unknown>])) as Record<
    (typeof TABLE_COLUMNS)[number],
    ArrayLike<unknown>
  >;
  const modelIds: string[] = options.models ? [...options.models] : [];
  const modelIndex = new Map(modelIds.map((id, i) => [id, i]));
  const fixedModels = options.models !== undefined;
  const queries = new Map<string, QueryRows>();
  const rows = table.numRows();
  if (rows === 0) throw new DataFormatError('no rows', { file });

  const fail = (reason: string, r: number, field: string): never => {
    throw new DataFormatError(reason, { file, line: rowLine(r), field });
  };
  const text = (column: (typeof TABLE_COLUMNS)[number], r: number): string => {
    const v = col[column][r];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number' && Number.isInteger(v)) return String(v);
    return fail(`must be a non-empty string, got ${describe(v)}`, r, column);
  };
  const integer = (column: (typeof TABLE_COLUMNS)[number], r: number): number => {
    const raw = col[column][r];
    const v = toNumber(raw);
    if (v === undefined || !Number.isInteger(v)) return fail(`must be an integer, got ${describe(raw)}`, r, column);
    if (v < 0 || v >= MAX_CHOICES) return fail(`${v} is out of range [0, ${MAX_CHOICES - 1}]`, r, column);
    return v;
  };

  let q: QueryRows | undefined;
  for (let r = 0; r < rows; r++) {
    const modelId = text('model', r);
    let i = modelIndex.get(modelId);
    if (i === undefined) {
      if (fixedModels) continue; // a model the caller did not ask for
      i = modelIds.length;
      modelIds.push(modelId);
      modelIndex.set(modelId, i);
    }
    const id = text('query_id', r);
    const task = text('task', r);
    const subtask = text('subtask', r);
    const split = text('split', r);
    if (split !== 'train' && split !== 'test') fail(`must be "train" or "test", got ${describe(split)}`, r, 'split');
    const label = integer('label', r);
    const choice = integer('choice', r);
    const score = toNumber(col.score[r]);
    if (score === undefined || !Number.isFinite(score)) fail(`score must be a finite number, got ${describe(col.score[r])}`, r, 'score');
    if (kind === 'prob' && score! < 0) fail(`negative score ${score} but the score kind is "prob" (pass scoreKind: "loglik" for log-likelihoods)`, r, 'score');
    // Rows of a question are usually contiguous: look the question up only when the id changes.
    if (q === undefined || q.id !== id) q = queries.get(id);
    if (q === undefined) {
      q = { id, task, subtask, split: split as SplitName, label, line: rowLine(r), scores: [] };
      queries.set(id, q);
    } else {
      const differing = q.task !== task ? 'task' : q.subtask !== subtask ? 'subtask' : q.split !== split ? 'split' : q.label !== label ? 'label' : undefined;
      if (differing) fail(`query "${id}" has another ${differing} than on line ${q.line}`, r, differing);
    }
    const row = (q.scores[i] ??= []);
    if (row[choice] !== undefined) fail(`duplicate row for query "${id}", model "${modelId}", choice ${choice}`, r, 'choice');
    row[choice] = score!;
  }

  const models = modelIds.map((id) => ({ ...(options.modelInfo?.find((m) => m.id === id) ?? {}), id }));
  const N = models.length;
  const builder = new DatasetBuilder(models);
  const raw = new Float64Array(MAX_CHOICES);
  for (const q of queries.values()) {
    const at = { file, line: q.line };
    const choices = Math.max(0, ...q.scores.map((row) => (row ? row.length : 0)));
    if (choices < MIN_CHOICES) throw new DataFormatError(`query "${q.id}" has ${choices} choice(s); at least ${MIN_CHOICES} are needed`, { ...at, field: 'choice' });
    if (q.label >= choices) throw new DataFormatError(`label ${q.label} is out of range for query "${q.id}" with ${choices} choices`, { ...at, field: 'label' });
    const { query, probStart } = builder.addQuery({ task: q.task, subtask: q.subtask, split: q.split, label: q.label, choices, queryId: q.id });
    for (let i = 0; i < N; i++) {
      const row = q.scores[i];
      if (!row) throw new DataFormatError(`query "${q.id}" has no rows for model "${modelIds[i]}"`, { ...at, field: 'model' });
      for (let k = 0; k < choices; k++) {
        const v = row[k];
        if (v === undefined) {
          throw new DataFormatError(`query "${q.id}", model "${modelIds[i]}": no row for choice ${k} (the query has ${choices} choices)`, { ...at, field: 'choice' });
        }
        raw[k] = v;
      }
      builder.predictions[query * N + i] = scoresToProbs(kind, raw.subarray(0, choices), builder.probs, probStart + i * choices);
    }
  }
  return builder.build(
    options.provenance ?? {
      kind: 'real',
      source: `real recorded outputs: ${options.source ? basename(options.source) : 'table'} (${N} LLMs, ${queries.size} questions)`,
      notes: ['kind assumed "real": CSV/Arrow tables do not record provenance'],
    },
  );
}

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return undefined;
}
