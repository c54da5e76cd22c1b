import type { Dataset } from '../data/dataset';
import { TfidfIndex } from '../data/text-index';

/** Train questions whose answers make one query's estimate (fixed, ours; not tuned). */
export const QUERY_NEIGHBOURS = 20;

const cache = new WeakMap<Dataset, Float64Array>();

/**
 * Each model's accuracy on the `QUERY_NEIGHBOURS` train questions whose text is most similar to each query's
 * (TF-IDF cosine over question and choice texts, `TfidfIndex`), row-major T x N: what the kNN router reads, as
 * numbers the Decider can weigh (`deciderQueryAccuracy`). Only train labels are read; a train query never counts
 * itself (leave-one-out). A query without text, or sharing no term with any train question, gets each model's
 * accuracy on the whole train split. Computed once per dataset.
 */
export function queryModelAccuracy(dataset: Dataset): Float64Array {
  const cached = cache.get(dataset);
  if (cached) return cached;
  const N = dataset.nModels;
  const T = dataset.nQueries;
  const train = dataset.splitIndices('train');
  const text = (t: number): string | undefined => {
    const q = dataset.questions?.[t];
    const choices = dataset.choiceTexts?.[t];
    return q === undefined && choices === undefined ? undefined : [q ?? '', ...(choices ?? [])].join('\n');
  };
  const docs = train.filter((t) => text(t) !== undefined);
  const position = new Map<number, number>();
  docs.forEach((t, d) => position.set(t, d));
  const fallback = train.length > 0 ? dataset.modelAccuracies(train) : new Float64Array(N);
  const out = new Float64Array(T * N);
  const index = docs.length > 0 ? new TfidfIndex(Array.from(docs, (t) => text(t)!)) : undefined;
  const correct = dataset.correct;
  for (let t = 0; t < T; t++) {
    const own = text(t);
    const neighbours = own === undefined || !index ? [] : index.nearest(own, QUERY_NEIGHBOURS, position.get(t) ?? -1);
    if (neighbours.length === 0) {
      out.set(fallback, t * N);
      continue;
    }
    for (const { doc } of neighbours) {
      const s = docs[doc];
      for (let i = 0; i < N; i++) out[t * N + i] += correct[s * N + i];
    }
    for (let i = 0; i < N; i++) out[t * N + i] /= neighbours.length;
  }
  cache.set(dataset, out);
  return out;
}
