import type { Dataset } from '../data/dataset';
import { Rng } from '../util/rng';
import { evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import { rankModelsByAccuracy, type EvalOptions } from './single';

export interface GreedyOptions extends EvalOptions {
  /** Number of top models (by training accuracy) the rule picks from; 1 <= k <= N. */
  k: number;
  seed: number;
}

function topK(dataset: Dataset, k: number, who: string): Int32Array {
  if (!(Number.isInteger(k) && k >= 1 && k <= dataset.nModels)) {
    throw new RangeError(`${who}: k must be an integer in [1, ${dataset.nModels}], got ${k}`);
  }
  return rankModelsByAccuracy(dataset, dataset.splitIndices('train')).slice(0, k);
}

/**
 * Paper Figure 4 (plot 2), "Random Select": the top-k models by training accuracy; each query is answered by one
 * member drawn uniformly at random. Only that member is called.
 */
export function randomSelectBaseline(dataset: Dataset, options: GreedyOptions): MethodResult {
  const members = topK(dataset, options.k, 'randomSelectBaseline');
  const rng = new Rng(options.seed).fork(`random-select/k=${options.k}`);
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  const single = [0];
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'random-select', method: `random select (top-${options.k})` },
    (t, meter) => {
      const model = members[rng.int(members.length)];
      single[0] = model;
      meter.record(single);
      return predictions[t * N + model];
    },
    { k: options.k, seed: options.seed, members: Array.from(members, (i) => dataset.models[i].id) },
  );
}

/**
 * Paper Figure 4 (plot 2), "Choose Latest Correct": the top-k models by training accuracy; each query is answered
 * by the member that was correct most recently in the evaluated stream (on the previous query if any member was
 * right there, else further back), drawing uniformly among ties; before any feedback all members tie. Knowing who
 * was right needs every member's answer, so all k members are called on every query. History starts empty at the
 * start of the evaluated split.
 */
export function latestCorrectBaseline(dataset: Dataset, options: GreedyOptions): MethodResult {
  const members = topK(dataset, options.k, 'latestCorrectBaseline');
  const rng = new Rng(options.seed).fork(`latest-correct/k=${options.k}`);
  const N = dataset.nModels;
  const k = members.length;
  const predictions = dataset.predictions;
  const lastCorrect = new Float64Array(k).fill(-1);
  const tied = new Int32Array(k);
  let step = 0;
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'latest-correct', method: `latest correct (top-${options.k})` },
    (t, meter) => {
      meter.record(members);
      let latest = -Infinity;
      let nTied = 0;
      for (let j = 0; j < k; j++) {
        if (lastCorrect[j] > latest) {
          latest = lastCorrect[j];
          nTied = 0;
        }
        if (lastCorrect[j] === latest) tied[nTied++] = j;
      }
      const chosen = members[tied[nTied === 1 ? 0 : rng.int(nTied)]];
      const answer = predictions[t * N + chosen];
      const y = dataset.labels[t];
      for (let j = 0; j < k; j++) if (predictions[t * N + members[j]] === y) lastCorrect[j] = step;
      step++;
      return answer;
    },
    { k: options.k, seed: options.seed, members: Array.from(members, (i) => dataset.models[i].id) },
  );
}
