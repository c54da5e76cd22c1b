import * as fs from 'node:fs';
import type { Command } from 'commander';
import { resolveConfig, type RlFocalConfig } from '../../train/config';
import { configFromOptions } from '../config-input';
import { EXIT_FAILURE, EXIT_INTERRUPTED, InputError } from '../errors';
import { collect, integerOption, listOption, type GlobalOptions } from '../options';
import { printSummary, type CliContext } from '../output';
import { parseShard } from '../sweep/grid';
import { asConfigInputError } from '../train-run';

interface BenchmarkOptions {
  data?: string[];
  methods?: string[];
  seeds: number;
  out: string;
  workers: number;
  shard: string;
  set?: string[];
  fusion: boolean;
  fusionEpochs?: number;
  paperPrices: boolean;
  merge?: string[];
}

export function registerBenchmark(program: Command, io: CliContext): void {
  program
    .command('benchmark')
    .description('every method x every real pool x seeds: one table (mean ± SE, calls, cost), Pareto frontiers and AIQ; resumable and shardable')
    .option('--data <specs>', 'pools, comma-separated (default: every shared pool present next to the repository)', listOption)
    .option('--methods <names>', 'method families, comma-separated (default: all; see docs/cli.md)', listOption)
    .option('--seeds <k>', 'seeds 0..k-1 for the seeded methods (RL-Focal, fusion, random team)', integerOption(1, 1000), 3)
    .requiredOption('--out <dir>', 'output folder (shared by all shards; rerun to resume); the report is written there')
    .option('--workers <k>', 'worker processes (1 = run the cells in this process)', integerOption(1, 256), 1)
    .option('--shard <i/n>', 'run only cells whose index mod n is i-1 (1-based)', '1/1')
    .option('--set <key=value>', 'RL-Focal config override (repeatable; the rows say "defaults + overrides")', collect)
    .option('--no-fusion', 'skip the supervised fusion networks')
    .option('--fusion-epochs <n>', 'epochs of the supervised fusion networks', integerOption(1, 100000))
    .option('--no-paper-prices', 'do not price BBH\'s models from the paper\'s Table 8 (no cost axis at all then)')
    .option('--merge <dirs>', 'run nothing: merge these benchmark folders (e.g. one per shard, comma-separated) into --out', listOption)
    .addHelpText(
      'after',
      '\nLayout of --out: sweep.json, cells/<id>.json, sweep-log.jsonl (as `rl-focal sweep`), then benchmark-table.csv|md,\nbenchmark-cost-quality.csv|md, benchmark.json and benchmark-pareto-*.json (plotly specs).',
    )
    .action(async (options: BenchmarkOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const rl = configFromOptions(undefined, options.set ?? []) as Partial<RlFocalConfig>;
      try {
        resolveConfig(rl);
      } catch (error) {
        throw asConfigInputError(error, { sets: options.set });
      }
      // Loaded here, not at start-up: the methods pull in tfjs (fusion), which other commands can do without.
      const { runBenchmark } = await import('../../benchmark/run');
      const { buildBenchmarkReport, writeBenchmarkFiles, benchmarkTable } = await import('../../benchmark/report');
      let run: Record<string, unknown> = {};
      let dirs = [options.out];
      if (options.merge) {
        for (const dir of options.merge) if (!fs.existsSync(dir)) throw new InputError('no such folder', { file: dir, field: '--merge' });
        dirs = options.merge;
      } else {
        // Ctrl-C (SIGINT, SIGTERM), as in sweep: kill every worker, keep the finished cells and free this run's claims,
        // write the report of what is there, exit 130.
        const stop = new AbortController();
        const abort = (): void => stop.abort();
        process.once('SIGINT', abort);
        process.once('SIGTERM', abort);
        const summary = await runBenchmark({
          pools: options.data,
          methods: options.methods,
          seeds: Array.from({ length: options.seeds }, (_, i) => i),
          out: options.out,
          shard: parseShard(options.shard),
          workers: options.workers,
          rl,
          fusion: options.fusion ? (options.fusionEpochs !== undefined ? { epochs: options.fusionEpochs } : {}) : false,
          paperPrices: options.paperPrices,
          progress: { stream: io.stderr, enabled: !global.quiet },
          signal: stop.signal,
        }).finally(() => {
          process.off('SIGINT', abort);
          process.off('SIGTERM', abort);
        });
        run = { ...summary };
        if (summary.failed > 0) io.exitCode = EXIT_FAILURE;
        if (summary.interrupted) io.exitCode = EXIT_INTERRUPTED;
      }
      const report = buildBenchmarkReport(dirs);
      fs.mkdirSync(options.out, { recursive: true });
      const files = writeBenchmarkFiles(report, options.out);
      if (!global.quiet) io.stderr.write(`benchmark: ${report.cellsFound} of ${report.cellsExpected} cells in the report; ${benchmarkTable(report).rows.length} rows\n`);
      printSummary(io, {
        command: 'benchmark',
        ...run,
        cells_expected: report.cellsExpected,
        cells_found: report.cellsFound,
        missing: report.cellsExpected - report.cellsFound,
        files,
        pools: report.pools,
        skipped_methods: report.skipped,
      });
    });
}
