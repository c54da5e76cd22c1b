/**
 * Metric names and the direction in which each is reported.
 *
 * Each diversity metric has a natural direction. "Diversity-like" metrics grow with diversity (focal diversity,
 * generalized diversity, Kohavi-Wolpert variance, disagreement, binary entropy); "agreement-like" metrics
 * shrink with it (Fleiss' kappa, Q statistic, correlation, pairwise kappa). A convention fixes one direction:
 *
 * | metric                 | 'raw' (literature value) | 'higher-more-diverse' | 'ensemblebench' (lower = more diverse) |
 * |------------------------|--------------------------|-----------------------|----------------------------------------|
 * | focal_diversity        | x  in [0, 1]             | x                     | 1 - x                                  |
 * | generalized_diversity  | x  in [0, 1]             | x                     | 1 - x  (EB `calDiversityMetric('GD')`) |
 * | kohavi_wolpert         | x  in [0, 1/4]           | x                     | 1 - x  (EB 'KW')                       |
 * | disagreement           | x  in [0, 1]             | x                     | 1 - x  (EB 'BD')                       |
 * | binary_entropy         | x  in [0, 1]             | x                     | 1 - x                                  |
 * | fleiss_kappa           | x  in [-1, 1]            | 1 - x                 | x      (EB 'FK')                       |
 * | q_statistic            | x  in [-1, 1]            | 1 - x                 | x      (EB 'QS')                       |
 * | correlation            | x  in [-1, 1]            | 1 - x                 | x                                      |
 * | kappa_pairwise         | x  in [-1, 1]            | 1 - x                 | x                                      |
 * | *_accuracy             | x                        | x                     | x                                      |
 *
 * So for every diversity metric 'higher-more-diverse' = 1 - 'ensemblebench'. 'raw' is what the authors' fitness
 * function weights (`env/ens_metrics.py::calc_div_acc` sums raw values). NaN stays NaN in every convention.
 */

export type MetricName =
  | 'focal_diversity'
  | 'plurality_accuracy'
  | 'fleiss_kappa'
  | 'q_statistic'
  | 'correlation'
  | 'disagreement'
  | 'kappa_pairwise'
  | 'binary_entropy'
  | 'generalized_diversity'
  | 'kohavi_wolpert'
  | 'oracle_accuracy';

/** Every metric, in the authors' weight order (spec §7 item 5) followed by the extra ones. */
export const METRIC_NAMES: readonly MetricName[] = [
  'focal_diversity',
  'plurality_accuracy',
  'fleiss_kappa',
  'q_statistic',
  'correlation',
  'disagreement',
  'kappa_pairwise',
  'binary_entropy',
  'generalized_diversity',
  'kohavi_wolpert',
  'oracle_accuracy',
];

export type Convention = 'higher-more-diverse' | 'ensemblebench' | 'raw';

export type MetricKind = 'diversity' | 'agreement' | 'accuracy';

export const METRIC_KIND: Readonly<Record<MetricName, MetricKind>> = {
  focal_diversity: 'diversity',
  generalized_diversity: 'diversity',
  kohavi_wolpert: 'diversity',
  disagreement: 'diversity',
  binary_entropy: 'diversity',
  fleiss_kappa: 'agreement',
  q_statistic: 'agreement',
  correlation: 'agreement',
  kappa_pairwise: 'agreement',
  plurality_accuracy: 'accuracy',
  oracle_accuracy: 'accuracy',
};

/** A raw metric value (or the focal negative correlation, kind 'diversity') reported in `convention`. */
export function orient(kind: MetricKind, raw: number, convention: Convention): number {
  if (convention === 'raw' || kind === 'accuracy') return raw;
  if (convention === 'higher-more-diverse') return kind === 'agreement' ? 1 - raw : raw;
  if (convention === 'ensemblebench') return kind === 'diversity' ? 1 - raw : raw;
  throw new RangeError(`unknown convention "${String(convention)}" (expected 'higher-more-diverse', 'ensemblebench' or 'raw')`);
}

export function checkConvention(convention: string): Convention {
  if (convention === 'higher-more-diverse' || convention === 'ensemblebench' || convention === 'raw') return convention;
  throw new RangeError(`unknown convention "${convention}" (expected 'higher-more-diverse', 'ensemblebench' or 'raw')`);
}

export function checkMetricName(name: string, where: string): MetricName {
  if ((METRIC_NAMES as readonly string[]).includes(name)) return name as MetricName;
  throw new RangeError(`${where}: unknown metric "${name}" (known: ${METRIC_NAMES.join(', ')})`);
}
