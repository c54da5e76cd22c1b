import type { Command } from 'commander';
import { teamMetricsFromPredictions } from '../../metrics/from-predictions';
import { readJsonFile } from '../json-input';
import { parseMetricsInput } from '../metrics-input';
import { printSummary, type CliContext } from '../output';

export function registerMetrics(program: Command, io: CliContext): void {
  program
    .command('metrics')
    .description('diversity and vote accuracies of a team from recorded predictions (focal, classical, plurality/majority/oracle)')
    .argument('<file.json>', '{"predictions": [[...], ...] (rows = queries, columns = models, -1 = abstained), "labels": [...], "team"?: [...], "convention"?: "higher-more-diverse" | "ensemblebench"}')
    .addHelpText(
      'after',
      `
Prints one JSON object: focal_diversity, focal_negative_correlation (one per team member), generalized_diversity,
kohavi_wolpert, fleiss_kappa, q_statistic, correlation, disagreement, kappa_pairwise, binary_entropy,
plurality_accuracy, majority_accuracy, oracle_accuracy (NaN as null). "team" defaults to every model.
"higher-more-diverse" (default) orients every diversity metric so that higher = more diverse; "ensemblebench"
reports them as EnsembleBench does (agreement measures as they are).`,
    )
    .action((file: string) => {
      const input = parseMetricsInput(readJsonFile(file));
      const report = teamMetricsFromPredictions(input.predictions, input.labels, input.team, input.convention);
      printSummary(io, { ...report });
    });
}
