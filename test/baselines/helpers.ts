import * as fs from 'node:fs';
import * as path from 'node:path';
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

export const BBH_DIR = path.resolve(__dirname, '../../../shared/data/bbh-leaderboard');

/**
 * Test-local reader of the bbh-leaderboard folder (used until src/data has its reader): softmax over the
 * log-likelihoods, predictions = argmax of the raw scores with ties -> lowest index.
 */
export function loadBbhForTest(): Dataset {
  const models = JSON.parse(fs.readFileSync(path.join(BBH_DIR, 'models.json'), 'utf8')).models as Array<{ id: string; params_b?: number; family?: string }>;
  const lines = fs.readFileSync(path.join(BBH_DIR, 'outputs.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const N = models.length;
  const T = lines.length;
  const choiceCounts = new Uint8Array(T);
  const labels = new Int32Array(T);
  const subtaskIds = new Uint16Array(T);
  const split = new Uint8Array(T);
  const predictions = new Int32Array(T * N);
  const probs: number[] = [];
  const subtaskNames: string[] = [];
  lines.forEach((line, t) => {
    const r = JSON.parse(line);
    choiceCounts[t] = r.choices;
    labels[t] = r.label;
    split[t] = r.split === 'train' ? TRAIN : TEST;
    let s = subtaskNames.indexOf(r.subtask);
    if (s < 0) s = subtaskNames.push(r.subtask) - 1;
    subtaskIds[t] = s;
    for (let i = 0; i < N; i++) {
      const scores: number[] = r.scores[models[i].id].map((v: number) => Math.fround(v));
      let best = 0;
      for (let k = 1; k < scores.length; k++) if (scores[k] > scores[best]) best = k;
      predictions[t * N + i] = best;
      const exps = scores.map((v) => Math.exp(v - scores[best]));
      const sum = exps.reduce((a, b) => a + b, 0);
      for (const e of exps) probs.push(e / sum);
    }
  });
  return new Dataset({
    models: models.map((m) => ({ id: m.id, paramsB: m.params_b, family: m.family })),
    choiceCounts,
    labels,
    probs: Float64Array.from(probs),
    predictions,
    taskIds: new Uint16Array(T),
    taskNames: ['bbh'],
    subtaskIds,
    subtaskNames,
    split,
    provenance: { kind: 'real', source: 'real recorded outputs: bbh-leaderboard (5 LLMs, BBH), test-local reader' },
  });
}
