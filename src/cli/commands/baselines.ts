import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { MethodResult } from '../../eval/result';
import { runAllBaselines } from '../../baselines/run-all';
import type { SplitName } from '../../data/dataset';
import { loadDataset } from '../../sources/data-source';
import { Progress } from '../../util/progress';
import { toCsv } from '../csv';
import { datasetSummary } from '../dataset-summary';
import { choiceOption, integerOption, uniqueListOption, MAX_SEED, type GlobalOptions } from '../options';
import { checkOutDir } from '../out-dir';
import { printSummary, toJson, type CliContext } from '../output';
import { writeFolderAtomic } from '../../util/atomic';

interface BaselinesOptions {
  data: string;
  split: SplitName;
  perSubtask?: boolean;
  seed: number;
  fusion: boolean;
  out?: string;
  models?: string[];
  subtasks?: string[];
  paperPrices?: boolean;
}

export interface BaselineRow {
  method: string;
  split: SplitName;
  accuracy: number;
  accuracy_macro: number | undefined;
  calls_per_query: number;
  cost_per_1000: number;
  queries: number;
}

const COLUMNS: Array<keyof BaselineRow> = ['method', 'split', 'accuracy', 'accuracy_macro', 'calls_per_query', 'cost_per_1000', 'queries'];

export function baselineRow(result: MethodResult): BaselineRow {
  return {
    method: result.method,
    split: result.split,
    accuracy: result.accuracy,
    accuracy_macro: result.accuracyMacro,
    calls_per_query: result.cost.callsPerQuery,
    cost_per_1000: result.cost.costPer1000,
    queries: result.cost.queries,
  };
}

export function registerBaselines(program: Command, io: CliContext): void {
  program
    .command('baselines')
    .description('every baseline (single models, votes, greedy, static focal team, supervised fusion, routers, oracle) on one split')
    .requiredOption('--data <spec>', 'recorded-outputs folder, "bbh", or "sim:<benchmark>[?n=..&seed=..]"')
    .option('--split <split>', 'split to evaluate (choices are always made on train)', choiceOption(['train', 'test'] as const), 'test')
    .option('--per-subtask', 'also the variants chosen per subtask (default: when there is more than one subtask)')
    .option('--no-per-subtask', 'never the per-subtask variants')
    .option('--seed <n>', 'seed of the random baselines and the fusion networks', integerOption(0, MAX_SEED), 0)
    .option('--no-fusion', 'skip the supervised fusion networks (the slow ones)')
    .option('--out <dir>', 'also write baselines.json and baselines.csv there')
    .option('--models <ids>', 'use only these models, in this order (comma-separated)', uniqueListOption)
    .option('--subtasks <names>', 'use only these subtasks (comma-separated)', uniqueListOption)
    .option('--paper-prices', 'price the models from the paper\'s Table 8 (DeepInfra) by model id, for cost_per_1000')
    .addHelpText('after', '\nThe summary line holds every baseline: method, accuracy (micro), accuracy_macro, calls_per_query, cost_per_1000 (NaN -> null).')
    .action(async (options: BaselinesOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const started = performance.now();
      // Before the (long) computation, not after it.
      if (options.out !== undefined) checkOutDir(options.out);
      const data = await loadDataset(options.data, { models: options.models, subtasks: options.subtasks, paperPrices: options.paperPrices });
      const progress = new Progress({ label: 'baselines', unit: 'methods', stream: io.stderr, enabled: !global.quiet });
      const results = runAllBaselines(data, {
        split: options.split,
        seed: options.seed,
        ...(options.perSubtask !== undefined ? { perSubtask: options.perSubtask } : {}),
        ...(options.fusion ? {} : { fusion: false as const }),
        onResult: (r) => progress.tick(1, `${r.method} ${r.accuracy.toFixed(4)}`),
      });
      progress.finish();
      const rows = results.map(baselineRow);
      if (options.out !== undefined) {
        const json = toJson({ data: options.data, dataset: datasetSummary(data), baselines: rows }, 2) + '\n';
        writeFolderAtomic(options.out, (dir) => {
          fs.writeFileSync(path.join(dir, 'baselines.csv'), toCsv(rows, COLUMNS));
          fs.writeFileSync(path.join(dir, 'baselines.json'), json);
        });
      }
      printSummary(io, {
        command: 'baselines',
        data: options.data,
        split: options.split,
        queries: rows[0]?.queries ?? 0,
        ...(options.out !== undefined ? { out: options.out } : {}),
        baselines: rows,
        wall_seconds: (performance.now() - started) / 1000,
      });
    });
}
