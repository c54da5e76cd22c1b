/** Where a piece of bad input sits. */
export interface InputLocation {
  file?: string;
  /** 1-based line (or CSV row) in `file`. */
  line?: number;
  /** The offending field, as a path (`predictions[3][1]`, `scores.phi-2`, `--workers`). */
  field?: string;
}

/**
 * Something the user gave us is wrong (a malformed file, an out-of-range option). The message says what; the
 * location says where. Library code throws it as well as the CLI, which turns it into exit code 2
 * (src/cli/errors.ts).
 */
export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;

  constructor(message: string, where: InputLocation = {}) {
    super(message);
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

/** Errors that mean "your input is wrong" whichever module raised them. */
export function isBadInput(error: Error): boolean {
  return (
    error instanceof InputError ||
    error.name === 'DataFormatError' ||
    (error as { code?: string }).code === 'ENOENT' ||
    (error as { code?: string }).code === 'EISDIR' ||
    (error as { code?: string }).code === 'ENOTDIR'
  );
}

/**
 * One line, `file:line: field "x": message`. Errors that already start with their location (DataFormatError
 * does) are given as they are.
 */
export function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const where = error as Error & InputLocation & { path?: string };
  const file = where.file ?? where.path;
  const firstLine = error.message.split('\n')[0];
  const prefix: string[] = [];
  if (file === undefined || !firstLine.startsWith(file)) {
    if (file !== undefined) prefix.push(where.line !== undefined ? `${file}:${where.line}` : file);
    else if (where.line !== undefined) prefix.push(`line ${where.line}`);
    if (where.field !== undefined) prefix.push(`field "${where.field}"`);
  }
  return (prefix.length > 0 ? prefix.join(': ') + ': ' : '') + firstLine;
}
