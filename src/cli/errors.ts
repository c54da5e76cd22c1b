import { errorLine, isBadInput } from '../util/input-error';

/**
 * How the CLI fails. Bad input (a malformed file, an out-of-range option) exits with code 2 and one line naming
 * file, line and field; anything else is a bug or an environment problem and exits with code 1. Stack traces only
 * with --debug: a user fixing a typo in a JSON file needs the place, not our call stack.
 */

export { InputError, type InputLocation } from '../util/input-error';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C (128 + SIGINT, the shell's convention). */
export const EXIT_INTERRUPTED = 130;

/** The one line to print (`file:line: field "x": message`) and the exit code: 2 for bad input, else 1. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  const message = errorLine(error);
  return { message, exitCode: error instanceof Error && isBadInput(error) ? EXIT_BAD_INPUT : EXIT_FAILURE };
}
