import assert from 'node:assert/strict';
import { bestSingleBaseline, bestSinglePerSubtaskBaseline, rankModelsByAccuracy, singleModelBaseline } from '../../src/baselines/single';
import { oracleBaseline } from '../../src/baselines/oracle';
import { selfConsistencyBaseline } from '../../src/baselines/self-consistency';
import { paperPriceKey, withPaperPrices } from '../../src/baselines/prices';
import { answersDataset, handDataset } from './helpers';

// 3 models (prices 1, 2, 3 cents), 4 train + 4 test queries, label always 0.
// train: m2 right 4/4, m0 2/4, m1 3/4; test: m0 right 4/4, m1 2/4, m2 1/4.
const toy = answersDataset({
  labels: [0, 0, 0, 0, 0, 0, 0, 0],
  answers: [
    [0, 0, 0], [0, 0, 0], [1, 0, 0], [1, 1, 0],
    [0, 0, 0], [0, 0, 1], [0, 1, 1], [0, 1, 1],
  ],
  split: ['train', 'train', 'train', 'train', 'test', 'test', 'test', 'test'],
});

describe('baselines: single model, oracle, self-consistency, prices', () => {
  it('ranks models by training accuracy, ties to the lower index', () => {
    assert.deepEqual(Array.from(rankModelsByAccuracy(toy, toy.splitIndices('train'))), [2, 1, 0]);
    assert.deepEqual(Array.from(rankModelsByAccuracy(toy, [4, 5])), [0, 1, 2]);
    assert.throws(() => rankModelsByAccuracy(toy, []), /no queries/);
  });

  it('best single is chosen on train and scored on test, one call per query', () => {
    const r = bestSingleBaseline(toy);
    assert.equal(r.details!.model, 'm2');
    assert.equal(r.split, 'test');
    assert.equal(r.accuracy, 0.25);
    assert.deepEqual(Array.from(r.correct), [1, 0, 0, 0]);
    assert.deepEqual(Array.from(r.predictions), [0, 1, 1, 1]);
    assert.equal(r.cost.callsPerQuery, 1);
    assert.equal(r.cost.costPer1000, 3000);
    assert.equal(bestSingleBaseline(toy, { split: 'train' }).accuracy, 1);
    assert.equal(singleModelBaseline(toy, 0).accuracy, 1);
  });

  it('best single per subtask picks a model per subtask', () => {
    // subtask "a": m0 right on train, subtask "b": m1 right on train; on test the same models are right.
    const d = answersDataset({
      labels: [0, 0, 0, 0],
      answers: [[0, 1], [1, 0], [0, 1], [1, 0]],
      split: ['train', 'train', 'test', 'test'],
      subtasks: ['a', 'b', 'a', 'b'],
    });
    const r = bestSinglePerSubtaskBaseline(d);
    assert.deepEqual(r.details!.modelPerSubtask, { a: 'm0', b: 'm1' });
    assert.equal(r.accuracy, 1);
    assert.equal(r.accuracyMacro, 1);
    assert.deepEqual(r.cost.callsPerModel, [1, 1]);
    assert.equal(bestSingleBaseline(d).accuracy, 0.5);
  });

  it('a subtask without training queries falls back to the overall choice and is reported', () => {
    const d = answersDataset({
      labels: [0, 0, 0],
      answers: [[1, 0], [0, 1], [1, 0]],
      split: ['train', 'test', 'test'],
      subtasks: ['a', 'a', 'b'],
    });
    const r = bestSinglePerSubtaskBaseline(d);
    assert.deepEqual(r.details!.fallbackSubtasks, ['b']);
    assert.deepEqual(Array.from(r.predictions), [1, 0]);
  });

  it('oracle is right when any member is right and calls every member', () => {
    const r = oracleBaseline(toy);
    assert.equal(r.accuracy, 1);
    assert.equal(r.cost.callsPerQuery, 3);
    assert.equal(r.cost.costPer1000, 6000);
    const pair = oracleBaseline(toy, [1, 2]);
    assert.deepEqual(Array.from(pair.correct), [1, 1, 0, 0]);
    assert.deepEqual(Array.from(pair.predictions), [0, 0, 1, 1]);
    assert.throws(() => oracleBaseline(toy, [1, 1]), /twice/);
    assert.throws(() => oracleBaseline(toy, [3]), /not a model index/);
  });

  it('self-consistency answers with the frequency argmax and pays for every sample', () => {
    // Answer frequencies over 10 samples; a tie between choices 0 and 1 goes to choice 0.
    const d = handDataset({
      labels: [0, 2, 1],
      probs: [[[0.4, 0.4, 0.2]], [[0.1, 0.3, 0.6]], [[0.7, 0.3, 0]]],
      models: [{ id: 'x', priceCents: 0.5 }],
    });
    const freq = selfConsistencyBaseline(d, 0, { samples: 10 });
    assert.deepEqual(Array.from(freq.predictions), [0, 2, 0]);
    assert.equal(freq.accuracy, 2 / 3);
    assert.equal(freq.cost.callsPerQuery, 10);
    assert.equal(freq.cost.costPer1000, 5000);
    assert.throws(() => selfConsistencyBaseline(d, 0, { samples: 0 }), /samples/);
  });

  it('paper prices are matched by id substring, longest key first, unmatched -> NaN', () => {
    assert.equal(paperPriceKey('meta-llama/Llama-2-70b-chat-hf'), 'llama-2-70b');
    assert.equal(paperPriceKey('meta-llama/Llama-2-7b-hf'), 'llama-2-7b');
    assert.equal(paperPriceKey('mistralai/Mixtral-8x7B-Instruct-v0.1'), 'mixtral-8x7b');
    assert.equal(paperPriceKey('mistralai/Mistral-7B-v0.1'), 'mistral-7b');
    assert.equal(paperPriceKey('Qwen/Qwen2.5-72B'), undefined);
    const d = answersDataset({
      labels: [0],
      answers: [[0, 0, 0]],
      models: [{ id: 'google/gemma-7b' }, { id: 'microsoft/phi-2' }, { id: 'qwen' }],
    });
    const priced = withPaperPrices(d);
    assert.equal(priced.models[0].priceCents, 0.13);
    assert.equal(priced.models[1].priceCents, 0.08);
    assert.ok(Number.isNaN(priced.models[2].priceCents));
    assert.match(priced.models[2].priceSource!, /no price/);
    assert.ok(Number.isNaN(oracleBaseline(priced).cost.costPer1000));
    assert.ok(Math.abs(singleModelBaseline(priced, 0).cost.costPer1000 - 130) < 1e-9);
  });
});
