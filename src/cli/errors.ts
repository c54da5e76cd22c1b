/**
 * How the CLI fails. Bad input (a malformed file, an out-of-range option) exits with code 2 and one line naming
 * file, line and field; anything else is a bug or an environment problem and exits with code 1. Stack traces only
 * with --debug: a user fixing a typo in a JSON file needs the place, not our call stack.
 */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C (128 + SIGINT, the shell's convention). */
export const EXIT_INTERRUPTED = 130;

export interface InputLocation {
  file?: string;
  /** 1-based line (or CSV row) in `file`. */
  line?: number;
  /** The offending field, as a path (`predictions[3][1]`, `scores.phi-2`, `--workers`). */
  field?: string;
}

/** Something the user gave us is wrong. The message says what; the location says where. */
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
function isBadInput(error: Error): boolean {
  return (
    error instanceof InputError ||
    error.name === 'DataFormatError' ||
    (error as { code?: string }).code === 'ENOENT' ||
    (error as { code?: string }).code === 'EISDIR' ||
    (error as { code?: string }).code === 'ENOTDIR'
  );
}

/**
 * `file:line: field "x": message`. Errors that already start with their location (DataFormatError does) are
 * printed as they are.
 */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (!(error instanceof Error)) return { message: String(error), exitCode: EXIT_FAILURE };
  const where = error as Error & InputLocation & { path?: string };
  const file = where.file ?? where.path;
  const firstLine = error.message.split('\n')[0];
  const prefix: string[] = [];
  if (file === undefined || !firstLine.startsWith(file)) {
    if (file !== undefined) prefix.push(where.line !== undefined ? `${file}:${where.line}` : file);
    else if (where.line !== undefined) prefix.push(`line ${where.line}`);
    if (where.field !== undefined) prefix.push(`field "${where.field}"`);
  }
  const message = (prefix.length > 0 ? prefix.join(': ') + ': ' : '') + firstLine;
  return { message, exitCode: isBadInput(error) ? EXIT_BAD_INPUT : EXIT_FAILURE };
}
