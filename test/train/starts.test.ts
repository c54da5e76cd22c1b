import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/train/config';
import { trainPerSubtask, trainRlFocal } from '../../src/train/train-rl-focal';
import { syntheticPool } from './synthetic-pool';

const untrained = { window: 5, updatePeriod: 25, minibatches: 2, deciderHidden: [8], criticHidden: [8], testDeciderAction: 'mode' as const, deciderEpisodes: 0, fusionEpisodes: 0, onlineUpdates: false, validationFraction: 0 };

describe('train: where the agents start (deciderInitialTeam, fusionInit)', () => {
  const misled = syntheticPool({ topics: [{ name: 'A', expert: 1, queries: 300 }], nModels: 5, nChoices: 4, seed: 3, expertAccuracy: 0.9, wrongMajority: true });

  it("fusionInit 'supervised' learns from the recorded train labels to overrule a misled majority", () => {
    const vote = trainRlFocal(misled, { ...untrained, fusionInit: 'vote', deciderInitialTeam: 'best-on-train', deciderInitialTeamSize: 3, seed: 1 });
    const fitted = trainRlFocal(misled, { ...untrained, fusionInit: 'supervised', deciderInitialTeam: 'best-on-train', deciderInitialTeamSize: 3, seed: 1 });
    assert.equal(fitted.learned.test.cost.callsPerQuery, vote.learned.test.cost.callsPerQuery, 'same starting team');
    assert.ok(fitted.learned.test.accuracy > vote.learned.test.accuracy + 0.1, `supervised ${fitted.learned.test.accuracy} vs vote ${vote.learned.test.accuracy}`);
    const again = trainRlFocal(misled, { ...untrained, fusionInit: 'supervised', deciderInitialTeam: 'best-on-train', deciderInitialTeamSize: 3, seed: 1 });
    assert.deepEqual(again.preTestWeights.fusion, fitted.preTestWeights.fusion, 'one seed, same weights');
  });

  it("the starting team keeps to the call budget when calls have a price ('best-on-train' and 'best-vote-team')", () => {
    for (const deciderInitialTeam of ['best-on-train', 'best-vote-team'] as const) {
      for (const freeCalls of [1, 2]) {
        const run = trainRlFocal(misled, { ...untrained, deciderInitialTeam, deciderInitialTeamSize: 3, callPrice: 0.05, freeCalls, seed: 2 });
        assert.ok(run.learned.test.cost.callsPerQuery <= freeCalls, `${deciderInitialTeam}, freeCalls ${freeCalls}: ${run.learned.test.cost.callsPerQuery} calls`);
      }
    }
    const free = trainRlFocal(misled, { ...untrained, deciderInitialTeam: 'best-on-train', deciderInitialTeamSize: 3, callPrice: 0, freeCalls: 0, seed: 2 });
    assert.equal(free.learned.test.cost.callsPerQuery, 3, 'no price: the budget does not apply');
  });

  it("'vote' needs the linear per-choice scorer; unknown starts are named", () => {
    assert.throws(() => resolveConfig({ fusionInit: 'vote', fusionHidden: [4] }), /RlFocalConfig.fusionInit: 'vote' needs/);
    assert.throws(() => resolveConfig({ fusionInit: 'clever' as never }), /RlFocalConfig.fusionInit/);
    assert.throws(() => resolveConfig({ deciderInitialTeam: 'best' as never }), /RlFocalConfig.deciderInitialTeam/);
  });

  it('trainPerSubtask joins the learned agents\' own passes beside the served ones', () => {
    const pool = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 120 }, { name: 'B', expert: 1, queries: 120 }], nModels: 4, nChoices: 4, seed: 4, expertAccuracy: 0.9 });
    const guarded = trainPerSubtask(pool, { ...untrained, validationFraction: 0.25, seed: 2 });
    const hits = guarded.runs.reduce((s, { run }) => s + run.learned.test.correct.reduce((a, b) => a + b, 0), 0);
    assert.equal(guarded.learned.correct.reduce((a, b) => a + b, 0), hits);
    assert.equal(guarded.learned.correct.length, guarded.test.correct.length);
    for (const { run } of guarded.runs) assert.equal(run.learned.validation?.correct.length, run.guard!.queries);
    const open = trainPerSubtask(pool, { ...untrained, seed: 2 });
    assert.equal(open.learned, open.test);
  });
});
