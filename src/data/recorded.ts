import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DatasetBuilder } from './builder';
import type { Dataset, ModelInfo, Provenance } from './dataset';
import { DataFormatError } from './errors';
import { MAX_CHOICES, MIN_CHOICES, optionalChoiceTexts, optionalId, optionalQuestion, requireField, requireInteger, requireSplit, requireString } from './fields';
import { describe, forEachLine, isFiniteNumber, parseJsonRecord } from './jsonl';
import { modelsFileJson, readModelsFile } from './models-file';
import { scoresToProbs } from './scores';
import { WRITING_MARKER, writeFolderAtomic } from '../util/atomic';

/**
 * Reader and writer of the neutral recorded-outputs folder (`models.json` + `outputs.jsonl`,
 * shared/data/FORMAT.md): what a pool of LLMs answered on a stream of multiple-choice questions.
 */

export interface ReadRecordedOptions {
  /** Keep only these models (ids from models.json), in this order; the other models' scores are not read. */
  models?: string[];
  /** Overrides the provenance from models.json and the default one. */
  provenance?: Provenance;
  /**
   * The record field holding the gold choice (default `label`); e.g. `label_redux` for mmlu-redux-14's corrected
   * keys. Every record must carry it.
   */
  labelField?: string;
}

export const MODELS_FILE = 'models.json';
export const OUTPUTS_FILE = 'outputs.jsonl';

/**
 * Reads a recorded-outputs folder, streaming `outputs.jsonl` line by line. `loglik` scores become a softmax per
 * (question, model), `prob` scores are row-normalised (an all-zero row is an abstention: prediction -1, counted
 * wrong). Predictions are the argmax of the raw scores, ties -> lowest index. Query ids are the record's `id`, else
 * `question_id`, else `<task>/<subtask>/<doc_id>`, else `<task>/<subtask>/<split>/<index>`, else
 * `<task>/<subtask>/line<n>`; duplicates are an error. The optional `question` and `choice_texts` are kept
 * (Dataset.questions / choiceTexts). Any malformed input throws a DataFormatError naming file,
 * line and field.
 */
export async function readRecordedOutputs(dir: string, options: ReadRecordedOptions = {}): Promise<Dataset> {
  const modelsPath = join(dir, MODELS_FILE);
  // A gzip-compressed outputs.jsonl.gz is read when the plain file is absent.
  const plain = join(dir, OUTPUTS_FILE);
  const outputsPath = !existsSync(plain) && existsSync(plain + '.gz') ? plain + '.gz' : plain;
  const marker = join(dir, WRITING_MARKER);
  if (existsSync(marker)) throw new DataFormatError('a write into this folder was interrupted, its files may be a mix of two versions; write it again', { file: marker });
  const spec = readModelsFile(modelsPath);
  const models = selectModels(spec.models, options.models, modelsPath);
  const ids = models.map((m) => m.id);
  const idSet = new Set(ids);
  const N = ids.length;
  const checkExtraModels = options.models === undefined;
  const kind = spec.scoreKind;
  const labelField = options.labelField ?? 'label';
  const builder = new DatasetBuilder(models);
  const firstLineOfId = new Map<string, number>();
  const raw = new Float64Array(MAX_CHOICES);

  await forEachLine(outputsPath, (text, line) => {
    if (text.trim() === '') return;
    const at = { file: outputsPath, line };
    const record = parseJsonRecord(text, outputsPath, line);
    const task = requireString(record, 'task', at);
    const subtask = requireString(record, 'subtask', at);
    const split = requireSplit(record, at);
    const choices = requireInteger(record, 'choices', at, MIN_CHOICES, MAX_CHOICES);
    const label = requireInteger(record, labelField, at, 0, choices - 1);
    const scores = requireField(record, 'scores', at);
    if (typeof scores !== 'object' || scores === null || Array.isArray(scores)) {
      throw new DataFormatError(`must be an object {model id: [scores]}, got ${describe(scores)}`, { ...at, field: 'scores' });
    }
    const byModel = scores as Record<string, unknown>;
    if (checkExtraModels) {
      for (const key in byModel) {
        if (!idSet.has(key)) {
          throw new DataFormatError(`model "${key}" is not in ${MODELS_FILE}`, { ...at, field: `scores.${key}` });
        }
      }
    }
    const queryId = queryIdOf(record, task, subtask, split, at);
    const seenOn = firstLineOfId.get(queryId);
    if (seenOn !== undefined) {
      throw new DataFormatError(`duplicate query id "${queryId}" (first seen on line ${seenOn})`, { ...at, field: 'id' });
    }
    firstLineOfId.set(queryId, line);

    const question = optionalQuestion(record, at);
    const choiceTexts = optionalChoiceTexts(record, at, choices);
    const { query, probStart } = builder.addQuery({ task, subtask, split, label, choices, queryId, question, choiceTexts });
    const probs = builder.probs;
    const predictions = builder.predictions;
    for (let i = 0; i < N; i++) {
      const row = byModel[ids[i]];
      const field = `scores.${ids[i]}`;
      if (row === undefined) throw new DataFormatError(`missing scores of model "${ids[i]}"`, { ...at, field });
      if (!Array.isArray(row)) throw new DataFormatError(`must be an array of ${choices} numbers, got ${describe(row)}`, { ...at, field });
      if (row.length !== choices) {
        throw new DataFormatError(`has ${row.length} scores but "choices" is ${choices}`, { ...at, field });
      }
      for (let k = 0; k < choices; k++) {
        const v = row[k];
        if (!isFiniteNumber(v)) {
          throw new DataFormatError(`score must be a finite number, got ${describe(v)}`, { ...at, field: `${field}[${k}]` });
        }
        if (kind === 'prob' && v < 0) {
          throw new DataFormatError(`negative score ${v} but score_kind is "prob"`, { ...at, field: `${field}[${k}]` });
        }
        raw[k] = v;
      }
      predictions[query * N + i] = scoresToProbs(kind, raw.subarray(0, choices), probs, probStart + i * choices);
    }
  });

  if (builder.size === 0) throw new DataFormatError('no records (empty file)', { file: outputsPath });
  const partial = builder.build({ kind: 'real', source: '' });
  const provenance = options.provenance ?? spec.provenance ?? defaultProvenance(dir, partial);
  return partial.withProvenance(provenance);
}

function selectModels(all: ModelInfo[], wanted: string[] | undefined, file: string): ModelInfo[] {
  if (wanted === undefined) return all;
  if (wanted.length === 0) throw new RangeError('readRecordedOutputs: options.models is empty');
  const twice = wanted.find((id, k) => wanted.indexOf(id) !== k);
  if (twice !== undefined) throw new DataFormatError(`requested model "${twice}" is listed twice`, { file, field: 'models' });
  return wanted.map((id) => {
    const found = all.find((m) => m.id === id);
    if (!found) throw new DataFormatError(`requested model "${id}" is not listed (known: ${all.map((m) => m.id).join(', ')})`, { file, field: 'models' });
    return found;
  });
}

function queryIdOf(
  record: Record<string, unknown>,
  task: string,
  subtask: string,
  split: string,
  at: { file: string; line: number },
): string {
  const explicit = optionalId(record, 'id', at) ?? optionalId(record, 'question_id', at);
  if (explicit !== undefined) return explicit;
  const docId = optionalId(record, 'doc_id', at);
  if (docId !== undefined) return `${task}/${subtask}/${docId}`;
  const index = optionalId(record, 'index', at);
  if (index !== undefined) return `${task}/${subtask}/${split}/${index}`;
  return `${task}/${subtask}/line${at.line}`;
}

function defaultProvenance(dir: string, data: Dataset): Provenance {
  const tasks = data.taskNames.join(', ');
  const subtasks = data.subtaskNames.length === 1 ? `subtask ${data.subtaskNames[0]}` : `${data.subtaskNames.length} subtasks`;
  return {
    kind: 'real',
    source: `real recorded outputs: ${basename(resolve(dir))} (${data.nModels} LLMs, ${data.nQueries} questions, ${tasks}, ${subtasks})`,
  };
}

/**
 * Writes a Dataset as a recorded-outputs folder with `score_kind: "prob"` (its probabilities; abstentions stay
 * all-zero rows) and its provenance in models.json. Reading the folder back gives the same dataset: probabilities
 * bit for bit, predictions recomputed from them (ties -> lowest index). The folder is written atomically
 * (`writeFolderAtomic`): an interruption leaves the previous copy, never a truncated one.
 */
export function writeRecordedOutputs(dataset: Dataset, target: string): void {
  // Into a temporary folder first: an interrupted import must not leave a shorter dataset that reads back as valid.
  writeFolderAtomic(target, (dir) => writeRecordedFiles(dataset, dir));
}

function writeRecordedFiles(dataset: Dataset, dir: string): void {
  const modelsJson = modelsFileJson('prob', dataset.models, dataset.provenance);
  const modelsFd = openSync(join(dir, MODELS_FILE), 'w');
  try {
    writeSync(modelsFd, JSON.stringify(modelsJson, null, 1) + '\n');
  } finally {
    closeSync(modelsFd);
  }
  const fd = openSync(join(dir, OUTPUTS_FILE), 'w');
  try {
    const indexWithin = new Map<string, number>();
    let chunk = '';
    for (let t = 0; t < dataset.nQueries; t++) {
      const task = dataset.taskNames[dataset.taskIds[t]];
      const subtask = dataset.subtaskNames[dataset.subtaskIds[t]];
      const split = dataset.split[t] === 0 ? 'train' : 'test';
      const key = `${task}\u0000${subtask}\u0000${split}`;
      const index = indexWithin.get(key) ?? 0;
      indexWithin.set(key, index + 1);
      // Own members whatever the id: an assignment scores["__proto__"] = ... would set the prototype instead.
      const scores = Object.fromEntries(dataset.models.map((m, i) => [m.id, Array.from(dataset.probRow(t, i))]));
      const record = {
        task,
        subtask,
        split,
        index,
        ...(dataset.queryIds ? { id: dataset.queryIds[t] } : {}),
        label: dataset.labels[t],
        choices: dataset.choiceCounts[t],
        scores,
        ...(dataset.questions?.[t] !== undefined ? { question: dataset.questions[t] } : {}),
        ...(dataset.choiceTexts?.[t] !== undefined ? { choice_texts: dataset.choiceTexts[t] } : {}),
      };
      chunk += JSON.stringify(record) + '\n';
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    if (chunk) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
