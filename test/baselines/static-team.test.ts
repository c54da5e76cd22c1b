import assert from 'node:assert/strict';
import { selectStaticFocalTeam, staticFocalFusionBaseline, staticFocalTeamBaseline } from '../../src/baselines/static-team';
import { answersDataset } from './helpers';

/**
 * Label 1, a wrong answer is 0 (so a 1-1 tie goes to the wrong answer). `failures[i]` lists the queries model i
 * gets wrong among `T` queries.
 */
function failurePattern(failures: number[][], T: number): number[][] {
  return Array.from({ length: T }, (_, t) => failures.map((f) => (f.includes(t) ? 0 : 1)));
}

// Models 0, 1, 2 fail on disjoint queries (never together: focal diversity 1, plurality always right); model 3
// fails together with 0 and 1. Train = 6 queries, test = the same pattern again.
const pattern = failurePattern([[0, 1], [2, 3], [4, 5], [0, 1, 2]], 6);
const pool = answersDataset({
  labels: new Array(12).fill(1),
  answers: [...pattern, ...pattern],
  choices: 2,
  split: [...new Array(6).fill('train'), ...new Array(6).fill('test')],
});

describe('baselines/static-team', () => {
  it('selects the most diverse team that reaches the accuracy floor', () => {
    const s = selectStaticFocalTeam(pool, pool.splitIndices('train'));
    assert.deepEqual(Array.from(s.team), [0, 1, 2]);
    assert.equal(s.focalDiversity, 1);
    assert.equal(s.pluralityAccuracy, 1);
    assert.equal(s.floor, 4 / 6);
    assert.equal(s.fallbackToFullPool, false);
  });

  it('falls back to the full pool when no team reaches the floor', () => {
    const s = selectStaticFocalTeam(pool, pool.splitIndices('train'), { accuracyFloor: 1.01 });
    assert.deepEqual(Array.from(s.team), [0, 1, 2, 3]);
    assert.equal(s.fallbackToFullPool, true);
    assert.throws(() => selectStaticFocalTeam(pool, pool.splitIndices('train'), { sizes: [1] }), /team size/);
    assert.throws(() => selectStaticFocalTeam(pool, new Int32Array(0)), /no queries/);
  });

  it('the chosen team answers by plurality and only its members are paid', () => {
    const r = staticFocalTeamBaseline(pool);
    assert.equal(r.accuracy, 1);
    assert.deepEqual(r.cost.callsPerModel, [6, 6, 6, 0]);
    assert.deepEqual(r.details!.team, ['m0', 'm1', 'm2']);
  });

  it('per subtask, each subtask gets the team chosen on its own train queries', () => {
    const other = failurePattern([[0, 1, 2], [0, 1], [2, 3], [4, 5]], 6);
    const d = answersDataset({
      labels: new Array(24).fill(1),
      answers: [...pattern, ...other, ...pattern, ...other],
      choices: 2,
      split: [...new Array(12).fill('train'), ...new Array(12).fill('test')],
      subtasks: [...new Array(6).fill('a'), ...new Array(6).fill('b'), ...new Array(6).fill('a'), ...new Array(6).fill('b')],
    });
    const r = staticFocalTeamBaseline(d, { perSubtask: true });
    const teams = r.details!.teamPerSubtask as Record<string, { team: string[] }>;
    assert.deepEqual(teams.a.team, ['m0', 'm1', 'm2']);
    assert.deepEqual(teams.b.team, ['m1', 'm2', 'm3']);
    assert.equal(r.accuracy, 1);
    assert.deepEqual(r.cost.callsPerModel, [6, 12, 12, 6]);
    const fused = staticFocalFusionBaseline(d, { perSubtask: true, seed: 2, epochs: 5 });
    assert.deepEqual(fused.cost.callsPerModel, [6, 12, 12, 6]);
    // Overall the two halves pull apart; a single team cannot be right everywhere.
    assert.ok(staticFocalTeamBaseline(d).accuracy < 1);
  });

  it('the same team can be fused by the supervised MLP, paying for the team only', () => {
    const r = staticFocalFusionBaseline(pool, { seed: 1, epochs: 30 });
    assert.deepEqual(r.cost.callsPerModel, [6, 6, 6, 0]);
    assert.deepEqual((r.details!.selection as { team: string[] }).team, ['m0', 'm1', 'm2']);
    assert.equal(r.correct.length, 6);
  });
});
