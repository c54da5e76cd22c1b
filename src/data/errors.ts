/**
 * The one error every reader throws for bad input. The message always names the file, and the line (1-based) and
 * field when they are known, so a user can open the file and fix it; the same facts are on the error as properties
 * so tests and tools do not have to parse the message.
 */
export class DataFormatError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  /** The problem alone, without the location prefix. */
  readonly reason: string;

  constructor(reason: string, location: { file: string; line?: number; field?: string }) {
    super(`${formatLocation(location)}: ${reason}`);
    this.name = 'DataFormatError';
    this.file = location.file;
    this.line = location.line;
    this.field = location.field;
    this.reason = reason;
  }
}

function formatLocation(location: { file: string; line?: number; field?: string }): string {
  let where = location.file;
  if (location.line !== undefined) where += `:${location.line}`;
  if (location.field !== undefined) where += ` (field "${location.field}")`;
  return where;
}
