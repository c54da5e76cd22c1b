import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { summarizeSeeds } from '../../baselines/result';
import { loadDataset } from '../../sources/data-source';
import { saveAgents } from '../../train/checkpoint';
import { Progress } from '../../util/progress';
import { subtaskCheckpointName } from '../checkpoint-name';
import { configFromOptions, readConfigFile } from '../config-input';
import { toCsv } from '../csv';
import { datasetSummary } from '../dataset-summary';
import { PRESET_NAMES, presetConfig } from '../presets';
import { collect, integerOption, listOption, type GlobalOptions } from '../options';
import { printSummary, toJson, type CliContext } from '../output';
import { writeFileAtomic } from '../sweep/store';
import { CURVE_COLUMNS, curveRows, episodesPerSeed, progressPosition, resolveCliConfig, trainSeed, type SeedMetrics } from '../train-run';

interface TrainCommandOptions {
  data: string;
  config?: string;
  preset?: string;
  set?: string[];
  seed?: number;
  seeds: number;
  perSubtask?: boolean;
  out?: string;
  models?: string[];
  subtasks?: string[];
  paperPrices?: boolean;
}


export function registerTrain(program: Command, io: CliContext): void {
  program
    .command('train')
    .description('train RL-Focal on the train split (Algorithm 1) and serve the test split online (Algorithm 2)')
    .requiredOption('--data <spec>', 'recorded-outputs folder, "bbh", or "sim:<benchmark>[?n=..&seed=..]"')
    .option('--preset <name>', `named configuration to start from (${PRESET_NAMES.join(', ')}); --config and --set override it`)
    .option('--config <json>', 'config file (RlFocalConfig fields, e.g. {"alpha": 0.6, "window": 100})')
    .option('--set <key=value>', 'config override, applied after --config (repeatable)', collect)
    .option('--seed <n>', 'first seed (default: the config\'s seed)', integerOption(0))
    .option('--seeds <k>', 'number of seeds: seed, seed+1, ..., seed+k-1', integerOption(1, 1000), 1)
    .option('--per-subtask', 'one agent set per subtask, results joined (the authors\' BBH protocol)')
    .option('--out <dir>', 'output folder (default: runs/train-<time>)')
    .option('--models <ids>', 'use only these models, in this order (comma-separated)', listOption)
    .option('--subtasks <names>', 'use only these subtasks (comma-separated)', listOption)
    .option('--paper-prices', 'price the models from the paper\'s Table 8 (DeepInfra) by model id, for cost_per_1000')
    .addHelpText(
      'after',
      `
Writes to --out: results.json (config, data, per-seed and aggregated results), seed-<s>/curves.csv (per-episode
learning curves of every turn), seed-<s>/result.json, seed-<s>/agents.json (checkpoint of the trained agents;
agents-<subtask>-<hash>.json with --per-subtask; load with loadAgents()). The summary line holds test_accuracy (micro, mean over
seeds), test_accuracy_macro, their standard errors, per_seed values, calls_per_query, cost_per_1000, wall_seconds.`,
    )
    .action(async (options: TrainCommandOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const started = performance.now();
      const source = {
        file: options.config === undefined ? undefined : readConfigFile(options.config),
        sets: options.set ?? [],
        data: options.data,
      };
      const base = configFromOptions(source.file, source.sets, options.preset === undefined ? {} : presetConfig(options.preset));
      const firstConfig = resolveCliConfig(options.seed === undefined ? base : { ...base, seed: options.seed }, source);
      const seeds = Array.from({ length: options.seeds }, (_, k) => firstConfig.seed + k);
      const data = await loadDataset(options.data, { models: options.models, subtasks: options.subtasks, paperPrices: options.paperPrices });
      const out = options.out ?? path.join('runs', `train-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      fs.mkdirSync(out, { recursive: true });

      const subtasks = options.perSubtask ? data.subtaskNames.length : 1;
      const perSeed = episodesPerSeed(firstConfig, subtasks);
      const progress = new Progress({ label: 'train', total: seeds.length * perSeed, unit: 'episodes', stream: io.stderr, enabled: !global.quiet });
      const results: SeedMetrics[] = [];
      const details: Array<Record<string, unknown>> = [];
      seeds.forEach((seed, k) => {
        const config = resolveCliConfig({ ...base, seed }, source);
        const trained = trainSeed(data, { ...base, seed }, {
          perSubtask: options.perSubtask ?? false,
          source,
          onProgress: (p) => {
            const where = p.subtask !== undefined ? `${p.subtask} (${(p.subtaskIndex ?? 0) + 1}/${p.subtaskCount}) ` : '';
            const step = p.turn === 'test' ? 'test' : `${p.turn} ${p.episode + 1}/${p.episodes}`;
            progress.update(k * perSeed + progressPosition(config, p), `seed ${seed} ${where}${step} acc=${p.accuracy.toFixed(3)}`);
          },
        });
        const seedDir = path.join(out, `seed-${seed}`);
        fs.mkdirSync(seedDir, { recursive: true });
        writeFileAtomic(path.join(seedDir, 'curves.csv'), toCsv(curveRows(trained), CURVE_COLUMNS));
        // The agents as they stand after the online test pass (they keep learning during it), one file per agent set.
        const checkpoints = trained.runs.map(({ subtask, run }) => {
          const file = path.join(seedDir, subtask === undefined ? 'agents.json' : subtaskCheckpointName(subtask));
          saveAgents(file, run.agents, run.config, {
            models: data.models.map((m) => m.id),
            metrics: { seed, ...(subtask !== undefined ? { subtask } : {}), test_accuracy: run.test.accuracy, best_episode: run.bestEpisode },
          });
          return path.basename(file);
        });
        const perSubtaskAccuracy = trained.runs
          .filter((r) => r.subtask !== undefined)
          .map(({ subtask, run }) => ({ subtask, test_accuracy: run.test.accuracy, mean_team_size: run.testEpisode.meanTeamSize }));
        const detail = {
          ...trained.metrics,
          calls_per_model: trained.runs.reduce((acc, { run }) => acc.map((c, i) => c + run.test.cost.callsPerModel[i]), new Array(data.nModels).fill(0)),
          checkpoints,
          best_episode: trained.runs.map(({ subtask, run }) => ({ ...(subtask ? { subtask } : {}), ...run.bestEpisode })),
          ...(perSubtaskAccuracy.length > 0 ? { per_subtask: perSubtaskAccuracy } : {}),
        };
        writeFileAtomic(path.join(seedDir, 'result.json'), toJson(detail, 2) + '\n');
        results.push(trained.metrics);
        details.push(detail);
      });
      progress.finish();

      const micro = summarizeSeeds(results.map((r) => r.test_accuracy));
      const macro = summarizeSeeds(results.map((r) => r.test_accuracy_macro));
      const mean = (key: keyof SeedMetrics): number => summarizeSeeds(results.map((r) => r[key])).mean;
      const summary = {
        command: 'train',
        data: options.data,
        out,
        per_subtask: options.perSubtask ?? false,
        seeds,
        test_accuracy: micro.mean,
        test_accuracy_se: micro.standardError,
        test_accuracy_macro: macro.mean,
        test_accuracy_macro_se: macro.standardError,
        calls_per_query: mean('calls_per_query'),
        cost_per_1000: mean('cost_per_1000'),
        per_seed: results,
        wall_seconds: (performance.now() - started) / 1000,
      };
      // The resolved config of the first seed, without the seed (listed in `seeds`); the inputs it came from.
      const config = { ...firstConfig, seed: undefined };
      const inputs = { preset: options.preset, config_file: options.config, config_file_content: source.file?.value, sets: source.sets };
      writeFileAtomic(path.join(out, 'results.json'), toJson({ ...summary, config, ...inputs, dataset: datasetSummary(data), details }, 2) + '\n');
      printSummary(io, summary);
    });
}
