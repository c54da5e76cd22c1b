import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Dataset, TEST, TRAIN } from '../../src/data/dataset';
import { bestSingleBaseline } from '../../src/baselines/single';
import { resolveConfig } from '../../src/train/config';
import { minimumTrainQueries, trainPerSubtask, trainRlFocal } from '../../src/train/train-rl-focal';

/**
 * Issue 12: "defaults must run on any pool a user brings (small subtasks, one subtask, 43 models, one-hot answers or
 * probabilities)". Pools drawn at random in those directions, trained with the library's default configuration:
 * every one trains and serves its test split, in the shape every method reports, and the same seed gives the same
 * answers.
 */

interface PoolShape {
  nModels: number;
  /** Train and test queries of each subtask. */
  subtasks: Array<{ train: number; test: number }>;
  oneHot: boolean;
  seed: number;
}

/** A pool of the given shape: 2-6 choices per query, models of mixed skill, some abstentions (all-zero rows). */
function poolOf(shape: PoolShape): Dataset {
  let state = shape.seed >>> 0 || 1;
  const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const N = shape.nModels;
  const choiceCounts: number[] = [];
  const labels: number[] = [];
  const probs: number[] = [];
  const subtaskIds: number[] = [];
  const split: number[] = [];
  shape.subtasks.forEach(({ train, test }, s) => {
    for (let q = 0; q < train + test; q++) {
      const C = 2 + Math.floor(rand() * 5);
      const label = Math.floor(rand() * C);
      choiceCounts.push(C);
      labels.push(label);
      subtaskIds.push(s);
      split.push(q < train ? TRAIN : TEST);
      for (let i = 0; i < N; i++) {
        const skill = 0.3 + (0.6 * (i + 1)) / (N + 1);
        const abstains = rand() < 0.03;
        const answer = rand() < skill ? label : Math.floor(rand() * C);
        for (let c = 0; c < C; c++) {
          if (abstains) probs.push(0);
          else if (shape.oneHot) probs.push(c === answer ? 1 : 0);
          else probs.push(c === answer ? 0.5 + 0.5 * rand() : (0.5 * rand()) / C);
        }
      }
    }
  });
  const T = labels.length;
  return new Dataset({
    models: Array.from({ length: N }, (_, i) => ({ id: `model-${i}` })),
    choiceCounts: Uint8Array.from(choiceCounts),
    labels: Int32Array.from(labels),
    probs: Float64Array.from(probs),
    taskIds: new Uint16Array(T),
    taskNames: ['any'],
    subtaskIds: Uint16Array.from(subtaskIds),
    subtaskNames: shape.subtasks.map((_, s) => `subtask-${s}`),
    split: Uint8Array.from(split),
    provenance: { kind: 'synthetic', source: 'any-pool property test' },
  });
}

const shapes = fc.record({
  nModels: fc.constantFrom(1, 2, 3, 5, 11, 43),
  subtasks: fc.array(fc.record({ train: fc.integer({ min: 1, max: 60 }), test: fc.integer({ min: 1, max: 15 }) }), { minLength: 1, maxLength: 4 }),
  oneHot: fc.boolean(),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
});

describe('train: the default configuration on any pool a user brings (issue 12)', function () {
  this.timeout(120_000);

  it('trains and serves every drawn pool, per subtask and as one stream, within [0, 1] and at most N calls per query', () => {
    const defaults = resolveConfig({});
    fc.assert(
      fc.property(shapes, (shape) => {
        const data = poolOf(shape);
        const testQueries = data.splitIndices('test').length;
        const trainQueries = data.splitIndices('train').length;
        const runs = [];
        if (trainQueries >= minimumTrainQueries(defaults, trainQueries)) runs.push(trainRlFocal(data, { seed: 1 }).test);
        else assert.throws(() => trainRlFocal(data, { seed: 1 }), /RlFocalConfig\.window: .* too few of the \d+ train queries/);
        if (shape.subtasks.length > 1) {
          const trainable = shape.subtasks.filter((s) => s.train >= minimumTrainQueries(defaults, s.train));
          if (trainable.length === 0) {
            assert.throws(() => trainPerSubtask(data, { seed: 1 }), /no subtask with test queries has enough train queries/);
          } else {
            const perSubtask = trainPerSubtask(data, { seed: 1 });
            assert.equal(perSubtask.runs.length, trainable.length);
            assert.equal(perSubtask.untrainedSubtasks.length, shape.subtasks.length - trainable.length);
            for (const u of perSubtask.untrainedSubtasks) assert.match(u.servedBy ?? '', /^best single of the whole pool/);
            // Their test queries get the answers of the pool's best single model.
            const best = bestSingleBaseline(data);
            const tooShort = new Set(perSubtask.untrainedSubtasks.map((u) => u.subtask));
            const testIdx = data.splitIndices('test');
            testIdx.forEach((t, q) => {
              if (tooShort.has(data.subtaskNames[data.subtaskIds[t]])) assert.equal(perSubtask.test.predictions[q], best.predictions[q]);
            });
            runs.push(perSubtask.test, perSubtask.learned);
          }
        }
        for (const test of runs) {
          assert.equal(test.correct.length, testQueries);
          assert.ok(test.accuracy >= 0 && test.accuracy <= 1);
          assert.ok(test.cost.callsPerQuery >= 0 && test.cost.callsPerQuery <= shape.nModels + 1e-9);
        }
      }),
      { numRuns: 12, seed: 12 },
    );
  });

  it('a subtask with train queries but none to test is listed, not trained, and not an error', () => {
    const data = poolOf({ nModels: 3, subtasks: [{ train: 30, test: 8 }, { train: 20, test: 0 }], oneHot: false, seed: 5 });
    const run = trainPerSubtask(data, { seed: 2 });
    assert.equal(run.runs.length, 1);
    assert.deepEqual(run.untrainedSubtasks, [{ subtask: 'subtask-1', trainQueries: 20, testQueries: 0, servedBy: null }]);
    assert.equal(run.test.correct.length, 8);
  });

  it('the same seed gives the same answers on such a pool', () => {
    const data = poolOf({ nModels: 5, subtasks: [{ train: 7, test: 3 }, { train: 40, test: 10 }], oneHot: true, seed: 99 });
    const a = trainPerSubtask(data, { seed: 3 }).test;
    const b = trainPerSubtask(data, { seed: 3 }).test;
    assert.deepEqual(a.predictions, b.predictions);
  });
});
