/**
 * Notebook 01's tour: look at a pool (each model's accuracy and cost, how their errors correlate), then one
 * RL-Focal run end to end (learning curves of both agents, test accuracy and cost beside the baselines, which models
 * the Decider calls). Every figure and table carries the pool's provenance.
 */
import { runAllBaselines, type RunAllOptions } from '../baselines/run-all';
import type { MethodKind } from '../eval/method-kind';
import type { MethodResult } from '../eval/result';
import type { Dataset } from '../data/dataset';
import { checkFigureName, seriesColor, type FigureSpec } from '../figures/spec';
import { accuracyCostFigure, type AccuracyCostGroup, type AccuracyCostPoint } from '../figures/accuracy-cost';
import { barFigure } from '../figures/bar';
import { matrixHeatmap } from '../figures/heatmap';
import { withSubtitleRoom } from '../figures/subtitle-room';
import type { RlFocalConfig } from '../train/config';
import { roundTo, type Cell, type ExperimentOutput } from '../notebook/output';
import { runRlFocalSeeds, type SeedRun } from '../runs/seed-runs';
import type { ProgressSink } from '../runs/progress-sink';
import { BENCHMARK_TITLES, type LabelledPool } from './table1-pools';
import { loadDataset, parseDataSpec } from '../sources/data-source';
import type { BenchmarkName } from '../sim/calibration';
import { errorCorrelationMatrix } from '../metrics/error-correlation';

/** Short model labels for axes: the part after the organisation ("google/gemma-7b" -> "gemma-7b"). */
export function shortModelNames(data: Dataset): string[] {
  return data.models.map((m) => m.id.slice(m.id.lastIndexOf('/') + 1));
}

/** Each model's accuracy on train and test, abstentions and price; the pool's error-correlation heatmap. */
export function poolOverview(pool: LabelledPool): ExperimentOutput {
  const data = pool.data;
  const train = data.splitIndices('train');
  const test = data.splitIndices('test');
  const trainAcc = data.modelAccuracies(train);
  const testAcc = data.modelAccuracies(test);
  const N = data.nModels;
  const preds = data.predictions;
  const rows: Array<Record<string, Cell>> = data.models.map((m, i) => {
    let abstained = 0;
    for (let t = 0; t < data.nQueries; t++) if (preds[t * N + i] < 0) abstained++;
    return {
      model: m.id,
      family: m.family ?? null,
      params_b: m.paramsB ?? null,
      price_cents: m.priceCents ?? null,
      price_source: m.priceSource ?? null,
      train_accuracy: roundTo(trainAcc[i], 4),
      test_accuracy: roundTo(testAcc[i], 4),
      abstentions: abstained,
    };
  });
  const all = Int32Array.from({ length: data.nQueries }, (_, t) => t);
  const corr = errorCorrelationMatrix(data, all);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (Number.isFinite(corr[i * N + j])) (sum += corr[i * N + j]), pairs++;
  const labels = shortModelNames(data);
  const heatmap = matrixHeatmap(`tour-${pool.key}-error-correlation`, labels, labels, corr, {
    title: `Error correlation between models, ${pool.title}<br><sub>${data.nQueries} queries; ${data.provenance.kind} data, mean off-diagonal ${(sum / Math.max(1, pairs)).toFixed(2)}</sub>`,
    colorbar: 'Pearson r of errors',
    zRange: [-1, 1],
  });
  return {
    tables: [{ name: `tour-${pool.key}-models`, title: `Models of ${pool.title}`, provenance: pool.provenance, rows }],
    figures: [heatmap],
    provenance: [pool.provenance],
  };
}

export interface TourRunParams {
  seed: number;
  rl: Partial<RlFocalConfig>;
  /** One agent set per subtask (the authors' BBH protocol). */
  perSubtask: boolean;
  /** Options of the baselines run beside RL-Focal. */
  baselines: RunAllOptions;
}

export interface TourRunOutput extends ExperimentOutput {
  run: SeedRun;
  baselines: MethodResult[];
}

/** One RL-Focal run and the baselines on the same split: curves, accuracy vs cost, selection frequencies. */
export async function tourRun(pool: LabelledPool, params: TourRunParams, options: { onProgress?: ProgressSink } = {}): Promise<TourRunOutput> {
  const data = pool.data;
  const seeds = await runRlFocalSeeds(data, params.rl, { seeds: [params.seed], perSubtask: params.perSubtask, label: `tour · ${pool.title}`, onProgress: options.onProgress });
  const run = seeds.runs[0];
  const baselines = runAllBaselines(data, { seed: params.seed, ...params.baselines });
  const rlResult: MethodResult = { ...run.test, method: params.perSubtask ? 'RL-Focal (agents per subtask)' : 'RL-Focal' };
  const methods = [rlResult, ...baselines];
  const rows = methods.map((r) => ({
    method: r.method,
    accuracy: roundTo(r.accuracy, 4),
    accuracy_macro: roundTo(r.accuracyMacro ?? NaN, 4),
    calls_per_query: roundTo(r.cost.callsPerQuery, 2),
    cost_per_1000: roundTo(r.cost.costPer1000, 1),
  }));
  const testAcc = data.modelAccuracies(data.splitIndices('test'));
  const names = shortModelNames(data);
  const selection = names.map((model, i) => ({
    model,
    test_accuracy: roundTo(testAcc[i], 4),
    selected_fraction: roundTo(run.selectionFrequency[i], 4),
    price_cents: data.models[i].priceCents ?? null,
  }));
  const sub = `<br><sub>${pool.title}: ${data.provenance.kind} data, seed ${params.seed}</sub>`;
  const figures: FigureSpec[] = [
    curvesFigure(`tour-${pool.key}-learning-curves`, run, `RL-Focal warm-start training${sub}`),
    methodsAccuracyCostFigure(`tour-${pool.key}-accuracy-vs-cost`, methods, `Test accuracy vs cost, RL-Focal and baselines${sub}`),
    withSubtitleRoom(barFigure(
      `tour-${pool.key}-selection-frequency`,
      names,
      [
        { name: 'fraction of test queries the Decider called the model', values: run.selectionFrequency },
        { name: "model's own test accuracy", values: testAcc },
      ],
      { title: `Which models RL-Focal calls${sub}`, yTitle: 'fraction', yRange: [0, 1], width: Math.max(640, 70 * names.length + 200), height: 480 },
    ), { slant: true }),
  ];
  return {
    run,
    baselines,
    tables: [
      { name: `tour-${pool.key}-methods`, title: `RL-Focal and baselines on ${pool.title} (test split)`, provenance: pool.provenance, rows },
      { name: `tour-${pool.key}-selection`, title: `RL-Focal test-time selection frequency per model, ${pool.title}`, provenance: pool.provenance, rows: selection },
    ],
    figures,
    provenance: [pool.provenance],
  };
}

function curvesFigure(name: string, run: SeedRun, title: string): FigureSpec {
  const d = run.curves.decider;
  const f = run.curves.fusion;
  const offset = d.length;
  return {
    name: checkFigureName(name),
    data: [
      { type: 'scatter', mode: 'lines+markers', name: 'Decider turn: interim plurality accuracy', x: d.map((p) => p.episode), y: d.map((p) => 100 * p.accuracy), line: { color: seriesColor(0) } },
      { type: 'scatter', mode: 'lines+markers', name: 'Fusion turn: Fusion agent accuracy', x: f.map((p) => offset + p.episode), y: f.map((p) => 100 * p.accuracy), line: { color: seriesColor(3) } },
      { type: 'scatter', mode: 'lines', name: 'mean team size (right axis)', x: [...d.map((p) => p.episode), ...f.map((p) => offset + p.episode)], y: [...d, ...f].map((p) => p.meanTeamSize), yaxis: 'y2', line: { color: seriesColor(7), dash: 'dot' } },
      { type: 'scatter', mode: 'markers', name: 'test pass (online)', x: [offset + f.length + 1], y: [100 * run.test.accuracy], marker: { color: seriesColor(2), size: 12, symbol: 'star' } },
    ],
    layout: {
      title: { text: title },
      template: 'plotly_white',
      xaxis: { title: { text: 'episode (Decider turn, then Fusion turn, then the test pass)' }, dtick: 1 },
      yaxis: { title: { text: 'accuracy on the stream (%)' } },
      yaxis2: { title: { text: 'models per query' }, overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false },
      legend: { orientation: 'h', y: -0.25 },
      margin: { l: 70, r: 70, t: 80, b: 60 },
    },
    width: 820,
    height: 500,
  };
}

/**
 * Accuracy against cost (log axis), one marker group per kind of method. Labels go to RL-Focal (and the authors'
 * code, when shown) and to the methods on the Pareto front; every other point is named in its hover text (legend and
 * hover in the notebook, the groups' colours in the PNG).
 */
export function methodsAccuracyCostFigure(name: string, methods: MethodResult[], title: string): FigureSpec {
  // The first group whose test passes; the last takes every other deployable method (the authors' code too).
  const groups: Array<AccuracyCostGroup & { test: (kind: MethodKind) => boolean }> = [
    { name: 'RL-Focal', color: seriesColor(3), size: 14, test: (k) => k === 'rl-focal' },
    { name: 'single models', color: seriesColor(7), size: 8, test: (k) => k === 'single' },
    { name: 'threshold routers (2 models)', color: seriesColor(8), size: 8, test: (k) => k === 'threshold-router' },
    { name: 'random select / latest correct', color: seriesColor(4), size: 8, test: (k) => k === 'random-select' || k === 'latest-correct' },
    { name: 'ensembles (votes, teams, fusion)', color: seriesColor(0), size: 10, test: (k) => k !== 'oracle' },
  ];
  const points: AccuracyCostPoint[] = [];
  for (const m of methods) {
    const group = groups.findIndex((x) => x.test(m.kind));
    if (group < 0) continue;
    points.push({
      name: m.method,
      cost: m.cost.costPer1000,
      accuracy: m.accuracy,
      group,
      label: m.method.replace(/ \(chosen on train\)/, '').replace(/: all \d+ models/, ''),
      alwaysLabelled: m.kind === 'rl-focal' || m.kind === 'authors-code',
      highlight: m.kind === 'rl-focal',
    });
  }
  return accuracyCostFigure(name, groups.map(({ name, color, size }) => ({ name, color, size })), points, {
    title,
    xTitle: 'cost (¢ per 1,000 queries, log scale) · labelled: RL-Focal and the Pareto front; hover names the rest',
  });
}

/**
 * A pool named by a data spec (`loadDataset`'s strings: "sim:<benchmark>?n=&seed=", "bbh", a recorded-outputs
 * folder), with Table 8 prices where the model ids match and a title/provenance line for every number.
 */
export async function loadLabelledPool(spec: string): Promise<LabelledPool> {
  const source = parseDataSpec(spec);
  const data = await loadDataset(spec, { paperPrices: true });
  const detail = data.provenance.notes?.[0] ? `; ${data.provenance.notes[0]}` : '';
  if (source.kind === 'sim') {
    const bench = source.benchmark as BenchmarkName;
    return {
      key: `sim-${bench}`,
      title: `${BENCHMARK_TITLES[bench] ?? bench} (simulated)`,
      provenance: `simulated pool (${bench}, calibrated to data/calibration/models.json)${detail}`,
      data,
    };
  }
  if (source.kind === 'shared') {
    // 'real-bbh' is the key the committed BBH figures are named by.
    const key = source.name === 'bbh-leaderboard' ? 'real-bbh' : `real-${source.name}`;
    const title = source.name === 'bbh-leaderboard' ? 'BBH (real)' : `${source.name} (real)`;
    return { key, title, provenance: `real recorded outputs (${source.name}): ${data.nModels} LLMs, ${data.nQueries} questions${detail}`, data };
  }
  return { key: 'recorded', title: data.taskNames.join('+'), provenance: `${data.provenance.kind}: ${data.provenance.source}${detail}`, data };
}
