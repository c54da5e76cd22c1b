import type { Dataset } from '../data/dataset';
import { evaluateRule } from './evaluate';
import type { MethodResult } from '../eval/result';
import type { EvalOptions } from './single';

export interface SelfConsistencyOptions extends EvalOptions {
  /** Samples drawn per query (each one a paid call); 10 for the paper's GSM8k data. */
  samples: number;
}

/**
 * Self-consistency / More Agents (Li et al. 2024, "sampling and voting") for one model. On sampled-answer data
 * the model's probability row is the normalised answer frequency over its samples, so the majority (plurality)
 * over the samples is exactly the row's argmax, i.e. `dataset.predictions` (ties -> lowest index). The method
 * only differs from the single model in its cost: `samples` calls per query. On log-likelihood data (BBH) there
 * are no samples and this baseline does not apply.
 */
export function selfConsistencyBaseline(dataset: Dataset, model: number, options: SelfConsistencyOptions): MethodResult {
  if (!(model >= 0 && model < dataset.nModels)) throw new RangeError(`selfConsistencyBaseline: model ${model} out of range [0, ${dataset.nModels})`);
  if (!(Number.isInteger(options.samples) && options.samples >= 1)) {
    throw new RangeError(`selfConsistencyBaseline: samples must be an integer >= 1, got ${options.samples}`);
  }
  const N = dataset.nModels;
  const predictions = dataset.predictions;
  const calls = new Array<number>(options.samples).fill(model);
  return evaluateRule(
    dataset,
    options.split ?? 'test',
    { kind: 'self-consistency', method: `self-consistency: ${dataset.models[model].id} x${options.samples}` },
    (t, meter) => {
      meter.record(calls);
      return predictions[t * N + model];
    },
    { model: dataset.models[model].id, samples: options.samples },
  );
}
