import type { SplitName } from './dataset';
import { DataFormatError } from './errors';
import { describe } from './jsonl';

/** Field checks shared by the record readers; each failure names file, line and field. */
export interface RecordLocation {
  file: string;
  line: number;
}

export function requireField(record: Record<string, unknown>, key: string, at: RecordLocation): unknown {
  const value = record[key];
  if (value === undefined) throw new DataFormatError(`missing "${key}"`, { ...at, field: key });
  return value;
}

export function requireString(record: Record<string, unknown>, key: string, at: RecordLocation): string {
  const value = requireField(record, key, at);
  if (typeof value !== 'string' || value === '') {
    throw new DataFormatError(`must be a non-empty string, got ${describe(value)}`, { ...at, field: key });
  }
  return value;
}

export function requireInteger(record: Record<string, unknown>, key: string, at: RecordLocation, min: number, max: number): number {
  const value = requireField(record, key, at);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new DataFormatError(`must be an integer, got ${describe(value)}`, { ...at, field: key });
  }
  if (value < min || value > max) {
    throw new DataFormatError(`${value} is out of range [${min}, ${max}]`, { ...at, field: key });
  }
  return value;
}

export function requireSplit(record: Record<string, unknown>, at: RecordLocation): SplitName {
  const value = requireField(record, 'split', at);
  if (value !== 'train' && value !== 'test') {
    throw new DataFormatError(`must be "train" or "test", got ${describe(value)}`, { ...at, field: 'split' });
  }
  return value;
}

/** An identifier field that may be a string or an integer (doc ids are often integers); undefined if absent. */
export function optionalId(record: Record<string, unknown>, key: string, at: RecordLocation): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  throw new DataFormatError(`must be a non-empty string or an integer, got ${describe(value)}`, { ...at, field: key });
}

/** Choice counts live in a Uint8Array: 2..255 choices per question. */
export const MIN_CHOICES = 2;
export const MAX_CHOICES = 255;

/** The optional question text (`question`): a string when present (null = absent). */
export function optionalQuestion(record: Record<string, unknown>, at: RecordLocation): string | undefined {
  const value = record.question;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new DataFormatError(`must be a string, got ${describe(value)}`, { ...at, field: 'question' });
  return value;
}

/** The optional choice texts (`choice_texts`): one string per choice when present (null = absent). */
export function optionalChoiceTexts(record: Record<string, unknown>, at: RecordLocation, choices: number): string[] | undefined {
  const value = record.choice_texts;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length !== choices) {
    throw new DataFormatError(`must be an array of ${choices} strings (one per choice), got ${describe(value)}`, { ...at, field: 'choice_texts' });
  }
  value.forEach((v, k) => {
    if (typeof v !== 'string') throw new DataFormatError(`must be a string, got ${describe(v)}`, { ...at, field: `choice_texts[${k}]` });
  });
  return value as string[];
}
