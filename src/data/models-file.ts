import { readFileSync } from 'node:fs';
import type { ModelInfo, Provenance } from './dataset';
import { DataFormatError } from './errors';
import { assertReadableFile, describe, isFiniteNumber } from './jsonl';
import { SCORE_KINDS, type ScoreKind } from './scores';

/** The parsed `models.json` of a recorded-outputs folder (shared/data/FORMAT.md). */
export interface ModelsFile {
  scoreKind: ScoreKind;
  /** In `column` order. */
  models: ModelInfo[];
  provenance?: Provenance;
}

/** Reads and validates `models.json`; every problem is a DataFormatError naming the file and field. */
export function readModelsFile(file: string): ModelsFile {
  assertReadableFile(file);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new DataFormatError('empty file', { file });
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new DataFormatError(`malformed JSON: ${message}`, { file, line });
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new DataFormatError(`expected a JSON object, got ${describe(root)}`, { file });
  }
  const doc = root as Record<string, unknown>;
  const kind = doc.score_kind;
  if (kind === undefined) {
    throw new DataFormatError(`missing "score_kind" (one of ${SCORE_KINDS.join(', ')})`, { file, field: 'score_kind' });
  }
  if (typeof kind !== 'string' || !(SCORE_KINDS as readonly string[]).includes(kind)) {
    throw new DataFormatError(`unknown score_kind ${describe(kind)} (expected one of ${SCORE_KINDS.join(', ')})`, {
      file,
      field: 'score_kind',
    });
  }
  if (!Array.isArray(doc.models) || doc.models.length === 0) {
    throw new DataFormatError(`"models" must be a non-empty array, got ${describe(doc.models)}`, { file, field: 'models' });
  }
  const entries = doc.models.map((entry, k) => parseModelEntry(entry, k, file));
  const seenIds = new Map<string, number>();
  const seenColumns = new Map<number, number>();
  entries.forEach(({ info, column }, k) => {
    const firstId = seenIds.get(info.id);
    if (firstId !== undefined) {
      throw new DataFormatError(`duplicate model id "${info.id}" (also models[${firstId}])`, { file, field: `models[${k}].id` });
    }
    seenIds.set(info.id, k);
    const firstColumn = seenColumns.get(column);
    if (firstColumn !== undefined) {
      throw new DataFormatError(`duplicate column ${column} (also models[${firstColumn}])`, { file, field: `models[${k}].column` });
    }
    seenColumns.set(column, k);
  });
  entries.forEach(({ column }, k) => {
    if (column >= entries.length) {
      throw new DataFormatError(`column ${column} out of range: columns must be 0..${entries.length - 1}`, {
        file,
        field: `models[${k}].column`,
      });
    }
  });
  const models = [...entries].sort((a, b) => a.column - b.column).map((e) => e.info);
  return { scoreKind: kind as ScoreKind, models, provenance: parseProvenance(doc.provenance, file) };
}

function parseModelEntry(entry: unknown, k: number, file: string): { info: ModelInfo; column: number } {
  const field = `models[${k}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new DataFormatError(`expected an object, got ${describe(entry)}`, { file, field });
  }
  const m = entry as Record<string, unknown>;
  if (typeof m.id !== 'string' || m.id === '') {
    throw new DataFormatError(`model id must be a non-empty string, got ${describe(m.id)}`, { file, field: `${field}.id` });
  }
  // `column` is optional: without it the array order is the column order.
  const column = m.column === undefined ? k : m.column;
  if (!Number.isInteger(column) || (column as number) < 0) {
    throw new DataFormatError(`column must be a non-negative integer, got ${describe(m.column)}`, { file, field: `${field}.column` });
  }
  const info: ModelInfo = { id: m.id };
  const optionalNumber = (key: string): number | undefined => {
    const v = m[key];
    if (v === undefined || v === null) return undefined;
    if (!isFiniteNumber(v) || v < 0) {
      throw new DataFormatError(`must be a non-negative number, got ${describe(v)}`, { file, field: `${field}.${key}` });
    }
    return v;
  };
  const optionalString = (key: string): string | undefined => {
    const v = m[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new DataFormatError(`must be a string, got ${describe(v)}`, { file, field: `${field}.${key}` });
    return v;
  };
  const paramsB = optionalNumber('params_b');
  const priceCents = optionalNumber('price_cents');
  const family = optionalString('family');
  const priceSource = optionalString('price_source');
  if (family !== undefined) info.family = family;
  if (paramsB !== undefined) info.paramsB = paramsB;
  if (priceCents !== undefined) info.priceCents = priceCents;
  if (priceSource !== undefined) info.priceSource = priceSource;
  return { info, column: column as number };
}

function parseProvenance(value: unknown, file: string): Provenance | undefined {
  if (value === undefined) return undefined;
  const p = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataFormatError(`expected an object {kind, source, notes?, answerSlots?}, got ${describe(value)}`, { file, field: 'provenance' });
  }
  if (p.kind !== 'real' && p.kind !== 'simulated' && p.kind !== 'synthetic') {
    throw new DataFormatError(`kind must be "real", "simulated" or "synthetic", got ${describe(p.kind)}`, {
      file,
      field: 'provenance.kind',
    });
  }
  if (typeof p.source !== 'string' || p.source === '') {
    throw new DataFormatError(`source must be a non-empty string, got ${describe(p.source)}`, { file, field: 'provenance.source' });
  }
  if (p.notes !== undefined && !(Array.isArray(p.notes) && p.notes.every((n) => typeof n === 'string'))) {
    throw new DataFormatError('notes must be an array of strings', { file, field: 'provenance.notes' });
  }
  if (p.answerSlots !== undefined && p.answerSlots !== 'pool-ordered') {
    throw new DataFormatError(`answerSlots must be "pool-ordered" or absent, got ${describe(p.answerSlots)}`, { file, field: 'provenance.answerSlots' });
  }
  return { kind: p.kind, source: p.source, ...(p.notes ? { notes: [...(p.notes as string[])] } : {}), ...(p.answerSlots ? { answerSlots: p.answerSlots } : {}) };
}

/** The models.json object for a pool (inverse of readModelsFile). */
export function modelsFileJson(scoreKind: ScoreKind, models: readonly ModelInfo[], provenance?: Provenance): object {
  return {
    score_kind: scoreKind,
    models: models.map((m, column) => ({
      column,
      id: m.id,
      ...(m.paramsB !== undefined ? { params_b: m.paramsB } : {}),
      ...(m.family !== undefined ? { family: m.family } : {}),
      ...(m.priceCents !== undefined ? { price_cents: m.priceCents } : {}),
      ...(m.priceSource !== undefined ? { price_source: m.priceSource } : {}),
    })),
    ...(provenance ? { provenance } : {}),
  };
}
