/**
 * RL-Focal with the library's default configuration on real pools (issue 12's report): per pool, the test accuracy
 * over seeds beside the simple baselines of the same pool, what the validation guard served, the learned agents' own
 * test pass, which models the Decider called, learning curves with the PPO diagnostics, and the accuracy/calls curve
 * as the call budget (`freeCalls`) varies. Everything is chosen on train; every number is measured on the pool's
 * test split of real recorded outputs.
 */
import { defaultCallBudgets } from '../baselines/budget-team';
import { bestTeamBaseline } from '../baselines/best-team';
import { fusionMlpBaseline } from '../baselines/fusion-mlp';
import { knnRouterBaseline, queryText } from '../baselines/knn-router';
import { windowLeaderBaseline } from '../baselines/window-leader';
import { pairedSignTest, signTestTwoSided } from '../eval/paired-sign-test';
import type { MethodResult } from '../eval/result';
import { summarizeSeeds, type SeedSummary } from '../stats/seeds';
import { bestSingleBaseline, bestSinglePerSubtaskBaseline } from '../baselines/single';
import type { Dataset } from '../data/dataset';
import { barFigure } from '../figures/bar';
import { panelFigure, type PanelSeries } from '../figures/panels';
import type { FigureSpec } from '../figures/spec';
import { pct, roundTo, type Cell, type ExperimentOutput, type ExperimentTable } from '../notebook/output';
import { resolveConfig, type RlFocalConfig } from '../train/config';
import { GUARD_P, learnedBeats, rankedFirst, type ValidationGuard } from '../train/guard';
import { teamBudget } from '../train/train-rl-focal';
import { DIAGNOSTIC_NAMES, type EpisodeDiagnostics } from '../train/episode-diagnostics';
import { formatPercentSe } from './seed-summaries';
import { runRlFocalSeeds, type SeedRuns } from '../runs/seed-runs';
import { throttleProgress, type ProgressSink } from '../runs/progress-sink';
import { yieldToEventLoop } from '../runs/engine';
import { shortModelNames } from './tour';

export interface RlFocalPoolsParams {
  /** Seeds of the main runs (the issue's bar: 5). */
  seeds: number[];
  /** Overrides of the default configuration; {} = the library's defaults (what the report is about). */
  config: Partial<RlFocalConfig>;
  /** Call budgets of the accuracy/calls curve (`freeCalls`); 'default' = 1, 2, 3, max(3, floor(N / 4)); [] = none. */
  budgets: number[] | 'default';
  /** Seeds of each point of the budget curve. */
  budgetSeeds: number[];
  /** Seeds of the supervised fusion baseline (issue 12's stretch bar); [] = left out. */
  fusionSeeds: number[];
}

export const RL_FOCAL_POOLS_DEFAULTS: Readonly<RlFocalPoolsParams> = Object.freeze({ seeds: [0, 1, 2, 3, 4], config: {}, budgets: 'default', budgetSeeds: [0], fusionSeeds: [0, 1, 2] }) as RlFocalPoolsParams;

/** A loaded pool and the name it is reported under. */
export interface PoolToRun {
  name: string;
  data: Dataset;
}

export interface BudgetPoint {
  budget: number;
  served: SeedSummary;
  servedCalls: number;
  learned: SeedSummary;
  learnedCalls: number;
  /** The static vote team of at most `budget` models most accurate on test (see `bestOnTest`: a bound). */
  team: MethodResult;
}

export interface RlFocalPoolResult {
  pool: string;
  provenance: string;
  nModels: number;
  testQueries: number;
  /** One agent set per subtask (the pool has more than one subtask). */
  perSubtask: boolean;
  /** The call budget the guard's teams are held to (the default: max(3, floor(N / 4)); see `teamBudget`). */
  budget: number;
  bestSingle: MethodResult;
  maxExpert?: MethodResult;
  /** Plurality and soft-vote teams of at most `budget` models, chosen on train overall (and per subtask where there are subtasks). */
  voteTeams: MethodResult[];
  /** The one of `voteTeams` most accurate on train (in-sample; ties to the first): the comparator chosen without test. */
  voteTeamChosenOnTrain: MethodResult;
  /**
   * One-call routers that each read one signal about the next query: the recent stream's outcomes (what the Decider's
   * observation holds; window = RL-Focal's) and the question text (kNN). Against the best single / Max Expert they
   * show how much per-query information each signal carries on this pool.
   */
  signal: { recentLeader: MethodResult; knnRouter: MethodResult };
  /**
   * Positions (in the test split) of the test queries whose text repeats a train query's word for word
   * (`repeatedTestQueries`): there a deterministic model answers as it did on train, so a router that remembers who
   * was right there reads the outcome rather than the text's meaning.
   */
  repeated: number[];
  /**
   * The supervised fusion of all N models (`fusionMlpBaseline`: an MLP over every model's answer, trained on train),
   * one network for the pool and, where there are subtasks, one per subtask: issue 12's stretch bar, at N calls.
   */
  supervisedFusion?: { overall: SeedSummary; perSubtask?: SeedSummary };
  rl: SeedRuns;
  budgetCurve: BudgetPoint[];
  modelNames: string[];
}

export interface RlFocalPoolsOutput extends ExperimentOutput {
  pools: RlFocalPoolResult[];
}

/**
 * The most accurate of `teams` on test: each was chosen on train, but picking among them by test accuracy makes the
 * result a bound for comparison, not a method (the tables and findings say so).
 */
function bestOnTest(teams: readonly MethodResult[]): MethodResult {
  return teams.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
}

/** The plurality and soft-vote teams of at most `maxSize` models chosen on train, overall (and per subtask with `perSubtask`), on test. */
export function voteTeamsWithin(data: Dataset, maxSize: number, perSubtask: boolean): MethodResult[] {
  return (perSubtask ? [false, true] : [false]).flatMap((scope) =>
    (['plurality', 'soft'] as const).map((rule) => bestTeamBaseline(data, { rule, maxSize: Math.min(maxSize, data.nModels), perSubtask: scope })),
  );
}

/** The team of `voteTeamsWithin` whose in-sample train accuracy is highest (ties: the first, overall before per subtask). */
export function voteTeamChosenOnTrain(data: Dataset, onTest: readonly MethodResult[], maxSize: number, perSubtask: boolean): MethodResult {
  const onTrain = (perSubtask ? [false, true] : [false]).flatMap((scope) =>
    (['plurality', 'soft'] as const).map((rule) => bestTeamBaseline(data, { rule, maxSize: Math.min(maxSize, data.nModels), perSubtask: scope, split: 'train' }).accuracy),
  );
  let best = 0;
  onTrain.forEach((a, k) => (a > onTrain[best] ? (best = k) : undefined));
  return onTest[best];
}

/** Subtasks of `data` (more than one: the per-subtask protocol). */
export const subtaskCount = (data: Dataset) => new Set(data.subtaskIds).size;

/** Runs RL-Focal over seeds on every pool, its baselines, and the budget curve. */
export async function runRlFocalOnPools(pools: readonly PoolToRun[], overrides: Partial<RlFocalPoolsParams> = {}, options: { onProgress?: ProgressSink } = {}): Promise<RlFocalPoolsOutput> {
  const p: RlFocalPoolsParams = { ...RL_FOCAL_POOLS_DEFAULTS, ...overrides };
  if (p.seeds.length === 0) throw new RangeError('rl-focal-pools: at least one seed is needed');
  const sink = throttleProgress(options.onProgress);
  const results: RlFocalPoolResult[] = [];
  for (const { name, data } of pools) {
    const perSubtask = subtaskCount(data) > 1;
    const budget = teamBudget(resolveConfig(p.config), data.nModels);
    const rl = await runRlFocalSeeds(data, p.config, { seeds: p.seeds, perSubtask, label: `RL-Focal · ${name}`, onProgress: sink });
    const budgets = p.budgets === 'default' ? defaultCallBudgets(data.nModels) : p.budgets;
    const budgetCurve: BudgetPoint[] = [];
    for (const b of budgets) {
      const runs = await runRlFocalSeeds(data, { ...p.config, freeCalls: b }, { seeds: p.budgetSeeds, perSubtask, label: `RL-Focal · ${name} · budget ${b}`, onProgress: sink });
      budgetCurve.push({
        budget: b,
        served: runs.accuracy,
        servedCalls: runs.callsPerQuery.mean,
        learned: summarizeSeeds(runs.runs.map((r) => r.learned.accuracy)),
        learnedCalls: summarizeSeeds(runs.runs.map((r) => r.learned.cost.callsPerQuery)).mean,
        team: bestOnTest(voteTeamsWithin(data, b, perSubtask)),
      });
      await yieldToEventLoop();
    }
    const voteTeams = voteTeamsWithin(data, budget, perSubtask);
    const fusion = (scope: boolean) => summarizeSeeds(p.fusionSeeds.map((seed) => fusionMlpBaseline(data, { seed, perSubtask: scope }).accuracy));
    const supervisedFusion = p.fusionSeeds.length > 0 ? { overall: fusion(false), ...(perSubtask ? { perSubtask: fusion(true) } : {}) } : undefined;
    results.push({
      pool: name,
      provenance: [data.provenance.source, ...(data.provenance.notes ?? [])].join('; '),
      nModels: data.nModels,
      testQueries: data.splitIndices('test').length,
      perSubtask,
      budget,
      bestSingle: bestSingleBaseline(data),
      ...(perSubtask ? { maxExpert: bestSinglePerSubtaskBaseline(data) } : {}),
      voteTeams,
      voteTeamChosenOnTrain: voteTeamChosenOnTrain(data, voteTeams, budget, perSubtask),
      signal: { recentLeader: windowLeaderBaseline(data, { window: resolveConfig(p.config).window, perSubtask }), knnRouter: knnRouterBaseline(data) },
      repeated: repeatedTestQueries(data),
      ...(supervisedFusion ? { supervisedFusion } : {}),
      rl,
      budgetCurve,
      modelNames: shortModelNames(data),
    });
  }
  return { pools: results, tables: tablesOf(results, p), figures: figuresOf(results), provenance: results.map((r) => `${r.pool}: ${r.provenance}`) };
}

const seedsText = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

/** Positions in the test split of the test queries whose text (`queryText`) is also a train query's, word for word. */
export function repeatedTestQueries(data: Dataset): number[] {
  const seen = new Set<string>();
  for (const t of data.splitIndices('train')) {
    const text = queryText(data, t);
    if (text !== undefined) seen.add(text);
  }
  const out: number[] = [];
  data.splitIndices('test').forEach((t, q) => {
    const text = queryText(data, t);
    if (text !== undefined && seen.has(text)) out.push(q);
  });
  return out;
}

/** Accuracy of `correct` (one entry per test query) on the positions `on`, and on the others. */
function splitAccuracy(correct: Uint8Array, on: readonly number[]): { on: number; off: number } {
  const inside = new Uint8Array(correct.length);
  for (const q of on) inside[q] = 1;
  let right = 0;
  let rightOff = 0;
  correct.forEach((c, q) => (inside[q] ? (right += c) : (rightOff += c)));
  return { on: on.length ? right / on.length : NaN, off: correct.length > on.length ? rightOff / (correct.length - on.length) : NaN };
}

/** Accuracy on repeated and on new test queries (`RlFocalPoolResult.repeated`), as "a / b" in %. */
function repeatedVsNew(r: RlFocalPoolResult, correct: Uint8Array | readonly Uint8Array[]): string {
  const runs = correct instanceof Uint8Array ? [correct] : correct;
  const parts = runs.map((c) => splitAccuracy(c, r.repeated));
  const mean = (f: (p: { on: number; off: number }) => number) => parts.reduce((s, p) => s + f(p), 0) / parts.length;
  return `${pct(mean((p) => p.on))} / ${pct(mean((p) => p.off))}`;
}

function tablesOf(results: readonly RlFocalPoolResult[], p: RlFocalPoolsParams): ExperimentTable[] {
  const provenance = `real recorded outputs (${results.map((r) => r.pool).join(', ')}); choices on train, accuracy on test; ${Object.keys(p.config).length ? `overrides ${JSON.stringify(p.config)}` : "the library's default configuration"}`;
  const main: ExperimentTable = {
    name: 'rl-focal-defaults-real-pools',
    title: `RL-Focal's default configuration on real pools beside the simple baselines (test accuracy %, mean ± SE over ${seedsText(p.seeds.length)}; "vote team chosen on train" = of the plurality and soft vote teams within the budget, overall and per subtask, the one best on train; "bound" = the best of them on test)`,
    provenance,
    rows: results.map((r) => {
      const team = bestOnTest(r.voteTeams);
      const learned = summarizeSeeds(r.rl.runs.map((s) => s.learned.accuracy));
      const learnedCalls = summarizeSeeds(r.rl.runs.map((s) => s.learned.cost.callsPerQuery)).mean;
      const servedLearned = r.rl.runs.filter((s) => s.guard === undefined || s.guard.served === 'learned').length;
      const row: Record<string, Cell> = {
        pool: `${r.pool} (${r.nModels})${r.perSubtask ? ', per subtask' : ''}`,
        'best single': pct(r.bestSingle.accuracy),
        'Max Expert': r.maxExpert ? pct(r.maxExpert.accuracy) : '—',
        'vote team chosen on train': `${pct(r.voteTeamChosenOnTrain.accuracy)} @ ${r.voteTeamChosenOnTrain.cost.callsPerQuery.toFixed(2)}`,
        'best vote team within budget (bound)': `${pct(team.accuracy)} @ ${team.cost.callsPerQuery.toFixed(2)}`,
        'supervised fusion of all (overall / per subtask)': r.supervisedFusion
          ? [r.supervisedFusion.overall, r.supervisedFusion.perSubtask].filter((f): f is SeedSummary => f !== undefined).map((f) => formatPercentSe(f)).join(' / ') + ` @ ${r.nModels}`
          : '—',
        'RL-Focal': formatPercentSe(r.rl.accuracy),
        calls: roundTo(r.rl.callsPerQuery.mean, 2),
        budget: r.budget,
        'cost / 1000 q (cents)': Number.isFinite(r.rl.costPer1000.mean) ? roundTo(r.rl.costPer1000.mean, 1) : '—',
        'learned agents served': `${servedLearned} of ${r.rl.runs.length}`,
        'learned agents alone': `${formatPercentSe(learned)} @ ${learnedCalls.toFixed(2)}`,
      };
      return row;
    }),
  };
  const curve: ExperimentTable = {
    name: 'rl-focal-budget-curve',
    title: 'Accuracy and calls as the call budget varies (RL-Focal with freeCalls = k; the best on test of the vote teams of at most k models chosen on train: a bound)',
    provenance,
    rows: results.flatMap((r) =>
      r.budgetCurve.map((b) => ({
        pool: r.pool,
        'budget k': b.budget,
        'RL-Focal %': formatPercentSe(b.served),
        'RL-Focal calls': roundTo(b.servedCalls, 2),
        'learned agents %': formatPercentSe(b.learned),
        'learned calls': roundTo(b.learnedCalls, 2),
        'best vote team <= k % (bound)': pct(b.team.accuracy),
        'team calls': roundTo(b.team.cost.callsPerQuery, 2),
      })),
    ),
  };
  const signal: ExperimentTable = {
    name: 'rl-focal-signal',
    title:
      "What a router can know about the next query (test accuracy %, one call per query): the recent stream's per-model outcomes (recent leader, RL-Focal's window; the stream is all the default Decider observes), and the question text (kNN), beside the static choices made on train; then the test questions whose text repeats a train question word for word, where a deterministic model answers as it did on train, and each method on those and on the new ones",
    provenance,
    rows: results.map((r) => ({
      pool: `${r.pool} (${r.nModels})${r.perSubtask ? ', per subtask' : ''}`,
      'best single': pct(r.bestSingle.accuracy),
      'Max Expert': r.maxExpert ? pct(r.maxExpert.accuracy) : '—',
      [`recent leader (w = ${(r.signal.recentLeader.details as { window: number }).window})`]: pct(r.signal.recentLeader.accuracy),
      'kNN router (question text)': pct(r.signal.knnRouter.accuracy),
      'RL-Focal learned agents alone': formatPercentSe(summarizeSeeds(r.rl.runs.map((s) => s.learned.accuracy))),
      'test questions repeating a train question': r.repeated.length > 0 ? `${r.repeated.length} (${pct(r.repeated.length / r.testQueries, 1)} %)` : 0,
      'best single, repeated / new %': r.repeated.length > 0 ? repeatedVsNew(r, r.bestSingle.correct) : '—',
      'kNN router, repeated / new %': r.repeated.length > 0 ? repeatedVsNew(r, r.signal.knnRouter.correct) : '—',
      'RL-Focal, repeated / new %': r.repeated.length > 0 ? repeatedVsNew(r, r.rl.runs.map((s) => s.test.correct)) : '—',
    })),
  };
  const selection: ExperimentTable = {
    name: 'rl-focal-selection-frequency',
    title: `Share of test queries on which the learned agents called each model (mean over ${seedsText(p.seeds.length)}), pools side by side`,
    provenance,
    rows: results.flatMap((r) =>
      selectionOf(r).map((f, i) => ({ pool: r.pool, model: r.modelNames[i], 'called on % of test queries': pct(f, 1), 'best single': i === modelIndex(r, r.bestSingle) })),
    ),
  };
  const guarded = results.filter((r) => r.rl.runs.every((s) => s.guard !== undefined));
  const guard: ExperimentTable = {
    name: 'rl-focal-guard',
    title: `What the validation guard compared (train split only): the simple candidate ranked first by 5-fold cross-validation over train, and the learned agents against it on the validation split (the last 20 % of train; mean ± SE over ${seedsText(p.seeds.length)}); the learned agents serve where a one-sided paired sign test says they beat it, p < ${GUARD_P}, within the budget`,
    provenance,
    rows: guarded.map((r) => {
      const guards = r.rl.runs.map((s) => s.guard!);
      // A fused team's cross-validation depends on the seed, so the candidate ranked first may too.
      const firsts = guards.map((g) => rankedFirst(g.candidates));
      const names = [...new Set(firsts.map((c) => c.method))];
      const meanOf = (f: (g: ValidationGuard, k: number) => number) => guards.reduce((s, g, k) => s + f(g, k), 0) / guards.length;
      const learned = summarizeSeeds(guards.map((g) => g.learnedCorrect / g.queries));
      const learnedCalls = summarizeSeeds(guards.map((g) => g.learnedCalls / g.queries)).mean;
      const served = guards.filter((g) => g.served === 'learned').length;
      return {
        pool: `${r.pool} (${r.nModels})${r.perSubtask ? ', per subtask' : ''}`,
        'ranked first by cross-validation': names.length === 1 ? names[0] : names.map((n) => `${n} (${firsts.filter((c) => c.method === n).length} of ${guards.length} seeds)`).join('; '),
        'its cross-validated accuracy %': pct(meanOf((g, k) => firsts[k].crossValidated / g.trainQueries)),
        'its validation accuracy %': pct(meanOf((g, k) => firsts[k].correct / g.queries)),
        'learned agents, validation %': formatPercentSe(learned),
        'learned right / it right, where exactly one is (per seed)': firsts.map((c) => `${c.learnedWins}/${c.learnedLosses}`).join(', '),
        [`sign-test p < ${GUARD_P} (per seed)`]: firsts.map((c) => (learnedBeats(c) ? 'yes' : 'no')).join(', '),
        'learned calls on validation': roundTo(learnedCalls, 2),
        budget: guards[0].budget,
        'learned agents served': `${served} of ${guards.length}`,
      };
    }),
  };
  const versusBar: ExperimentTable = {
    name: 'rl-focal-vs-bar',
    title: `RL-Focal against issue 12's two bars on the test split, query by query (per seed: test questions RL-Focal answers right and the bar's method wrong / the reverse, and the two-sided sign-test p of "neither is better"; seeds that agree are written once). A report of how far a difference is from noise, not a choice: nothing is chosen on it`,
    provenance,
    rows: results.map((r) => {
      const single = higherSingleBar(r);
      return {
        pool: `${r.pool} (${r.nModels})${r.perSubtask ? ', per subtask' : ''}`,
        'RL-Focal %': formatPercentSe(r.rl.accuracy),
        'best single or Max Expert (higher on test) %': `${pct(single.accuracy)} (${single === r.maxExpert ? 'Max Expert' : 'best single'})`,
        'points above it': roundTo(100 * (r.rl.accuracy.mean - single.accuracy), 2),
        'RL-Focal right / it right; p': pairedAgainst(r, single.correct),
        'vote team chosen on train %': pct(r.voteTeamChosenOnTrain.accuracy),
        'points above the team': roundTo(100 * (r.rl.accuracy.mean - r.voteTeamChosenOnTrain.accuracy), 2),
        'RL-Focal right / the team right; p': pairedAgainst(r, r.voteTeamChosenOnTrain.correct),
      };
    }),
  };
  return [main, versusBar, signal, ...(results.some((r) => r.budgetCurve.length > 0) ? [curve] : []), selection, ...(guarded.length > 0 ? [guard] : [])];
}

/** Each seed's served test pass against `other` (`pairedSignTest`), as "wins/losses p = …", seeds that agree merged. */
function pairedAgainst(r: RlFocalPoolResult, other: Uint8Array): string {
  const perSeed = r.rl.runs.map((s) => {
    const { wins, losses } = pairedSignTest(s.test.correct, other);
    const p = signTestTwoSided(wins, losses);
    return `${wins}/${losses} p ${p < 0.001 ? '< 0.001' : `= ${p.toPrecision(2)}`}`;
  });
  const distinct = [...new Set(perSeed)];
  return distinct.length === 1 ? `${distinct[0]} (${seedsText(perSeed.length)})` : perSeed.join('; ');
}

function modelIndex(r: RlFocalPoolResult, single: MethodResult): number {
  const id = (single.details as { model?: string } | undefined)?.model;
  return r.modelNames.findIndex((n) => id !== undefined && id.endsWith(n));
}

/** Mean over seeds of the learned agents' calls per model per test query. */
function selectionOf(r: RlFocalPoolResult): number[] {
  const out = new Array<number>(r.nModels).fill(0);
  for (const s of r.rl.runs) s.learned.cost.callsPerModel.forEach((c, i) => (out[i] += c / s.learned.cost.queries / r.rl.runs.length));
  return out;
}

function figuresOf(results: readonly RlFocalPoolResult[]): FigureSpec[] {
  const figures: FigureSpec[] = [];
  for (const r of results) {
    const learnedCalls = summarizeSeeds(r.rl.runs.map((s) => s.learned.cost.callsPerQuery)).mean;
    const bars = barFigure(`rl-focal-selection-${r.pool}`, r.modelNames, [{ name: 'learned agents', values: selectionOf(r).map((f) => 100 * f) }], {
      title: `${r.pool} · models the learned agents called<br><sub>share of test queries, mean over ${seedsText(r.rl.runs.length)}; ${learnedCalls.toFixed(2)} calls per query (as served: ${r.rl.callsPerQuery.mean.toFixed(2)})</sub>`,
      yTitle: '% of test queries',
      yRange: [0, 100],
      width: Math.max(760, 30 * r.nModels + 220),
      height: 560,
    });
    // Model names are long: slanted ticks with room below, and no legend for the one series.
    const layout = bars.layout as Record<string, unknown>;
    figures.push({ ...bars, layout: { ...layout, showlegend: false, margin: { l: 70, r: 20, t: 80, b: 200 }, xaxis: { ...(layout.xaxis as object), tickangle: -50, automargin: true } } });
    figures.push(trainingFigure(r));
  }
  const withCurve = results.filter((r) => r.budgetCurve.length > 0);
  if (withCurve.length > 0) {
    figures.push(
      panelFigure(
        'rl-focal-budget-curve',
        withCurve.map((r) => ({
          title: r.pool,
          yTitle: 'test accuracy (%)',
          // Served last, so that where the guard served the static team its points are drawn over the team's.
          series: [
            curveSeries('best vote team of <= k (bound: picked on test)', r.budgetCurve.map((b) => [b.team.cost.callsPerQuery, b.team.accuracy]), 2),
            curveSeries('learned agents alone', r.budgetCurve.map((b) => [b.learnedCalls, b.learned.mean]), 1),
            curveSeries('RL-Focal (as served)', r.budgetCurve.map((b) => [b.servedCalls, b.served.mean]), 0),
          ],
        })),
        { title: 'Accuracy vs LLM calls per query as the call budget k varies (k = 1, 2, 3, max(3, floor(N / 4)); points joined in order of k)', xTitle: 'calls per query', width: 330 * withCurve.length + 100 },
      ),
    );
  }
  return figures;
}

function curveSeries(name: string, points: Array<[number, number]>, color: number): PanelSeries {
  return { name, x: points.map(([x]) => roundTo(x, 3) ?? 0), y: points.map(([, y]) => pct(y)), color };
}

/** Warm-start accuracy per episode and the PPO diagnostics of each agent's own turn (mean over seeds). */
function trainingFigure(r: RlFocalPoolResult): FigureSpec {
  const meanBy = (series: number[][]) => {
    const length = Math.min(...series.map((s) => s.length));
    return Array.from({ length }, (_, k) => {
      const values = series.map((s) => s[k]).filter(Number.isFinite);
      return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
    });
  };
  const accuracy = (turn: 'decider' | 'fusion') => meanBy(r.rl.runs.map((s) => s.curves[turn].map((c) => 100 * c.accuracy)));
  const diagnostic = (turn: 'decider' | 'fusion', name: (typeof DIAGNOSTIC_NAMES)[number]) =>
    meanBy(r.rl.runs.map((s) => (s.ppo?.[turn] ?? []).map((e: EpisodeDiagnostics) => e[turn][name])));
  const line = (name: string, y: number[], color: number): PanelSeries => ({ name, x: y.map((_, k) => k + 1), y: y.map((v) => (Number.isFinite(v) ? roundTo(v, 4) : null)), color });
  const panel = (title: string, yTitle: string, pick: (turn: 'decider' | 'fusion') => number[]) => ({
    title,
    yTitle,
    series: [line('Decider (turn 1)', pick('decider'), 0), line('Fusion (turn 2)', pick('fusion'), 1)],
  });
  return panelFigure(
    `rl-focal-training-${r.pool}`,
    [
      panel('train accuracy', '%', accuracy),
      panel('policy entropy', 'nats', (t) => diagnostic(t, 'entropy')),
      panel('approx KL', 'per update', (t) => diagnostic(t, 'approxKl')),
      panel('clip fraction', 'share', (t) => diagnostic(t, 'clipFraction')),
      panel('explained variance', 'critic', (t) => diagnostic(t, 'explainedVariance')),
    ],
    {
      title: `${r.pool} · warm start (Algorithm 1) per episode: accuracy and PPO diagnostics of the agent learning in each turn (mean over ${seedsText(r.rl.runs.length)}${r.perSubtask ? '; per-subtask agents pooled by episode' : ''})`,
      xTitle: 'episode',
      width: 1500,
      height: 420,
    },
  );
}

/** One sentence per pool: wins and losses against each bar, and what the guard did. */
export function rlFocalPoolsFindings(out: RlFocalPoolsOutput): string[] {
  return out.pools.map((r) => {
    const rl = r.rl.accuracy;
    const team = bestOnTest(r.voteTeams);
    const bars: Array<[string, number]> = [
      ['best single', r.bestSingle.accuracy],
      ...(r.maxExpert ? ([['Max Expert', r.maxExpert.accuracy]] as Array<[string, number]>) : []),
      [`the vote team chosen on train (${r.voteTeamChosenOnTrain.method})`, r.voteTeamChosenOnTrain.accuracy],
      [`the best vote team of <= ${r.budget} models (${team.method}; the best of ${r.voteTeams.length} on test: a bound)`, team.accuracy],
    ];
    const signed = (d: number) => `${d >= 0 ? '+' : '−'}${(100 * Math.abs(d)).toFixed(2)}`;
    const against = bars.map(([name, acc]) => `${signed(rl.mean - acc)} points vs ${name} (${(100 * acc).toFixed(2)} %)`).join(', ');
    const served = r.rl.runs.filter((s) => s.guard === undefined || s.guard.served === 'learned').length;
    const learned = summarizeSeeds(r.rl.runs.map((s) => s.learned.accuracy));
    const within = r.rl.callsPerQuery.mean <= r.budget + 1e-9 ? 'within' : 'OVER';
    const staticChoice = higherSingleBar(r);
    const leader = r.signal.recentLeader.accuracy;
    const stream = `the recent leader (the model right most often on the last ${(r.signal.recentLeader.details as { window: number }).window} queries: one reading of the stream, which is all the default Decider observes) scored ${(100 * leader).toFixed(2)} %, ${leader > staticChoice.accuracy ? 'above' : 'not above'} ${staticChoice.kind === 'best-single' && staticChoice.perSubtask ? 'Max Expert' : 'the best single model'} (${(100 * staticChoice.accuracy).toFixed(2)} %), and the kNN router over the question text ${(100 * r.signal.knnRouter.accuracy).toFixed(2)} %`;
    const fusions = r.supervisedFusion ? [['one network', r.supervisedFusion.overall], ['one per subtask', r.supervisedFusion.perSubtask]].filter((f): f is [string, SeedSummary] => f[1] !== undefined) : [];
    const stretch = fusions.length
      ? ` Against the supervised fusion of all ${r.nModels} models (${r.nModels} calls): ${fusions.map(([how, f]) => `${signed(rl.mean - f.mean)} points vs ${how} (${formatPercentSe(f)} %)`).join(', ')}.`
      : '';
    const repeated = r.repeated.length
      ? ` ${r.repeated.length} of ${r.testQueries} test questions repeat a train question word for word; on them RL-Focal (as served) scores ${repeatedVsNew(r, r.rl.runs.map((s) => s.test.correct)).replace(' / ', ' %, on the others ')} % (best single ${repeatedVsNew(r, r.bestSingle.correct).replace(' / ', ' % / ')} %).`
      : '';
    return `${r.pool}: RL-Focal ${formatPercentSe(rl)} % at ${r.rl.callsPerQuery.mean.toFixed(2)} calls per query (${within} the budget of ${r.budget}): ${against}.${stretch} The guard served the learned agents in ${served} of ${r.rl.runs.length} runs; the learned agents alone scored ${formatPercentSe(learned)} %. Per-query signal: ${stream}.${repeated}`;
  });
}

/** The higher on test of the best single model and Max Expert: issue 12's first bar, as a method. */
function higherSingleBar(r: RlFocalPoolResult): MethodResult {
  return r.maxExpert && r.maxExpert.accuracy > r.bestSingle.accuracy ? r.maxExpert : r.bestSingle;
}
