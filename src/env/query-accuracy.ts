import type { Dataset } from '../data/dataset';
import { TfidfIndex } from '../data/text-index';

/** Train questions whose answers make one query's estimate when no count is chosen (`queryNeighbours`: 20). */
export const QUERY_NEIGHBOURS = 20;

/** Neighbour counts `chooseQueryNeighbours` tries (those of the kNN router baseline). */
export const QUERY_NEIGHBOUR_CANDIDATES: readonly number[] = [1, 3, 5, 10, 20, 50, 100];

/** Each query's nearest train questions (up to the largest candidate count), nearest first: -1 past the last. */
interface NeighbourLists {
  width: number;
  /** T x width query indices of the dataset. */
  queries: Int32Array;
}

const listsCache = new WeakMap<Dataset, NeighbourLists>();
const accuracyCache = new WeakMap<Dataset, Map<number, Float64Array>>();

function neighbourLists(dataset: Dataset): NeighbourLists {
  const cached = listsCache.get(dataset);
  if (cached) return cached;
  const T = dataset.nQueries;
  const width = Math.max(...QUERY_NEIGHBOUR_CANDIDATES, QUERY_NEIGHBOURS);
  const text = (t: number): string | undefined => {
    const q = dataset.questions?.[t];
    const choices = dataset.choiceTexts?.[t];
    return q === undefined && choices === undefined ? undefined : [q ?? '', ...(choices ?? [])].join('\n');
  };
  const docs = dataset.splitIndices('train').filter((t) => text(t) !== undefined);
  const position = new Map<number, number>();
  docs.forEach((t, d) => position.set(t, d));
  const index = docs.length > 0 ? new TfidfIndex(Array.from(docs, (t) => text(t)!)) : undefined;
  const queries = new Int32Array(T * width).fill(-1);
  for (let t = 0; t < T; t++) {
    const own = text(t);
    if (own === undefined || !index) continue;
    index.nearest(own, width, position.get(t) ?? -1).forEach(({ doc }, at) => (queries[t * width + at] = docs[doc]));
  }
  const lists = { width, queries };
  listsCache.set(dataset, lists);
  return lists;
}

/**
 * Each model's accuracy on the `k` train questions whose text is most similar to each query's (TF-IDF cosine over
 * question and choice texts, `TfidfIndex`), row-major T x N: what the kNN router reads, as numbers the Decider can
 * weigh (`deciderQueryAccuracy`). Only train labels are read; a train query never counts itself (leave-one-out). A
 * query without text, or sharing no term with any train question, gets each model's accuracy on the whole train
 * split. Computed once per dataset and k.
 */
export function queryModelAccuracy(dataset: Dataset, k = QUERY_NEIGHBOURS): Float64Array {
  let byK = accuracyCache.get(dataset);
  if (!byK) accuracyCache.set(dataset, (byK = new Map()));
  const cached = byK.get(k);
  if (cached) return cached;
  if (!(Number.isInteger(k) && k >= 1 && k <= Math.max(...QUERY_NEIGHBOUR_CANDIDATES))) {
    throw new RangeError(`queryModelAccuracy: k must be an integer in [1, ${Math.max(...QUERY_NEIGHBOUR_CANDIDATES)}], got ${k}`);
  }
  const N = dataset.nModels;
  const T = dataset.nQueries;
  const train = dataset.splitIndices('train');
  const fallback = train.length > 0 ? dataset.modelAccuracies(train) : new Float64Array(N);
  const { width, queries } = neighbourLists(dataset);
  const out = new Float64Array(T * N);
  const correct = dataset.correct;
  for (let t = 0; t < T; t++) {
    let m = 0;
    for (; m < k && queries[t * width + m] >= 0; m++) {
      const s = queries[t * width + m];
      for (let i = 0; i < N; i++) out[t * N + i] += correct[s * N + i];
    }
    if (m === 0) out.set(fallback, t * N);
    else for (let i = 0; i < N; i++) out[t * N + i] /= m;
  }
  byK.set(k, out);
  return out;
}

/**
 * The neighbour count of `queryModelAccuracy` for this dataset, chosen on its train split alone: the candidate
 * (`QUERY_NEIGHBOUR_CANDIDATES`) whose router (each train query sent to the model most accurate on its k nearest
 * other train questions, ties to the better model on all of train) is right most often, leave-one-out; ties go to
 * the smaller k, as the kNN router baseline's do.
 */
export function chooseQueryNeighbours(dataset: Dataset): { k: number; accuracy: number } {
  const train = dataset.splitIndices('train');
  const N = dataset.nModels;
  const overall = dataset.modelAccuracies(train);
  const rank = Int32Array.from({ length: N }, (_, i) => i).sort((a, b) => overall[b] - overall[a] || a - b);
  const position = new Int32Array(N);
  rank.forEach((model, at) => (position[model] = at));
  let best = { k: QUERY_NEIGHBOUR_CANDIDATES[0], accuracy: -1 };
  for (const k of QUERY_NEIGHBOUR_CANDIDATES) {
    const acc = queryModelAccuracy(dataset, k);
    let right = 0;
    for (const t of train) {
      let routed = rank[0];
      for (let i = 0; i < N; i++) {
        const a = acc[t * N + i];
        const b = acc[t * N + routed];
        if (a > b || (a === b && position[i] < position[routed])) routed = i;
      }
      right += dataset.correct[t * N + routed];
    }
    const accuracy = train.length > 0 ? right / train.length : 0;
    if (accuracy > best.accuracy) best = { k, accuracy };
  }
  return best;
}
