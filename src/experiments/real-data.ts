/**
 * The whole pipeline on the REAL bbh-leaderboard outputs (5 LLMs, 24 BBH subtasks, Open LLM Leaderboard v2
 * log-likelihoods): every baseline, RL-Focal over seeds with one agent set per subtask (the authors' protocol), the
 * Decider's selection per subtask, per-subtask accuracies, and what the authors' labels did to their numbers.
 *
 * The bar, measured independently of this library (brief of the notebooks; test split, corrected labels, micro):
 * best single overall 0.5087, plurality 0.5009, soft vote 0.5217, best single per subtask 0.5598, best soft-vote team
 * per subtask 0.5659, oracle 0.8293; the authors' code reaches 0.28-0.32.
 */
import { oracleBaseline } from '../baselines/oracle';
import { findMethod, type MethodQuery } from '../eval/method-kind';
import { subtaskAccuracies, type MethodResult } from '../eval/result';
import { runAllBaselines, type RunAllOptions } from '../baselines/run-all';
import { singleModelBaseline } from '../baselines/single';
import { voteBaseline } from '../baselines/vote';
import { DEFAULT_BBH_LEADERBOARD_DIR } from '../data/bbh';
import type { Dataset } from '../data/dataset';
import type { FigureSpec } from '../figures/spec';
import { barFigure } from '../figures/bar';
import { lineWithBandFigure } from '../figures/line-band';
import type { RlFocalConfig } from '../train/config';
import { authorsCodeBbh, bbhLeaderboard } from '../train/presets';
import { pct, roundTo, type Cell, type ExperimentOutput, type ExperimentTable } from '../notebook/output';
import { curveBand, formatPercentSe } from './seed-summaries';
import { runRlFocalSeeds, type SeedRuns } from '../runs/seed-runs';
import { throttleProgress, type ProgressSink } from '../runs/progress-sink';
import { yieldToEventLoop } from '../runs/engine';
import { realBbhPool, type LabelledPool } from './table1-pools';
import { matrixHeatmap } from '../figures/heatmap';
import { withSubtitleRoom } from '../figures/subtitle-room';
import { methodsAccuracyCostFigure, shortModelNames } from './tour';

export interface RealDataParams {
  dir: string;
  seeds: number[];
  /** RL-Focal, one agent set per subtask. */
  rl: Partial<RlFocalConfig>;
  baselines: RunAllOptions;
  /** The authors' code (reference-parity preset) on both label sets, and RL-Focal on the authors' labels. */
  labelRuns: { seeds: number[]; authorsCode: Partial<RlFocalConfig>; rl: Partial<RlFocalConfig> } | false;
}

export const REAL_DATA_DEFAULTS: Readonly<RealDataParams> = Object.freeze({
  dir: DEFAULT_BBH_LEADERBOARD_DIR,
  seeds: [0, 1, 2, 3, 4],
  rl: { ...bbhLeaderboard },
  baselines: { fusion: { epochs: 40 } },
  labelRuns: { seeds: [0], authorsCode: { ...authorsCodeBbh }, rl: { ...bbhLeaderboard } },
}) as RealDataParams;

/** The independently measured bar (corrected labels, test split, micro accuracy), each item with the method it measures. */
export const REAL_BBH_BAR: ReadonlyArray<{ item: string; value: number | [number, number]; method: MethodQuery }> = [
  { item: 'best single overall', value: 0.5087, method: { kind: 'best-single', perSubtask: false } },
  { item: 'plurality vote (5 models)', value: 0.5009, method: { kind: 'vote', rule: 'plurality' } },
  { item: 'soft vote (5 models)', value: 0.5217, method: { kind: 'vote', rule: 'soft' } },
  { item: 'best single per subtask', value: 0.5598, method: { kind: 'best-single', perSubtask: true } },
  { item: 'best soft-vote team per subtask', value: 0.5659, method: { kind: 'best-team', rule: 'soft', perSubtask: true } },
  { item: 'oracle (any model right)', value: 0.8293, method: { kind: 'oracle' } },
  { item: "authors' code", value: [0.28, 0.32], method: { kind: 'authors-code' } },
];

export interface LabelRunResults {
  authorsCode: { corrected: SeedRuns; rlfocal: SeedRuns };
  rlFocalOnAuthorsLabels: SeedRuns;
}

export interface RealDataOutput extends ExperimentOutput {
  available: boolean;
  notes: string[];
  pool?: LabelledPool;
  rl?: SeedRuns;
  baselines?: MethodResult[];
  labelRuns?: LabelRunResults;
}

export async function runRealData(overrides: Partial<RealDataParams> = {}, options: { onProgress?: ProgressSink } = {}): Promise<RealDataOutput> {
  const p: RealDataParams = { ...REAL_DATA_DEFAULTS, ...overrides };
  if (p.seeds.length === 0) throw new RangeError('real-data: at least one seed is needed');
  const pool = await realBbhPool('corrected', p.dir);
  if (pool === null) {
    return { available: false, notes: [`skipped: no bbh-leaderboard data at ${p.dir}`], tables: [], figures: [], provenance: [] };
  }
  const authorsPool = (await realBbhPool('rlfocal', p.dir))!;
  const sink = throttleProgress(options.onProgress);
  const rl = await runRlFocalSeeds(pool.data, p.rl, { seeds: p.seeds, perSubtask: true, label: 'RL-Focal · BBH (real)', onProgress: sink });
  const started = performance.now();
  const baselines = runAllBaselines(pool.data, {
    ...p.baselines,
    onResult: (r) => {
      p.baselines.onResult?.(r);
      sink?.({ stage: 'baselines', message: `baselines · ${r.method}: ${(100 * r.accuracy).toFixed(2)} % · ${((performance.now() - started) / 1000).toFixed(1)} s` });
    },
  });
  await yieldToEventLoop();
  let labelRuns: LabelRunResults | undefined;
  if (p.labelRuns) {
    const lr = p.labelRuns;
    const run = (data: Dataset, config: Partial<RlFocalConfig>, label: string) => runRlFocalSeeds(data, config, { seeds: lr.seeds, perSubtask: true, label, onProgress: sink });
    labelRuns = {
      authorsCode: {
        rlfocal: await run(authorsPool.data, lr.authorsCode, "authors' code · rl-focal labels"),
        corrected: await run(pool.data, lr.authorsCode, "authors' code · corrected labels"),
      },
      rlFocalOnAuthorsLabels: await run(authorsPool.data, lr.rl, 'RL-Focal · rl-focal labels'),
    };
  }
  return { available: true, notes: [], pool, rl, baselines, ...(labelRuns ? { labelRuns } : {}), ...assemble(pool, authorsPool, rl, baselines, labelRuns, p) };
}


function rlAsResult(rl: SeedRuns, name: string): MethodResult {
  // The seed whose accuracy is closest to the mean stands for the method in the accuracy/cost plot.
  const mean = rl.accuracy.mean;
  const run = rl.runs.reduce((a, b) => (Math.abs(b.test.accuracy - mean) < Math.abs(a.test.accuracy - mean) ? b : a));
  return { ...run.test, method: name, accuracy: mean, cost: { ...run.test.cost, costPer1000: rl.costPer1000.mean, callsPerQuery: rl.callsPerQuery.mean } };
}

function assemble(
  pool: LabelledPool,
  authorsPool: LabelledPool,
  rl: SeedRuns,
  baselines: MethodResult[],
  labelRuns: LabelRunResults | undefined,
  p: RealDataParams,
): ExperimentOutput {
  const data = pool.data;
  const seeds = `${p.seeds.length} seed${p.seeds.length === 1 ? '' : 's'}`;
  const tables: ExperimentTable[] = [];
  const figures: FigureSpec[] = [];

  // Every method.
  const methodRows: Array<Record<string, Cell>> = [
    {
      method: `RL-Focal (bbhLeaderboard preset, agents per subtask, ${seeds})`,
      accuracy_pct: pct(rl.accuracy.mean),
      se_pct: pct(rl.accuracy.standardError),
      macro_pct: pct(rl.accuracyMacro.mean),
      calls_per_query: roundTo(rl.callsPerQuery.mean, 2),
      cost_per_1000: roundTo(rl.costPer1000.mean, 1),
    },
  ];
  if (labelRuns) {
    const a = labelRuns.authorsCode.corrected;
    methodRows.push({
      method: `authors' code (reference-parity preset, agents per subtask, ${a.runs.length} seed${a.runs.length === 1 ? '' : 's'})`,
      accuracy_pct: pct(a.accuracy.mean),
      se_pct: pct(a.accuracy.standardError),
      macro_pct: pct(a.accuracyMacro.mean),
      calls_per_query: roundTo(a.callsPerQuery.mean, 2),
      cost_per_1000: roundTo(a.costPer1000.mean, 1),
    });
  }
  for (const b of baselines) {
    methodRows.push({ method: b.method, accuracy_pct: pct(b.accuracy), se_pct: null, macro_pct: pct(b.accuracyMacro ?? NaN), calls_per_query: roundTo(b.cost.callsPerQuery, 2), cost_per_1000: roundTo(b.cost.costPer1000, 1) });
  }
  tables.push({ name: 'real-bbh-methods', title: 'Real BBH · every method on the test split (corrected labels)', provenance: pool.provenance, rows: methodRows });

  // The bar.
  const barRows: Array<Record<string, Cell>> = REAL_BBH_BAR.map((b) => {
    let ours: string;
    if (b.method.kind === 'authors-code') {
      ours = labelRuns
        ? `${formatPercentSe(labelRuns.authorsCode.rlfocal.accuracy)} % (authors' labels), ${formatPercentSe(labelRuns.authorsCode.corrected.accuracy)} % (corrected)`
        : 'not run';
    } else {
      const r = findMethod(baselines, b.method);
      ours = r ? `${(100 * r.accuracy).toFixed(2)} %` : 'not run';
    }
    const value = Array.isArray(b.value) ? `${(100 * b.value[0]).toFixed(0)}-${(100 * b.value[1]).toFixed(0)} %` : `${(100 * b.value).toFixed(2)} %`;
    return { item: b.item, bar: value, ours };
  });
  barRows.push({ item: 'RL-Focal', bar: '—', ours: `${formatPercentSe(rl.accuracy)} % (${seeds})` });
  tables.push({ name: 'real-bbh-bar', title: 'Real BBH · the independently measured bar, beside our numbers', provenance: `bar: measured independently (notebook brief); ours: ${pool.provenance}`, rows: barRows });

  // Per subtask.
  const testIdx = data.splitIndices('test');
  const testSubtasks = Uint16Array.from(testIdx, (t) => data.subtaskIds[t]);
  const names = shortModelNames(data);
  const perModel = data.models.map((_, i) => subtaskAccuracies(singleModelBaseline(data, i).correct, testSubtasks));
  const per = (query: MethodQuery) => {
    const r = findMethod(baselines, query);
    return r ? subtaskAccuracies(r.correct, testSubtasks) : undefined;
  };
  const plurality = per({ kind: 'vote', rule: 'plurality' });
  const soft = per({ kind: 'vote', rule: 'soft' });
  const bestSingleSub = per({ kind: 'best-single', perSubtask: true });
  const bestTeamSub = per({ kind: 'best-team', rule: 'soft', perSubtask: true });
  const oracle = per({ kind: 'oracle' });
  const rlPer = rl.runs.map((r) => subtaskAccuracies(r.test.correct, testSubtasks));
  const subtaskOrder = [...new Set(Array.from(testSubtasks))];
  const perSubtaskRows: Array<Record<string, Cell>> = subtaskOrder.map((s) => {
    const row: Record<string, Cell> = { subtask: data.subtaskNames[s], test_queries: testSubtasks.filter((x) => x === s).length };
    names.forEach((n, i) => (row[n] = pct(perModel[i].get(s)!, 1)));
    row.plurality = pct(plurality?.get(s) ?? NaN, 1);
    row.soft_vote = pct(soft?.get(s) ?? NaN, 1);
    row.best_single_per_subtask = pct(bestSingleSub?.get(s) ?? NaN, 1);
    row.best_soft_team_per_subtask = pct(bestTeamSub?.get(s) ?? NaN, 1);
    const values = rlPer.map((m) => m.get(s)!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    row.rl_focal = pct(mean, 1);
    row.rl_focal_team_size = roundTo(
      rl.runs.reduce((acc, r) => acc + (r.perSubtask!.find((x) => x.subtask === data.subtaskNames[s])?.meanTeamSize ?? NaN), 0) / rl.runs.length,
      2,
    );
    row.oracle = pct(oracle?.get(s) ?? NaN, 1);
    return row;
  });
  tables.push({ name: 'real-bbh-per-subtask', title: `Real BBH · test accuracy (%) per subtask; RL-Focal = mean over ${seeds}`, provenance: pool.provenance, rows: perSubtaskRows });
  const subtaskNames = subtaskOrder.map((s) => data.subtaskNames[s]);
  const short = (s: string) => s.replace('tracking_shuffled_objects', 'tracking').replace('logical_deduction', 'logical_ded').replace('salient_translation_error_detection', 'salient_translation').replace('reasoning_about_colored_objects', 'colored_objects');
  figures.push(
    withSubtitleRoom(
      barFigure(
        'real-bbh-per-subtask-accuracy',
        subtaskNames.map(short),
        [
          { name: 'best single per subtask (chosen on train)', values: perSubtaskRows.map((r) => r.best_single_per_subtask as number) },
          { name: 'best soft-vote team per subtask (chosen on train)', values: perSubtaskRows.map((r) => r.best_soft_team_per_subtask as number) },
          { name: `RL-Focal (mean over ${seeds})`, values: perSubtaskRows.map((r) => r.rl_focal as number) },
          { name: 'oracle (any model right)', values: perSubtaskRows.map((r) => r.oracle as number) },
        ],
        { title: `Real BBH · test accuracy per subtask<br><sub>${pool.provenance}</sub>`, yTitle: 'test accuracy (%)', yRange: [0, 105], width: 1400, height: 600 },
      ),
      { slant: true },
    ),
  );

  // Selection frequencies per subtask (mean over seeds).
  const selection = new Float64Array(subtaskNames.length * data.nModels);
  subtaskNames.forEach((name, k) => {
    for (const r of rl.runs) {
      const entry = r.perSubtask!.find((x) => x.subtask === name)!;
      entry.selectionFrequency.forEach((f, i) => (selection[k * data.nModels + i] += f / rl.runs.length));
    }
  });
  tables.push({
    name: 'real-bbh-selection-frequency',
    title: `Real BBH · fraction of test queries on which RL-Focal called each model, per subtask (mean over ${seeds})`,
    provenance: pool.provenance,
    rows: subtaskNames.map((name, k) => {
      const row: Record<string, Cell> = { subtask: name };
      names.forEach((n, i) => (row[n] = roundTo(selection[k * data.nModels + i], 3)));
      return row;
    }),
  });
  figures.push(selectionHeatmap(subtaskNames.map(short), names, selection, `RL-Focal selection frequency per subtask (real BBH, mean over ${seeds})`));

  // Learning curves pooled over subtasks.
  const d = curveBand(rl.runs.map((r) => r.curves.decider));
  const f = curveBand(rl.runs.map((r) => r.curves.fusion));
  const band = (name: string, b: ReturnType<typeof curveBand>) => ({
    name,
    x: b.episode,
    mean: b.mean.map((v) => 100 * v),
    lower: b.mean.map((v, k) => 100 * (v - b.std[k])),
    upper: b.mean.map((v, k) => 100 * (v + b.std[k])),
  });
  figures.push(
    withSubtitleRoom(
      lineWithBandFigure('real-bbh-learning-curves', [band('Decider turn (interim plurality vote)', d), band('Fusion turn', f)], {
        title: `Real BBH · warm-start training accuracy per episode<br><sub>24 agent sets (one per subtask), step-weighted mean; band = std over ${seeds}</sub>`,
        xTitle: 'episode',
        yTitle: 'training accuracy (%)',
        yRange: [20, 70],
        width: 820,
        height: 480,
      }),
    ),
  );

  // Accuracy vs cost.
  const plotted = [rlAsResult(rl, 'RL-Focal'), ...baselines.filter((b) => b.kind !== 'oracle')];
  if (labelRuns) plotted.push(rlAsResult(labelRuns.authorsCode.corrected, "authors' code (reference parity)"));
  figures.push(methodsAccuracyCostFigure('real-bbh-accuracy-vs-cost', plotted, `Real BBH · test accuracy vs cost (Table 8 prices)<br><sub>${pool.provenance}</sub>`));

  // Labels.
  const labelRows: Array<Record<string, Cell>> = [];
  for (const [labels, lp] of [['corrected', pool], ["rl-focal's", authorsPool]] as const) {
    const row: Record<string, Cell> = { labels, split: 'test' };
    lp.data.models.forEach((_, i) => {
      const r = singleModelBaseline(lp.data, i);
      row[`${names[i]} micro`] = pct(r.accuracy);
      row[`${names[i]} macro`] = pct(r.accuracyMacro ?? NaN);
    });
    const pl = voteBaseline(lp.data, 'plurality');
    const or = oracleBaseline(lp.data);
    row['plurality micro'] = pct(pl.accuracy);
    row['oracle micro'] = pct(or.accuracy);
    labelRows.push(row);
  }
  tables.push({
    name: 'real-bbh-labels',
    title: "Real BBH · each model's test accuracy (%) under the corrected labels and under rl-focal's stored labels",
    provenance: `${pool.provenance}; the same outputs with rl-focal's labels (wrong on 7 subtasks: causal_judgement, navigate, web_of_lies, sports_understanding, formal_fallacies, geometric_shapes, object_counting)`,
    rows: labelRows,
  });
  const affected = ['causal_judgement', 'navigate', 'web_of_lies', 'sports_understanding', 'formal_fallacies', 'geometric_shapes', 'object_counting'];
  const affectedRows: Array<Record<string, Cell>> = affected
    .filter((s) => data.subtaskNames.includes(s))
    .map((s) => {
      const row: Record<string, Cell> = { subtask: s };
      for (const [tag, lp] of [['corrected', pool], ['rlfocal', authorsPool]] as const) {
        const sub = lp.data.filter({ subtasks: [s], split: 'test' });
        const acc = sub.modelAccuracies();
        names.forEach((n, i) => (row[`${n} (${tag})`] = pct(acc[i], 1)));
      }
      return row;
    });
  tables.push({ name: 'real-bbh-label-subtasks', title: 'Real BBH · the 7 subtasks whose rl-focal label is not the choice index: model test accuracy (%) under both label sets', provenance: pool.provenance, rows: affectedRows });
  if (labelRuns) {
    tables.push({
      name: 'real-bbh-label-runs',
      title: "Real BBH · the authors' code and RL-Focal trained and tested on each label set",
      provenance: pool.provenance,
      rows: [
        { run: "authors' code (reference-parity preset)", labels: "rl-focal's", accuracy: formatPercentSe(labelRuns.authorsCode.rlfocal.accuracy), macro_pct: pct(labelRuns.authorsCode.rlfocal.accuracyMacro.mean), seeds: labelRuns.authorsCode.rlfocal.runs.length },
        { run: "authors' code (reference-parity preset)", labels: 'corrected', accuracy: formatPercentSe(labelRuns.authorsCode.corrected.accuracy), macro_pct: pct(labelRuns.authorsCode.corrected.accuracyMacro.mean), seeds: labelRuns.authorsCode.corrected.runs.length },
        { run: 'RL-Focal (bbhLeaderboard preset)', labels: "rl-focal's", accuracy: formatPercentSe(labelRuns.rlFocalOnAuthorsLabels.accuracy), macro_pct: pct(labelRuns.rlFocalOnAuthorsLabels.accuracyMacro.mean), seeds: labelRuns.rlFocalOnAuthorsLabels.runs.length },
        { run: 'RL-Focal (bbhLeaderboard preset)', labels: 'corrected', accuracy: formatPercentSe(rl.accuracy), macro_pct: pct(rl.accuracyMacro.mean), seeds: rl.runs.length },
      ],
    });
  }
  figures.push(
    withSubtitleRoom(
      barFigure(
        'real-bbh-labels',
        [...names, 'plurality', 'oracle'],
        labelRows.map((row) => ({
          name: `${row.labels} labels`,
          values: [...names.map((n) => row[`${n} micro`] as number), row['plurality micro'] as number, row['oracle micro'] as number],
        })),
        { title: "Real BBH · test accuracy under corrected vs rl-focal's labels<br><sub>same model outputs; rl-focal's labels are wrong on 7 of 24 subtasks</sub>", yTitle: 'test accuracy (%)', yRange: [0, 100], width: 860, height: 580 },
      ),
      { slant: true },
    ),
  );
  const labelsFigure = figures[figures.length - 1];
  labelsFigure.layout = { ...(labelsFigure.layout as object), legend: { orientation: 'h', y: -0.38 } };
  return { tables, figures, provenance: [pool.provenance, authorsPool.provenance] };
}

function selectionHeatmap(subtasks: string[], models: string[], values: Float64Array, title: string): FigureSpec {
  return matrixHeatmap('real-bbh-selection-heatmap', subtasks, models, values, { title, colorbar: 'fraction of queries', zRange: [0, 1], colorscale: 'Blues' });
}

const signedPoints = (d: number) => `${d >= 0 ? '+' : '−'}${(100 * Math.abs(d)).toFixed(2)} points`;

/** Sentences for the notebook's closing cell. */
export function realDataFindings(out: RealDataOutput): string[] {
  if (!out.available || !out.rl || !out.baselines) return out.notes;
  const rl = out.rl;
  const lines: string[] = [];
  const above = out.baselines.filter((b) => b.accuracy > rl.accuracy.mean && b.kind !== 'oracle');
  lines.push(
    `RL-Focal: ${formatPercentSe(rl.accuracy)} % micro (macro ${(100 * rl.accuracyMacro.mean).toFixed(2)} %) with ${rl.callsPerQuery.mean.toFixed(2)} of 5 models per query ` +
      `(${rl.costPer1000.mean.toFixed(0)} ¢ per 1,000 queries). Baselines above it: ${above.length > 0 ? above.map((b) => `${b.method} ${(100 * b.accuracy).toFixed(2)} %`).join('; ') : 'none'}.`,
  );
  const bar = (query: MethodQuery) => findMethod(out.baselines!, query)!;
  const team = bar({ kind: 'best-team', rule: 'soft', perSubtask: true });
  lines.push(
    `Against the bar: best single 50.87 %, best soft-vote team per subtask 56.59 % (ours: ${(100 * team.accuracy).toFixed(2)} %); RL-Focal is ${(100 * Math.abs(rl.accuracy.mean - team.accuracy)).toFixed(2)} points ${rl.accuracy.mean >= team.accuracy ? 'above' : 'below'} the best static per-subtask team and ${signedPoints(rl.accuracy.mean - bar({ kind: 'best-single', perSubtask: false }).accuracy)} relative to the best single model.`,
  );
  if (out.labelRuns) {
    const a = out.labelRuns.authorsCode;
    lines.push(
      `The authors' code (reference-parity preset) scores ${formatPercentSe(a.rlfocal.accuracy)} % on its own labels and ${formatPercentSe(a.corrected.accuracy)} % on the corrected ones ` +
        `(independently measured: 28-32 %); RL-Focal (preset) on the authors' labels: ${formatPercentSe(out.labelRuns.rlFocalOnAuthorsLabels.accuracy)} %.`,
    );
  }
  return lines;
}
