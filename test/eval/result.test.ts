import assert from 'node:assert/strict';
import fc from 'fast-check';
import { combineResults, macroAccuracy, microAccuracy, type MethodResult } from '../../src/eval/result';
import { costSummary } from '../../src/data/cost';

const models = [
  { id: 'a', priceCents: 1 },
  { id: 'b', priceCents: 10 },
];

function part(method: string, correct: number[], calls: number[]): MethodResult {
  const c = Uint8Array.from(correct);
  return {
    kind: 'vote',
    method,
    split: 'test',
    accuracy: microAccuracy(c),
    correct: c,
    predictions: Int32Array.from(correct, (x) => (x ? 1 : 0)),
    cost: costSummary(models, calls, correct.length),
  };
}

describe('eval/result', () => {
  it('micro accuracy counts queries, macro averages subtasks', () => {
    const correct = [1, 1, 1, 0, 0, 1];
    const subtasks = [0, 0, 0, 0, 1, 1];
    assert.equal(microAccuracy(correct), 4 / 6);
    assert.equal(macroAccuracy(correct, subtasks), (3 / 4 + 1 / 2) / 2);
    assert.ok(Number.isNaN(microAccuracy([])));
    assert.throws(() => macroAccuracy([1], [0, 1]), /subtask ids/);
  });

  it('macro equals micro when every subtask has the same size', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (groups) => {
        const correct = groups.flat();
        const subtasks = groups.flatMap((g, s) => g.map(() => s));
        assert.ok(Math.abs(macroAccuracy(correct, subtasks) - microAccuracy(correct)) < 1e-12);
      }),
    );
  });

  it('combining parts recomputes micro accuracy and cost, macro = mean of the parts', () => {
    const a = part('A', [1, 1, 0, 0], [4, 0]);
    const b = part('B', [1, 1], [2, 2]);
    const all = combineResults({ kind: 'rl-focal', method: 'both' }, [a, b], models);
    assert.deepEqual(Array.from(all.correct), [1, 1, 0, 0, 1, 1]);
    assert.equal(all.accuracy, 4 / 6);
    assert.equal(all.accuracyMacro, (0.5 + 1) / 2);
    assert.deepEqual(all.cost.callsPerModel, [6, 2]);
    assert.equal(all.cost.costPer1000, (1000 * (6 * 1 + 2 * 10)) / 6);
    assert.equal(all.cost.callsPerQuery, 8 / 6);
    assert.throws(() => combineResults({ kind: 'rl-focal', method: 'x' }, [], models), /nothing/);
    assert.throws(() => combineResults({ kind: 'rl-focal', method: 'x' }, [a, { ...b, split: 'train' }], models), /mixes splits/);
  });
});
