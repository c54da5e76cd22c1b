import assert from 'node:assert/strict';
import { bestSingleBaseline } from '../../src/baselines/single';
import { bestTeamBaseline, bestVoteTeam } from '../../src/baselines/best-team';
import { fusionMlpBaseline } from '../../src/baselines/fusion-mlp';
import { TEST } from '../../src/data/dataset';
import { crossValidatedCorrect, guardMethods, poolGuardCandidates, poolGuardChoices, serveGuardMethod, streamFolds } from '../../src/train/guard';
import { syntheticPool } from './synthetic-pool';

describe('train: the guard\'s cross-validation', () => {
  // Two topics interleaved in the stream, 3 of every 4 queries train.
  const blocks = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 90 }, { name: 'B', expert: 3, queries: 53 }], nModels: 5, nChoices: 4, seed: 3, expertAccuracy: 0.8 });
  const order = Array.from({ length: blocks.nQueries }, (_, t) => t).sort((a, b) => (a % 7) - (b % 7) || a - b);
  const pool = blocks.selectQueries(order);

  it('streamFolds: every train query held out exactly once, in contiguous stream-ordered runs per subtask', () => {
    const train = pool.splitIndices('train');
    const folds = streamFolds(pool);
    assert.equal(folds.length, 5);
    const heldTimes = new Int32Array(train.length);
    for (const { data } of folds) {
      assert.equal(data.nQueries, train.length, 'a fold dataset holds the train queries only');
      data.splitIndices('test').forEach((q) => heldTimes[q]++);
    }
    assert.ok(heldTimes.every((n) => n === 1));
    for (const s of [0, 1]) {
      const ofSubtask = Array.from(train.keys()).filter((q) => pool.subtaskIds[train[q]] === s);
      const foldOf = ofSubtask.map((q) => folds.findIndex(({ data }) => data.split[q] === TEST));
      assert.deepEqual(foldOf, [...foldOf].sort((a, b) => a - b), `subtask ${s}: folds follow the stream`);
      const sizes = [0, 1, 2, 3, 4].map((k) => foldOf.filter((f) => f === k).length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `subtask ${s}: fold sizes ${sizes}`);
    }
  });

  it('streamFolds: a subtask cut alone gets the folds it gets inside its pool', () => {
    const poolTrain = pool.splitIndices('train');
    const poolFold = new Map<number, number>();
    for (const { fold, data } of streamFolds(pool)) data.splitIndices('test').forEach((q) => poolFold.set(poolTrain[q], fold));
    const idx = pool.indicesWhere((t) => pool.subtaskIds[t] === 1);
    const slice = pool.selectQueries(idx);
    const sliceTrain = slice.splitIndices('train');
    for (const { fold, data } of streamFolds(slice)) for (const q of data.splitIndices('test')) assert.equal(poolFold.get(idx[sliceTrain[q]]), fold);
  });

  it('crossValidatedCorrect: each fold answered by the baseline chosen on the other folds', () => {
    const [single, plurality] = guardMethods(3);
    let bySingle = 0;
    let byTeam = 0;
    for (const { data } of streamFolds(pool)) {
      bySingle += bestSingleBaseline(data).correct.reduce((a, c) => a + c, 0);
      byTeam += bestTeamBaseline(data, { rule: 'plurality', maxSize: 3, perSubtask: false }).correct.reduce((a, c) => a + c, 0);
    }
    assert.equal(crossValidatedCorrect(single, pool), bySingle);
    assert.equal(crossValidatedCorrect(plurality, pool), byTeam);
  });

  it('the fused team (guardFusedTeam): the soft-vote team chosen on the train folds, fused by an MLP trained on them', () => {
    const methods = guardMethods(3, '', 7);
    assert.deepEqual(guardMethods(3).map((m) => m.method), methods.slice(0, 3).map((m) => m.method), 'the vote candidates unchanged, in order');
    const fused = methods[3];
    assert.equal(fused.rule, 'fused');
    const freshCount = (seed: number) => {
      let right = 0;
      for (const { data } of streamFolds(pool)) {
        const team = bestVoteTeam(data, 'soft', data.splitIndices('train'), { minSize: 1, maxSize: 3 }).team;
        assert.deepEqual(Array.from(fused.choose(data)), Array.from(team));
        right += fusionMlpBaseline(data, { team, seed, perSubtask: false }).correct.reduce((a, c) => a + c, 0);
      }
      return right;
    };
    const right = freshCount(7);
    assert.equal(crossValidatedCorrect(fused, pool), right);
    // The seed is part of the cached count's key: a seed whose networks answer differently gets its own count.
    const other = [8, 9, 10, 11, 12, 13, 14, 15].find((seed) => freshCount(seed) !== right);
    assert.ok(other !== undefined, 'some seed trains networks that answer differently');
    assert.equal(crossValidatedCorrect(guardMethods(3, '', other)[3], pool), freshCount(other));
  });

  it('a stream shorter than the folds: folds with nothing else to train on count nothing', () => {
    const tiny = pool.selectQueries(Int32Array.from([...pool.splitIndices('train').slice(0, 3), ...pool.splitIndices('test').slice(0, 2)]));
    const [single] = guardMethods(3);
    const counted = crossValidatedCorrect(single, tiny);
    assert.ok(counted >= 0 && counted <= 3);
  });

  it('pool-wide candidates of one subtask: the pool\'s choices served on the subtask', () => {
    const choices = poolGuardChoices(pool, 0.2, 3);
    const idx = pool.indicesWhere((t) => pool.subtaskIds[t] === 0);
    const slice = pool.selectQueries(idx);
    const candidates = poolGuardCandidates(slice, choices);
    assert.deepEqual(candidates.map((c) => c.method), guardMethods(3, ' of the whole pool').map((m) => m.method));
    const poolSingle = bestSingleBaseline(pool);
    const testOfSlice = Array.from(pool.splitIndices('test')).filter((t) => pool.subtaskIds[t] === 0);
    const position = new Map(Array.from(pool.splitIndices('test'), (t, q) => [t, q]));
    assert.deepEqual(Array.from(candidates[0].test.correct), testOfSlice.map((t) => poolSingle.correct[position.get(t)!]));
    // The pool's cross-validation splits over its subtasks.
    const both = [0, 1].map((s) => poolGuardCandidates(pool.selectQueries(pool.indicesWhere((t) => pool.subtaskIds[t] === s)), choices));
    for (const k of [0, 1, 2]) assert.equal(both[0][k].crossValidated + both[1][k].crossValidated, crossValidatedCorrect(choices.methods[k].method, pool));
    assert.equal(serveGuardMethod(choices.methods[0].method, slice, choices.methods[0].test).accuracy, candidates[0].test.accuracy);
  });
});
