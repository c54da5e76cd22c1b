import { toJson } from '../util/json';

/**
 * Machine-readable output. Every command that writes results ends stdout with ONE line of JSON, so scripts can
 * take `tail -n 1`. JSON has no NaN or Infinity: they are written as null (a missing price makes a cost NaN, a
 * single seed makes a standard error NaN, and that must not produce unparsable output).
 */

export { toJson } from '../util/json';

/** Where a command writes; injectable so commands can be driven in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** One run of the CLI: its streams and the exit code a command asks for without throwing (e.g. failed cells). */
export interface CliContext extends CliIo {
  exitCode: number;
}

export const processIo: CliIo = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: process.stderr,
};

/** The one-line JSON summary; must be the last thing a command prints on stdout. */
export function printSummary(io: CliIo, summary: Record<string, unknown>): void {
  io.stdout(toJson(summary) + '\n');
}
