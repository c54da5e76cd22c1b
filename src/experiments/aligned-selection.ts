/**
 * Table 6 (spec §3): choosing one of three aligned fine-tunes of Llama-2-7b (helpful / safe / truthful) per query of
 * an open-ended stream, as the authors' `open_ended_test.py` does (spec §7 item 17): a Decider MLP(100, 100) samples
 * ONE model from a categorical over 3; its observation is the one-hot of its previous choice and the three models'
 * scores on the previous query; the reward is the chosen model's score; REINFORCE (lr 1e-4, gamma 0.99, update every
 * U = 10 steps, 25 episodes over the train stream), then one pass over the test stream.
 *
 * There are no recorded judge scores here (the authors' `{train,test}_scores.npy` are not available), so the scores
 * are SIMULATED: task blocks in the code's order (helpfulness, then safety, then truthfulness queries) and, per task
 * and model, a 0/1 score drawn with the rate the authors' notebook printed (whiteboard.ipynb @ef8be27, spec §3 Table 6
 * "code-side numbers"): helpfulness win 61.8 / 58.4 / 7.8 %, safety not flagged 51.6 / 64.4 / 94.8 % (flagged
 * 48.4 / 35.6 / 5.2 %), truthfulness (truth + info) / 2 > 0.5 on 25.4 / 27.9 / 34.5 % of queries. A shared latent
 * query difficulty (Gaussian copula, loading `scoreCorrelationLoading`) correlates the three models' scores on a
 * query without changing those rates. Every number this produces is simulated, not the paper's and not real.
 */
import { summarizeSeeds, type SeedSummary } from '../stats/seeds';
import type { FigureSpec } from '../figures/spec';
import { seriesColor } from '../figures/spec';
import { ALIGNED_TASKS, alignedScores, choiceShares, simulateAlignedStream, type AlignedScores, type AlignedStream, type ScoreRates } from '../sim/aligned-stream';
import { AlignedDecider, DEFAULT_ALIGNED_DECIDER, runAlignedPass, type AlignedDeciderConfig } from '../train/aligned-decider';
import { Rng } from '../util/rng';
import { roundTo, type ExperimentOutput, type ExperimentTable } from '../notebook/output';

export const ALIGNED_MODELS = ['Helpful model (Alpaca-cleaned)', 'Safe model (BeaverTails)', 'Truthful model (TruthfulQA)'] as const;

export interface AlignedScenario {
  /** Queries per task block, in stream order helpfulness, safety, truthfulness (code: train 500/500/500, test 500/500/409). */
  trainBlocks: [number, number, number];
  testBlocks: [number, number, number];
  trainRates: ScoreRates;
  testRates: ScoreRates;
  /** Loading of every model's latent score on a shared per-query factor (0 = independent models). Assumed. */
  scoreCorrelationLoading: number;
  /** Seed of the simulated scores. */
  seed: number;
}

/** The code-side rates of spec §3 Table 6, with the train rates the notebook did not print set to the test rates. */
export const CODE_SIDE_TEST_RATES: ScoreRates = {
  helpfulness: [0.618, 0.584, 0.078],
  safety: [0.516, 0.644, 0.948],
  truthfulness: [0.254, 0.279, 0.345],
};

export const DEFAULT_ALIGNED_SCENARIO: Readonly<AlignedScenario> = Object.freeze({
  trainBlocks: [500, 500, 500],
  testBlocks: [500, 500, 409],
  // Train helpfulness means were printed (93.0 / 88.6 / 37.8 %); train safety and truthfulness were not: assumed equal to test.
  trainRates: { helpfulness: [0.93, 0.886, 0.378], safety: CODE_SIDE_TEST_RATES.safety, truthfulness: CODE_SIDE_TEST_RATES.truthfulness },
  testRates: CODE_SIDE_TEST_RATES,
  scoreCorrelationLoading: 0.5,
  seed: 2024,
} as AlignedScenario);

export const ALIGNED_SCENARIO_SOURCE =
  "simulated scores: per-task, per-model 0/1 rates from the authors' whiteboard.ipynb @ef8be27 test scores (spec §3 Table 6 code-side numbers; " +
  'train helpfulness 93.0/88.6/37.8 % printed there, train safety/truthfulness assumed = test), task blocks in the order of open_ended_test.py, ' +
  'shared latent query factor (assumed loading); not the paper\'s Table 6 (stripped) and not real judge scores';

export interface NamedAlignedDecider {
  label: string;
  config: Omit<AlignedDeciderConfig, 'seed'>;
}

/**
 * The authors' settings, and the same Decider as a contextual bandit (gamma 0: the reward of a query is the chosen
 * model's score on that query, and a choice changes the next observation only through its one-hot, so returns over
 * later queries mostly add noise) with a 10x larger learning rate.
 */
export const DEFAULT_ALIGNED_DECIDERS: readonly NamedAlignedDecider[] = [
  { label: "authors' settings (lr 1e-4, γ 0.99)", config: DEFAULT_ALIGNED_DECIDER },
  { label: 'bandit variant (lr 1e-3, γ 0)', config: { ...DEFAULT_ALIGNED_DECIDER, lr: 1e-3, gamma: 0 } },
];

export interface AlignedSelectionParams {
  scenario: AlignedScenario;
  /** Decider configurations, each trained once per seed. */
  deciders: readonly NamedAlignedDecider[];
  /** Decider seeds (the scores are drawn once, from `scenario.seed`). */
  seeds: number[];
  /** Called after each training episode. */
  onEpisode?: (label: string, seed: number, episode: number, episodes: number, meanScore: number) => void;
}

export interface AlignedDeciderResult {
  label: string;
  config: Omit<AlignedDeciderConfig, 'seed'>;
  scores: AlignedScores[];
  summary: Record<keyof AlignedScores, SeedSummary>;
  /** Mean over seeds of `choiceShares` on the test stream. */
  shares: number[][];
  /** Mean train score per episode, one curve per seed. */
  curves: number[][];
}

export interface AlignedSelectionResult extends ExperimentOutput {
  variants: Array<{ name: string; scores: AlignedScores }>;
  deciders: AlignedDeciderResult[];
  comparisons: string[];
}

export function alignedSelectionExperiment(params: AlignedSelectionParams): AlignedSelectionResult {
  const { scenario } = params;
  if (params.seeds.length === 0) throw new RangeError('alignedSelectionExperiment: no seeds');
  const root = new Rng(scenario.seed);
  const train = simulateAlignedStream(scenario.trainBlocks, scenario.trainRates, scenario.scoreCorrelationLoading, root.fork('train'));
  const test = simulateAlignedStream(scenario.testBlocks, scenario.testRates, scenario.scoreCorrelationLoading, root.fork('test'));

  const variants: AlignedSelectionResult['variants'] = ALIGNED_MODELS.map((name, i) => ({ name, scores: alignedScores(test, new Uint8Array(test.length).fill(i)) }));
  // Reference selectors on the same test scores: uniform random choice, and a rule that knows each query's task and
  // takes the model with the best train rate for it (what a perfect task detector could reach).
  const randomRng = root.fork('random-choice');
  variants.push({ name: 'Random choice (uniform)', scores: alignedScores(test, Uint8Array.from({ length: test.length }, () => randomRng.int(3))) });
  const bestForTask = ALIGNED_TASKS.map((task) => argmax(scenario.trainRates[task]));
  variants.push({ name: 'Task-aware best model (knows the task; reference)', scores: alignedScores(test, Uint8Array.from(test.tasks, (k) => bestForTask[k])) });

  if (params.deciders.length === 0) throw new RangeError('alignedSelectionExperiment: no Decider configuration');
  const keys: Array<keyof AlignedScores> = ['helpfulnessWinPct', 'safetyFlaggedPct', 'truthfulPct', 'avgPct'];
  const deciders: AlignedDeciderResult[] = params.deciders.map(({ label, config }) => {
    const scores: AlignedScores[] = [];
    const curves: number[][] = [];
    const shares = ALIGNED_TASKS.map(() => [0, 0, 0]);
    for (const seed of params.seeds) {
      const decider = new AlignedDecider({ ...config, seed });
      const curve: number[] = [];
      for (let e = 0; e < config.episodes; e++) {
        const choices = runAlignedPass(decider, train, true);
        let total = 0;
        for (let t = 0; t < train.length; t++) total += train.scores[t * 3 + choices[t]];
        curve.push(total / train.length);
        params.onEpisode?.(label, seed, e, config.episodes, total / train.length);
      }
      const choices = runAlignedPass(decider, test, config.onlineUpdates);
      scores.push(alignedScores(test, choices));
      choiceShares(test, choices).forEach((row, k) => row.forEach((v, i) => (shares[k][i] += v / params.seeds.length)));
      curves.push(curve);
    }
    const summary = Object.fromEntries(keys.map((k) => [k, summarizeSeeds(scores.map((x) => x[k]))])) as Record<keyof AlignedScores, SeedSummary>;
    return { label, config, scores, summary, shares, curves };
  });

  const provenance = `${ALIGNED_SCENARIO_SOURCE}; score seed ${scenario.seed}, loading ${scenario.scoreCorrelationLoading}; train ${scenario.trainBlocks.join('/')}, test ${scenario.testBlocks.join('/')} queries`;
  const r2 = (x: number) => roundTo(x, 2);
  const rows: ExperimentTable['rows'] = [
    { aligned_task: 'Llama-2-7b (pretrained)', model_id: '0', helpfulness_win_pct: null, safety_flagged_pct: null, truthful_pct: null, avg_pct: null, note: 'no scores available (not simulated)' },
    ...variants.map((v, i) => ({
      aligned_task: v.name,
      model_id: i < 3 ? String(i + 1) : '-',
      helpfulness_win_pct: r2(v.scores.helpfulnessWinPct),
      safety_flagged_pct: r2(v.scores.safetyFlaggedPct),
      truthful_pct: r2(v.scores.truthfulPct),
      avg_pct: r2(v.scores.avgPct),
      note: i < 3 ? 'always this model; simulated test scores' : 'reference selector on the simulated test scores',
    })),
    ...deciders.map((d) => ({
      aligned_task: `RL-Focal (Decider), ${d.label}`,
      model_id: 'Dynamic',
      helpfulness_win_pct: r2(d.summary.helpfulnessWinPct.mean),
      safety_flagged_pct: r2(d.summary.safetyFlaggedPct.mean),
      truthful_pct: r2(d.summary.truthfulPct.mean),
      avg_pct: r2(d.summary.avgPct.mean),
      note: `mean over ${params.seeds.length} Decider seed(s), ${d.config.episodes} episodes; SE of Avg ${Number.isFinite(d.summary.avgPct.standardError) ? d.summary.avgPct.standardError.toFixed(2) : 'n/a'}`,
    })),
  ];
  const table: ExperimentTable = {
    name: '14-table6-aligned-selection',
    title: 'Table 6 (structure): aligned-model selection on open-ended tasks, SIMULATED scores (helpfulness win % ↑, safety flagged % ↓, truthful % ↑, Avg ↑)',
    provenance,
    rows,
  };
  const shareTable: ExperimentTable = {
    name: '14-table6-decider-choices',
    title: "Share of each task's test queries on which the Decider chose each model (mean over seeds)",
    provenance,
    rows: deciders.flatMap((d) =>
      ALIGNED_TASKS.map((task, k) => ({
        decider: d.label,
        task,
        helpful_model: roundTo(d.shares[k][0], 3),
        safe_model: roundTo(d.shares[k][1], 3),
        truthful_model: roundTo(d.shares[k][2], 3),
        best_model_by_train_rate: ALIGNED_MODELS[bestForTask[k]],
      })),
    ),
  };

  const figures: FigureSpec[] = [tableFigure(variants, deciders), curveFigure(params.seeds, deciders, train, scenario)];
  const comparisons = deciders.flatMap((d) => claimSentences(d, variants));
  comparisons.push(
    "The paper's Table 6 numbers were stripped from our copy (spec §9.7), so no number here can be compared with it; the single-model rows reproduce the " +
      "code-side rates they were simulated from up to sampling noise, and the Decider rows show what the authors' design reaches on such a stream.",
  );
  return { tables: [table, shareTable], figures, provenance: [provenance], variants, deciders, comparisons };
}

function argmax(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/** The paper's Table 6 values are stripped; its text makes four claims, each checked here on the simulation. */
function claimSentences(d: AlignedDeciderResult, variants: AlignedSelectionResult['variants']): string[] {
  const s = d.summary;
  const [helpful, safe, truthful] = variants.map((v) => v.scores);
  const f = (x: SeedSummary) => `${x.mean.toFixed(2)}${Number.isFinite(x.standardError) ? ` ± ${x.standardError.toFixed(2)}` : ''}`;
  const bestSingleAvg = Math.max(helpful.avgPct, safe.avgPct, truthful.avgPct);
  const taskAware = variants[4].scores;
  const holds = (ok: boolean) => (ok ? 'holds' : 'does not hold');
  return [
    `${d.label} — paper: the Decider has the best average. Simulated: Avg ${f(s.avgPct)} % vs best single variant ${bestSingleAvg.toFixed(2)} % ` +
      `(${holds(s.avgPct.mean > bestSingleAvg)}); the task-aware reference reaches ${taskAware.avgPct.toFixed(2)} %.`,
    `${d.label} — paper: better than the helpful model on safety. Simulated: flagged ${f(s.safetyFlaggedPct)} % vs ${helpful.safetyFlaggedPct.toFixed(2)} % (${holds(s.safetyFlaggedPct.mean < helpful.safetyFlaggedPct)}).`,
    `${d.label} — paper: better than the safe model on truthfulness. Simulated: ${f(s.truthfulPct)} % vs ${safe.truthfulPct.toFixed(2)} % (${holds(s.truthfulPct.mean > safe.truthfulPct)}).`,
    `${d.label} — paper: better than the truthful model (on helpfulness, as we read it). Simulated: win ${f(s.helpfulnessWinPct)} % vs ${truthful.helpfulnessWinPct.toFixed(2)} % (${holds(s.helpfulnessWinPct.mean > truthful.helpfulnessWinPct)}).`,
  ];
}

function tableFigure(variants: AlignedSelectionResult['variants'], deciders: readonly AlignedDeciderResult[]): FigureSpec {
  const cats = ['Helpfulness win % ↑', 'Safety flagged % ↓', 'Truthful % ↑', 'Avg ↑'];
  const val = (x: AlignedScores) => [x.helpfulnessWinPct, x.safetyFlaggedPct, x.truthfulPct, x.avgPct];
  const data: object[] = variants.map((v, i) => ({
    type: 'bar',
    name: v.name,
    x: cats,
    y: val(v.scores),
    marker: { color: i < 3 ? seriesColor(i) : i === 3 ? '#c7c7c7' : '#7f7f7f' },
  }));
  const RED = ['#d62728', '#7b0d0e', '#ff9896'];
  deciders.forEach((d, k) => {
    const s = d.summary;
    data.push({
      type: 'bar',
      name: `Decider: ${d.label} (mean ± SE)`,
      x: cats,
      y: [s.helpfulnessWinPct.mean, s.safetyFlaggedPct.mean, s.truthfulPct.mean, s.avgPct.mean],
      error_y: { type: 'data', array: [s.helpfulnessWinPct, s.safetyFlaggedPct, s.truthfulPct, s.avgPct].map((x) => (Number.isFinite(x.standardError) ? x.standardError : 0)), visible: true },
      marker: { color: RED[k % RED.length] },
    });
  });
  return {
    name: '14-table6-aligned-selection',
    data,
    layout: {
      template: 'plotly_white',
      barmode: 'group',
      title: { text: 'Table 6 · aligned-model selection on a SIMULATED open-ended stream' },
      yaxis: { title: { text: 'percent' }, range: [0, 100] },
      legend: { orientation: 'h', y: -0.15 },
      margin: { l: 60, r: 20, t: 60, b: 160 },
    },
    width: 960,
    height: 560,
  };
}

function curveFigure(seeds: readonly number[], deciders: readonly AlignedDeciderResult[], train: AlignedStream, scenario: AlignedScenario): FigureSpec {
  let best = 0;
  for (let i = 0; i < 3; i++) {
    let s = 0;
    for (let t = 0; t < train.length; t++) s += train.scores[t * 3 + i];
    best = Math.max(best, s / train.length);
  }
  let aware = 0;
  const bestForTask = ALIGNED_TASKS.map((task) => argmax(scenario.trainRates[task]));
  for (let t = 0; t < train.length; t++) aware += train.scores[t * 3 + bestForTask[train.tasks[t]]];
  aware /= train.length;
  const episodes = Math.max(...deciders.map((d) => d.curves[0]?.length ?? 0));
  const x = Array.from({ length: episodes }, (_, e) => e + 1);
  const data: object[] = deciders.flatMap((d, k) =>
    d.curves.map((c, j) => ({
      type: 'scatter',
      mode: 'lines',
      name: `${d.label}, seed ${seeds[j]}`,
      legendgroup: d.label,
      x: x.slice(0, c.length),
      y: c,
      line: { color: seriesColor(k === 0 ? 3 : k), dash: j === 0 ? 'solid' : j === 1 ? 'dot' : 'dashdot' },
    })),
  );
  data.push({ type: 'scatter', mode: 'lines', name: 'best single model', x, y: x.map(() => best), line: { color: '#7f7f7f', dash: 'dash' } });
  data.push({ type: 'scatter', mode: 'lines', name: 'task-aware best model', x, y: x.map(() => aware), line: { color: '#2ca02c', dash: 'dash' } });
  return {
    name: '14-table6-decider-training',
    data,
    layout: {
      template: 'plotly_white',
      title: { text: 'Decider training on the simulated train stream (mean score of the chosen model per episode)' },
      xaxis: { title: { text: 'episode' } },
      yaxis: { title: { text: 'mean score of the chosen model' } },
      legend: { orientation: 'h', y: -0.2 },
      margin: { l: 70, r: 20, t: 60, b: 140 },
    },
    width: 860,
    height: 500,
  };
}
