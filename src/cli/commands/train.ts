import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { summarizeSeeds } from '../../stats/seeds';
import { loadDataset } from '../../sources/data-source';
import { saveRunCheckpoints } from '../../train/checkpoint';
import { runJobs } from '../../runs/engine';
import { replaceFolderAtomicAsync, writeFileAtomic } from '../../util/atomic';
import { Progress } from '../../util/progress';
import { checkpointFileName } from '../checkpoint-name';
import { configFromOptions, readConfigFile } from '../config-input';
import { toCsv } from '../csv';
import { datasetSummary } from '../dataset-summary';
import { PRESET_NAMES, presetConfig } from '../presets';
import { collect, integerOption, uniqueListOption, MAX_SEED, type GlobalOptions } from '../options';
import { InputError } from '../errors';
import { checkOutDir } from '../out-dir';
import { printSummary, toJson, type CliContext } from '../output';
import { progressPosition, stepsPerSeed } from '../../train/progress-plan';
import { CURVE_COLUMNS, curveRows, describeStep, resolveCliConfig, trainSeed, type SeedMetrics } from '../train-run';

interface TrainCommandOptions {
  data: string;
  config?: string;
  preset?: string;
  set?: string[];
  seed?: number;
  seeds: number;
  perSubtask?: boolean;
  out?: string;
  force?: boolean;
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
    .option('--seed <n>', `first seed, 0..${MAX_SEED} (default: the config's seed)`, integerOption(0, MAX_SEED))
    .option('--seeds <k>', 'number of seeds: seed, seed+1, ..., seed+k-1', integerOption(1, 1000), 1)
    .option('--per-subtask', 'one agent set per subtask, results joined (the authors\' BBH protocol)')
    .option('--out <dir>', 'output folder, written when the run is complete (default: runs/train-<time>)')
    .option('--force', 'replace an --out folder that already holds files')
    .option('--models <ids>', 'use only these models, in this order (comma-separated)', uniqueListOption)
    .option('--subtasks <names>', 'use only these subtasks (comma-separated)', uniqueListOption)
    .option('--paper-prices', 'price the models from the paper\'s Table 8 (DeepInfra) by model id, for cost_per_1000')
    .addHelpText(
      'after',
      `
Writes to --out: results.json (config, data, per-seed and aggregated results), seed-<s>/curves.csv (per-episode
learning curves of every turn), seed-<s>/result.json, seed-<s>/agents.json (checkpoint of the agents the test pass
started from: evaluateRlFocal on it reproduces test_accuracy; \`rl-focal evaluate\` checks it), seed-<s>/agents-online.json
(the agents after the online test pass); agents-<subtask>-<hash>[-online].json with --per-subtask. The folder appears
when the run is complete (an interrupted run leaves no --out); an existing non-empty --out needs --force. The summary
line holds test_accuracy (micro, mean over seeds), test_accuracy_macro, their standard errors, per_seed values,
calls_per_query, cost_per_1000, wall_seconds.`,
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
      if (seeds[seeds.length - 1] > MAX_SEED) {
        throw new InputError(`seeds ${seeds[0]}..${seeds[seeds.length - 1]} go beyond ${MAX_SEED} (seeds are taken modulo 2^32)`, { field: '--seeds' });
      }
      const out = options.out ?? path.join('runs', `train-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      checkOutDir(out, { replaces: true, force: options.force });
      const data = await loadDataset(options.data, { models: options.models, subtasks: options.subtasks, paperPrices: options.paperPrices });
      // Everything is written into a temporary folder that replaces --out once every seed is done.
      let summary: Record<string, unknown> = {};
      await replaceFolderAtomicAsync(out, async (temp) => {
        const subtasks = options.perSubtask ? presentSubtasks(data) : 1;
        const perSeed = stepsPerSeed(firstConfig, subtasks);
        const progress = new Progress({ label: 'train', total: seeds.length * perSeed, unit: 'steps', stream: io.stderr, enabled: !global.quiet });
        const results: SeedMetrics[] = [];
        const details: Array<Record<string, unknown>> = [];
        // The seeds run through the project's one job engine, in this process; the first failure (bad input that only
        // the data reveals) ends the run with its own error, and --out is left as it was.
        const trainOne = (seed: number, k: number): void => {
          const config = resolveCliConfig({ ...base, seed }, source);
          const trained = trainSeed(data, { ...base, seed }, {
            perSubtask: options.perSubtask ?? false,
            source,
            onProgress: (p) => {
              const where = p.subtask !== undefined ? `${p.subtask} (${(p.subtaskIndex ?? 0) + 1}/${p.subtaskCount}) ` : '';
              progress.update(k * perSeed + progressPosition(config, p), `seed ${seed} ${where}${describeStep(p)} acc=${p.accuracy.toFixed(3)}`);
            },
          });
          if (k === 0 && trained.untrainedSubtasks.length > 0 && !global.quiet) {
            const served = trained.untrainedSubtasks.filter((u) => u.servedBy !== null);
            const list = (us: typeof served) => us.map((u) => `${u.subtask} (${u.trainQueries} train)`).join(', ');
            if (served.length > 0) io.stderr.write(`rl-focal train: ${served.length} subtask(s) too short to train on, served by ${served[0].servedBy}: ${list(served)}\n`);
            const untested = trained.untrainedSubtasks.filter((u) => u.servedBy === null);
            if (untested.length > 0) io.stderr.write(`rl-focal train: ${untested.length} subtask(s) without test queries, not trained: ${list(untested)}\n`);
          }
          const seedDir = path.join(temp, `seed-${seed}`);
          fs.mkdirSync(seedDir, { recursive: true });
          writeFileAtomic(path.join(seedDir, 'curves.csv'), toCsv(curveRows(trained), CURVE_COLUMNS));
          // Per agent set: the agents the test pass started from (they reproduce the learned test accuracy) and, labelled
          // apart, the agents after the online test pass (they kept learning from the test stream).
          const checkpoints = trained.runs.map(({ subtask, run }) => {
            const files = { postWarmStart: path.join(seedDir, checkpointFileName(subtask, 'post-warm-start')), postOnline: path.join(seedDir, checkpointFileName(subtask, 'post-online')) };
            saveRunCheckpoints(files, run, {
              models: data.models.map((m) => m.id),
              metrics: {
                seed,
                ...(subtask !== undefined ? { subtask } : {}),
                learned_test_accuracy: run.learned.test.accuracy,
                served: run.guard?.served ?? 'learned',
                ...(run.guard?.refit ? { refit_on_all_train: true } : {}),
                best_episode: run.bestEpisode,
              },
            });
            return path.basename(files.postWarmStart);
          });
          const perSubtaskAccuracy = trained.runs
            .filter((r) => r.subtask !== undefined)
            .map(({ subtask, run }) => ({ subtask, test_accuracy: run.test.accuracy, mean_team_size: run.testEpisode.meanTeamSize }));
          const detail = {
            ...trained.metrics,
            ...(trained.guard
              ? { served: trained.guard.served, ...(trained.guard.refit ? { refit_on_all_train: true } : {}), learned_test_accuracy: trained.learnedTest.accuracy }
              : {}),
            calls_per_model: Array.from(trained.test.cost.callsPerModel),
            checkpoints,
            best_episode: trained.runs.map(({ subtask, run }) => ({ ...(subtask ? { subtask } : {}), ...run.bestEpisode })),
            ...(perSubtaskAccuracy.length > 0 ? { per_subtask: perSubtaskAccuracy } : {}),
            ...(trained.untrainedSubtasks.length > 0 ? { untrained_subtasks: trained.untrainedSubtasks } : {}),
          };
          writeFileAtomic(path.join(seedDir, 'result.json'), toJson(detail, 2) + '\n');
          results[k] = trained.metrics;
          details[k] = detail;
        };
        await runJobs(seeds.map((seed, k) => ({ seed, k })), {
          workers: 0,
          run: ({ seed, k }) => trainOne(seed, k),
          onDone: () => undefined,
          onFailed: (_index, message, _worker, _stack, error) => {
            throw error ?? new Error(message);
          },
          stopOnFailure: true,
        });
        progress.finish();

        const micro = summarizeSeeds(results.map((r) => r.test_accuracy));
        const macro = summarizeSeeds(results.map((r) => r.test_accuracy_macro));
        const mean = (key: keyof SeedMetrics): number => summarizeSeeds(results.map((r) => r[key])).mean;
        const line = {
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
        writeFileAtomic(path.join(temp, 'results.json'), toJson({ ...line, config, ...inputs, dataset: datasetSummary(data), details }, 2) + '\n');
        summary = line;
      });
      printSummary(io, summary);
    });
}

/** Subtasks that have queries (a --subtasks filter keeps the names of the others). */
function presentSubtasks(data: { subtaskIds: ArrayLike<number> }): number {
  return new Set(Array.from(data.subtaskIds)).size;
}
