import assert from 'node:assert/strict';
import { Dataset } from '../../src/data/dataset';
import { createAgents, restoreNetworks } from '../../src/train/agents';
import { evaluateRlFocal, textRoutingTest, trainPerSubtask, trainRlFocal, TEXT_ROUTING_P } from '../../src/train/train-rl-focal';
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
function topicPool(T = 450, subtasks = 1): Dataset {
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
  const split = labels.map((_, q): 'train' | 'test' => (q < 0.8 * T ? 'train' : 'test'));
  const base = answersDataset({ answers, labels, choices: 4, split, subtasks: labels.map((_, q) => `s${q % subtasks}`) });
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

  it('refitAfterGuard (default): agents the guard serves are trained again on the whole train split with what it validated, and they serve', () => {
    const pool = topicPool();
    // Without the fused team: an MLP over the three answers learns that the odd one out is right on this pool.
    const config = { seed: 2, deciderEpisodes: 2, fusionEpisodes: 2, guardFusedTeam: false };
    const run = trainRlFocal(pool, config);
    assert.equal(run.guard?.served, 'learned');
    assert.equal(run.guard?.refit, true);
    assert.ok(run.learned.validation !== undefined, 'the validation pass the guard decided on is kept');
    const direct = trainRlFocal(pool, { ...config, validationFraction: 0, textRouting: 'on', queryNeighbours: run.config.queryNeighbours });
    assert.deepEqual(Array.from(run.test.correct), Array.from(direct.test.correct));
    assert.deepEqual(Array.from(run.learned.test.correct), Array.from(direct.test.correct), 'the learned agents are the refit ones');
    assert.equal(run.config.validationFraction, 0);
    // The weights the test pass started from reproduce it (what a checkpoint holds).
    const agents = createAgents(run.config, pool.nModels, pool.maxChoices);
    restoreNetworks(agents, run.preTestWeights);
    assert.deepEqual(Array.from(evaluateRlFocal(agents, pool, run.config).correct), Array.from(run.test.correct));
    const kept = trainRlFocal(pool, { ...config, refitAfterGuard: false });
    assert.equal(kept.guard?.served, 'learned');
    assert.equal(kept.guard?.refit, undefined);
    assert.equal(kept.config.validationFraction, 0.2, 'without the refit, the agents trained on the first 80 % serve');
  });

  it('refitAfterGuard per subtask: after the one pooled decision, every guarded subtask serves agents refit on its whole train split', () => {
    const pool = topicPool(600, 2);
    const config = { seed: 3, deciderEpisodes: 2, fusionEpisodes: 2, guardFusedTeam: false };
    const result = trainPerSubtask(pool, config);
    assert.equal(result.guard?.served, 'learned');
    assert.equal(result.guard?.refit, true);
    for (const [k, { run }] of result.runs.entries()) {
      assert.equal(run.guard?.refit, true);
      const slice = pool.selectQueries(pool.indicesWhere((t) => pool.subtaskIds[t] === k));
      const direct = trainRlFocal(slice, { ...config, validationFraction: 0, textRouting: run.textRouting!.on ? 'on' : 'off', queryNeighbours: run.config.queryNeighbours });
      assert.deepEqual(Array.from(run.test.correct), Array.from(direct.test.correct));
    }
    assert.deepEqual(Array.from(result.learned.correct), Array.from(result.test.correct));
  });
});
