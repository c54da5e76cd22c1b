import { costSummary } from '../data/cost';
import type { Dataset, SplitName } from '../data/dataset';
import { evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';

export interface ThresholdRouterOptions {
  strong: number;
  weak: number;
  /** Confidence thresholds to sweep; default 0, 0.01, ..., 1. */
  thresholds?: ArrayLike<number>;
  /** Largest fraction of train queries that may go to the strong model when choosing the threshold. Default 1. */
  maxStrongFraction?: number;
  split?: SplitName;
}

/** Router behaviour at each swept threshold on one split (aligned arrays). */
export interface RouterCurve {
  thresholds: number[];
  accuracy: number[];
  strongFraction: number[];
  /** Cents per 1,000 queries (weak always called, strong when routed); NaN when a price is missing. */
  costPer1000: number[];
}

const DEFAULT_THRESHOLDS = Array.from({ length: 101 }, (_, k) => k / 100);

/** Max probability of a model on a query: its recorded confidence (0 for an abstention). */
export function recordedConfidence(dataset: Dataset, t: number, model: number): number {
  const row = dataset.probRow(t, model);
  let best = 0;
  for (let k = 0; k < row.length; k++) if (row[k] > best) best = row[k];
  return best;
}

function sweep(dataset: Dataset, queries: Int32Array, strong: number, weak: number, thresholds: ArrayLike<number>): RouterCurve {
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  const T = queries.length;
  const conf = new Float64Array(T);
  const weakRight = new Uint8Array(T);
  const strongRight = new Uint8Array(T);
  for (let q = 0; q < T; q++) {
    const t = queries[q];
    conf[q] = recordedConfidence(dataset, t, weak);
    weakRight[q] = predictions[t * N + weak] === dataset.labels[t] ? 1 : 0;
    strongRight[q] = predictions[t * N + strong] === dataset.labels[t] ? 1 : 0;
  }
  const curve: RouterCurve = { thresholds: [], accuracy: [], strongFraction: [], costPer1000: [] };
  const calls = new Float64Array(N);
  for (let k = 0; k < thresholds.length; k++) {
    const tau = thresholds[k];
    let hits = 0;
    let routed = 0;
    for (let q = 0; q < T; q++) {
      if (conf[q] < tau) {
        routed++;
        hits += strongRight[q];
      } else {
        hits += weakRight[q];
      }
    }
    calls.fill(0);
    calls[weak] = T;
    calls[strong] += routed;
    curve.thresholds.push(tau);
    curve.accuracy.push(T > 0 ? hits / T : NaN);
    curve.strongFraction.push(T > 0 ? routed / T : NaN);
    curve.costPer1000.push(costSummary(dataset.models, calls, T).costPer1000);
  }
  return curve;
}

/**
 * Two-model threshold router in the style of RouteLLM (paper Table 2): the weak model answers first; when its
 * confidence (max choice probability) is below the threshold the query also goes to the strong model, whose answer
 * is returned. The threshold is chosen on train: best training accuracy among thresholds whose strong-call
 * fraction is within `maxStrongFraction`, ties -> fewer strong calls, then the lower threshold. `details` holds the
 * full sweep on train and on the evaluated split.
 */
export function thresholdRouterBaseline(dataset: Dataset, options: ThresholdRouterOptions): MethodResult {
  const { strong, weak } = options;
  for (const [name, i] of [['strong', strong], ['weak', weak]] as const) {
    if (!(Number.isInteger(i) && i >= 0 && i < dataset.nModels)) {
      throw new RangeError(`thresholdRouterBaseline: ${name} model ${i} out of range [0, ${dataset.nModels})`);
    }
  }
  if (strong === weak) throw new RangeError('thresholdRouterBaseline: strong and weak must be different models');
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  if (thresholds.length === 0) throw new RangeError('thresholdRouterBaseline: no thresholds to sweep');
  const maxStrong = options.maxStrongFraction ?? 1;
  const split = options.split ?? 'test';
  const train = dataset.splitIndices('train');
  if (train.length === 0) throw new RangeError('thresholdRouterBaseline: the train split is empty, cannot choose a threshold');

  const trainCurve = sweep(dataset, train, strong, weak, thresholds);
  let chosen = -1;
  for (let k = 0; k < thresholds.length; k++) {
    if (trainCurve.strongFraction[k] > maxStrong) continue;
    if (
      chosen < 0 ||
      trainCurve.accuracy[k] > trainCurve.accuracy[chosen] ||
      (trainCurve.accuracy[k] === trainCurve.accuracy[chosen] &&
        (trainCurve.strongFraction[k] < trainCurve.strongFraction[chosen] ||
          (trainCurve.strongFraction[k] === trainCurve.strongFraction[chosen] && thresholds[k] < thresholds[chosen])))
    ) {
      chosen = k;
    }
  }
  if (chosen < 0) {
    throw new RangeError(`thresholdRouterBaseline: no threshold keeps the strong-call fraction within ${maxStrong} on train`);
  }
  const tau = thresholds[chosen];
  const evalCurve = sweep(dataset, dataset.splitIndices(split), strong, weak, thresholds);
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  const weakOnly = [weak];
  const both = [weak, strong];
  let routed = 0;
  const result = evaluateRule(dataset, split, { kind: 'threshold-router', method: `router: ${dataset.models[weak].id} -> ${dataset.models[strong].id}` }, (t, meter) => {
    if (recordedConfidence(dataset, t, weak) < tau) {
      routed++;
      meter.record(both);
      return predictions[t * N + strong];
    }
    meter.record(weakOnly);
    return predictions[t * N + weak];
  });
  result.details = {
    strong: dataset.models[strong].id,
    weak: dataset.models[weak].id,
    threshold: tau,
    maxStrongFraction: maxStrong,
    strongFraction: result.correct.length > 0 ? routed / result.correct.length : NaN,
    trainAccuracy: trainCurve.accuracy[chosen],
    trainCurve,
    curve: evalCurve,
  };
  return result;
}
