/**
 * Notebook 02, part 2: the link App. G.2 draws (Eqs. 26-31) between focal diversity, the members' error
 * covariance and the ensemble's error, measured over every team of a pool; and how focal diversity relates to the
 * other diversity metrics (and to EnsembleBench's sign convention).
 * The per-team error statistics come from metrics/team-error-stats.ts.
 */
import type { FigureSpec } from '../figures/spec';
import { scanTeams, SCAN_DIVERSITY_COLUMNS, type Convention, type TeamScan } from '../metrics/index';
import { teamErrorStats, type TeamErrorStats } from '../metrics/team-error-stats';
import { partialSpearman, pearson, spearman } from '../stats/correlation';
import { upperMedian } from '../stats/quantiles';
import type { NamedPool } from './focal-properties';
import { poolKind } from './pools';
import { cellNumber, fixedText, roundTo, type ExperimentTable } from '../notebook/output';

export interface CovarianceLinkResult {
  stats: TeamErrorStats[];
  /** max |GD - GD from covariances| over teams: the exact identity, expected at rounding level. */
  identityMaxError: number;
  table: ExperimentTable;
  figure: FigureSpec;
}

/**
 * Correlations, over teams, between focal diversity, mean pairwise error covariance and ensemble (plurality-vote)
 * error: pooled over all sizes and within each size (pooling mixes the size effect into every coefficient).
 */
export function focalCovarianceLink(pool: NamedPool): CovarianceLinkResult {
  const stats = teamErrorStats(pool.data);
  const identityMaxError = Math.max(...stats.map((s) => Math.abs(s.generalizedDiversity - s.generalizedDiversityFromCovariance)));
  const sizes = [...new Set(stats.map((s) => s.size))];
  const rows: ExperimentTable['rows'] = [];
  const addRow = (label: string, group: TeamErrorStats[]) => {
    const focal = group.map((s) => s.focal);
    const cov = group.map((s) => s.meanErrorCovariance);
    const err = group.map((s) => s.pluralityError);
    const memberErr = group.map((s) => s.meanMemberError);
    const corr = group.map((s) => s.meanErrorCorrelation);
    rows.push({
      pool: pool.key,
      team_size: label,
      teams: group.length,
      spearman_focal_cov: roundTo(spearman(focal, cov).value, 3),
      pearson_focal_cov: roundTo(pearson(focal, cov).value, 3),
      spearman_cov_ens_error: roundTo(spearman(cov, err).value, 3),
      spearman_corr_ens_error: roundTo(spearman(corr, err).value, 3),
      spearman_focal_ens_error: roundTo(spearman(focal, err).value, 3),
      spearman_member_error_ens_error: roundTo(spearman(memberErr, err).value, 3),
      partial_spearman_focal_ens_error: roundTo(partialSpearman(focal, err, memberErr), 3),
    });
  };
  addRow('all', stats);
  for (const m of sizes) {
    const group = stats.filter((s) => s.size === m);
    if (group.length >= 3) addRow(String(m), group);
  }
  const table: ExperimentTable = {
    name: `02-covariance-link-${pool.key}`,
    title: `Focal diversity vs mean pairwise error covariance vs plurality-vote error over every team (${pool.key})`,
    provenance: pool.provenance,
    rows,
  };
  return { stats, identityMaxError, table, figure: covarianceFigure(pool, stats) };
}

function covarianceFigure(pool: NamedPool, stats: TeamErrorStats[]): FigureSpec {
  const sizeMarker = (showScale: boolean) => ({
    size: 5, opacity: 0.7, color: stats.map((s) => s.size), colorscale: 'Viridis', cmin: 2, cmax: Math.max(...stats.map((s) => s.size)),
    ...(showScale ? { colorbar: { title: { text: 'team size' }, x: 1.02, dtick: 1 } } : {}),
  });
  const text = stats.map((s) => `team ${s.team}`);
  return {
    name: `02-focal-vs-error-covariance-${pool.key}`,
    data: [
      { type: 'scatter', mode: 'markers', x: stats.map((s) => s.focal), y: stats.map((s) => s.meanErrorCovariance), text, marker: sizeMarker(false), showlegend: false },
      { type: 'scatter', mode: 'markers', x: stats.map((s) => s.meanErrorCovariance), y: stats.map((s) => s.pluralityError), text, marker: sizeMarker(true), xaxis: 'x2', yaxis: 'y2', showlegend: false },
    ],
    layout: {
      title: { text: `Focal diversity, error covariance and ensemble error over every team — ${pool.key}` },
      template: 'plotly_white',
      xaxis: { domain: [0, 0.45], title: { text: 'focal diversity (Eq. 8)' } },
      yaxis: { title: { text: 'mean pairwise error covariance' } },
      xaxis2: { domain: [0.55, 1], anchor: 'y2', title: { text: 'mean pairwise error covariance' } },
      yaxis2: { anchor: 'x2', title: { text: 'plurality-vote error' } },
      margin: { t: 60, r: 100 },
      annotations: [{ text: pool.provenance, xref: 'paper', yref: 'paper', x: 0, y: -0.2, showarrow: false, xanchor: 'left', font: { size: 10, color: '#666' } }],
    },
    width: 1100,
    height: 500,
  };
}

/** Metric columns compared in the correlation matrix: the diversity metrics, then plurality accuracy. */
export const CORRELATION_COLUMNS = [...SCAN_DIVERSITY_COLUMNS, 'plurality_accuracy'] as const;

export interface MetricCorrelationResult {
  columns: readonly string[];
  /** Spearman rho, row-major columns x columns. */
  matrix: Float64Array;
  table: ExperimentTable;
  figure: FigureSpec;
}

/** Spearman correlation between every pair of metrics across all teams (size >= 2), "higher = more diverse". */
export function metricCorrelationMatrix(pool: NamedPool, scan: TeamScan = scanTeams(pool.data)): MetricCorrelationResult {
  const columns = CORRELATION_COLUMNS.filter((c) => scan.table.columnNames().includes(c));
  const values = columns.map((c) => scan.table.array(c) as Float64Array);
  const k = columns.length;
  const matrix = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) matrix[a * k + b] = a === b ? 1 : spearman(values[a], values[b]).value;
  const rows = columns.map((c, a) => {
    const row: Record<string, string | number | null> = { metric: c };
    columns.forEach((d, b) => (row[d] = roundTo(matrix[a * k + b], 3)));
    return row;
  });
  const figure: FigureSpec = {
    name: `02-metric-correlations-${pool.key}`,
    data: [{
      type: 'heatmap', x: [...columns], y: [...columns], z: columns.map((_, a) => Array.from(matrix.subarray(a * k, a * k + k))),
      zmin: -1, zmax: 1, colorscale: 'RdBu',
      text: columns.map((_, a) => Array.from(matrix.subarray(a * k, a * k + k), (v) => (Number.isNaN(v) ? '' : v.toFixed(2)))),
      texttemplate: '%{text}', hovertemplate: '%{y} vs %{x}: %{z:.3f}<extra></extra>',
      colorbar: { title: { text: 'Spearman ρ' } },
    }],
    layout: {
      title: { text: `Spearman correlation across all ${scan.table.numRows()} teams, higher = more diverse — ${pool.key}` },
      template: 'plotly_white',
      xaxis: { tickangle: -35 },
      yaxis: { autorange: 'reversed' },
      margin: { l: 160, b: 140, t: 60 },
    },
    width: 900,
    height: 800,
  };
  return {
    columns,
    matrix,
    table: { name: `02-metric-correlations-${pool.key}`, title: `Spearman ρ between metrics over all teams (${pool.key})`, provenance: pool.provenance, rows },
    figure,
  };
}

/**
 * The sign conventions side by side: each diversity metric's Spearman correlation with plurality accuracy when the
 * scan reports raw literature values, "higher = more diverse", or EnsembleBench's "lower = more diverse".
 */
export function conventionComparison(pool: NamedPool): ExperimentTable {
  const conventions: Convention[] = ['raw', 'higher-more-diverse', 'ensemblebench'];
  const scans = conventions.map((convention) => scanTeams(pool.data, { convention }));
  const accuracy = scans[0].table.array('plurality_accuracy') as Float64Array;
  const rows = SCAN_DIVERSITY_COLUMNS.map((metric) => {
    const row: Record<string, string | number | null> = { metric };
    conventions.forEach((c, k) => (row[`spearman_with_accuracy_${c}`] = roundTo(spearman(scans[k].table.array(metric) as Float64Array, accuracy).value, 3)));
    // One concrete value per convention (the scan's first team) so the transformation itself is visible.
    conventions.forEach((c, k) => (row[`first_team_${c}`] = roundTo((scans[k].table.array(metric) as Float64Array)[0], 4)));
    return row;
  });
  return {
    name: `02-conventions-${pool.key}`,
    title: `Sign conventions: raw value, higher-more-diverse, EnsembleBench (lower = more diverse); first_team = team ${scans[0].table.array('team')[0]}`,
    provenance: pool.provenance,
    rows,
  };
}

/**
 * App. G.2's chain (Eqs. 28-31: higher focal diversity, negatively covarying member errors, lower ensemble error)
 * against one pool's covariance-link table, link by link and end to end (raw, within team size, and partial with the
 * members' mean error held fixed). Reads the table's rounded coefficients, as printed.
 */
export function covarianceLinkFindings(pool: NamedPool, link: CovarianceLinkResult): string {
  const all = link.table.rows[0];
  const bySize = link.table.rows.slice(1);
  const focalCov = cellNumber(all.spearman_focal_cov);
  const covErr = cellNumber(all.spearman_cov_ens_error);
  const corrErr = cellNumber(all.spearman_corr_ens_error);
  const focalErr = cellNumber(all.spearman_focal_ens_error);
  const partial = cellNumber(all.partial_spearman_focal_ens_error);
  const focalErrWithin = upperMedian(bySize.map((r) => cellNumber(r.spearman_focal_ens_error)));
  return (
    `${pool.key} (${poolKind(pool)}, ${link.stats.length} teams, all sizes pooled): ` +
    `paper App. G.2 (Eqs. 28-29) says higher focal diversity means negatively covarying member errors; ours Spearman(focal diversity, mean pairwise error covariance) = ${fixedText(focalCov)}, ` +
    `so this link ${focalCov < 0 ? 'holds' : 'does not hold'}. ` +
    `Paper (Eqs. 30-31) says lower covariance means lower ensemble error; ours Spearman(covariance, plurality-vote error) = ${fixedText(covErr)}, so this link ` +
    `${covErr > 0 ? 'holds' : `reverses (covariance is not normalised by the members' error rates; the mean pairwise error correlation gives ${fixedText(corrErr)}${corrErr <= 0 ? ', reversed too' : ''})`}. ` +
    `End to end, Spearman(focal diversity, ensemble error) = ${fixedText(focalErr)} (median within team size ${fixedText(focalErrWithin)}), and ${fixedText(partial)} with the members' mean error held fixed ` +
    `(partial, sizes pooled): ${partial < 0 ? 'higher focal diversity goes with lower ensemble error beyond what member quality explains' : 'no association beyond member quality'}` +
    `${partial < 0 && focalErrWithin > 0 ? ', although its median within a single team size is not negative' : ''}.`
  );
}

/**
 * Focal diversity among the other metrics on one pool (the paper reports no cross-metric comparison): its rank by
 * Spearman rho with plurality-vote accuracy, Fleiss' kappa's coefficient, and the metric closest to it.
 */
export function metricCorrelationFindings(pool: NamedPool, m: MetricCorrelationResult): string {
  const K = m.columns.length;
  const at = (a: string, b: string) => m.matrix[m.columns.indexOf(a) * K + m.columns.indexOf(b)];
  const diversity = m.columns.filter((c) => c !== 'plurality_accuracy');
  const byAccuracy = diversity.map((c) => ({ c, rho: at(c, 'plurality_accuracy') })).filter((x) => Number.isFinite(x.rho)).sort((a, b) => b.rho - a.rho);
  const nearest = diversity
    .filter((c) => c !== 'focal_diversity')
    .map((c) => ({ c, rho: at('focal_diversity', c) }))
    .filter((x) => Number.isFinite(x.rho))
    .sort((a, b) => b.rho - a.rho)[0];
  const focalRank = byAccuracy.findIndex((x) => x.c === 'focal_diversity') + 1;
  return (
    `${pool.key} (${poolKind(pool)}): the paper reports no cross-metric comparison. Ours, every metric oriented higher = more diverse: focal diversity's Spearman ρ with ` +
    `plurality-vote accuracy across teams is ${fixedText(at('focal_diversity', 'plurality_accuracy'))}, ` +
    `${focalRank === 1 ? `the highest of ${byAccuracy.length} metrics (next: ${byAccuracy[1].c} ${fixedText(byAccuracy[1].rho)})` : `rank ${focalRank} of ${byAccuracy.length} (highest: ${byAccuracy[0].c} ${fixedText(byAccuracy[0].rho)})`}; ` +
    `Fleiss' κ as 1 − κ: ${fixedText(at('fleiss_kappa', 'plurality_accuracy'))}; ` +
    `the metric closest to focal diversity is ${nearest.c} (ρ = ${fixedText(nearest.rho)}).`
  );
}

/**
 * What the sign convention does to one pool's metric-accuracy correlations (`conventionComparison`'s table): the raw
 * coefficients of Fleiss' kappa and focal diversity, as the authors' fitness sums raw values, and how many metrics'
 * correlations change sign under EnsembleBench's convention relative to ours.
 */
export function conventionFindings(pool: NamedPool, table: ExperimentTable): string {
  const sign = (v: unknown) => Math.sign(cellNumber(v));
  const flipped = table.rows.filter(
    (r) => sign(r['spearman_with_accuracy_ensemblebench']) === -sign(r['spearman_with_accuracy_higher-more-diverse']) && sign(r['spearman_with_accuracy_ensemblebench']) !== 0,
  ).length;
  const raw = (metric: string) => table.rows.find((r) => r.metric === metric)?.['spearman_with_accuracy_raw'];
  return (
    `${pool.key}: the authors' fitness sums raw literature values (spec §7 item 5); raw, Fleiss' κ (agreement) correlates ${fixedText(raw('fleiss_kappa'))} with plurality-vote accuracy across teams ` +
    `and focal diversity ${fixedText(raw('focal_diversity'))}. Under EnsembleBench's convention (lower = more diverse) ${flipped} of ${table.rows.length} metrics' correlations change sign relative to ours.`
  );
}
