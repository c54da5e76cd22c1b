import type { Dataset } from '../data/dataset';
import { evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import { rankModelsByAccuracy, type EvalOptions } from './single';

export interface WindowLeaderOptions extends EvalOptions {
  /** How many of the previous queries of the stream count (RL-Focal's `window`); >= 1. */
  window: number;
  /** Keep one window per subtask (the per-subtask protocol); default false: one window over the whole stream. */
  perSubtask?: boolean;
}

/**
 * Follow the recent leader: each query goes to the one model that was right most often on the previous `window`
 * queries of the stream (of its subtask with `perSubtask`), ties and an empty window to the better model on train
 * (on the subtask's train queries with `perSubtask`). One call per query.
 *
 * It reads what RL-Focal's Decider can learn about the stream, the outcomes of the last w queries (on the test split
 * those are earlier test queries, revealed after they were served, as in Algorithm 2's online updates), per model
 * (the default Decider sees its current team's metrics over that window; `deciderModelAccuracy` adds these per-model
 * outcomes), and nothing about the query itself. When it loses to the best single model (or to Max Expert per
 * subtask), the recent stream's per-model record does not tell which model will be right next better than train
 * already did. It does not adapt its window to short subtasks as RL-Focal does (`adaptWindow`).
 */
export function windowLeaderBaseline(dataset: Dataset, options: WindowLeaderOptions): MethodResult {
  const w = options.window;
  if (!(Number.isInteger(w) && w >= 1)) throw new RangeError(`windowLeaderBaseline: window must be an integer >= 1, got ${w}`);
  const perSubtask = options.perSubtask ?? false;
  const N = dataset.nModels;
  const correct = dataset.correct;
  const train = dataset.splitIndices('train');
  if (train.length === 0) throw new RangeError('windowLeaderBaseline: the train split is empty');
  const overall = rankModelsByAccuracy(dataset, train);
  const rankOf = new Map<number, Int32Array>();
  const rankingFor = (key: number): Int32Array => {
    let position = rankOf.get(key);
    if (position === undefined) {
      const queries = perSubtask ? train.filter((t) => dataset.subtaskIds[t] === key) : train;
      const ranking = queries.length > 0 ? rankModelsByAccuracy(dataset, queries) : overall;
      position = new Int32Array(N);
      ranking.forEach((model, at) => (position![model] = at));
      rankOf.set(key, position);
    }
    return position;
  };
  // One pass over the whole stream in order: the choice for t is made before t's outcome joins its window.
  const windows = new Map<number, { queries: number[]; hits: Int32Array }>();
  const choice = new Int32Array(dataset.nQueries);
  for (let t = 0; t < dataset.nQueries; t++) {
    const key = perSubtask ? dataset.subtaskIds[t] : 0;
    let window = windows.get(key);
    if (window === undefined) windows.set(key, (window = { queries: [], hits: new Int32Array(N) }));
    const position = rankingFor(key);
    let best = -1;
    for (let i = 0; i < N; i++) {
      if (best < 0 || window.hits[i] > window.hits[best] || (window.hits[i] === window.hits[best] && position[i] < position[best])) best = i;
    }
    choice[t] = best;
    window.queries.push(t);
    for (let i = 0; i < N; i++) window.hits[i] += correct[t * N + i];
    if (window.queries.length > w) {
      const old = window.queries.shift()!;
      for (let i = 0; i < N; i++) window.hits[i] -= correct[old * N + i];
    }
  }
  const predictions = dataset.predictions;
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'window-leader', perSubtask, method: `recent leader (the model right most often on the last ${w} queries${perSubtask ? ' of its subtask' : ''})` },
    (t, meter) => {
      meter.record([choice[t]]);
      return predictions[t * N + choice[t]];
    },
    { window: w },
  );
}
