import assert from 'node:assert/strict';
import { thresholdRouterBaseline, type RouterCurve } from '../../src/baselines/router';
import { handDataset } from './helpers';

// Model 0 = weak (price 1), model 1 = strong (price 10). Label 0 everywhere.
// Weak is right exactly when it is confident (max prob >= 0.8); strong is always right except on the last test query.
const weakRows = [[0.9, 0.1], [0.3, 0.7], [0.85, 0.15], [0.4, 0.6], [0.95, 0.05], [0.45, 0.55], [0.35, 0.65], [0.2, 0.8]];
const strongRows = [[1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [0, 1]];
const d = handDataset({
  labels: [0, 0, 0, 0, 0, 0, 0, 0],
  probs: weakRows.map((w, t) => [w, strongRows[t]]),
  split: ['train', 'train', 'train', 'train', 'test', 'test', 'test', 'test'],
  models: [{ id: 'weak', priceCents: 1 }, { id: 'strong', priceCents: 10 }],
});

describe('baselines/router', () => {
  it('chooses on train the cheapest threshold with the best training accuracy', () => {
    const r = thresholdRouterBaseline(d, { strong: 1, weak: 0 });
    // On train every threshold in (0.7, 0.85] routes exactly the two unconfident queries: accuracy 1, half strong.
    assert.equal(r.details!.threshold, 0.71);
    assert.equal(r.details!.trainAccuracy, 1);
    // On test (weak confidences 0.95, 0.55, 0.65, 0.8): the two below 0.71 go to the strong model (right); the
    // weak model keeps 0.95 (right) and 0.8 (wrong).
    assert.deepEqual(Array.from(r.predictions), [0, 0, 0, 1]);
    assert.equal(r.accuracy, 0.75);
    assert.equal(r.details!.strongFraction, 0.5);
    assert.deepEqual(r.cost.callsPerModel, [4, 2]);
    assert.equal(r.cost.costPer1000, (1000 * (4 * 1 + 2 * 10)) / 4);
  });

  it('the sweep runs from weak-only to (almost) strong-only and its cost follows the strong fraction', () => {
    const r = thresholdRouterBaseline(d, { strong: 1, weak: 0, thresholds: [0, 0.5, 0.9, 1] });
    const curve = r.details!.curve as RouterCurve;
    assert.deepEqual(curve.thresholds, [0, 0.5, 0.9, 1]);
    assert.deepEqual(curve.strongFraction, [0, 0, 0.75, 1]);
    assert.deepEqual(curve.accuracy, [0.25, 0.25, 0.75, 0.75]);
    assert.deepEqual(curve.costPer1000, [1000, 1000, 8500, 11000]);
  });

  it('a strong-call budget limits the chosen threshold', () => {
    const r = thresholdRouterBaseline(d, { strong: 1, weak: 0, maxStrongFraction: 0.25 });
    // Train confidences 0.9, 0.7, 0.85, 0.6: within a quarter of strong calls the best is to route only 0.6.
    assert.equal(r.details!.threshold, 0.61);
    const train = r.details!.trainCurve as RouterCurve;
    const k = train.thresholds.indexOf(0.61);
    assert.equal(train.strongFraction[k], 0.25);
    assert.equal(train.accuracy[k], 0.75);
    assert.throws(() => thresholdRouterBaseline(d, { strong: 1, weak: 0, maxStrongFraction: -1 }), /no threshold/);
    assert.throws(() => thresholdRouterBaseline(d, { strong: 0, weak: 0 }), /different/);
    assert.throws(() => thresholdRouterBaseline(d, { strong: 2, weak: 0 }), /out of range/);
  });
});
