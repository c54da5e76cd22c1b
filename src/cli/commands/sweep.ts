import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { configFromOptions, readConfigFile, withOverrides, type ConfigObject } from '../config-input';
import { readJsonFile, type LocatedJson } from '../json-input';
import { resolveConfig, type RlFocalConfig } from '../../train/config';
import { asConfigInputError, configErrorField, type ConfigSource } from '../train-run';
import { PRESET_NAMES, presetConfig } from '../presets';
import { collect, integerOption, uniqueListOption, type GlobalOptions } from '../options';
import { printSummary, type CliContext } from '../output';
import { canonicalJson, expandGrid, type SweepGrid } from '../../runs/grid';
import { parseGrid, parseShard } from '../sweep/grid';
import { runSweep } from '../sweep/run';
import { EXIT_FAILURE, EXIT_INTERRUPTED, InputError } from '../errors';
import { checkOutDir } from '../out-dir';

interface SweepCommandOptions {
  data: string;
  grid: string;
  config?: string;
  preset?: string;
  set?: string[];
  seeds?: number;
  workers: number;
  shard: string;
  out: string;
  cellModule?: string;
  perSubtask?: boolean;
  models?: string[];
  subtasks?: string[];
  paperPrices?: boolean;
}

export function registerSweep(program: Command, io: CliContext): void {
  program
    .command('sweep')
    .description('train every config of a grid x seeds on worker processes; resumable and shardable')
    .requiredOption('--data <spec>', 'recorded-outputs folder, "bbh", or "sim:<benchmark>[?n=..&seed=..]"')
    .requiredOption('--grid <json>', 'grid file: {"grid": {"<key>": [values...]}, "base"?: {...}, "seeds"?: k | [..]}')
    .requiredOption('--out <dir>', 'output folder (shared by all shards; rerun to resume)')
    .option('--preset <name>', `named configuration to start from (${PRESET_NAMES.join(', ')}); --config and --set override it`)
    .option('--config <json>', 'config file applied to every cell')
    .option('--set <key=value>', 'config override applied to every cell (repeatable)', collect)
    .option('--seeds <k>', 'seeds 0..k-1 (overrides the grid file)', integerOption(1, 1000))
    .option('--workers <k>', 'worker processes', integerOption(1, 256), availableParallelism())
    .option('--shard <i/n>', 'run only cells whose index mod n is i-1 (1-based)', '1/1')
    .option('--per-subtask', 'one agent set per subtask in every cell (the authors\' BBH protocol)')
    .option('--models <ids>', 'use only these models, in this order (comma-separated)', uniqueListOption)
    .option('--subtasks <names>', 'use only these subtasks (comma-separated)', uniqueListOption)
    .option('--paper-prices', 'price the models from the paper\'s Table 8 (DeepInfra) by model id, for cost_per_1000')
    .option('--cell-module <file>', 'run this module\'s runCell(cell, context) instead of RL-Focal training')
    .addHelpText(
      'after',
      '\nLayout of --out: sweep.json (what is swept), cells/<id>.json (one per finished cell, written atomically),\nsweep-log.jsonl (start/done/failed events). Merge shards with `rl-focal report <dir...>`.',
    )
    .action(async (options: SweepCommandOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      if (options.cellModule !== undefined && !fs.existsSync(options.cellModule)) {
        throw new InputError('no such file', { file: options.cellModule, field: '--cell-module' });
      }
      checkOutDir(options.out);
      const gridJson = readJsonFile(options.grid);
      const grid = parseGrid(gridJson);
      if (options.seeds !== undefined) grid.seeds = Array.from({ length: options.seeds }, (_, i) => i);
      const configFile = options.config === undefined ? undefined : readConfigFile(options.config);
      const base = configFromOptions(configFile, options.set, options.preset === undefined ? {} : presetConfig(options.preset));
      // Training cells: a config value the trainer rejects is bad input, reported before any cell runs.
      if (options.cellModule === undefined) checkTrainConfigs(grid, gridJson, base, { file: configFile, sets: options.set });
      // Ctrl-C (SIGINT, SIGTERM): kill every worker, keep the finished cells, exit 130; a second one is not needed.
      const stop = new AbortController();
      const abort = (): void => stop.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      const summary = await runSweep({
        data: options.data,
        dataOptions: {
          ...(options.models ? { models: options.models } : {}),
          ...(options.subtasks ? { subtasks: options.subtasks } : {}),
          ...(options.paperPrices ? { paperPrices: true } : {}),
        },
        perSubtask: options.perSubtask ?? false,
        grid,
        base,
        out: options.out,
        workers: options.workers,
        shard: parseShard(options.shard),
        cellModule: options.cellModule,
        progress: { stream: io.stderr, enabled: !global.quiet },
        signal: stop.signal,
      }).finally(() => {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      });
      printSummary(io, { command: 'sweep', ...summary });
      if (summary.failed > 0) io.exitCode = EXIT_FAILURE;
      if (summary.interrupted) io.exitCode = EXIT_INTERRUPTED;
    });
}

/** Resolves the config of every grid point; an error points at the grid value, the grid base, --config or --set. */
function checkTrainConfigs(grid: SweepGrid, gridJson: LocatedJson, base: ConfigObject, source: ConfigSource): void {
  const withBase = withOverrides(base, grid.base);
  for (const cell of expandGrid({ ...grid, seeds: [grid.seeds[0]] })) {
    try {
      resolveConfig({ ...withOverrides(withBase, cell.overrides), seed: cell.seed } as Partial<RlFocalConfig>);
    } catch (error) {
      const field = error instanceof RangeError ? configErrorField(error.message) : undefined;
      if (field === undefined) throw error;
      const swept = grid.grid.find(([key]) => key === field);
      if (swept) {
        const at = swept[1].findIndex((v) => canonicalJson(v) === canonicalJson(cell.overrides[field]));
        throw gridJson.error(['grid', field, at], (error as Error).message);
      }
      if (Object.hasOwn(grid.base, field)) throw gridJson.error(['base', field], (error as Error).message);
      throw asConfigInputError(error, source);
    }
  }
}
