/**
 * Hyper-parameter sweeps of RL-Focal beside the paper's: Figure 5 (size penalty alpha), Table 4 (history window w)
 * and Table 5 (discount gamma of the Fusion agent), all on GSM8K in the paper (spec §3, §4).
 *
 * Each sweep trains one RL-Focal per (grid value, seed) through `runRlJobs` (child processes), then reports the mean
 * and standard error over seeds of the test-pass accuracy, cost per 1,000 queries (paper Table 8 prices, spec §4.4)
 * and LLM calls, next to the paper's printed values, with one sentence per difference.
 */
import { summarizeSeeds, type SeedSummary } from '../stats/seeds';
import { spearman } from '../stats/correlation';
import type { RlFocalConfig } from '../train/config';
import type { ExperimentOutput, ExperimentTable } from '../notebook/output';
import { roundTo } from '../notebook/output';
import { panelFigure } from '../figures/panels';
import { runRlJobs } from '../runs/rl-jobs';
import type { RlJob, RlJobOutcome } from '../runs/rl-job';

/** Paper Figure 5 (spec §4): accuracy % and number of base-model inferences on the ~1,240-query GSM8K test set. */
export const PAPER_FIGURE5 = {
  alpha: [0, 0.1, 0.6, 1.5, 3],
  accuracy: [73.06, 74.19, 75.65, 73.87, 74.52],
  inferences: [4737, 4527, 4263, 3630, 3827],
  testQueries: 1240,
  source: 'paper Figure 5 (values from the authors\' plot_hyper_params, spec §4); the cost panel values are unknown',
} as const;

/** Paper Table 4 (spec §3): window size vs accuracy % and cost (cents per 1,000 queries), GSM8K. */
export const PAPER_TABLE4 = {
  window: [10, 100, 300, 500, 1000],
  accuracy: [73.79, 77.42, 73.95, 72.26, 74.6],
  cost: [762, 1404, 447, 692, 1351],
  source: 'paper Table 4 (spec §3)',
} as const;

/** Paper Table 5 (spec §3): discount factor of the Fusion agent vs accuracy %, GSM8K. */
export const PAPER_TABLE5 = {
  gamma: [0.5, 0.8, 0.9, 0.99],
  accuracy: [74.92, 75.0, 76.77, 0.32],
  source: 'paper Table 5 (spec §3)',
} as const;

export interface RlSweepParams {
  /** `loadDataset` spec of the pool (default: a simulated GSM8K pool, `sim:gsm8k?n=2000&seed=0`). */
  data: string;
  /** Training seeds: each grid value is trained once per seed. */
  seeds: number[];
  /** Overrides of DEFAULT_CONFIG shared by every run (episodes, algorithm, ...). */
  config: Partial<RlFocalConfig>;
  /** Child processes running the runs (default 2). */
  workers: number;
  /** Progress: called as each run finishes. */
  onRun?: (outcome: RlJobOutcome, done: number, total: number) => void;
  /** Live status line of the runs (see `statusLine()`): redrawn about once a second, then the final line. */
  onStatus?: (line: string, final: boolean) => void;
}

/** One grid value summarised over seeds (accuracy in %, cost in cents per 1,000 queries). */
export interface SweepPoint {
  value: number;
  accuracy: SeedSummary;
  costPer1000: SeedSummary;
  callsPerQuery: SeedSummary;
  meanTeamSize: SeedSummary;
  warmStartSeconds: SeedSummary;
  runs: RlJobOutcome[];
}

export interface SweepResult extends ExperimentOutput {
  points: SweepPoint[];
  runs: RlJobOutcome[];
  /** One sentence per grid value on how ours differs from the paper's, then the overall trend. */
  comparisons: string[];
}

/** Runs `overrides(value)` for every grid value and seed. */
export async function runGrid(
  key: string,
  values: readonly number[],
  overrides: (value: number) => Partial<RlFocalConfig>,
  params: RlSweepParams,
): Promise<{ points: SweepPoint[]; runs: RlJobOutcome[] }> {
  if (values.length === 0) throw new RangeError(`${key} sweep: empty grid`);
  if (params.seeds.length === 0) throw new RangeError(`${key} sweep: no seeds`);
  const jobs: RlJob[] = [];
  for (const value of values) {
    for (const seed of params.seeds) {
      jobs.push({ data: params.data, config: { ...params.config, ...overrides(value), seed }, tags: { [key]: value, seed } });
    }
  }
  const runs = await runRlJobs(jobs, { workers: params.workers, onDone: params.onRun, onStatus: params.onStatus, label: `${key} sweep` });
  return { points: summarizeByTag(runs, key, values), runs };
}

export function summarizeByTag(runs: readonly RlJobOutcome[], key: string, values: readonly number[]): SweepPoint[] {
  return values.map((value) => {
    const of = runs.filter((r) => r.tags[key] === value);
    const stat = (f: (r: RlJobOutcome) => number) => summarizeSeeds(of.map(f));
    return {
      value,
      accuracy: stat((r) => 100 * r.accuracy),
      costPer1000: stat((r) => r.costPer1000),
      callsPerQuery: stat((r) => r.callsPerQuery),
      meanTeamSize: stat((r) => r.meanTeamSize),
      warmStartSeconds: stat((r) => r.warmStartSeconds),
      runs: of,
    };
  });
}

/** "80.1 ± 0.5" (standard error over seeds; no ± with a single seed). */
export function formatMeanSe(s: SeedSummary, digits = 2): string {
  if (!Number.isFinite(s.mean)) return 'n/a';
  return Number.isFinite(s.standardError) ? `${s.mean.toFixed(digits)} ± ${s.standardError.toFixed(digits)}` : s.mean.toFixed(digits);
}

/**
 * Sentences comparing our mean per grid value with the paper's value, then the shape of the two profiles (where each
 * peaks, rank agreement). `unit` is appended to numbers ("%" or " ¢").
 */
export function compareProfiles(
  what: string,
  gridName: string,
  grid: readonly number[],
  ours: readonly SeedSummary[],
  paper: readonly number[],
  unit: string,
  higherIsBetter: boolean,
): string[] {
  const out: string[] = [];
  grid.forEach((g, k) => {
    const o = ours[k];
    const p = paper[k];
    if (p === undefined || !Number.isFinite(p)) return;
    const diff = o.mean - p;
    // Seeds that all agree leave a standard error of rounding size, not noise: no "standard errors from ours" then.
    const noise = Number.isFinite(o.standardError) && o.standardError > 1e-9 * Math.max(1, Math.abs(o.mean)) ? Math.abs(diff) / o.standardError : NaN;
    const within = Number.isFinite(noise) ? (noise <= 2 ? ', within 2 standard errors of our seeds' : `, ${noise.toFixed(1)} standard errors from ours`) : '';
    out.push(
      `${what}, ${gridName} = ${g}: ours ${formatMeanSe(o)}${unit} vs paper ${p}${unit} (${diff >= 0 ? '+' : ''}${diff.toFixed(2)}${within}).`,
    );
  });
  const pick = (values: readonly number[]) => {
    let best = 0;
    values.forEach((v, k) => {
      if (higherIsBetter ? v > values[best] : v < values[best]) best = k;
    });
    return best;
  };
  const paired = grid.map((_, k) => k).filter((k) => paper[k] !== undefined && Number.isFinite(paper[k]) && Number.isFinite(ours[k].mean));
  if (paired.length >= 2) {
    const o = paired.map((k) => ours[k].mean);
    const p = paired.map((k) => paper[k]);
    const bo = paired[pick(o)];
    const bp = paired[pick(p)];
    const rho = spearman(o, p, { minPairs: 2 }).value;
    const offset = o.reduce((sum, v, k) => sum + v - p[k], 0) / o.length;
    out.push(
      `${what}: among the ${paired.length} values of ${gridName} both report, the ${higherIsBetter ? 'highest' : 'lowest'} is at ${gridName} = ${grid[bo]} for us and ${grid[bp]} in the paper; ` +
        `rank correlation of the two profiles = ${Number.isFinite(rho) ? rho.toFixed(2) : 'undefined'}; mean difference ours - paper = ${offset >= 0 ? '+' : ''}${offset.toFixed(2)}${unit}.`,
    );
  }
  return out;
}

function paperAt(grid: readonly number[], values: readonly number[], g: number): number | null {
  const k = grid.indexOf(g);
  return k >= 0 ? values[k] : null;
}

function runProvenance(runs: readonly RlJobOutcome[], params: RlSweepParams): string {
  const first = runs[0];
  const episodes = `${params.config.deciderEpisodes ?? 'default'} + ${params.config.fusionEpisodes ?? 'default'} episodes`;
  return (
    `${first.provenance} (spec "${params.data}", ${first.nModels} models, ${first.trainQueries} train / ${first.testQueries} test queries); ` +
    `RL-Focal trained here (${first.algorithm}, ${episodes}, seeds ${params.seeds.join(', ')}); prices: paper Table 8`
  );
}

const r2 = (x: number) => roundTo(x, 2);

// --- Figure 5: alpha -----------------------------------------------------------------------------------------------

export interface AlphaSweepParams extends RlSweepParams {
  /** Size-penalty constants (paper: 0, 0.1, 0.6, 1.5, 3). */
  alphas: number[];
}

export async function alphaSweep(params: AlphaSweepParams): Promise<SweepResult> {
  const { points, runs } = await runGrid('alpha', params.alphas, (alpha) => ({ alpha }), params);
  const provenance = runProvenance(runs, params);
  const P = PAPER_FIGURE5;
  const rows = points.map((pt) => {
    const paperInferences = paperAt(P.alpha, P.inferences, pt.value);
    return {
      alpha: pt.value,
      accuracy_pct: r2(pt.accuracy.mean),
      accuracy_se: r2(pt.accuracy.standardError),
      paper_accuracy_pct: paperAt(P.alpha, P.accuracy, pt.value),
      cost_per_1000_cents: r2(pt.costPer1000.mean),
      cost_se: r2(pt.costPer1000.standardError),
      calls_per_query: roundTo(pt.callsPerQuery.mean, 3),
      calls_per_1240_queries: roundTo(pt.callsPerQuery.mean * P.testQueries, 0),
      paper_inferences_1240_queries: paperInferences,
      paper_calls_per_query: paperInferences === null ? null : roundTo(paperInferences / P.testQueries, 3),
      seeds: pt.accuracy.n,
    };
  });
  const table: ExperimentTable = {
    name: '08-fig5-alpha-sweep',
    title: 'Figure 5: size penalty alpha vs accuracy, cost per 1,000 queries and LLM calls (ours beside the paper)',
    provenance: `ours: ${provenance}. paper: ${P.source}`,
    rows,
  };
  const x = points.map((p) => p.value);
  const paperX = [...P.alpha];
  const figure = panelFigure(
    '08-fig5-alpha-sweep',
    [
      {
        title: 'Accuracy (%)',
        yTitle: 'test accuracy (%)',
        series: [
          { name: 'ours (simulated pool, mean ± SE)', x, y: points.map((p) => p.accuracy.mean), error: points.map((p) => nanToNull(p.accuracy.standardError)), color: 0 },
          { name: 'paper', x: paperX, y: [...P.accuracy], style: 'paper', color: 3 },
        ],
      },
      {
        title: 'Cost (¢ per 1,000 queries)',
        yTitle: 'cents per 1,000 queries',
        series: [{ name: 'ours (simulated pool, mean ± SE)', x, y: points.map((p) => p.costPer1000.mean), error: points.map((p) => nanToNull(p.costPer1000.standardError)), color: 0 }],
      },
      {
        title: 'LLM calls per query',
        yTitle: 'calls per query',
        series: [
          { name: 'ours (simulated pool, mean ± SE)', x, y: points.map((p) => p.callsPerQuery.mean), error: points.map((p) => nanToNull(p.callsPerQuery.standardError)), color: 0 },
          { name: 'paper', x: paperX, y: P.inferences.map((n) => n / P.testQueries), style: 'paper', color: 3 },
        ],
      },
    ],
    { xTitle: 'size penalty α', xType: 'category', title: 'Figure 5 · α sweep (ours: simulated GSM8K pool; paper: GSM8K)' },
  );
  const comparisons = [
    ...compareProfiles('Accuracy', 'α', params.alphas, points.map((p) => p.accuracy), params.alphas.map((a) => paperAt(P.alpha, P.accuracy, a) ?? NaN), '%', true),
    ...compareProfiles(
      'LLM calls per query',
      'α',
      params.alphas,
      points.map((p) => p.callsPerQuery),
      params.alphas.map((a) => {
        const n = paperAt(P.alpha, P.inferences, a);
        return n === null ? NaN : roundTo(n / P.testQueries, 3)!;
      }),
      '',
      false,
    ),
    trendSentence('calls per query', params.alphas, points.map((p) => p.callsPerQuery.mean), 'α'),
    trendSentence('cost per 1,000 queries', params.alphas, points.map((p) => p.costPer1000.mean), 'α'),
  ];
  return { tables: [table], figures: [figure], provenance: [provenance, P.source], points, runs, comparisons };
}

// --- Table 4: window -----------------------------------------------------------------------------------------------

export interface WindowSweepParams extends RlSweepParams {
  /** History windows w in queries (paper: 10, 100, 300, 500, 1000). Each must leave train queries to serve. */
  windows: number[];
}

export async function windowSweep(params: WindowSweepParams): Promise<SweepResult> {
  const { points, runs } = await runGrid('window', params.windows, (window) => ({ window }), params);
  const provenance = runProvenance(runs, params);
  const P = PAPER_TABLE4;
  const rows = points.map((pt) => ({
    window: pt.value,
    accuracy_pct: r2(pt.accuracy.mean),
    accuracy_se: r2(pt.accuracy.standardError),
    paper_accuracy_pct: paperAt(P.window, P.accuracy, pt.value),
    cost_per_1000_cents: r2(pt.costPer1000.mean),
    cost_se: r2(pt.costPer1000.standardError),
    paper_cost_cents: paperAt(P.window, P.cost, pt.value),
    calls_per_query: roundTo(pt.callsPerQuery.mean, 3),
    train_steps_per_episode: pt.runs[0].trainQueries - pt.value,
    seeds: pt.accuracy.n,
  }));
  const table: ExperimentTable = {
    name: '09-table4-window',
    title: 'Table 4: history window w vs accuracy and cost (ours beside the paper)',
    provenance: `ours: ${provenance}. paper: ${P.source}`,
    rows,
  };
  const x = points.map((p) => p.value);
  const figure = panelFigure(
    '09-table4-window',
    [
      {
        title: 'Accuracy (%)',
        yTitle: 'test accuracy (%)',
        series: [
          { name: 'ours (simulated pool, mean ± SE)', x, y: points.map((p) => p.accuracy.mean), error: points.map((p) => nanToNull(p.accuracy.standardError)), color: 0 },
          { name: 'paper', x: [...P.window], y: [...P.accuracy], style: 'paper', color: 3 },
        ],
      },
      {
        title: 'Cost (¢ per 1,000 queries)',
        yTitle: 'cents per 1,000 queries',
        series: [
          { name: 'ours (simulated pool, mean ± SE)', x, y: points.map((p) => p.costPer1000.mean), error: points.map((p) => nanToNull(p.costPer1000.standardError)), color: 0 },
          { name: 'paper', x: [...P.window], y: [...P.cost], style: 'paper', color: 3 },
        ],
      },
    ],
    { xTitle: 'history window w (queries)', xType: 'category', title: 'Table 4 · window sweep (ours: simulated GSM8K pool; paper: GSM8K)' },
  );
  const comparisons = [
    ...compareProfiles('Accuracy', 'w', params.windows, points.map((p) => p.accuracy), params.windows.map((w) => paperAt(P.window, P.accuracy, w) ?? NaN), '%', true),
    ...compareProfiles('Cost', 'w', params.windows, points.map((p) => p.costPer1000), params.windows.map((w) => paperAt(P.window, P.cost, w) ?? NaN), ' ¢', false),
  ];
  return { tables: [table], figures: [figure], provenance: [provenance, P.source], points, runs, comparisons };
}

// --- Table 5: gamma ------------------------------------------------------------------------------------------------

export interface GammaSweepParams extends RlSweepParams {
  /** Discount factors (paper: 0.5, 0.8, 0.9, 0.99). */
  gammas: number[];
}

/**
 * The paper varies the Fusion agent's discount. Our MAPPO has one critic and one `gamma` for both agents, so the
 * value is set there (it then also discounts the Decider's returns); the authors'-code trainer reads `gammaFusion`.
 * Both fields get the swept value, so each algorithm uses the one it has.
 */
export async function gammaSweep(params: GammaSweepParams): Promise<SweepResult> {
  const { points, runs } = await runGrid('gamma', params.gammas, (gamma) => ({ gamma, gammaFusion: gamma }), params);
  const provenance = runProvenance(runs, params);
  const P = PAPER_TABLE5;
  const rows = points.map((pt) => ({
    gamma: pt.value,
    accuracy_pct: r2(pt.accuracy.mean),
    accuracy_se: r2(pt.accuracy.standardError),
    paper_accuracy_pct: paperAt(P.gamma, P.accuracy, pt.value),
    min_seed_accuracy_pct: r2(Math.min(...pt.runs.map((r) => 100 * r.accuracy))),
    cost_per_1000_cents: r2(pt.costPer1000.mean),
    seeds: pt.accuracy.n,
  }));
  const table: ExperimentTable = {
    name: '09-table5-gamma',
    title: "Table 5: discount factor gamma of the Fusion agent vs accuracy (ours beside the paper)",
    provenance: `ours: ${provenance}; gamma set on ${runs[0].algorithm === 'mappo' ? 'the shared MAPPO discount (one critic: it also discounts the Decider)' : "the authors'-code Fusion discount gammaFusion"}. paper: ${P.source}`,
    rows,
  };
  const x = points.map((p) => p.value);
  const figure = panelFigure(
    '09-table5-gamma',
    [
      {
        title: 'Accuracy (%)',
        yTitle: 'test accuracy (%)',
        series: [
          { name: 'ours (simulated pool, mean ± SE)', x, y: points.map((p) => p.accuracy.mean), error: points.map((p) => nanToNull(p.accuracy.standardError)), color: 0 },
          { name: 'paper', x: [...P.gamma], y: [...P.accuracy], style: 'paper', color: 3 },
        ],
      },
    ],
    { xTitle: 'discount factor γ', xType: 'category', title: 'Table 5 · γ sweep (ours: simulated GSM8K pool; paper: GSM8K)', width: 560 },
  );
  const comparisons = compareProfiles('Accuracy', 'γ', params.gammas, points.map((p) => p.accuracy), params.gammas.map((g) => paperAt(P.gamma, P.accuracy, g) ?? NaN), '%', true);
  const collapse = points.find((p) => p.value === 0.99);
  if (collapse) {
    comparisons.push(
      collapse.accuracy.mean < 10
        ? `γ = 0.99: our runs also collapse (${formatMeanSe(collapse.accuracy)} %), as the paper's 0.32 % does.`
        : `γ = 0.99: the paper's run collapsed to 0.32 % ("PPO does not converge"); ours did not (${formatMeanSe(collapse.accuracy)} %, lowest seed ${Math.min(...collapse.runs.map((r) => 100 * r.accuracy)).toFixed(2)} %), so that divergence is not reproduced by this implementation/pool.`,
    );
  }
  return { tables: [table], figures: [figure], provenance: [provenance, P.source], points, runs, comparisons };
}

function trendSentence(what: string, grid: readonly number[], values: readonly number[], gridName: string): string {
  const rho = spearman(grid, values, { minPairs: 2 }).value;
  const first = values[0];
  const last = values[values.length - 1];
  const dir = !Number.isFinite(rho) ? 'has no trend' : rho <= -0.7 ? 'falls' : rho >= 0.7 ? 'rises' : 'does not move monotonically';
  return `Ours: ${what} ${dir} as ${gridName} grows (${first.toFixed(2)} at ${gridName} = ${grid[0]}, ${last.toFixed(2)} at ${gridName} = ${grid[grid.length - 1]}; rank correlation with ${gridName} ${Number.isFinite(rho) ? rho.toFixed(2) : 'undefined'}).`;
}

function nanToNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
