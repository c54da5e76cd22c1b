import { Dataset, TEST, TRAIN } from '../../src/data/dataset';
import { Rng } from '../../src/util/rng';

/**
 * Small pools whose right answer is known, for learning tests.
 *
 * Each topic has an `expert` model that answers correctly with probability `expertAccuracy` (confidently); the
 * other models guess. With `wrongMajority`, the non-experts agree on one shared wrong answer most of the time, so
 * that plurality and soft voting of the whole pool are usually wrong and only following the expert works.
 */
export interface TopicSpec {
  name: string;
  expert: number;
  queries: number;
}

export interface SyntheticPoolOptions {
  topics: TopicSpec[];
  nModels: number;
  nChoices: number | number[];
  seed: number;
  expertAccuracy?: number;
  wrongMajority?: boolean;
  trainFraction?: number;
  prices?: number[];
}

export function syntheticPool(options: SyntheticPoolOptions): Dataset {
  const rng = new Rng(options.seed);
  const N = options.nModels;
  const choiceList = Array.isArray(options.nChoices) ? options.nChoices : [options.nChoices];
  const expertAccuracy = options.expertAccuracy ?? 1;
  const trainFraction = options.trainFraction ?? 0.75;
  const choiceCounts: number[] = [];
  const labels: number[] = [];
  const probs: number[] = [];
  const subtaskIds: number[] = [];
  const split: number[] = [];
  options.topics.forEach((topic, s) => {
    for (let q = 0; q < topic.queries; q++) {
      const C = choiceList[rng.int(choiceList.length)];
      const label = rng.int(C);
      const shared = (label + 1 + rng.int(C - 1)) % C;
      const useShared = options.wrongMajority && rng.next() < 0.8;
      choiceCounts.push(C);
      labels.push(label);
      subtaskIds.push(s);
      split.push(q < Math.floor(trainFraction * topic.queries) ? TRAIN : TEST);
      for (let i = 0; i < N; i++) {
        let vote: number;
        if (i === topic.expert) vote = rng.next() < expertAccuracy ? label : (label + 1 + rng.int(C - 1)) % C;
        else vote = useShared ? shared : rng.int(C);
        const confidence = i === topic.expert ? 0.9 : 0.6 + 0.3 * rng.next();
        for (let c = 0; c < C; c++) probs.push(c === vote ? confidence : (1 - confidence) / (C - 1));
      }
    }
  });
  return new Dataset({
    models: Array.from({ length: N }, (_, i) => ({ id: `m${i}`, priceCents: options.prices?.[i] ?? 0.1 * (i + 1) })),
    choiceCounts: Uint8Array.from(choiceCounts),
    labels: Int32Array.from(labels),
    probs: Float64Array.from(probs),
    taskIds: new Uint16Array(labels.length),
    taskNames: ['synthetic'],
    subtaskIds: Uint16Array.from(subtaskIds),
    subtaskNames: options.topics.map((t) => t.name),
    split: Uint8Array.from(split),
    provenance: { kind: 'synthetic', source: 'test/train/synthetic-pool.ts' },
  });
}
