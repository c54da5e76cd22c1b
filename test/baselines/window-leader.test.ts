import assert from 'node:assert/strict';
import fc from 'fast-check';
import { windowLeaderBaseline } from '../../src/baselines/window-leader';
import { bestSingleBaseline } from '../../src/baselines/single';
import { answersDataset } from './helpers';

describe('baselines/window leader (follow the recent leader)', () => {
  // Model 0 is right on the first half of the stream, model 1 on the second; model 2 is right on every third query.
  const T = 40;
  const labels = Array.from({ length: T }, (_, t) => t % 3);
  const wrong = (t: number) => (t % 3) + 1;
  const answers = labels.map((y, t) => [t < 20 ? y : wrong(t), t >= 20 ? y : wrong(t), t % 3 === 0 ? y : wrong(t)]);
  const split = labels.map((_, t) => (t < 10 || (t >= 20 && t < 22) ? 'train' : 'test') as 'train' | 'test');

  it('switches to the model that was right on the last w queries, one call per query', () => {
    const d = answersDataset({ answers, labels, choices: 4, split });
    const r = windowLeaderBaseline(d, { window: 2 });
    assert.equal(r.kind, 'window-leader');
    assert.equal(r.cost.callsPerQuery, 1);
    // Test queries 10..19 and 22..39: wrong only on queries 20 and 21 (train, not scored); query 22 follows the
    // window {20, 21} where model 1 was right both times.
    assert.equal(r.accuracy, 1);
    assert.deepEqual(Array.from(r.cost.callsPerModel), [10, 18, 0]);
  });

  it('an empty window and ties go to the best model on train, so a window of 1 on a constant stream is the best single', () => {
    const constant = answersDataset({ answers: labels.map((y, t) => [wrong(t), y, y]), labels, choices: 4, split });
    const r = windowLeaderBaseline(constant, { window: 1 });
    assert.deepEqual(Array.from(r.cost.callsPerModel), [0, 28, 0]);
    assert.equal(r.accuracy, bestSingleBaseline(constant).accuracy);
  });

  it('per subtask keeps one window per subtask', () => {
    // Interleaved subtasks, model 0 right on the even ones, model 1 on the odd ones: the last query of the whole stream
    // belongs to the other subtask (wrong expert every time), the last query of the same subtask to this one.
    const interleaved = labels.map((y, t) => (t % 2 === 0 ? [y, wrong(t), wrong(t)] : [wrong(t), y, wrong(t)]));
    const subtasks = labels.map((_, t) => (t % 2 === 0 ? 'even' : 'odd'));
    const d = answersDataset({ answers: interleaved, labels, choices: 4, split, subtasks });
    const own = windowLeaderBaseline(d, { window: 1, perSubtask: true });
    const shared = windowLeaderBaseline(d, { window: 1 });
    assert.equal(own.perSubtask, true);
    assert.equal(own.accuracy, 1);
    assert.equal(shared.accuracy, 0);
  });

  it('never calls more than one model and is deterministic (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }), { minLength: 6, maxLength: 30 }), fc.integer({ min: 1, max: 8 }), (rows, w) => {
        const ls = rows.map((_, t) => t % 3);
        const sp = rows.map((_, t) => (t < 3 ? 'train' : 'test') as 'train' | 'test');
        const d = answersDataset({ answers: rows, labels: ls, choices: 3, split: sp });
        const a = windowLeaderBaseline(d, { window: w });
        const b = windowLeaderBaseline(d, { window: w });
        assert.equal(a.cost.callsPerQuery, 1);
        assert.deepEqual(a.predictions, b.predictions);
      }),
    );
  });

  it('refuses a window below 1', () => {
    const d = answersDataset({ answers, labels, choices: 4, split });
    assert.throws(() => windowLeaderBaseline(d, { window: 0 }), /window must be an integer >= 1/);
  });
});
