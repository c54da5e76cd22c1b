import assert from 'node:assert/strict';
import { randomTeamBaseline } from '../../src/baselines/random-team';
import { answersDataset } from './helpers';

describe('baselines/random team', () => {
  it('draws size distinct models from the seed: same seed same team, and the mean over seeds covers the pool', () => {
    const d = answersDataset({ answers: [[0, 1, 2, 0, 1]], labels: [0], choices: 3 });
    const a = randomTeamBaseline(d, { size: 2, seed: 7 });
    assert.deepEqual(a.details!.team, randomTeamBaseline(d, { size: 2, seed: 7 }).details!.team);
    assert.equal(a.cost.callsPerQuery, 2);
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) for (const id of randomTeamBaseline(d, { size: 2, seed }).details!.team as string[]) seen.add(id);
    assert.equal(seen.size, 5);
    assert.throws(() => randomTeamBaseline(d, { size: 6, seed: 0 }), /size must be/);
  });
});
