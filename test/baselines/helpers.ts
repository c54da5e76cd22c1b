import { Dataset, TEST, TRAIN, type ModelInfo } from '../../src/data/dataset';

/**
 * A small dataset written by hand: `probs[t][i]` is model i's probability row on query t (all queries of a row
 * share its length); predictions are derived by the Dataset (argmax, ties -> lowest, all zeros -> abstained).
 */
export function handDataset(spec: {
  probs: number[][][];
  labels: number[];
  split?: Array<'train' | 'test'>;
  subtasks?: string[];
  models?: ModelInfo[];
}): Dataset {
  const T = spec.labels.length;
  const N = spec.probs[0].length;
  const subtaskNames: string[] = [];
  const subtaskIds = new Uint16Array(T);
  for (let t = 0; t < T; t++) {
    const name = spec.subtasks?.[t] ?? 'all';
    let at = subtaskNames.indexOf(name);
    if (at < 0) at = subtaskNames.push(name) - 1;
    subtaskIds[t] = at;
  }
  return new Dataset({
    models: spec.models ?? Array.from({ length: N }, (_, i) => ({ id: `m${i}`, priceCents: i + 1 })),
    choiceCounts: Uint8Array.from(spec.probs, (row) => row[0].length),
    labels: Int32Array.from(spec.labels),
    probs: Float64Array.from(spec.probs.flat(2)),
    taskIds: new Uint16Array(T),
    taskNames: ['toy'],
    subtaskIds,
    subtaskNames,
    split: Uint8Array.from({ length: T }, (_, t) => ((spec.split?.[t] ?? 'test') === 'train' ? TRAIN : TEST)),
    provenance: { kind: 'synthetic', source: 'hand-made test fixture' },
  });
}

/** A one-hot row over c choices (the model answers `choice`); choice -1 = abstention. */
export function oneHot(choice: number, c: number): number[] {
  return Array.from({ length: c }, (_, k) => (k === choice ? 1 : 0));
}

/** Hand-made dataset from predicted choices only: `answers[t][i]` = model i's answer on query t. */
export function answersDataset(spec: {
  answers: number[][];
  labels: number[];
  choices?: number;
  split?: Array<'train' | 'test'>;
  subtasks?: string[];
  models?: ModelInfo[];
}): Dataset {
  const c = spec.choices ?? 4;
  return handDataset({ ...spec, probs: spec.answers.map((row) => row.map((a) => oneHot(a, c))) });
}
