import assert from 'node:assert/strict';
import { bestTeamBaseline, bestVoteTeam, enumerateTeams, teamVoteAccuracy } from '../../src/baselines/best-team';
import { voteBaseline } from '../../src/baselines/vote';
import { answersDataset, handDataset } from './helpers';

describe('baselines/vote and exhaustive best team', () => {
  // 3 models, 3 choices, label 0. Plurality/majority/soft differ on purpose.
  // q0: answers (0, 0, 1) -> plurality 0, majority 0.
  // q1: answers (1, 2, 0) -> plurality and soft tie -> lowest 0, majority none (-1).
  // q2: soft: m0 [0.4, 0.6, 0], m1 [0.9, 0.1, 0], m2 [0.3, 0.7, 0] -> mean [0.533, 0.467] -> 0; plurality 1.
  const d = handDataset({
    labels: [0, 0, 0],
    probs: [
      [[1, 0, 0], [1, 0, 0], [0, 1, 0]],
      [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
      [[0.4, 0.6, 0], [0.9, 0.1, 0], [0.3, 0.7, 0]],
    ],
  });

  it('plurality, majority and soft vote of all models use the shared voting rules', () => {
    const plurality = voteBaseline(d, 'plurality');
    assert.deepEqual(Array.from(plurality.predictions), [0, 0, 1]);
    assert.deepEqual(Array.from(voteBaseline(d, 'majority').predictions), [0, -1, 1]);
    assert.deepEqual(Array.from(voteBaseline(d, 'soft').predictions), [0, 0, 0]);
    assert.equal(plurality.cost.callsPerQuery, 3);
    assert.equal(plurality.cost.costPer1000, 6000);
    assert.equal(voteBaseline(d, 'soft').accuracy, 1);
    assert.equal(plurality.accuracy, 2 / 3);
    assert.throws(() => voteBaseline(d, 'mean' as never), /unknown rule/);
  });

  it('a given team votes alone and only its members are paid', () => {
    const r = voteBaseline(d, 'soft', { team: [0, 2] });
    assert.deepEqual(Array.from(r.predictions), [0, 0, 1]);
    assert.deepEqual(r.cost.callsPerModel, [3, 0, 3]);
    assert.match(r.method, /m0 \+ m2/);
  });

  it('abstaining members are called but cast no vote', () => {
    const a = answersDataset({ labels: [2], answers: [[-1, 2, -1]], choices: 3 });
    assert.deepEqual(Array.from(voteBaseline(a, 'plurality').predictions), [2]);
    assert.deepEqual(Array.from(voteBaseline(a, 'majority').predictions), [-1]);
    assert.deepEqual(Array.from(voteBaseline(a, 'soft').predictions), [2]);
    assert.equal(voteBaseline(a, 'plurality').cost.callsPerQuery, 3);
  });

  it('teams are enumerated by size then lexicographically, 2^N - 1 of them', () => {
    const teams = enumerateTeams(4).map((t) => Array.from(t).join(''));
    assert.equal(teams.length, 15);
    assert.deepEqual(teams.slice(0, 7), ['0', '1', '2', '3', '01', '02', '03']);
    assert.deepEqual(teams.slice(-2), ['123', '0123']);
    assert.equal(enumerateTeams(5, 2, 3).length, 20);
    assert.throws(() => enumerateTeams(17), /limited/);
    assert.throws(() => enumerateTeams(3, 2, 1), /minSize/);
  });

  it('the best team is chosen on train per subtask, ties to the smaller team', () => {
    // Subtask a: m0 alone is always right on train; subtask b: m1 and m2 are each right half the time, in a
    // complementary way, and their soft vote (m1 more confident when right) is always right.
    const right = (c: number) => [c, 1 - c];
    const probs = [
      // subtask a, train: m0 right; others wrong
      [right(1), right(0), right(0)],
      [right(1), right(0), right(0)],
      // subtask b, train
      [right(0), [0.9, 0.1], [0.4, 0.6]],
      [right(0), [0.4, 0.6], [0.9, 0.1]],
      // test: a then b
      [right(1), right(0), right(0)],
      [right(0), [0.2, 0.8], [0.7, 0.3]],
    ];
    const t = handDataset({
      labels: [0, 0, 0, 0, 0, 0],
      probs,
      split: ['train', 'train', 'train', 'train', 'test', 'test'],
      subtasks: ['a', 'a', 'b', 'b', 'a', 'b'],
    });
    const r = bestTeamBaseline(t);
    const perSubtask = r.details!.teamPerSubtask as Record<string, { team: string[]; trainAccuracy: number }>;
    assert.deepEqual(perSubtask.a, { team: ['m0'], trainAccuracy: 1 });
    assert.deepEqual(perSubtask.b, { team: ['m1', 'm2'], trainAccuracy: 1 });
    assert.deepEqual(Array.from(r.predictions), [0, 1]);
    assert.deepEqual(r.cost.callsPerModel, [1, 1, 1]);
    assert.equal(teamVoteAccuracy(t, [1, 2], 'soft', [2, 3]), 1);
    const overall = bestTeamBaseline(t, { perSubtask: false });
    assert.equal(overall.details!.trainAccuracy, bestVoteTeam(t, 'soft', t.splitIndices('train'), { minSize: 1, maxSize: 3 }).accuracy);
  });
});
