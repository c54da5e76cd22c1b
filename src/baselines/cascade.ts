import type { Dataset } from '../data/dataset';
import { evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import { recordedConfidence } from './router';
import { rankModelsByAccuracy, type EvalOptions } from './single';

/**
 * Whether the pool recorded a confidence a cascade can act on: some model's probability row on some train query
 * has its maximum strictly between 0 and 1. Pools of answer letters or single greedy answers hold one-hot rows
 * only (every confidence is 0 or 1), so a threshold on them would only separate abstentions.
 */
export function cascadeApplicability(dataset: Dataset): { applicable: true } | { applicable: false; reason: string } {
  for (const t of dataset.splitIndices('train')) {
    for (let i = 0; i < dataset.nModels; i++) {
      const c = recordedConfidence(dataset, t, i);
      if (c > 0 && c < 1) return { applicable: true };
    }
  }
  return { applicable: false, reason: 'no recorded confidence: every probability row is one-hot or empty (answer-only pool)' };
}

/** What "cheap" means for the cascade order, the first one every model has. */
export type CascadeCostKey = 'price' | 'params' | 'train accuracy';

/**
 * The models cheapest first: by price per call when every model has one, else by parameter count when every model
 * has one, else by train accuracy ascending (a weaker model is taken as the cheaper one: the usual case, and the
 * only proxy left); ties -> lower model index. Then only the models that are strictly more accurate on train
 * than every cheaper model already kept stay in the chain: escalating to a dearer model that is no better cannot
 * help on average.
 */
export function cascadeChain(dataset: Dataset): { chain: Int32Array; orderedBy: CascadeCostKey } {
  const N = dataset.nModels;
  const train = dataset.splitIndices('train');
  if (train.length === 0) throw new RangeError('cascadeChain: the train split is empty');
  const acc = dataset.modelAccuracies(train);
  const models = dataset.models;
  let orderedBy: CascadeCostKey;
  let cost: (i: number) => number;
  if (models.every((m) => m.priceCents !== undefined && Number.isFinite(m.priceCents))) {
    orderedBy = 'price';
    cost = (i) => models[i].priceCents!;
  } else if (models.every((m) => m.paramsB !== undefined && Number.isFinite(m.paramsB))) {
    orderedBy = 'params';
    cost = (i) => models[i].paramsB!;
  } else {
    orderedBy = 'train accuracy';
    const rank = rankModelsByAccuracy(dataset, train);
    const position = new Int32Array(N);
    rank.forEach((model, at) => (position[model] = N - 1 - at));
    cost = (i) => position[i];
  }
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => cost(a) - cost(b) || a - b);
  const chain: number[] = [];
  for (const i of order) if (chain.length === 0 || acc[i] > acc[chain[chain.length - 1]]) chain.push(i);
  return { chain: Int32Array.from(chain), orderedBy };
}

/** Accuracy and mean calls of the cascade at threshold tau over the given queries. */
function runCascade(dataset: Dataset, chain: Int32Array, tau: number, queries: ArrayLike<number>): { accuracy: number; calls: number } {
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  let hits = 0;
  let calls = 0;
  for (let q = 0; q < queries.length; q++) {
    const t = queries[q];
    let j = 0;
    while (j < chain.length - 1 && recordedConfidence(dataset, t, chain[j]) < tau) j++;
    calls += j + 1;
    if (predictions[t * N + chain[j]] === dataset.labels[t]) hits++;
  }
  return { accuracy: hits / queries.length, calls: calls / queries.length };
}

export interface CascadeOptions extends EvalOptions {
  /** Thresholds tried on train; default 0 (never escalate), every 2nd percentile of the chain's train confidences, and 1 + 1e-9 (always escalate). */
  thresholds?: number[];
}

/**
 * FrugalGPT-style confidence cascade over `cascadeChain`: call the cheapest model of the chain; while the last
 * called model's recorded confidence (max probability) is below the threshold, also call the next one; answer
 * with the last model called. The threshold is the one with the best train accuracy (ties -> fewer calls, then the
 * lower threshold). Throws on pools without recorded confidence (see `cascadeApplicability`).
 */
export function confidenceCascadeBaseline(dataset: Dataset, options: CascadeOptions = {}): MethodResult {
  const applicable = cascadeApplicability(dataset);
  if (!applicable.applicable) throw new RangeError(`confidenceCascadeBaseline: ${applicable.reason}`);
  const { chain, orderedBy } = cascadeChain(dataset);
  const train = dataset.splitIndices('train');
  const thresholds = options.thresholds ?? defaultThresholds(dataset, chain, train);
  if (thresholds.length === 0) throw new RangeError('confidenceCascadeBaseline: no thresholds to try');
  let best: { tau: number; accuracy: number; calls: number } | undefined;
  for (const tau of thresholds) {
    const r = runCascade(dataset, chain, tau, train);
    if (!best || r.accuracy > best.accuracy || (r.accuracy === best.accuracy && (r.calls < best.calls || (r.calls === best.calls && tau < best.tau)))) {
      best = { tau, ...r };
    }
  }
  const { tau } = best!;
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  const prefixes = Array.from({ length: chain.length }, (_, j) => chain.slice(0, j + 1));
  const ids = Array.from(chain, (i) => dataset.models[i].id);
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'cascade', method: `confidence cascade (${chain.length} models by ${orderedBy}, threshold chosen on train)` },
    (t, meter) => {
      let j = 0;
      while (j < chain.length - 1 && recordedConfidence(dataset, t, chain[j]) < tau) j++;
      meter.record(prefixes[j]);
      return predictions[t * N + chain[j]];
    },
    { chain: ids, orderedBy, threshold: tau, trainAccuracy: best!.accuracy, trainCallsPerQuery: best!.calls, thresholdsTried: thresholds.length },
  );
}

function defaultThresholds(dataset: Dataset, chain: Int32Array, train: Int32Array): number[] {
  const values: number[] = [];
  for (const t of train) for (let j = 0; j < chain.length - 1; j++) values.push(recordedConfidence(dataset, t, chain[j]));
  values.sort((a, b) => a - b);
  const out = new Set<number>([0, 1 + 1e-9]);
  if (values.length > 0) for (let p = 2; p < 100; p += 2) out.add(values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]);
  return [...out].sort((a, b) => a - b);
}
