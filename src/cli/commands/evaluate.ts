import type { Command } from 'commander';
import { LayoutMismatchError } from '../../env/observations';
import { loadDataset } from '../../sources/data-source';
import { loadAgents } from '../../train/checkpoint';
import { evaluateRlFocal } from '../../train/train-rl-focal';
import { InputError } from '../errors';
import { uniqueListOption } from '../options';
import { printSummary, type CliContext } from '../output';

interface EvaluateOptions {
  checkpoint: string;
  data: string;
  models?: string[];
  subtasks?: string[];
}

export function registerEvaluate(program: Command, io: CliContext): void {
  program
    .command('evaluate')
    .description('serve the test split with a checkpoint\'s agents (Algorithm 2, online updates as configured)')
    .requiredOption('--checkpoint <file>', 'agents.json of a train run (or agents-<subtask>-<hash>.json with --subtasks <subtask>)')
    .requiredOption('--data <spec>', 'the data the agents were trained for: same model ids, in the same order')
    .option('--models <ids>', 'use only these models, in this order (comma-separated)', uniqueListOption)
    .option('--subtasks <names>', 'use only these subtasks (comma-separated)', uniqueListOption)
    .addHelpText(
      'after',
      '\nThe checkpoint is refused (exit 2) when its sha256 does not match its content, a weight is not finite, its config\nis missing, its model ids differ from the data\'s (ids or order), or the data needs more answer choices than its\nagents were built for. On a post-warm-start checkpoint (agents.json) the\nsummary\'s test_accuracy reproduces the run\'s; recorded_test_accuracy is the number the run wrote into the checkpoint.',
    )
    .action(async (options: EvaluateOptions) => {
      const data = await loadDataset(options.data, { models: options.models, subtasks: options.subtasks });
      let loaded: ReturnType<typeof loadAgents>;
      try {
        loaded = loadAgents(options.checkpoint, { models: data.models.map((m) => m.id) });
      } catch (error) {
        // loadAgents' refusals start with the file name; the CLI adds it back with the field.
        if (!(error instanceof RangeError)) throw error;
        throw new InputError(error.message.replace(`${options.checkpoint}: `, ''), { file: options.checkpoint, field: '--checkpoint' });
      }
      let test: ReturnType<typeof evaluateRlFocal>;
      try {
        test = evaluateRlFocal(loaded.agents, data, loaded.config);
      } catch (error) {
        // The data needs observations the checkpoint's agents were not built for (e.g. more answer choices).
        if (!(error instanceof LayoutMismatchError)) throw error;
        throw new InputError(`the data does not fit the checkpoint's agents: ${error.message}`, { file: options.checkpoint, field: '--checkpoint' });
      }
      printSummary(io, {
        command: 'evaluate',
        checkpoint: options.checkpoint,
        stage: loaded.stage,
        data: options.data,
        queries: test.correct.length,
        test_accuracy: test.accuracy,
        test_accuracy_macro: test.accuracyMacro ?? test.accuracy,
        recorded_test_accuracy: loaded.metrics.learned_test_accuracy ?? null,
        calls_per_query: test.cost.callsPerQuery,
        cost_per_1000: test.cost.costPer1000,
      });
    });
}
