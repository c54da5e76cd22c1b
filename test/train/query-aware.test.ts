import assert from 'node:assert/strict';
import { Dataset } from '../../src/data/dataset';
import { textRoutingTest, trainRlFocal, TEXT_ROUTING_P } from '../../src/train/train-rl-focal';
import { answersDataset } from '../baselines/helpers';

/**
 * A pool where only the question text tells which model is right: three topics in a shuffled order (the recent stream
 * says nothing; each topic's words are in about a third of the questions, so TF-IDF keeps them), model k right on
 * every question of topic k, wrong elsewhere. A Decider that reads the text neighbours' accuracies
 * (`deciderQueryAccuracy`) and starts as a router fitted to every model's recorded correctness
 * (`deciderFit: 'correctness'`) calls the topic's expert. The test stream starts with an empty window
 * (`testWindow: 0`): its own train part is then empty, so neighbours found anywhere but in the whole train split
 * would be no neighbours at all.
 */
function topicPool(T = 450): Dataset {
  const topics = ['chemistry acid base molecule reaction', 'finance stock bond market price', 'poetry verse rhyme metaphor sonnet'];
  const answers: number[][] = [];
  const labels: number[] = [];
  const questions: string[] = [];
  let state = 7;
  for (let q = 0; q < T; q++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const topic = Math.floor((state / 2 ** 32) * 3);
    const label = q % 3;
    const wrong = label + 1;
    labels.push(label);
    answers.push([0, 1, 2].map((k) => (k === topic ? label : wrong)));
    questions.push(`${topics[topic]} question ${q}`);
  }
  const base = answersDataset({ answers, labels, choices: 4, split: labels.map((_, q) => (q < 0.8 * T ? 'train' : 'test')) });
  return new Dataset({ ...base.columns(), questions });
}

describe('train: a query-aware Decider (question-text neighbours)', function () {
  this.timeout(60_000);
  const config = { seed: 1, deciderQueryAccuracy: true, deciderFit: 'correctness' as const, validationFraction: 0, deciderEpisodes: 3, fusionEpisodes: 3, testWindow: 0 as const };

  it('routes each question to its topic expert on the test split, whose neighbours are the whole train split', () => {
    const run = trainRlFocal(topicPool(), config);
    assert.ok(run.test.accuracy >= 0.95, `test accuracy ${run.test.accuracy}`);
    assert.ok(run.test.cost.callsPerQuery <= 1.5, `calls ${run.test.cost.callsPerQuery}`);
  });

  it('without the text entries the same start cannot route (the recent stream carries no topic)', () => {
    const run = trainRlFocal(topicPool(), { ...config, deciderQueryAccuracy: false });
    assert.ok(run.test.accuracy < 0.8, `test accuracy ${run.test.accuracy}`);
  });

  it("textRouting 'auto' switches the text routing on where the validation split shows the text router better, and only there", () => {
    const pool = topicPool();
    const holdOut = pool.selectQueries(pool.splitIndices('train')).withStreamSplit(0.8);
    const test = textRoutingTest(holdOut);
    assert.ok(test.wins > test.losses && test.p < TEXT_ROUTING_P, JSON.stringify(test));
    const run = trainRlFocal(pool, { seed: 2, deciderEpisodes: 2, fusionEpisodes: 2 });
    assert.equal(run.textRouting?.on, true);
    assert.deepEqual([run.config.deciderQueryAccuracy, run.config.deciderFit, run.config.deciderEpisodes, run.config.onlineUpdates], [true, 'correctness', 0, false]);
    // Without question text the router is the best single model: no win, no loss, p = 1, and the defaults stay.
    const noText = new Dataset({ ...pool.columns(), questions: undefined });
    assert.deepEqual(textRoutingTest(noText.selectQueries(noText.splitIndices('train')).withStreamSplit(0.8)), { wins: 0, losses: 0, p: 1 });
    const plain = trainRlFocal(noText, { seed: 2, deciderEpisodes: 2, fusionEpisodes: 2 });
    assert.equal(plain.textRouting?.on, false);
    assert.deepEqual([plain.config.deciderQueryAccuracy, plain.config.deciderFit], [false, 'none']);
    // 'off' never looks.
    assert.equal(trainRlFocal(pool, { seed: 2, deciderEpisodes: 2, fusionEpisodes: 2, textRouting: 'off' }).textRouting, undefined);
  });
});
