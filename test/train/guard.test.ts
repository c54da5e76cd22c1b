import assert from 'node:assert/strict';
import { bestVoteTeam } from '../../src/baselines/best-team';
import { fusionMlpBaseline } from '../../src/baselines/fusion-mlp';
import { bestSingleBaseline } from '../../src/baselines/single';
import { pairedSignTest } from '../../src/eval/paired-sign-test';
import { GUARD_P, guardChoice } from '../../src/train/guard';
import { trainPerSubtask, trainRlFocal } from '../../src/train/train-rl-focal';
import { syntheticPool } from './synthetic-pool';

const quick = { window: 5, updatePeriod: 25, minibatches: 2, deciderHidden: [8], criticHidden: [8], testDeciderAction: 'mode' as const };

describe('train: validation guard', () => {
  const data = syntheticPool({ topics: [{ name: 'A', expert: 2, queries: 200 }], nModels: 5, nChoices: 4, seed: 9, expertAccuracy: 0.9 });

  it('serves the most accurate simple candidate when untrained agents are not better on validation', () => {
    const run = trainRlFocal(data, { ...quick, deciderEpisodes: 0, fusionEpisodes: 0, onlineUpdates: false, validationFraction: 0.25, seed: 1 });
    const guard = run.guard!;
    assert.equal(guard.queries, 200 * 0.75 - Math.floor(200 * 0.75 * 0.75));
    assert.deepEqual(guard.candidates.map((c) => c.method), [
      'best single',
      'best plurality-vote team within the call budget',
      'best soft-vote team within the call budget',
      'best soft-vote team within the call budget, fused by a supervised MLP',
    ]);
    assert.ok(guard.learnedCorrect <= Math.max(...guard.candidates.map((c) => c.correct)), JSON.stringify(guard));
    assert.notEqual(guard.served, 'learned');
    const best = guard.candidates.reduce((a, c) => (c.crossValidated > a.crossValidated ? c : a));
    assert.equal(guard.served, best.method);
    if (guard.served === 'best single') assert.deepEqual(run.test.correct, bestSingleBaseline(data).correct, 'the test split is served by the candidate chosen on the whole train split');
    assert.equal(run.test.method, 'RL-Focal');
    assert.ok(run.test.kind === 'rl-focal' && !('rule' in run.test) && !('perSubtask' in run.test), 'served by a candidate, the result is still RL-Focal\'s');
    assert.equal(run.test.details?.servedBy, guard.served);
    assert.ok(run.learned.test.correct.length === run.test.correct.length);
  });

  it('guardFusedTeam (default): the fused soft-vote team joins the candidates; its test pass is the team chosen and fused on the whole train split, served as such when it serves', () => {
    const run = trainRlFocal(data, { ...quick, deciderEpisodes: 0, fusionEpisodes: 0, onlineUpdates: false, validationFraction: 0.25, seed: 1 });
    const names = run.guard!.candidates.map((c) => c.method);
    assert.equal(names[3], 'best soft-vote team within the call budget, fused by a supervised MLP');
    const without = trainRlFocal(data, { ...quick, deciderEpisodes: 0, fusionEpisodes: 0, onlineUpdates: false, validationFraction: 0.25, seed: 1, guardFusedTeam: false });
    assert.deepEqual(without.guard!.candidates.map((c) => c.method), names.slice(0, 3), 'guardFusedTeam: false, the candidates of session 8');
    const fused = run.guardCandidates!.find((c) => c.method === names[3])!;
    const team = bestVoteTeam(data, 'soft', data.splitIndices('train'), { minSize: 1, maxSize: 3 }).team;
    assert.deepEqual(Array.from(fused.test.correct), Array.from(fusionMlpBaseline(data, { team, seed: 1, perSubtask: false }).correct));
    if (run.guard!.served === names[3]) assert.deepEqual(run.test.correct, fused.test.correct);
  });

  it('guardFusedTeam: left out where the answer slots are ordered by the pool\'s own answers (a network would read the order)', () => {
    const sampled = data.withProvenance({ ...data.provenance, answerSlots: 'pool-ordered' });
    const run = trainRlFocal(sampled, { ...quick, deciderEpisodes: 0, fusionEpisodes: 0, onlineUpdates: false, validationFraction: 0.25, seed: 1 });
    assert.ok(run.guard!.candidates.every((c) => !c.method.includes('fused')), JSON.stringify(run.guard!.candidates.map((c) => c.method)));
  });

  it('serves the learned agents only when a paired sign test on validation says they beat the candidate cross-validation ranks first', () => {
    for (const seed of [1, 2, 3]) {
      const run = trainRlFocal(data, { ...quick, deciderEpisodes: 10, fusionEpisodes: 6, lrDecider: 0.01, lrFusion: 0.03, validationFraction: 0.25, seed });
      const guard = run.guard!;
      const best = guard.candidates.reduce((a, c) => (c.crossValidated > a.crossValidated ? c : a));
      const candidate = run.guardCandidates!.find((c) => c.method === best.method)!;
      const test = pairedSignTest(run.learned.validation!.correct, candidate.validation.correct);
      assert.deepEqual([best.learnedWins, best.learnedLosses], [test.wins, test.losses], 'wins and losses counted on the validation answers');
      assert.equal(best.learnedWins - best.learnedLosses, guard.learnedCorrect - best.correct);
      const withinBudget = guard.learnedCalls <= guard.budget * guard.queries + 1e-9;
      assert.equal(guard.served, test.p < GUARD_P && withinBudget ? 'learned' : best.method);
      if (guard.served === 'learned') assert.deepEqual(run.test.correct, run.learned.test.correct);
    }
  });

  it('guardChoice: the candidate ranked first by cross-validation, unless the learned agents beat it clearly on validation within the budget', () => {
    const candidate = (method: string, crossValidated: number, learnedWins: number, learnedLosses: number) => ({ method, correct: 70, crossValidated, learnedWins, learnedLosses });
    const at = (wins: number, losses: number, learnedCalls: number) =>
      guardChoice({ queries: 100, learnedCalls, budget: 3, candidates: [candidate('best single', 380, 20, 0), candidate('team', 390, wins, losses)] });
    // One-sided sign test: P(X >= 9 | n = 10) = 11/1024 < 0.05; P(X >= 8 | n = 10) = 56/1024 > 0.05.
    assert.equal(at(9, 1, 300), 'learned', 'clearly more accurate than the ranked-first candidate, exactly at the budget');
    assert.equal(at(9, 1, 301), 'team', 'clearly more accurate but one call over the budget');
    assert.equal(at(8, 2, 150), 'team', 'six more right of ten differing answers is not clear enough');
    assert.equal(at(3, 0, 150), 'team', 'three answers right the candidate missed, none lost: p = 1/8');
    assert.equal(at(5, 0, 150), 'learned', 'five of five: p = 1/32');
    assert.equal(at(0, 0, 150), 'team', 'a tie goes to the candidate');
    const moreRight = (wins: number, losses: number) => guardChoice({ queries: 100, learnedCalls: 150, budget: 3, candidates: [candidate('team', 390, wins, losses)] }, 'more-right');
    assert.deepEqual([moreRight(3, 2), moreRight(2, 2)], ['learned', 'team'], "the older rule: any margin, ties to the candidate");
    const tied = [candidate('a', 300, 0, 5), candidate('b', 300, 30, 0)];
    assert.equal(guardChoice({ queries: 100, learnedCalls: 100, budget: 3, candidates: tied }), 'a', 'ties in cross-validation: the first, whatever the validation fold says');
  });

  it('never serves learned agents that call more models per validation query than the budget', () => {
    // A price that barely charges, one free call, and the paper's start (each model at p = 1/2) with teams sampled
    // when serving: the agents call about half the pool, the candidates one model.
    const run = trainRlFocal(data, { ...quick, deciderEpisodes: 2, fusionEpisodes: 2, callPrice: 1e-6, freeCalls: 1, deciderInitialTeamSize: 0, testDeciderAction: 'sample', validationFraction: 0.25, seed: 4 });
    const guard = run.guard!;
    assert.equal(guard.budget, 1);
    assert.ok(guard.learnedCalls > guard.queries, `learned calls ${guard.learnedCalls} on ${guard.queries} queries`);
    assert.notEqual(guard.served, 'learned');
    assert.ok(run.test.cost.callsPerQuery <= 1 + 1e-9, 'the candidate that served keeps to the budget');
  });

  it('per subtask: one pooled decision over all subtasks, the pool-wide candidates among them', () => {
    const pool = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 120 }, { name: 'B', expert: 1, queries: 120 }], nModels: 4, nChoices: 4, seed: 4, expertAccuracy: 0.9 });
    const result = trainPerSubtask(pool, { ...quick, deciderEpisodes: 0, fusionEpisodes: 0, onlineUpdates: false, validationFraction: 0.25, seed: 2 });
    const guard = result.guard!;
    assert.equal(guard.subtasks, 2);
    assert.deepEqual(guard.candidates.map((c) => c.method).slice(3), [
      'best soft-vote team within the call budget, fused by a supervised MLP',
      'best single of the whole pool',
      'best plurality-vote team of the whole pool within the call budget',
      'best soft-vote team of the whole pool within the call budget',
    ]);
    for (const k of guard.candidates.keys()) {
      assert.equal(guard.candidates[k].correct, result.runs.reduce((s, { run }) => s + run.guard!.candidates[k].correct, 0));
      assert.equal(guard.candidates[k].crossValidated, result.runs.reduce((s, { run }) => s + run.guard!.candidates[k].crossValidated, 0));
      assert.equal(guard.candidates[k].learnedWins, result.runs.reduce((s, { run }) => s + run.guard!.candidates[k].learnedWins, 0));
      assert.equal(guard.candidates[k].learnedLosses, result.runs.reduce((s, { run }) => s + run.guard!.candidates[k].learnedLosses, 0));
    }
    for (const { run } of result.runs) assert.equal(run.test.details?.servedBy ?? 'learned', guard.served);
  });
});
