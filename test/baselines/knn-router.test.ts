import assert from 'node:assert/strict';
import { carveValidation, knnRouterBaseline } from '../../src/baselines/knn-router';
import { Dataset } from '../../src/data/dataset';
import { answersDataset } from './helpers';

describe('baselines/kNN router', () => {
  // Two topics in alternating runs; model 0 is right on chemistry, model 1 on finance, model 2 right half the time.
  const topics = ['chemistry acid base molecule reaction', 'finance stock bond market price'];
  const T = 60;
  const answers: number[][] = [];
  const labels: number[] = [];
  const questions: string[] = [];
  const split: Array<'train' | 'test'> = [];
  for (let q = 0; q < T; q++) {
    const topic = Math.floor(q / 5) % 2;
    labels.push(q % 3);
    const wrong = (q % 3) + 1;
    answers.push([topic === 0 ? q % 3 : wrong, topic === 1 ? q % 3 : wrong, q % 2 === 0 ? q % 3 : wrong]);
    questions.push(`${topics[topic]} question number ${q}`);
    split.push(q < 40 ? 'train' : 'test');
  }
  const base = answersDataset({ answers, labels, choices: 4, split });
  const d = new Dataset({ ...base.columns(), questions });

  it('routes each topic to its expert: one call per query, perfect on test', () => {
    const r = knnRouterBaseline(d);
    assert.equal(r.accuracy, 1);
    assert.equal(r.cost.callsPerQuery, 1);
    assert.ok(r.cost.callsPerModel[0] > 0 && r.cost.callsPerModel[1] > 0);
    assert.equal(r.cost.callsPerModel[2], 0);
    assert.equal(r.details!.fallbacks, 0);
  });

  it('without question text every query goes to the best train model (counted as fallbacks)', () => {
    const r = knnRouterBaseline(base);
    const best = r.details!.fallbackModel;
    assert.equal(r.details!.fallbacks, 20);
    assert.deepEqual(r.cost.callsPerModel.filter((c) => c > 0).length, 1);
    assert.ok(['m0', 'm1', 'm2'].includes(best as string));
  });

  it('chooses k on a validation part carved from the end of each subtask\'s train queries', () => {
    const parts = carveValidation(d, 0.2);
    assert.equal(parts.validation.length, 8);
    assert.deepEqual(Array.from(parts.validation), [32, 33, 34, 35, 36, 37, 38, 39]);
    const r = knnRouterBaseline(d, { candidates: [1, 3, 5] });
    assert.ok([1, 3, 5].includes(r.details!.k as number));
    assert.equal((r.details!.validation as unknown[]).length, 3);
  });
});
