import { CostMeter } from '../data/cost';
import type { Dataset, SplitName } from '../data/dataset';
import type { MethodIdentity } from '../eval/method-kind';
import { macroAccuracy, microAccuracy, type MethodResult } from '../eval/result';

/**
 * A serving rule: given query t, record on the meter which models it called (exactly once per query) and return
 * the final answer (-1 = none).
 */
export type ServingRule = (t: number, meter: CostMeter) => number;

/** Runs a rule over one split in stream order and packages the shared result shape, labelled by `identity`. */
export function evaluateRule(
  dataset: Dataset,
  split: SplitName,
  identity: MethodIdentity,
  rule: ServingRule,
  details?: Record<string, unknown>,
): MethodResult {
  const queries = dataset.splitIndices(split);
  const meter = new CostMeter(dataset.models);
  const predictions = new Int32Array(queries.length);
  const correct = new Uint8Array(queries.length);
  const subtasks = new Uint16Array(queries.length);
  for (let q = 0; q < queries.length; q++) {
    const t = queries[q];
    const answer = rule(t, meter);
    predictions[q] = answer;
    correct[q] = answer === dataset.labels[t] ? 1 : 0;
    subtasks[q] = dataset.subtaskIds[t];
  }
  const cost = meter.summary();
  if (cost.queries !== queries.length) {
    throw new Error(`evaluateRule(${identity.method}): the rule recorded ${cost.queries} served queries for ${queries.length} queries`);
  }
  return {
    ...identity,
    split,
    accuracy: microAccuracy(correct),
    accuracyMacro: macroAccuracy(correct, subtasks),
    correct,
    predictions,
    cost,
    details,
  };
}

/** The queries of one split grouped by subtask id, each group in stream order. */
export function queriesBySubtask(dataset: Dataset, split: SplitName): Map<number, Int32Array> {
  const groups = new Map<number, number[]>();
  for (const t of dataset.splitIndices(split)) {
    const s = dataset.subtaskIds[t];
    let g = groups.get(s);
    if (!g) groups.set(s, (g = []));
    g.push(t);
  }
  const out = new Map<number, Int32Array>();
  for (const [s, g] of groups) out.set(s, Int32Array.from(g));
  return out;
}

/**
 * A per-subtask choice made on train, with the overall-train choice as the fallback for subtasks that have no
 * training queries (counted in `fallbackSubtasks` so nothing is hidden).
 */
export function choosePerSubtask<T>(
  dataset: Dataset,
  choose: (trainQueries: Int32Array) => T,
): { choiceFor: (subtaskId: number) => T; perSubtask: Map<number, T>; fallbackSubtasks: string[] } {
  const trainGroups = queriesBySubtask(dataset, 'train');
  const perSubtask = new Map<number, T>();
  for (const [s, queries] of trainGroups) perSubtask.set(s, choose(queries));
  let overall: T | undefined;
  const fallbackSubtasks: string[] = [];
  for (const s of queriesBySubtask(dataset, 'test').keys()) {
    if (!perSubtask.has(s)) fallbackSubtasks.push(dataset.subtaskNames[s]);
  }
  return {
    perSubtask,
    fallbackSubtasks,
    choiceFor: (s) => {
      const chosen = perSubtask.get(s);
      if (chosen !== undefined) return chosen;
      overall ??= choose(dataset.splitIndices('train'));
      return overall;
    },
  };
}
