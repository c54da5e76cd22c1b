/**
 * Figure 4 (spec §4), four ablations:
 *   1. success rate of RL-Focal against the number of pool models that are right on the query (consensus regions of
 *      an 8-model pool): "nearly maximal in the Majority region", "as high as [stripped] when only 2 of 8 are correct";
 *   2. greedy baselines vs RL-Focal as the candidate pool grows to the top-k models by training accuracy
 *      (Random Select, Choose Latest Correct; paper numbers for k = 2..6 survive);
 *   3. how RL-Focal answers when the top-3 individual models are wrong (per correctness pattern of the three);
 *   4. a Decider with one Bernoulli head per model (branching, Eq. 5) vs a single softmax over all teams, on GPQA and
 *      MUSR (gains stripped).
 * The paper's pools are not stated (GSM8K is the likely one for 1-3, given the numbers); every pool here is simulated.
 * Plots 1-3 show RL-Focal both as configured and with a votes-only Fusion agent: correcting the majority needs more
 * than votes, and the control shows how much reading the probability rows contributes.
 */
import { latestCorrectBaseline, randomSelectBaseline } from '../baselines/greedy';
import type { MethodResult } from '../eval/result';
import { summarizeSeeds, type SeedSummary } from '../stats/seeds';
import { rankModelsByAccuracy } from '../baselines/single';
import { teamVoter } from '../baselines/vote';
import type { BenchmarkName } from '../sim/calibration';
import type { Dataset } from '../data/dataset';
import { checkFigureName, seriesColor, type FigureSpec } from '../figures/spec';
import { barFigure } from '../figures/bar';
import type { RlFocalConfig } from '../train/config';
import { bbhLeaderboard } from '../train/presets';
import { pct, roundTo, type Cell, type ExperimentOutput } from '../notebook/output';
import { formatPercentSe } from './seed-summaries';
import { runRlFocalSeeds, type SeedRuns } from '../runs/seed-runs';
import type { ProgressSink } from '../runs/progress-sink';
import { modelDisplayName, simulatedPool, type LabelledPool } from './table1-pools';
import { withSubtitleRoom } from '../figures/subtitle-room';

export interface Figure4Params {
  /** Plots 1-3: a simulated GSM8K pool (default: the 8 v1 models). */
  models?: string[];
  nQueries: number;
  poolSeed: number;
  seeds: number[];
  rl: Partial<RlFocalConfig>;
  /** Plot 2: top-k candidate pools. */
  ks: number[];
  topKSeeds: number[];
  /** Plot 4: benchmarks and seeds of the branching vs single-head comparison. */
  headBenchmarks: BenchmarkName[];
  headQueries: number;
  headSeeds: number[];
}

export const FIGURE4_DEFAULTS: Readonly<Figure4Params> = Object.freeze({
  nQueries: 800,
  poolSeed: 1,
  seeds: [0, 1, 2, 3, 4],
  rl: { ...bbhLeaderboard, alpha: 1 },
  ks: [2, 3, 4, 5, 6],
  topKSeeds: [0, 1, 2],
  headBenchmarks: ['gpqa', 'musr'],
  headQueries: 600,
  headSeeds: [0, 1, 2, 3, 4],
}) as Figure4Params;

/** Figure 4 plot 2 as printed by `plot_compare_greedy` (spec §4), k = 2..6. */
export const FIGURE4_PAPER_GREEDY = {
  ks: [2, 3, 4, 5, 6],
  randomSelect: [71.92, 72.41, 68.7, 66.13, 62.34],
  latestCorrect: [72.27, 72.56, 64.28, 63.4, 54.46],
  rlFocal: [74.52, 73.87, 76.65, 74.19, 73.06],
} as const;

const VOTES_ONLY: Partial<RlFocalConfig> = { fusionFeatures: ['vote'] };

export interface ConsensusRow {
  correctModels: number;
  queries: number;
  rlFocal: SeedSummary;
  votesOnly: SeedSummary;
  plurality: number;
}

export interface TopThreeRow {
  /** e.g. "✓✗✗" for the top-1, top-2, top-3 models' correctness. */
  pattern: string;
  queries: number;
  rlFocal: SeedSummary;
  votesOnly: SeedSummary;
  pluralityTop3: number;
}

export interface Figure4Output extends ExperimentOutput {
  pool: LabelledPool;
  main: { rl: SeedRuns; votesOnly: SeedRuns };
  consensus: ConsensusRow[];
  topThree: { models: string[]; rows: TopThreeRow[] };
  greedy: Array<{ k: number; randomSelect: MethodResult; latestCorrect: MethodResult; rl: SeedRuns; votesOnly: SeedRuns }>;
  heads: Array<{ pool: LabelledPool; branching: SeedRuns; joint: SeedRuns }>;
}

/** Mean over seeds of the accuracy on the test queries `positions` (indices into the test split). */
function subsetAccuracy(runs: SeedRuns, positions: number[]): SeedSummary {
  if (positions.length === 0) return summarizeSeeds([]);
  return summarizeSeeds(runs.runs.map((r) => positions.reduce((s, q) => s + r.test.correct[q], 0) / positions.length));
}

function consensusRows(data: Dataset, rl: SeedRuns, votesOnly: SeedRuns): ConsensusRow[] {
  const test = data.splitIndices('test');
  const N = data.nModels;
  const correct = data.correct;
  const voter = teamVoter(data, Int32Array.from({ length: N }, (_, i) => i), 'plurality');
  const groups: number[][] = Array.from({ length: N + 1 }, () => []);
  test.forEach((t, q) => {
    let k = 0;
    for (let i = 0; i < N; i++) k += correct[t * N + i];
    groups[k].push(q);
  });
  return groups.map((positions, k) => ({
    correctModels: k,
    queries: positions.length,
    rlFocal: subsetAccuracy(rl, positions),
    votesOnly: subsetAccuracy(votesOnly, positions),
    plurality: positions.length > 0 ? positions.reduce((s, q) => s + (voter(test[q]) === data.labels[test[q]] ? 1 : 0), 0) / positions.length : NaN,
  }));
}

function topThreeRows(data: Dataset, rl: SeedRuns, votesOnly: SeedRuns): { models: string[]; rows: TopThreeRow[] } {
  const top = rankModelsByAccuracy(data, data.splitIndices('train')).slice(0, 3);
  const test = data.splitIndices('test');
  const N = data.nModels;
  const correct = data.correct;
  const voter = teamVoter(data, top, 'plurality');
  const rows: TopThreeRow[] = [];
  // Patterns from all right to all wrong, in binary order of the three models' failures.
  for (let mask = 0; mask < 8; mask++) {
    const positions: number[] = [];
    test.forEach((t, q) => {
      let m = 0;
      for (let j = 0; j < 3; j++) if (!correct[t * N + top[j]]) m |= 1 << (2 - j);
      if (m === mask) positions.push(q);
    });
    const pattern = [0, 1, 2].map((j) => (mask & (1 << (2 - j)) ? '✗' : '✓')).join('');
    rows.push({
      pattern,
      queries: positions.length,
      rlFocal: subsetAccuracy(rl, positions),
      votesOnly: subsetAccuracy(votesOnly, positions),
      pluralityTop3: positions.length > 0 ? positions.reduce((s, q) => s + (voter(test[q]) === data.labels[test[q]] ? 1 : 0), 0) / positions.length : NaN,
    });
  }
  return { models: Array.from(top, (i) => data.models[i].id), rows };
}

export async function runFigure4(overrides: Partial<Figure4Params> = {}, options: { onProgress?: ProgressSink } = {}): Promise<Figure4Output> {
  const p: Figure4Params = { ...FIGURE4_DEFAULTS, ...overrides };
  if (p.seeds.length === 0 || p.topKSeeds.length === 0 || p.headSeeds.length === 0) throw new RangeError('figure4: at least one seed is needed per part');
  const pool = simulatedPool('gsm8k', { nQueries: p.nQueries, seed: p.poolSeed, ...(p.models ? { models: p.models } : {}) });
  const data = pool.data;
  for (const k of p.ks) if (!(Number.isInteger(k) && k >= 1 && k <= data.nModels)) throw new RangeError(`figure4: k = ${k} not in [1, ${data.nModels}]`);
  const on = options.onProgress;
  const rl = await runRlFocalSeeds(data, p.rl, { seeds: p.seeds, label: 'Figure 4 · GSM8K (simulated)', onProgress: on });
  const votesOnly = await runRlFocalSeeds(data, { ...p.rl, ...VOTES_ONLY }, { seeds: p.seeds, label: 'Figure 4 · GSM8K (simulated) · votes-only Fusion', onProgress: on });
  const ranking = rankModelsByAccuracy(data, data.splitIndices('train'));
  const greedy: Figure4Output['greedy'] = [];
  for (const k of p.ks) {
    const top = Array.from(ranking.slice(0, k));
    const sub = data.selectModels(top);
    greedy.push({
      k,
      // Greedy rules average over draws: one result per seed would only add noise to a deterministic ranking.
      randomSelect: randomSelectBaseline(data, { k, seed: p.seeds[0] }),
      latestCorrect: latestCorrectBaseline(data, { k, seed: p.seeds[0] }),
      rl: await runRlFocalSeeds(sub, p.rl, { seeds: p.topKSeeds, label: `Figure 4 · top-${k} pool`, onProgress: on }),
      votesOnly: await runRlFocalSeeds(sub, { ...p.rl, ...VOTES_ONLY }, { seeds: p.topKSeeds, label: `Figure 4 · top-${k} pool · votes-only`, onProgress: on }),
    });
  }
  const heads: Figure4Output['heads'] = [];
  for (const b of p.headBenchmarks) {
    const hp = simulatedPool(b, { nQueries: p.headQueries, seed: p.poolSeed });
    const config = { ...p.rl, alpha: 0.6 };
    heads.push({
      pool: hp,
      branching: await runRlFocalSeeds(hp.data, { ...config, deciderHead: 'branching' }, { seeds: p.headSeeds, label: `Figure 4 · ${hp.title} · branching`, onProgress: on }),
      joint: await runRlFocalSeeds(hp.data, { ...config, deciderHead: 'joint', deciderHeadOutputs: 1 }, { seeds: p.headSeeds, label: `Figure 4 · ${hp.title} · single head`, onProgress: on }),
    });
  }
  const consensus = consensusRows(data, rl, votesOnly);
  const topThree = topThreeRows(data, rl, votesOnly);
  return { pool, main: { rl, votesOnly }, consensus, topThree, greedy, heads, ...assemble(pool, consensus, topThree, greedy, heads, p) };
}

const seAsNullable = (s: SeedSummary) => pct(s.standardError);

function assemble(
  pool: LabelledPool,
  consensus: ConsensusRow[],
  topThree: Figure4Output['topThree'],
  greedy: Figure4Output['greedy'],
  heads: Figure4Output['heads'],
  p: Figure4Params,
): ExperimentOutput {
  const N = pool.data.nModels;
  const region = (k: number) => (2 * k > N ? 'majority right' : 2 * k === N ? 'tie' : k === 0 ? 'nobody right' : 'minority right');
  const consensusTable = consensus.map((r) => ({
    correct_models: r.correctModels,
    region: region(r.correctModels),
    queries: r.queries,
    rl_focal_pct: pct(r.rlFocal.mean),
    rl_focal_se_pct: seAsNullable(r.rlFocal),
    votes_only_pct: pct(r.votesOnly.mean),
    plurality_all_pct: pct(r.plurality),
  }));
  const topThreeTable = topThree.rows.map((r) => ({
    pattern: r.pattern,
    queries: r.queries,
    rl_focal_pct: pct(r.rlFocal.mean),
    votes_only_pct: pct(r.votesOnly.mean),
    plurality_top3_pct: pct(r.pluralityTop3),
  }));
  const paperAt = (k: number) => (FIGURE4_PAPER_GREEDY.ks as readonly number[]).indexOf(k);
  const greedyTable = greedy.map((g) => {
    const at = paperAt(g.k);
    return {
      k: g.k,
      random_select_pct: pct(g.randomSelect.accuracy),
      latest_correct_pct: pct(g.latestCorrect.accuracy),
      rl_focal: formatPercentSe(g.rl.accuracy),
      rl_focal_votes_only: formatPercentSe(g.votesOnly.accuracy),
      paper_random_select: at >= 0 ? FIGURE4_PAPER_GREEDY.randomSelect[at] : null,
      paper_latest_correct: at >= 0 ? FIGURE4_PAPER_GREEDY.latestCorrect[at] : null,
      paper_rl_focal: at >= 0 ? FIGURE4_PAPER_GREEDY.rlFocal[at] : null,
    };
  });
  const headTable = heads.map((h) => ({
    pool: h.pool.title,
    branching: formatPercentSe(h.branching.accuracy),
    single_head: formatPercentSe(h.joint.accuracy),
    difference_points: pct(h.branching.accuracy.mean - h.joint.accuracy.mean),
    branching_calls_per_query: roundTo(h.branching.callsPerQuery.mean, 2),
    single_head_calls_per_query: roundTo(h.joint.callsPerQuery.mean, 2),
    paper: 'branching better; gains stripped',
  }));
  const seeds = `${p.seeds.length} seeds`;
  const sub = (extra: string) => `<br><sub>${pool.title}: ${N} models, ${pool.data.splitIndices('test').length} test queries; ${extra}</sub>`;
  const figures: FigureSpec[] = [
    consensusFigure(consensus, N, `Figure 4.1 · success rate by how many models are right${sub(`RL-Focal mean over ${seeds}`)}`),
    greedyFigure(greedy, `Figure 4.2 · greedy baselines vs RL-Focal on the top-k models${sub(`RL-Focal mean ± SE over ${p.topKSeeds.length} seeds; dashed: paper`)}`),
    withSubtitleRoom(
      barFigure(
        'figure4-top3-error-correction',
        topThree.rows.map((r) => `${r.pattern} (n=${r.queries})`),
        [
          { name: 'RL-Focal', values: topThree.rows.map((r) => 100 * r.rlFocal.mean), error: topThree.rows.map((r) => 100 * r.rlFocal.standardError) },
          { name: 'RL-Focal, votes-only Fusion', values: topThree.rows.map((r) => 100 * r.votesOnly.mean), error: topThree.rows.map((r) => 100 * r.votesOnly.standardError) },
          { name: 'plurality of the top 3', values: topThree.rows.map((r) => 100 * r.pluralityTop3) },
        ],
        {
          title: `Figure 4.3 · accuracy by which of the top-3 models (${topThree.models.map(modelDisplayName).join(', ')}) are right${sub(`✓ = right, ✗ = wrong; mean ± SE over ${seeds}`)}`,
          xTitle: 'top-1 / top-2 / top-3 correctness (test queries)',
          yTitle: 'accuracy (%)',
          yRange: [0, 105],
          width: 980,
          height: 560,
        },
      ),
    ),
    withSubtitleRoom(
      barFigure(
        'figure4-branching-vs-single-head',
        heads.map((h) => h.pool.title),
        [
          { name: 'branching Decider (one Bernoulli head per model)', values: heads.map((h) => 100 * h.branching.accuracy.mean), error: heads.map((h) => 100 * h.branching.accuracy.standardError) },
          { name: 'single head (softmax over all 2^N teams)', values: heads.map((h) => 100 * h.joint.accuracy.mean), error: heads.map((h) => 100 * h.joint.accuracy.standardError) },
        ],
        {
          title: `Figure 4.4 · branching vs single-head Decider<br><sub>simulated pools, ${heads[0]?.pool.data.nModels ?? 0} models; mean ± SE over ${p.headSeeds.length} seeds</sub>`,
          yTitle: 'test accuracy (%)',
          yRange: [0, 100],
          width: 760,
          height: 500,
        },
      ),
    ),
  ];
  const provenance = [`plots 1-3: ${pool.provenance}`, ...heads.map((h) => `plot 4: ${h.pool.provenance}`)];
  return {
    tables: [
      { name: 'figure4-success-by-consensus', title: 'Figure 4.1 · success rate by number of correct models', provenance: provenance[0], rows: consensusTable as Array<Record<string, Cell>> },
      { name: 'figure4-greedy-vs-rl-focal', title: 'Figure 4.2 · greedy baselines vs RL-Focal, beside the paper', provenance: `${provenance[0]}; paper: spec §4 Figure 4 item 2`, rows: greedyTable as Array<Record<string, Cell>> },
      { name: 'figure4-top3-error-correction', title: 'Figure 4.3 · accuracy per top-3 correctness pattern', provenance: `${provenance[0]}; top 3 by train accuracy: ${topThree.models.join(', ')}`, rows: topThreeTable as Array<Record<string, Cell>> },
      { name: 'figure4-branching-vs-single-head', title: 'Figure 4.4 · branching vs single-head Decider', provenance: provenance.slice(1).join(' | '), rows: headTable as Array<Record<string, Cell>> },
    ],
    figures,
    provenance,
  };
}

function consensusFigure(rows: ConsensusRow[], N: number, title: string): FigureSpec {
  const x = rows.map((r) => r.correctModels);
  const shade = (x0: number, x1: number, color: string, label: string) => ({
    type: 'rect',
    xref: 'x',
    yref: 'paper',
    x0,
    x1,
    y0: 0,
    y1: 1,
    fillcolor: color,
    opacity: 0.12,
    line: { width: 0 },
    layer: 'below',
    label: { text: label, textposition: 'top center', font: { size: 11, color: '#555' } },
  });
  return {
    name: checkFigureName('figure4-success-by-consensus'),
    // The counts are the base axis (drawn first, right side); the success curves sit on the overlaying axis so
    // plotly draws them above the bars.
    data: [
      { type: 'bar', name: 'test queries (right axis)', x, y: rows.map((r) => r.queries), marker: { color: 'rgba(31,119,180,0.22)' } },
      { type: 'scatter', mode: 'lines+markers', name: 'RL-Focal', x, y: rows.map((r) => 100 * r.rlFocal.mean), yaxis: 'y2', line: { color: seriesColor(3), width: 3 } },
      { type: 'scatter', mode: 'lines+markers', name: 'RL-Focal, votes-only Fusion', x, y: rows.map((r) => 100 * r.votesOnly.mean), yaxis: 'y2', line: { color: seriesColor(4), width: 2 } },
      { type: 'scatter', mode: 'lines+markers', name: 'plurality vote of all models', x, y: rows.map((r) => 100 * r.plurality), yaxis: 'y2', line: { color: seriesColor(7), dash: 'dot' } },
    ],
    layout: {
      title: { text: title },
      template: 'plotly_white',
      shapes: [shade(-0.5, N / 2 - 0.5, '#d62728', 'minority right'), shade(N / 2 + 0.5, N + 0.5, '#2ca02c', 'majority right')],
      xaxis: { title: { text: `models of the ${N}-model pool that are right on the query` }, dtick: 1, range: [-0.5, N + 0.5] },
      yaxis: { title: { text: 'test queries' }, side: 'right', showgrid: false, rangemode: 'tozero' },
      yaxis2: { title: { text: 'success rate (%)' }, overlaying: 'y', side: 'left', range: [0, 105] },
      legend: { orientation: 'h', y: -0.22 },
      margin: { l: 70, r: 70, t: 95, b: 60 },
    },
    width: 900,
    height: 560,
  };
}

function greedyFigure(greedy: Figure4Output['greedy'], title: string): FigureSpec {
  const x = greedy.map((g) => g.k);
  const line = (name: string, y: number[], color: string, dash?: string, error?: number[]) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: name.startsWith('paper') ? [...FIGURE4_PAPER_GREEDY.ks] : x,
    y,
    line: { color, width: dash ? 1.5 : 2.5, ...(dash ? { dash } : {}) },
    ...(error ? { error_y: { type: 'data', array: error } } : {}),
  });
  return {
    name: checkFigureName('figure4-greedy-vs-rl-focal'),
    data: [
      line('Random Select', greedy.map((g) => 100 * g.randomSelect.accuracy), seriesColor(0)),
      line('Choose Latest Correct', greedy.map((g) => 100 * g.latestCorrect.accuracy), seriesColor(1)),
      line('RL-Focal on the top-k', greedy.map((g) => 100 * g.rl.accuracy.mean), seriesColor(3), undefined, greedy.map((g) => 100 * (Number.isFinite(g.rl.accuracy.standardError) ? g.rl.accuracy.standardError : 0))),
      line('RL-Focal on the top-k, votes-only Fusion', greedy.map((g) => 100 * g.votesOnly.accuracy.mean), seriesColor(4), undefined, greedy.map((g) => 100 * (Number.isFinite(g.votesOnly.accuracy.standardError) ? g.votesOnly.accuracy.standardError : 0))),
      line('paper: Random Select', [...FIGURE4_PAPER_GREEDY.randomSelect], seriesColor(0), 'dash'),
      line('paper: Choose Latest Correct', [...FIGURE4_PAPER_GREEDY.latestCorrect], seriesColor(1), 'dash'),
      line('paper: RL-Focal', [...FIGURE4_PAPER_GREEDY.rlFocal], seriesColor(3), 'dash'),
    ],
    layout: {
      title: { text: title },
      template: 'plotly_white',
      xaxis: { title: { text: 'top-k models by training accuracy (k)' }, dtick: 1 },
      yaxis: { title: { text: 'test accuracy (%)' } },
      legend: { orientation: 'h', y: -0.22 },
      margin: { l: 70, r: 30, t: 95, b: 60 },
    },
    width: 900,
    height: 580,
  };
}

/** One sentence per plot, worded from the numbers. */
export function figure4Findings(out: Figure4Output): string[] {
  const lines: string[] = [];
  const N = out.pool.data.nModels;
  const majority = out.consensus.filter((r) => 2 * r.correctModels > N && r.queries > 0);
  const two = out.consensus.find((r) => r.correctModels === 2);
  const none = out.consensus.find((r) => r.correctModels === 0);
  const weighted = (rows: ConsensusRow[], f: (r: ConsensusRow) => number) => rows.reduce((s, r) => s + f(r) * r.queries, 0) / Math.max(1, rows.reduce((s, r) => s + r.queries, 0));
  lines.push(
    `Plot 1: in the majority region RL-Focal is right on ${(100 * weighted(majority, (r) => r.rlFocal.mean)).toFixed(1)} % of queries (votes-only ${(100 * weighted(majority, (r) => r.votesOnly.mean)).toFixed(1)} %); ` +
      `with 2 of ${N} models right: ${two && two.queries > 0 ? `${(100 * two.rlFocal.mean).toFixed(1)} % (votes-only ${(100 * two.votesOnly.mean).toFixed(1)} %, plurality ${(100 * two.plurality).toFixed(1)} %, n = ${two.queries})` : 'no such queries'}; ` +
      `with none right: ${none && none.queries > 0 ? `${(100 * none.rlFocal.mean).toFixed(1)} % (n = ${none.queries}; any success there comes from reading probabilities: the answer frequencies of the samples, or whatever the simulator puts in them)` : 'no such queries'}. Paper: near-maximal in the majority region, "as high as [stripped]" at 2 of 8.`,
  );
  const g = out.greedy;
  const rlWins = g.filter((x) => x.rl.accuracy.mean > Math.max(x.randomSelect.accuracy, x.latestCorrect.accuracy)).length;
  const voteWins = g.filter((x) => x.votesOnly.accuracy.mean > Math.max(x.randomSelect.accuracy, x.latestCorrect.accuracy)).length;
  lines.push(
    `Plot 2: RL-Focal beats both greedy rules at ${rlWins} of ${g.length} values of k (votes-only: ${voteWins}); the greedy rules fall as k grows (random select ${(100 * g[0].randomSelect.accuracy).toFixed(1)} → ${(100 * g[g.length - 1].randomSelect.accuracy).toFixed(1)} %), as in the paper (71.92 → 62.34).`,
  );
  const allWrong = out.topThree.rows.find((r) => r.pattern === '✗✗✗')!;
  lines.push(
    `Plot 3: when all of the top 3 (${out.topThree.models.join(', ')}) are wrong (${allWrong.queries} test queries), RL-Focal is right on ${(100 * allWrong.rlFocal.mean).toFixed(1)} % ` +
      `(votes-only ${(100 * allWrong.votesOnly.mean).toFixed(1)} %), the top-3 plurality on ${(100 * allWrong.pluralityTop3).toFixed(1)} %.`,
  );
  for (const h of out.heads) {
    const d = h.branching.accuracy.mean - h.joint.accuracy.mean;
    const se = Math.hypot(h.branching.accuracy.standardError, h.joint.accuracy.standardError);
    lines.push(
      `Plot 4, ${h.pool.title}: branching ${formatPercentSe(h.branching.accuracy)} vs single head ${formatPercentSe(h.joint.accuracy)} — ${(100 * d).toFixed(2)} points (±${(100 * se).toFixed(2)} combined SE); paper: branching better (numbers stripped).`,
    );
  }
  return lines;
}
