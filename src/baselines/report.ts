import type { Dataset } from '../data/dataset';
import type { MethodResult } from '../eval/result';

/** One flat table row per result (for writeTable / showTable / the CLI). */
export interface ResultRow {
  method: string;
  split: string;
  queries: number;
  accuracy: number;
  accuracyMacro: number;
  callsPerQuery: number;
  costPer1000: number;
}

export function resultRows(results: readonly MethodResult[]): ResultRow[] {
  return results.map((r) => ({
    method: r.method,
    split: r.split,
    queries: r.correct.length,
    accuracy: r.accuracy,
    accuracyMacro: r.accuracyMacro ?? NaN,
    callsPerQuery: r.cost.callsPerQuery,
    costPer1000: r.cost.costPer1000,
  }));
}

/**
 * Accuracy of one result on each subtask of the split it was evaluated on (the result must come from this
 * dataset: its queries are `dataset.splitIndices(result.split)`, in order).
 */
export function subtaskBreakdown(dataset: Dataset, result: MethodResult): Array<{ method: string; subtask: string; queries: number; accuracy: number }> {
  const queries = dataset.splitIndices(result.split);
  if (queries.length !== result.correct.length) {
    throw new RangeError(`subtaskBreakdown: "${result.method}" has ${result.correct.length} queries, the ${result.split} split has ${queries.length}`);
  }
  const hits = new Map<number, number>();
  const counts = new Map<number, number>();
  for (let q = 0; q < queries.length; q++) {
    const s = dataset.subtaskIds[queries[q]];
    hits.set(s, (hits.get(s) ?? 0) + result.correct[q]);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return Array.from(counts, ([s, n]) => ({ method: result.method, subtask: dataset.subtaskNames[s], queries: n, accuracy: hits.get(s)! / n }));
}
