import assert from 'node:assert/strict';
import fc from 'fast-check';
import { enumerateTeams, teamVoteAccuracy } from '../../src/baselines/best-team';
import { budgetTeamBaseline, defaultCallBudgets } from '../../src/baselines/budget-team';
import { answersDataset } from './helpers';

/** A random answers pool: `n` models, `t` queries of 3 choices, half train half test (seeded by fast-check). */
const arbitraryPool = (n: number, t: number) =>
  fc
    .array(fc.array(fc.integer({ min: -1, max: 2 }), { minLength: n, maxLength: n }), { minLength: t, maxLength: t })
    .chain((answers) => fc.array(fc.integer({ min: 0, max: 2 }), { minLength: t, maxLength: t }).map((labels) => ({ answers, labels })))
    .map(({ answers, labels }) =>
      answersDataset({ answers, labels, choices: 3, split: labels.map((_, q) => (q % 2 === 0 ? 'train' : 'test')) }),
    );

describe('baselines/budget team', () => {
  it('equals the exhaustive best vote team under the size cap (on train), for random pools', () => {
    fc.assert(
      fc.property(arbitraryPool(6, 24), fc.integer({ min: 1, max: 6 }), fc.constantFrom('plurality' as const, 'soft' as const), (d, cap, rule) => {
        const result = budgetTeamBaseline(d, { maxSize: cap, rule });
        const train = d.splitIndices('train');
        let best = -1;
        for (const team of enumerateTeams(6, 1, cap)) best = Math.max(best, teamVoteAccuracy(d, team, rule, train));
        assert.equal(result.details!.trainAccuracy, best);
        assert.ok(result.cost.callsPerQuery <= cap);
      }),
      { numRuns: 40 },
    );
  });

  it('reports budgets 1, 2, 3 and max(3, floor(N/4)) that fit the pool', () => {
    assert.deepEqual(defaultCallBudgets(2), [1, 2]);
    assert.deepEqual(defaultCallBudgets(10), [1, 2, 3]);
    assert.deepEqual(defaultCallBudgets(43), [1, 2, 3, 10]);
  });
});
