import type { Dataset, SplitName } from '../data/dataset';
import { choosePerSubtask, evaluateRule } from './evaluate';
import { withIdentity, type MethodResult } from '../eval/result';

export interface EvalOptions {
  /** Split to evaluate on; choices are always made on train. Default 'test'. */
  split?: SplitName;
}

/** Model indices ordered by accuracy on the given queries, best first (ties -> lower index first). */
export function rankModelsByAccuracy(dataset: Dataset, queries: ArrayLike<number>): Int32Array {
  if (queries.length === 0) throw new RangeError('rankModelsByAccuracy: no queries to rank the models on (empty train split?)');
  const acc = dataset.modelAccuracies(queries);
  return Int32Array.from(
    Array.from({ length: dataset.nModels }, (_, i) => i).sort((a, b) => acc[b] - acc[a] || a - b),
  );
}

/** Always answer with one given model: one call per query. */
export function singleModelBaseline(dataset: Dataset, model: number, options: EvalOptions = {}): MethodResult {
  if (!(model >= 0 && model < dataset.nModels)) throw new RangeError(`singleModelBaseline: model ${model} out of range [0, ${dataset.nModels})`);
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  const team = [model];
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'single', method: `single: ${dataset.models[model].id}` },
    (t, meter) => {
      meter.record(team);
      return predictions[t * N + model];
    },
    { model: dataset.models[model].id },
  );
}

/** The model with the best training accuracy over the whole train split, evaluated on the chosen split. */
export function bestSingleBaseline(dataset: Dataset, options: EvalOptions = {}): MethodResult {
  const train = dataset.splitIndices('train');
  const ranking = rankModelsByAccuracy(dataset, train);
  const best = ranking[0];
  const result = singleModelBaseline(dataset, best, options);
  return {
    ...withIdentity(result, { kind: 'best-single', perSubtask: false, method: 'best single (chosen on train)' }),
    details: { model: dataset.models[best].id, trainAccuracies: Array.from(dataset.modelAccuracies(train)) },
  };
}

/** For each subtask, the model with the best training accuracy on that subtask. */
export function bestSinglePerSubtaskBaseline(dataset: Dataset, options: EvalOptions = {}): MethodResult {
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  const choice = choosePerSubtask(dataset, (train) => rankModelsByAccuracy(dataset, train)[0]);
  const teams = new Map<number, number[]>();
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'best-single', perSubtask: true, method: 'best single per subtask (chosen on train)' },
    (t, meter) => {
      const model = choice.choiceFor(dataset.subtaskIds[t]);
      let team = teams.get(model);
      if (!team) teams.set(model, (team = [model]));
      meter.record(team);
      return predictions[t * N + model];
    },
    {
      modelPerSubtask: Object.fromEntries(
        Array.from(choice.perSubtask, ([s, m]) => [dataset.subtaskNames[s], dataset.models[m].id]),
      ),
      fallbackSubtasks: choice.fallbackSubtasks,
    },
  );
}
