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
import { logAxisTicks } from '../figures/axes';
import { barFigure } from '../figures/bar';
import { matrixHeatmap } from '../figures/heatmap';
import { withSubtitleRoom } from '../figures/subtitle-room';
import type { RlFocalConfig } from '../train/config';
import { roundTo, type Cell, type ExperimentOutput } from '../notebook/output';
import { runRlFocalSeeds, type ProgressSink, type SeedRun } from './table1-seeds';
import { BENCHMARK_TITLES, type LabelledPool } from './table1-pools';
import { loadDataset, parseDataSpec } from '../sources/data-source';
import type { BenchmarkName } from '../sim/calibration';

/** Pearson correlation of the models' error indicators (1 = wrong) over the given queries; NaN for a constant model. */
export function errorCorrelationMatrix(data: Dataset, queries: ArrayLike<number>): Float64Array {
  const N = data.nModels;
  const T = queries.length;
  const correct = data.correct;
  const mean = new Float64Array(N);
  for (let q = 0; q < T; q++) for (let i = 0; i < N; i++) mean[i] += 1 - correct[queries[q] * N + i];
  for (let i = 0; i < N; i++) mean[i] /= Math.max(1, T);
  const cov = new Float64Array(N * N);
  for (let q = 0; q < T; q++) {
    const base = queries[q] * N;
    for (let i = 0; i < N; i++) {
      const di = 1 - correct[base + i] - mean[i];
      for (let j = i; j < N; j++) cov[i * N + j] += di * (1 - correct[base + j] - mean[j]);
    }
  }
  const out = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = i; j < N; j++) {
      const r = cov[i * N + j] / Math.sqrt(cov[i * N + i] * cov[j * N + j]);
      out[i * N + j] = r;
      out[j * N + i] = r;
    }
  }
  return out;
}

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
    accuracyCostFigure(`tour-${pool.key}-accuracy-vs-cost`, methods, `Test accuracy vs cost, RL-Focal and baselines${sub}`),
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
 * The methods on the cost-accuracy Pareto front: no other method is at most as expensive and at least as accurate,
 * one of the two strictly.
 */
export function paretoFront(methods: readonly MethodResult[]): Set<MethodResult> {
  const front = new Set<MethodResult>();
  for (const m of methods) {
    const dominated = methods.some(
      (o) =>
        o !== m &&
        o.cost.costPer1000 <= m.cost.costPer1000 &&
        o.accuracy >= m.accuracy &&
        (o.cost.costPer1000 < m.cost.costPer1000 || o.accuracy > m.accuracy),
    );
    if (!dominated) front.add(m);
  }
  return front;
}

interface LabelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const overlaps = (a: LabelBox, b: LabelBox): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Places point labels (plotly annotations) so that they overlap neither each other nor the markers and stay inside the
 * plot area: each label tries right, left, above and below its point (then further out) in pixels of the plot area,
 * and takes the first free spot. Text width is estimated from the character count, which is close enough for 10-12 px sans-serif.
 */
export function placeLabels(
  points: ReadonlyArray<{ px: number; py: number; text: string; fontSize: number }>,
  markers: ReadonlyArray<{ px: number; py: number }>,
  area: { width: number; height: number } = { width: Infinity, height: Infinity },
): Array<{ xshift: number; yshift: number; xanchor: 'left' | 'right' | 'center' }> {
  const taken: LabelBox[] = markers.map((m) => ({ x0: m.px - 6, x1: m.px + 6, y0: m.py - 6, y1: m.py + 6 }));
  return points.map((p) => {
    const w = 0.58 * p.fontSize * p.text.length;
    const h = 1.3 * p.fontSize;
    const candidates: Array<{ xshift: number; yshift: number; xanchor: 'left' | 'right' | 'center' }> = [];
    for (const gap of [9, 20, 34]) {
      candidates.push(
        { xshift: gap, yshift: 0, xanchor: 'left' },
        { xshift: -gap, yshift: 0, xanchor: 'right' },
        { xshift: 0, yshift: gap, xanchor: 'center' },
        { xshift: 0, yshift: -gap, xanchor: 'center' },
        { xshift: gap, yshift: gap, xanchor: 'left' },
        { xshift: gap, yshift: -gap, xanchor: 'left' },
        { xshift: -gap, yshift: gap, xanchor: 'right' },
        { xshift: -gap, yshift: -gap, xanchor: 'right' },
      );
    }
    const boxOf = (c: (typeof candidates)[number]): LabelBox => {
      const cx = p.px + c.xshift;
      const cy = p.py - c.yshift; // pixel y grows downwards, plotly's yshift upwards
      const x0 = c.xanchor === 'left' ? cx : c.xanchor === 'right' ? cx - w : cx - w / 2;
      return { x0, x1: x0 + w, y0: cy - h / 2, y1: cy + h / 2 };
    };
    const inside = (b: LabelBox) => b.x0 >= 0 && b.x1 <= area.width && b.y0 >= 0 && b.y1 <= area.height;
    const chosen =
      candidates.find((c) => inside(boxOf(c)) && !taken.some((t) => overlaps(t, boxOf(c)))) ??
      candidates.find((c) => inside(boxOf(c))) ??
      candidates[0];
    taken.push(boxOf(chosen));
    return chosen;
  });
}

/**
 * Accuracy against cost (log axis), one marker group per kind of method. Labels go to RL-Focal (and the authors'
 * code, when shown) and to the methods on the Pareto front, placed so that they do not overlap; every other point is named in its hover text (legend and
 * hover in the notebook, the groups' colours in the PNG).
 */
export function accuracyCostFigure(name: string, methods: MethodResult[], title: string): FigureSpec {
  // The first group whose test passes; the last takes every other deployable method (the authors' code too).
  const groups: Array<{ label: string; color: string; size: number; test: (kind: MethodKind) => boolean }> = [
    { label: 'RL-Focal', color: seriesColor(3), size: 14, test: (k) => k === 'rl-focal' },
    { label: 'single models', color: seriesColor(7), size: 8, test: (k) => k === 'single' },
    { label: 'threshold routers (2 models)', color: seriesColor(8), size: 8, test: (k) => k === 'threshold-router' },
    { label: 'random select / latest correct', color: seriesColor(4), size: 8, test: (k) => k === 'random-select' || k === 'latest-correct' },
    { label: 'ensembles (votes, teams, fusion)', color: seriesColor(0), size: 10, test: (k) => k !== 'oracle' },
  ];
  const assigned = new Map<MethodResult, number>();
  for (const m of methods) {
    const g = groups.findIndex((x) => x.test(m.kind));
    if (g >= 0) assigned.set(m, g);
  }
  const shown = methods.filter((m) => assigned.has(m));
  // Plot-area geometry (figure size minus margins), to place labels in pixels.
  const width = 980;
  const height = 600;
  const margin = { l: 70, r: 40, t: 80, b: 110 };
  // A free method (cost 0) cannot sit on a log axis; it is drawn at the cheapest priced one.
  const costs = shown.map((m) => m.cost.costPer1000).filter((c) => c > 0);
  const accs = shown.map((m) => 100 * m.accuracy);
  const [cMin, cMax] = [Math.min(...costs), Math.max(...costs)];
  const [aMin, aMax] = [Math.min(...accs), Math.max(...accs)];
  // Room around the points for markers and labels (plotly's autorange adds a little; these ranges are explicit).
  const lx = [Math.log10(cMin) - 0.08, Math.log10(cMax) + 0.08 + 0.12 * Math.max(0.3, Math.log10(cMax / cMin))];
  const padY = Math.max(1, 0.06 * (aMax - aMin));
  const ly = [aMin - padY, aMax + padY];
  const pw = width - margin.l - margin.r;
  const ph = height - margin.t - margin.b;
  const logCost = (m: MethodResult) => Math.log10(Math.max(cMin, m.cost.costPer1000));
  const toPx = (m: MethodResult) => ({
    px: ((logCost(m) - lx[0]) / (lx[1] - lx[0])) * pw,
    py: ph - ((100 * m.accuracy - ly[0]) / (ly[1] - ly[0])) * ph,
  });
  const data = groups.map((g, k) => {
    const subset = shown.filter((m) => assigned.get(m) === k);
    return {
      type: 'scatter',
      mode: 'markers',
      name: g.label,
      x: subset.map((m) => Math.max(cMin, m.cost.costPer1000)),
      y: subset.map((m) => 100 * m.accuracy),
      text: subset.map((m) => m.method),
      customdata: subset.map((m) => m.cost.costPer1000),
      hovertemplate: '%{text}<br>%{y:.2f} %, %{customdata:.0f} ¢ per 1,000 queries<extra></extra>',
      marker: { color: g.color, size: g.size, line: { width: 1, color: '#333' } },
    };
  });

  const front = paretoFront(shown);
  const labelled = shown
    .filter((m) => front.has(m) || m.kind === 'rl-focal' || m.kind === 'authors-code')
    // RL-Focal first, then by accuracy: the most important labels get the nearest spots.
    .sort((a, b) => Number(b.kind === 'rl-focal') - Number(a.kind === 'rl-focal') || b.accuracy - a.accuracy);
  const labelText = (m: MethodResult) => m.method.replace(/ \(chosen on train\)/, '').replace(/: all \d+ models/, '');
  const fontSize = (m: MethodResult) => (m.kind === 'rl-focal' ? 12 : 10);
  const places = placeLabels(
    labelled.map((m) => ({ ...toPx(m), text: labelText(m), fontSize: fontSize(m) })),
    shown.map(toPx),
    { width: pw, height: ph },
  );
  const annotations = labelled.map((m, k) => ({
    x: logCost(m),
    y: 100 * m.accuracy,
    text: labelText(m),
    showarrow: false,
    ...places[k],
    font: { size: fontSize(m), color: m.kind === 'rl-focal' ? seriesColor(3) : '#333' },
  }));
  return {
    name: checkFigureName(name),
    data,
    layout: {
      title: { text: title },
      template: 'plotly_white',
      xaxis: {
        title: { text: 'cost (¢ per 1,000 queries, log scale) · labelled: RL-Focal and the Pareto front; hover names the rest' },
        type: 'log',
        range: lx,
        tickmode: 'array',
        ...logAxisTicks(10 ** lx[0], 10 ** lx[1]),
      },
      yaxis: { title: { text: 'test accuracy (%)' }, range: ly },
      annotations,
      legend: { orientation: 'h', y: -0.22 },
      margin,
    },
    width,
    height,
  };
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
