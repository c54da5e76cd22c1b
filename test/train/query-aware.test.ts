import assert from 'node:assert/strict';
import { Dataset } from '../../src/data/dataset';
import { trainRlFocal } from '../../src/train/train-rl-focal';
import { answersDataset } from '../baselines/helpers';

/**
 * A pool where only the question text tells which model is right: two topics in a shuffled order (the recent stream
 * says nothing), model 0 right on every chemistry question, model 1 on every finance question, model 2 on half of
 * each. A Decider that reads the text neighbours' accuracies (`deciderQueryAccuracy`) and starts as a router fitted
 * to every model's recorded correctness (`deciderFit: 'correctness'`) calls the topic's expert.
 */
function topicPool(T = 400): Dataset {
  const topics = ['chemistry acid base molecule reaction', 'finance stock bond market price'];
  const answers: number[][] = [];
  const labels: number[] = [];
  const questions: string[] = [];
  let state = 7;
  for (let q = 0; q < T; q++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const topic = state >>> 31;
    const label = q % 3;
    const wrong = label + 1;
    labels.push(label);
    answers.push([topic === 0 ? label : wrong, topic === 1 ? label : wrong, q % 2 === 0 ? label : wrong]);
    questions.push(`${topics[topic]} question ${q}`);
  }
  const base = answersDataset({ answers, labels, choices: 4, split: labels.map((_, q) => (q < 0.8 * T ? 'train' : 'test')) });
  return new Dataset({ ...base.columns(), questions });
}

describe('train: a query-aware Decider (question-text neighbours)', function () {
  this.timeout(60_000);
  const config = { seed: 1, deciderQueryAccuracy: true, deciderFit: 'correctness' as const, validationFraction: 0, deciderEpisodes: 3, fusionEpisodes: 3 };

  it('routes each question to its topic expert on the test split, whose neighbours are the whole train split', () => {
    const run = trainRlFocal(topicPool(), config);
    assert.ok(run.test.accuracy >= 0.95, `test accuracy ${run.test.accuracy}`);
    assert.ok(run.test.cost.callsPerQuery <= 1.5, `calls ${run.test.cost.callsPerQuery}`);
  });

  it('without the text entries the same start cannot route (the recent stream carries no topic)', () => {
    const run = trainRlFocal(topicPool(), { ...config, deciderQueryAccuracy: false });
    assert.ok(run.test.accuracy < 0.9, `test accuracy ${run.test.accuracy}`);
  });
});
