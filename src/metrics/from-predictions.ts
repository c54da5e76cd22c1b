import { checkConvention, Convention, orient } from './conventions';
import { TeamDiversity } from './diversity';
import { voteAccuracies } from './accuracy';
import { countsOf, PredictionTable, predictionTable, QuerySelection, selectedQueries } from './table';

/** Every metric of one team, as `teamMetricsFromPredictions` returns it (diversity values in `convention`). */
export interface TeamMetricsReport {
  team: number[];
  convention: Convention;
  n_queries: number;
  focal_diversity: number;
  /** lambda_neg of each member, in the order of `team`. */
  focal_negative_correlation: number[];
  generalized_diversity: number;
  kohavi_wolpert: number;
  fleiss_kappa: number;
  q_statistic: number;
  correlation: number;
  disagreement: number;
  kappa_pairwise: number;
  binary_entropy: number;
  plurality_accuracy: number;
  majority_accuracy: number;
  oracle_accuracy: number;
}

/**
 * All metrics of a team from plain arrays: `predictions[t][i]` = model i's choice on query t (-1 = abstained),
 * `labels[t]` = the gold choice. `team` defaults to every model. For the CLI and notebooks; the values, edge cases
 * and conventions are those of `SlidingWindow.teamMetrics` and `scanTeams` (see src/metrics/README.md).
 */
export function teamMetricsFromPredictions(
  predictions: readonly (readonly number[])[],
  labels: readonly number[],
  team?: readonly number[],
  convention: Convention = 'higher-more-diverse',
): TeamMetricsReport {
  // With no rows the pool size is unknown: take it from the team.
  const table = predictionTable(predictions, labels, team && team.length > 0 ? Math.max(...team) + 1 : undefined);
  return teamMetricsOf(table, team, { convention });
}

/** All metrics of a team (default: every model) of a pool (a `Dataset` works) over the selected queries. */
export function teamMetricsOf(
  data: PredictionTable,
  team?: readonly number[],
  options: QuerySelection & { convention?: Convention } = {},
): TeamMetricsReport {
  const convention = checkConvention(options.convention ?? 'higher-more-diverse');
  const members = team ? [...team] : Array.from({ length: data.nModels }, (_, i) => i);
  const queries = selectedQueries(data, options);
  const d = new TeamDiversity(countsOf(data, queries));
  d.setTeam(members);
  const focal = d.focalDiversity();
  // focalPerMember follows the sorted member order; report it in the caller's order.
  const lambdaOf = new Map<number, number>();
  for (let x = 0; x < d.m; x++) lambdaOf.set(d.members[x], d.focalPerMember[x]);
  const acc = voteAccuracies(data, members, queries);
  const diversity = (raw: number) => orient('diversity', raw, convention);
  const agreement = (raw: number) => orient('agreement', raw, convention);
  return {
    team: members,
    convention,
    n_queries: queries.length,
    focal_diversity: diversity(focal),
    focal_negative_correlation: members.map((i) => diversity(lambdaOf.get(i)!)),
    generalized_diversity: diversity(d.generalizedDiversity()),
    kohavi_wolpert: diversity(d.kohaviWolpert()),
    fleiss_kappa: agreement(d.fleissKappa()),
    q_statistic: agreement(d.qStatistic()),
    correlation: agreement(d.correlation()),
    disagreement: diversity(d.disagreement()),
    kappa_pairwise: agreement(d.kappaPairwise()),
    binary_entropy: diversity(d.binaryEntropy()),
    plurality_accuracy: acc.plurality,
    majority_accuracy: acc.majority,
    oracle_accuracy: acc.oracle,
  };
}
