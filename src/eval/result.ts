import { costSummary, type CostSummary } from '../data/cost';
import type { ModelInfo, SplitName } from '../data/dataset';
import type { MethodIdentity } from './method-kind';

/**
 * What every method (RL-Focal and each baseline) reports about one evaluation pass, so tables and figures can put
 * them side by side. `correct` and `predictions` are per query of the evaluated split, in stream order
 * (the order of `dataset.splitIndices(split)`). Look a method up by its `kind` (see `findMethod`), never by the label.
 */
export interface MethodResult extends MethodIdentity {
  split: SplitName;
  /** Micro accuracy: over all evaluated queries. */
  accuracy: number;
  /** Macro accuracy: mean of the per-subtask accuracies (only when the split spans several subtasks). */
  accuracyMacro?: number;
  correct: Uint8Array;
  /** Final answer per query, -1 = no answer (counts as wrong). */
  predictions: Int32Array;
  cost: CostSummary;
  details?: Record<string, unknown>;
}

export function microAccuracy(correct: ArrayLike<number>): number {
  if (correct.length === 0) return NaN;
  let hits = 0;
  for (let q = 0; q < correct.length; q++) hits += correct[q];
  return hits / correct.length;
}

/** Accuracy per subtask id, for the subtasks that occur (aligned arrays `correct[q]`, `subtaskIds[q]`). */
export function subtaskAccuracies(correct: ArrayLike<number>, subtaskIds: ArrayLike<number>): Map<number, number> {
  if (correct.length !== subtaskIds.length) {
    throw new RangeError(`subtaskAccuracies: ${correct.length} correctness values but ${subtaskIds.length} subtask ids`);
  }
  const hits = new Map<number, number>();
  const counts = new Map<number, number>();
  for (let q = 0; q < correct.length; q++) {
    const s = subtaskIds[q];
    hits.set(s, (hits.get(s) ?? 0) + correct[q]);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const out = new Map<number, number>();
  for (const [s, n] of counts) out.set(s, hits.get(s)! / n);
  return out;
}

/** Mean of the per-subtask accuracies: every subtask weighs the same whatever its size. */
export function macroAccuracy(correct: ArrayLike<number>, subtaskIds: ArrayLike<number>): number {
  const per = subtaskAccuracies(correct, subtaskIds);
  if (per.size === 0) return NaN;
  let sum = 0;
  for (const a of per.values()) sum += a;
  return sum / per.size;
}

/**
 * One result from results on disjoint parts (e.g. one per subtask, each from its own agent), concatenated in the
 * given order. Micro accuracy is recomputed over all queries; macro accuracy is the mean of the parts' accuracies
 * (the rl-focal code's way of reporting BBH); the cost is recomputed from the summed call counts.
 */
export function combineResults(identity: MethodIdentity, parts: readonly MethodResult[], models: readonly ModelInfo[]): MethodResult {
  if (parts.length === 0) throw new RangeError('combineResults: nothing to combine');
  const split = parts[0].split;
  let total = 0;
  for (const p of parts) {
    if (p.split !== split) throw new RangeError(`combineResults: mixes splits "${split}" and "${p.split}"`);
    if (p.cost.callsPerModel.length !== models.length) {
      throw new RangeError(`combineResults: part "${p.method}" counts calls for ${p.cost.callsPerModel.length} models, expected ${models.length}`);
    }
    total += p.correct.length;
  }
  const correct = new Uint8Array(total);
  const predictions = new Int32Array(total);
  const calls = new Float64Array(models.length);
  let row = 0;
  let macro = 0;
  for (const p of parts) {
    correct.set(p.correct, row);
    predictions.set(p.predictions, row);
    row += p.correct.length;
    macro += p.accuracy;
    for (let i = 0; i < models.length; i++) calls[i] += p.cost.callsPerModel[i];
  }
  return {
    ...identity,
    split,
    accuracy: microAccuracy(correct),
    accuracyMacro: macro / parts.length,
    correct,
    predictions,
    cost: costSummary(models, calls, total),
    details: { parts: parts.map((p) => ({ method: p.method, queries: p.correct.length, accuracy: p.accuracy })) },
  };
}

/**
 * `result` under another identity: kind, variants and label are all replaced, so none of the old identity's variants
 * (a vote's `rule`, a choice's `perSubtask`) survive into a method that does not have them.
 */
export function withIdentity(result: MethodResult, identity: MethodIdentity): MethodResult {
  const { kind: _kind, rule: _rule, perSubtask: _perSubtask, method: _method, ...rest } = result;
  const { kind, rule, perSubtask, method } = identity;
  return { kind, ...(rule !== undefined ? { rule } : {}), ...(perSubtask !== undefined ? { perSubtask } : {}), method, ...rest };
}
