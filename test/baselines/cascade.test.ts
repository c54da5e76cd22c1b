import assert from 'node:assert/strict';
import { cascadeApplicability, cascadeChain, confidenceCascadeBaseline } from '../../src/baselines/cascade';
import { Dataset } from '../../src/data/dataset';
import { answersDataset, handDataset } from './helpers';

describe('baselines/confidence cascade', () => {
  // m0 cheap (price 1) and confident-but-wrong when unsure; m1 dear (price 2), always right.
  const d = handDataset({
    labels: [0, 1, 0, 1, 0, 1],
    split: ['train', 'train', 'train', 'test', 'test', 'test'],
    probs: [
      [[0.9, 0.1], [1, 0]], // m0 sure and right
      [[0.6, 0.4], [0, 1]], // m0 unsure and wrong -> escalate
      [[0.95, 0.05], [1, 0]],
      [[0.55, 0.45], [0, 1]], // test: unsure, escalate, m1 right
      [[0.8, 0.2], [1, 0]], // test: sure, stop
      [[0.3, 0.7], [0, 1]], // test: m0 says 1 with 0.7 -> stop (right)
    ],
  });

  it('orders cheap first, escalates exactly when the confidence is below the train-chosen threshold', () => {
    assert.deepEqual(Array.from(cascadeChain(d).chain), [0, 1]);
    assert.equal(cascadeChain(d).orderedBy, 'price');
    // default candidates (train confidences): any threshold in (0.6, 0.9] makes train perfect with 4/3 calls
    const tau = confidenceCascadeBaseline(d).details!.threshold as number;
    assert.ok(tau > 0.6 && tau <= 0.9, `threshold ${tau}`);
    // 0.5 misses q1 on train; 0.65 and 0.85 are perfect at the same calls -> the lower one
    const r = confidenceCascadeBaseline(d, { thresholds: [0.5, 0.65, 0.85, 0.99] });
    assert.equal(r.details!.threshold, 0.65);
    assert.equal(r.details!.trainAccuracy, 1);
    assert.deepEqual(r.cost.callsPerModel, [3, 1]);
    assert.deepEqual(Array.from(r.predictions), [1, 0, 1]);
    assert.equal(r.accuracy, 1);
  });

  it('a given threshold of 0 never escalates, above 1 always does', () => {
    assert.equal(confidenceCascadeBaseline(d, { thresholds: [0] }).cost.callsPerQuery, 1);
    assert.equal(confidenceCascadeBaseline(d, { thresholds: [1.5] }).cost.callsPerQuery, 2);
  });

  it('drops dearer models that are no more accurate, and refuses answer-only pools with a reason', () => {
    const noPrice = new Dataset({ ...d.columns(), models: [{ id: 'big', paramsB: 70 }, { id: 'small', paramsB: 7 }] });
    // by params, "small" (= m1, always right) comes first, and "big" is no better: a chain of one
    assert.deepEqual(Array.from(cascadeChain(noPrice).chain), [1]);
    assert.equal(cascadeChain(noPrice).orderedBy, 'params');
    const oneHot = answersDataset({ answers: [[0, 1]], labels: [0], split: ['train'] });
    const verdict = cascadeApplicability(oneHot);
    assert.equal(verdict.applicable, false);
    assert.throws(() => confidenceCascadeBaseline(oneHot), /no recorded confidence/);
  });
});
