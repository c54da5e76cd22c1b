/**
 * Figure 2: every team (size >= 2) of a pool placed by focal diversity, Fleiss' kappa and plurality-vote accuracy.
 * The paper plots one 3-D surface per benchmark (x = focal diversity, y = Fleiss' kappa, z = ensemble accuracy,
 * cubic-interpolated, coolwarm, elev 20°, azim -120°; spec §4 Figure 2) and claims accuracy tracks focal diversity far
 * better than kappa. We report the 2-D projections with Pearson and Spearman coefficients, the same coefficients with
 * the members' mean accuracy partialled out (a team of accurate models is accurate whatever its diversity), and the
 * 3-D view as a triangulated surface through the teams.
 *
 * Values are raw literature values: focal diversity in [0, 1] (higher = more diverse), Fleiss' kappa (higher = more
 * agreement), as the paper's axes.
 */
import type { FigureSpec } from '../figures/spec';
import { modelAccuraciesOf, scanTeams } from '../metrics/index';
import { partialSpearman, pearson, spearman } from '../stats/correlation';
import type { NamedPool } from './focal-properties';
import { poolKind } from './pools';
import { cellNumber, fixedText, roundTo, type ExperimentTable } from '../notebook/output';

export interface LandscapeTeam {
  team: string;
  models: string;
  size: number;
  focal: number;
  fleissKappa: number;
  pluralityAccuracy: number;
  meanMemberAccuracy: number;
}

export interface PoolLandscape {
  pool: NamedPool;
  teams: LandscapeTeam[];
  /** One row of the correlation table. */
  correlations: Record<string, string | number | null>;
  figures: FigureSpec[];
}

export function poolLandscape(pool: NamedPool): PoolLandscape {
  const scan = scanTeams(pool.data, { convention: 'raw', minSize: 2 });
  const t = scan.table;
  const accuracy = modelAccuraciesOf(pool.data);
  const teamIds = t.array('team') as string[];
  const models = t.array('models') as string[];
  const size = t.array('size') as Int32Array;
  const focal = t.array('focal_diversity') as Float64Array;
  const kappa = t.array('fleiss_kappa') as Float64Array;
  const plurality = t.array('plurality_accuracy') as Float64Array;
  const teams: LandscapeTeam[] = teamIds.map((team, r) => {
    const members = team.split(',').map(Number);
    return {
      team,
      models: models[r],
      size: size[r],
      focal: focal[r],
      fleissKappa: kappa[r],
      pluralityAccuracy: plurality[r],
      meanMemberAccuracy: members.reduce((s, i) => s + accuracy[i], 0) / members.length,
    };
  });
  const member = teams.map((x) => x.meanMemberAccuracy);
  const nanKappa = kappa.filter((v) => Number.isNaN(v)).length;
  const correlations = {
    pool: pool.key,
    models: pool.data.nModels,
    queries: pool.data.nQueries,
    teams: teams.length,
    pearson_focal_acc: roundTo(pearson(focal, plurality).value, 3),
    spearman_focal_acc: roundTo(spearman(focal, plurality).value, 3),
    pearson_kappa_acc: roundTo(pearson(kappa, plurality).value, 3),
    spearman_kappa_acc: roundTo(spearman(kappa, plurality).value, 3),
    partial_spearman_focal_acc: roundTo(partialSpearman(focal, plurality, member), 3),
    partial_spearman_kappa_acc: roundTo(partialSpearman(kappa, plurality, member), 3),
    teams_with_undefined_kappa: nanKappa,
    provenance: pool.provenance,
  };
  return { pool, teams, correlations, figures: [landscapeFigure(pool, teams, correlations), surfaceFigure(pool, teams)] };
}

function landscapeFigure(pool: NamedPool, teams: LandscapeTeam[], c: PoolLandscape['correlations']): FigureSpec {
  const maxSize = Math.max(...teams.map((x) => x.size));
  const marker = (showScale: boolean) => ({
    size: teams.length > 500 ? 4 : 8, opacity: 0.75, color: teams.map((x) => x.size), colorscale: 'Viridis', cmin: 2, cmax: Math.max(3, maxSize),
    ...(showScale ? { colorbar: { title: { text: 'team size' }, dtick: 1 } } : {}),
  });
  const text = teams.map((x) => x.models);
  return {
    name: `fig2-landscape-${pool.key}`,
    data: [
      { type: 'scatter', mode: 'markers', x: teams.map((x) => x.focal), y: teams.map((x) => x.pluralityAccuracy), text, marker: marker(false), showlegend: false },
      { type: 'scatter', mode: 'markers', x: teams.map((x) => x.fleissKappa), y: teams.map((x) => x.pluralityAccuracy), text, marker: marker(true), xaxis: 'x2', yaxis: 'y2', showlegend: false },
    ],
    layout: {
      title: { text: `Figure 2 (projections) — ${pool.key}: ${teams.length} teams` },
      template: 'plotly_white',
      xaxis: { domain: [0, 0.44], title: { text: `focal diversity   (Pearson ${fmt(c.pearson_focal_acc)}, Spearman ${fmt(c.spearman_focal_acc)})` } },
      yaxis: { title: { text: 'plurality-vote accuracy' } },
      xaxis2: { domain: [0.52, 0.96], anchor: 'y2', title: { text: `Fleiss' κ   (Pearson ${fmt(c.pearson_kappa_acc)}, Spearman ${fmt(c.spearman_kappa_acc)})` } },
      yaxis2: { anchor: 'x2', matches: 'y' },
      margin: { t: 60, b: 100 },
      annotations: [{ text: pool.provenance, xref: 'paper', yref: 'paper', x: 0, y: -0.25, showarrow: false, xanchor: 'left', font: { size: 10, color: '#666' } }],
    },
    width: 1100,
    height: 500,
  };
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? v.toFixed(2) : 'n/a';
}

/** Pools with more teams than this get a binned-mean surface; smaller ones a surface triangulated through the teams. */
const TRIANGULATE_MAX_TEAMS = 300;
const SURFACE_BINS = 18;

/**
 * The paper's 3-D view (it interpolates the scattered teams with cubic griddata). With few teams we triangulate
 * through them (Delaunay in the focal-kappa plane); with many, teams of similar (focal, kappa) have different
 * accuracies and a surface through all of them is a jagged sheet, so we draw the mean accuracy per grid cell instead
 * (empty cells left as gaps, not interpolated). The teams are drawn as points either way.
 */
function surfaceFigure(pool: NamedPool, teams: LandscapeTeam[]): FigureSpec {
  const usable = teams.filter((x) => !Number.isNaN(x.fleissKappa));
  const x = usable.map((u) => u.focal);
  const y = usable.map((u) => u.fleissKappa);
  const z = usable.map((u) => u.pluralityAccuracy);
  // Matplotlib's view (elev 20°, azim -120°) as a plotly camera eye.
  const elev = (20 * Math.PI) / 180;
  const azim = (-120 * Math.PI) / 180;
  const r = 2.1;
  const eye = { x: r * Math.cos(elev) * Math.cos(azim), y: r * Math.cos(elev) * Math.sin(azim), z: r * Math.sin(elev) };
  const colorbar = { title: { text: 'accuracy' }, len: 0.7 };
  const surface = usable.length <= TRIANGULATE_MAX_TEAMS
    ? { type: 'mesh3d', x, y, z, intensity: z, colorscale: 'RdBu', delaunayaxis: 'z', opacity: 0.85, colorbar, name: 'surface through the teams' }
    : { type: 'surface', ...binnedMean(x, y, z, SURFACE_BINS), colorscale: 'RdBu', opacity: 0.9, colorbar, name: 'mean accuracy per cell' };
  const how = usable.length <= TRIANGULATE_MAX_TEAMS ? 'surface through the teams' : `mean accuracy per cell of a ${SURFACE_BINS}×${SURFACE_BINS} grid`;
  return {
    name: `fig2-surface-${pool.key}`,
    data: [
      surface,
      { type: 'scatter3d', mode: 'markers', x, y, z, marker: { size: usable.length > 500 ? 1.2 : 3, color: '#222', opacity: usable.length > 500 ? 0.35 : 0.8 }, name: 'teams', showlegend: false },
    ],
    layout: {
      title: { text: `Figure 2 (3-D) — ${pool.key}: accuracy over (focal diversity, Fleiss' κ); ${how}` , font: { size: 14 } },
      template: 'plotly_white',
      scene: {
        xaxis: { title: { text: 'focal diversity' } },
        yaxis: { title: { text: "Fleiss' κ" } },
        zaxis: { title: { text: 'accuracy' } },
        aspectmode: 'cube',
        camera: { eye, center: { x: 0, y: 0, z: -0.12 } },
      },
      margin: { t: 40, l: 0, r: 0, b: 0 },
    },
    width: 850,
    height: 720,
  };
}

/** Mean of z over a bins x bins grid spanning the (x, y) range; null where a cell holds no point. */
function binnedMean(x: number[], y: number[], z: number[], bins: number): { x: number[]; y: number[]; z: (number | null)[][] } {
  const [x0, x1] = [Math.min(...x), Math.max(...x)];
  const [y0, y1] = [Math.min(...y), Math.max(...y)];
  const sum = new Float64Array(bins * bins);
  const count = new Int32Array(bins * bins);
  const cell = (v: number, lo: number, hi: number) => Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo || 1)) * bins));
  for (let k = 0; k < x.length; k++) {
    const at = cell(y[k], y0, y1) * bins + cell(x[k], x0, x1);
    sum[at] += z[k];
    count[at]++;
  }
  const centers = (lo: number, hi: number) => Array.from({ length: bins }, (_, b) => lo + ((b + 0.5) * (hi - lo)) / bins);
  const grid = Array.from({ length: bins }, (_, row) => Array.from({ length: bins }, (_, col) => (count[row * bins + col] > 0 ? sum[row * bins + col] / count[row * bins + col] : null)));
  return { x: centers(x0, x1), y: centers(y0, y1), z: grid };
}

export function figure2CorrelationTable(landscapes: readonly PoolLandscape[]): ExperimentTable {
  return {
    name: 'fig2-correlations',
    title: "Figure 2: correlation of plurality-vote accuracy with focal diversity and with Fleiss' κ over every team of size >= 2",
    provenance: landscapes.map((l) => `${l.pool.key}: ${l.pool.provenance}`).join(' | '),
    rows: landscapes.map((l) => l.correlations),
  };
}

/**
 * Figure 2's claim (accuracy correlates with focal diversity far better than with Fleiss' kappa) against this run:
 * one sentence over all pools (which coefficient is larger in absolute value, raw and partial), one per pool with its
 * reading, and the range of Spearman(accuracy, focal diversity) across pools when there are several. Reads the
 * rounded coefficients of each landscape's correlation row, as printed.
 */
export function figure2Findings(landscapes: readonly PoolLandscape[]): string[] {
  const rows = landscapes.map((l) => ({
    key: l.pool.key,
    kind: poolKind(l.pool),
    models: l.pool.data.nModels,
    teams: l.teams.length,
    focal: cellNumber(l.correlations.spearman_focal_acc),
    kappa: cellNumber(l.correlations.spearman_kappa_acc),
    pearsonFocal: cellNumber(l.correlations.pearson_focal_acc),
    pearsonKappa: cellNumber(l.correlations.pearson_kappa_acc),
    partialFocal: cellNumber(l.correlations.partial_spearman_focal_acc),
    partialKappa: cellNumber(l.correlations.partial_spearman_kappa_acc),
  }));
  const rawFocalWins = rows.filter((r) => Math.abs(r.focal) > Math.abs(r.kappa));
  const rawKappaWins = rows.filter((r) => !(Math.abs(r.focal) > Math.abs(r.kappa)));
  const partialFocalWins = rows.filter((r) => Math.abs(r.partialFocal) > Math.abs(r.partialKappa));
  const keys = (rs: typeof rows) => (rs.length === 0 ? 'none' : rs.map((r) => r.key).join(', '));
  const findings: string[] = [
    `Paper (Figure 2, no numbers printed): ensemble accuracy correlates with focal diversity far better than with Fleiss' κ on MMLU, GSM8K, BBH and GPQA. ` +
      `Ours, over every team of size ≥ 2: focal diversity has the larger |Spearman| with plurality-vote accuracy on ${rawFocalWins.length} of ${rows.length} pools (${keys(rawFocalWins)}), ` +
      `raw Fleiss' κ on ${rawKappaWins.length} (${keys(rawKappaWins)}); with the members' mean accuracy held fixed (partial Spearman) focal diversity is larger on ` +
      `${partialFocalWins.length} of ${rows.length} (${keys(partialFocalWins)}).`,
    ...rows.map((r) => {
      const rawWinner = Math.abs(r.focal) > Math.abs(r.kappa) ? 'focal diversity' : "Fleiss' κ";
      const partialWinner = Math.abs(r.partialFocal) > Math.abs(r.partialKappa) ? 'focal diversity' : "Fleiss' κ";
      let reading: string;
      if (rawWinner === 'focal diversity') reading = `agrees with the paper on raw coefficients${partialWinner === 'focal diversity' ? ' and with member accuracy held fixed' : ', but not once member accuracy is held fixed'}`;
      else
        reading =
          `differs from the paper: raw Fleiss' κ correlates ${r.kappa > 0 ? 'positively' : 'negatively'} with accuracy and beats focal diversity on the raw coefficients` +
          (r.kappa > 0 ? ' (teams of accurate models agree because they are right together)' : '') +
          `; ${partialWinner === 'focal diversity' ? "focal diversity wins only once the members' mean accuracy is held fixed" : 'κ stays ahead even with member accuracy held fixed'}`;
      return (
        `${r.key} (${r.kind}, ${r.models} models, ${r.teams} teams): Spearman(accuracy, focal diversity) ${fixedText(r.focal)} vs Spearman(accuracy, raw κ) ${fixedText(r.kappa)} ` +
        `(Pearson ${fixedText(r.pearsonFocal)} vs ${fixedText(r.pearsonKappa)}); partial with mean member accuracy fixed ${fixedText(r.partialFocal)} vs ${fixedText(r.partialKappa)}. This ${reading}.`
      );
    }),
  ];
  const focalRange = rows.filter((r) => Number.isFinite(r.focal)).sort((a, b) => a.focal - b.focal);
  if (focalRange.length > 1) {
    findings.push(
      `Paper: the surface changes with the task. Ours: Spearman(accuracy, focal diversity) ranges from ${fixedText(focalRange[0].focal)} (${focalRange[0].key}) ` +
        `to ${fixedText(focalRange[focalRange.length - 1].focal)} (${focalRange[focalRange.length - 1].key}) across pools.`,
    );
  }
  return findings;
}
