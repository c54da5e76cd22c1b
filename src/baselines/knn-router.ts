import type { Dataset } from '../data/dataset';
import { evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import { rankModelsByAccuracy, type EvalOptions } from './single';
import { TfidfIndex, type Neighbour } from '../data/text-index';

/** Neighbour counts tried on the validation part; the best one is kept. */
export const DEFAULT_KNN_CANDIDATES = [1, 3, 5, 10, 20, 50, 100];

export interface KnnRouterOptions extends EvalOptions {
  /** Candidate k values (default DEFAULT_KNN_CANDIDATES); a single value skips the validation. */
  candidates?: number[];
  /** Share of each subtask's train queries (the latest, in stream order) held out to choose k; default 0.2. */
  validationFraction?: number;
}

/** What the router reads of a query: its question and choice texts, or undefined when the record had none. */
export function queryText(dataset: Dataset, t: number): string | undefined {
  const q = dataset.questions?.[t];
  const choices = dataset.choiceTexts?.[t];
  if (q === undefined && choices === undefined) return undefined;
  return [q ?? '', ...(choices ?? [])].join('\n');
}

/**
 * Per subtask, the last `fraction` of its train queries in stream order become validation, the rest fit: the
 * paper's within-subtask stream split applied again inside train, so the validation queries come after the ones
 * they are compared with, as test queries do.
 */
export function carveValidation(dataset: Dataset, fraction: number): { fit: Int32Array; validation: Int32Array } {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`carveValidation: fraction must be in (0, 1), got ${fraction}`);
  const bySubtask = new Map<number, number[]>();
  for (const t of dataset.splitIndices('train')) {
    const s = dataset.subtaskIds[t];
    let g = bySubtask.get(s);
    if (!g) bySubtask.set(s, (g = []));
    g.push(t);
  }
  const fit: number[] = [];
  const validation: number[] = [];
  for (const g of bySubtask.values()) {
    const cut = g.length - Math.floor(fraction * g.length);
    fit.push(...g.slice(0, cut));
    validation.push(...g.slice(cut));
  }
  return { fit: Int32Array.from(fit.sort((a, b) => a - b)), validation: Int32Array.from(validation.sort((a, b) => a - b)) };
}

/** The model the neighbours favour: most right answers among them, ties -> better overall train rank. */
function routeFrom(neighbours: readonly Neighbour[], k: number, docs: Int32Array, dataset: Dataset, rankPosition: Int32Array, fallback: number, hits: Int32Array): number {
  const m = Math.min(k, neighbours.length);
  if (m === 0) return fallback;
  const N = dataset.nModels;
  const correct = dataset.correct;
  hits.fill(0);
  for (let a = 0; a < m; a++) {
    const t = docs[neighbours[a].doc];
    for (let i = 0; i < N; i++) hits[i] += correct[t * N + i];
  }
  let best = fallback;
  for (let i = 0; i < N; i++) if (hits[i] > hits[best] || (hits[i] === hits[best] && rankPosition[i] < rankPosition[best])) best = i;
  return best;
}

/**
 * Nearest-neighbour router over the question text (the router family LLMRouterBench and RouterArena find hardest
 * to beat): the k train questions most similar to the query (TF-IDF cosine, `TfidfIndex`) vote for the model
 * that was right most often on them (ties -> the better model on all of train), and only that model is called:
 * one call per query. k is chosen on a validation part carved from train (`carveValidation`: the latest 20 % of
 * each subtask's train queries; ties -> smaller k), then the index is rebuilt on all of train. Queries without text,
 * or sharing no term with any train question, go to the best model on train (counted in `details.fallbacks`).
 */
export function knnRouterBaseline(dataset: Dataset, options: KnnRouterOptions = {}): MethodResult {
  const N = dataset.nModels;
  const train = dataset.splitIndices('train');
  if (train.length === 0) throw new RangeError('knnRouterBaseline: the train split is empty');
  const candidates = options.candidates ?? DEFAULT_KNN_CANDIDATES;
  if (candidates.length === 0 || !candidates.every((k) => Number.isInteger(k) && k >= 1)) {
    throw new RangeError(`knnRouterBaseline: candidates must be positive integers, got ${candidates.join(', ')}`);
  }
  const ranking = rankModelsByAccuracy(dataset, train);
  const rankPosition = new Int32Array(N);
  ranking.forEach((model, at) => (rankPosition[model] = at));
  const fallback = ranking[0];
  const hits = new Int32Array(N);
  const withText = (queries: Int32Array) => queries.filter((t) => queryText(dataset, t) !== undefined);

  let k = candidates[0];
  let validation: { k: number; accuracy: number }[] = [];
  if (candidates.length > 1) {
    const parts = carveValidation(dataset, options.validationFraction ?? 0.2);
    const fit = withText(parts.fit);
    if (fit.length > 0 && parts.validation.length > 0) {
      const index = new TfidfIndex(Array.from(fit, (t) => queryText(dataset, t)!));
      const kMax = Math.max(...candidates);
      const right = new Float64Array(candidates.length);
      for (const t of parts.validation) {
        const text = queryText(dataset, t);
        const neighbours = text === undefined ? [] : index.nearest(text, kMax);
        candidates.forEach((c, at) => {
          const model = routeFrom(neighbours, c, fit, dataset, rankPosition, fallback, hits);
          right[at] += dataset.correct[t * N + model];
        });
      }
      validation = candidates.map((c, at) => ({ k: c, accuracy: right[at] / parts.validation.length }));
      let best = 0;
      for (let at = 1; at < candidates.length; at++) {
        if (right[at] > right[best] || (right[at] === right[best] && candidates[at] < candidates[best])) best = at;
      }
      k = candidates[best];
    }
  }

  const docs = withText(train);
  const index = docs.length > 0 ? new TfidfIndex(Array.from(docs, (t) => queryText(dataset, t)!)) : undefined;
  let fallbacks = 0;
  const teams = Array.from({ length: N }, (_, i) => [i]);
  const predictions = dataset.predictions;
  const result = evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'knn-router', method: 'kNN router over the question text (TF-IDF, k chosen on a validation part of train)' },
    (t, meter) => {
      const text = queryText(dataset, t);
      const neighbours = text === undefined || !index ? [] : index.nearest(text, k);
      if (neighbours.length === 0) fallbacks++;
      const model = routeFrom(neighbours, k, docs, dataset, rankPosition, fallback, hits);
      meter.record(teams[model]);
      return predictions[t * N + model];
    },
    {
      k,
      validation,
      indexedQuestions: docs.length,
      vocabulary: index?.vocabularySize ?? 0,
      fallbackModel: dataset.models[fallback].id,
    },
  );
  return { ...result, details: { ...result.details, fallbacks } };
}
