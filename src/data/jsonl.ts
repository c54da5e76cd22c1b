import { accessSync, constants, createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { DataFormatError } from './errors';

/**
 * Streaming line reading and JSON-record parsing shared by the JSONL readers. Files are never read whole: a
 * recorded-outputs file of 100k questions x 12 models is ~60 MB of text and must not be held as one string.
 */

/**
 * Longest line read (bytes): a record is a few kB, and a line near V8's string limit (about 512 MiB) would fail
 * inside readline with an unhelpful message after minutes of buffering; a 1 GB file without line breaks is not JSONL.
 */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

/**
 * Calls `onLine(text, lineNumber)` for every line of `file` (1-based numbers; `.gz` files are decompressed on the
 * fly). An exception thrown by `onLine` stops the read and rejects the promise with that exception; so does every
 * stream failure (unreadable file, corrupt or truncated gzip, a line longer than `maxLineBytes`), as a
 * DataFormatError naming the file. Resolves to the number of lines read.
 */
export function forEachLine(file: string, onLine: (text: string, line: number) => void, options: { maxLineBytes?: number } = {}): Promise<number> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  assertReadableFile(file);
  return new Promise((resolve, reject) => {
    const raw = createReadStream(file);
    const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    const lines = createInterface({ input, crlfDelay: Infinity });
    let lineNumber = 0;
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      lines.close();
      raw.destroy();
      reject(err);
    };
    // readline re-emits its input's errors (and throws its own, e.g. a line beyond the string limit) on itself;
    // without a listener there they would crash the process instead of rejecting. Whichever listener hears an error
    // first reports it, so the message depends on the error, not on the listener.
    const streamFailure = (err: NodeJS.ErrnoException): void =>
      fail(new DataFormatError(err.code?.startsWith('Z_') ? `cannot decompress: ${err.message}` : readFailure(err), { file }));
    raw.on('error', streamFailure);
    input.on('error', streamFailure);
    lines.on('error', streamFailure);
    lines.on('line', (text) => {
      if (failed) return;
      lineNumber++;
      try {
        // A UTF-8 byte-order mark (some Windows tools write one) is not part of the first record.
        onLine(lineNumber === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, lineNumber);
      } catch (err) {
        fail(err);
      }
    });
    lines.on('close', () => {
      if (!failed) resolve(lineNumber);
    });
    // Bytes since the last line break; readline has already emitted the chunk's complete lines when this runs.
    let pending = 0;
    input.on('data', (chunk: Buffer) => {
      const lastBreak = chunk.lastIndexOf(0x0a);
      pending = lastBreak < 0 ? pending + chunk.length : chunk.length - lastBreak - 1;
      if (pending > maxLineBytes) {
        fail(new DataFormatError(`line is longer than ${maxLineBytes} bytes (is this a JSONL file?)`, { file, line: lineNumber + 1 }));
      }
    });
  });
}

/** Throws a DataFormatError unless `file` is a regular file this process may read, saying which it is not. */
export function assertReadableFile(file: string): void {
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
    if (isFile) accessSync(file, constants.R_OK);
  } catch (err) {
    throw new DataFormatError(readFailure(err), { file });
  }
  if (!isFile) throw new DataFormatError('is not a regular file', { file });
}

/** Why a file could not be opened, in the user's terms ("permission denied" is not "does not exist"). */
export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied (cannot read the file or the folder holding it)';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  return `cannot read: ${(err as Error).message}`;
}

/**
 * Bare tokens some writers (Python's json.dumps, pandas) emit for non-finite floats. JSON cannot hold them; a
 * line containing one is re-parsed with the token replaced by a marker string so the validator can say WHICH field
 * holds it instead of reporting a bare syntax error.
 */
const NON_FINITE_MARK = '\u0000non-finite:';

/** Parses one JSONL record, which must be a JSON object. */
export function parseJsonRecord(text: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const marked = markNonFiniteTokens(text);
    try {
      value = marked === text ? undefined : JSON.parse(marked);
    } catch {
      value = undefined;
    }
    if (value === undefined) {
      throw new DataFormatError(`malformed JSON: ${(err as Error).message}`, { file, line });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataFormatError(`expected a JSON object, got ${describe(value)}`, { file, line });
  }
  return value as Record<string, unknown>;
}

/** Replaces NaN / Infinity / -Infinity tokens that stand outside strings by marker strings. */
function markNonFiniteTokens(text: string): string {
  let out = '';
  let inString = false;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++k] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, k));
    if (token) {
      out += JSON.stringify(NON_FINITE_MARK + token);
      k += token.length - 1;
    } else {
      out += ch;
    }
  }
  return out;
}

/** A short description of a JSON value for error messages ("NaN", "the string \"x\"", "null", ...). */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    if (value.startsWith(NON_FINITE_MARK)) return `the bare token ${value.slice(NON_FINITE_MARK.length)}`;
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)}`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `${typeof value} ${String(value)}`;
}

/** True when `value` is a finite JSON number. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
