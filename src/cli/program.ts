import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { describeError, EXIT_BAD_INPUT, EXIT_OK } from './errors';
import { processIo, type CliContext, type CliIo } from './output';
import { registerBaselines } from './commands/baselines';
import { registerBenchmark } from './commands/benchmark';
import { registerEvaluate } from './commands/evaluate';
import { registerImport } from './commands/import';
import { registerMetrics } from './commands/metrics';
import { registerReport } from './commands/report';
import { registerSweep } from './commands/sweep';
import { registerTrain } from './commands/train';

/**
 * The `rl-focal` command. Results go to stdout and end with one JSON line; progress and errors go to stderr.
 * Exit codes: 0 success, 1 failure, 2 bad input (usage, malformed file, out-of-range value).
 */

function packageVersion(): string {
  // src/cli and dist/cli both sit two levels below the package root.
  const file = path.resolve(__dirname, '../../package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

export function buildProgram(io: CliContext): Command {
  const program = new Command('rl-focal');
  program
    .description('RL-Focal: two-stage RL ensembles of LLMs over recorded outputs (train, evaluate, sweep, report)')
    .version(packageVersion())
    .option('--debug', 'print stack traces on errors')
    .option('-q, --quiet', 'no progress output on stderr')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander's usage errors read "error: ..."; prefixed like ours so that every error line looks the same.
      outputError: (text, write) => write(`rl-focal: ${text}`),
    })
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nEvery command that writes results prints a one-line JSON summary as the last line of stdout.\nExit codes: 0 ok, 1 failure, 2 bad input.');
  registerImport(program, io);
  registerMetrics(program, io);
  registerBaselines(program, io);
  registerTrain(program, io);
  registerEvaluate(program, io);
  registerSweep(program, io);
  registerReport(program, io);
  registerBenchmark(program, io);
  return program;
}

/** Runs the CLI on `argv` (process.argv form: node, script, ...args) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const context: CliContext = { ...io, exitCode: EXIT_OK };
  const program = buildProgram(context);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (usage errors) or the help/version text.
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    const { message, exitCode } = describeError(error);
    const hint = exitCode !== EXIT_BAD_INPUT && !debug ? ' (run with --debug for a stack trace)' : '';
    io.stderr.write(`rl-focal: error: ${message}${hint}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(error.stack + '\n');
    return exitCode;
  }
}
