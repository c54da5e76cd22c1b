import assert from 'node:assert/strict';
import fc from 'fast-check';
import { focalTeamObjective } from '../../src/metrics/team-objectives';
import { compareKeys, searchTeams, type TeamObjective } from '../../src/metrics/team-search';
import { scanTeamMembers, scanTeams } from '../../src/metrics/teams';
import { topTeamsByFocalDiversity } from '../../src/metrics/selection';
import { Rng } from '../../src/util/rng';
import { poolDataset, randomPool } from './pools';

const shapes = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  nModels: fc.integer({ min: 2, max: 8 }),
  nQueries: fc.integer({ min: 1, max: 40 }),
  nChoices: fc.integer({ min: 2, max: 5 }),
  abstain: fc.constantFrom(0, 0.15),
  copies: fc.integer({ min: 0, max: 2 }),
  floor: fc.constantFrom(0, 0.4, 0.6),
});

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** The key of a team computed from scratch (members added in ascending order). */
function keyFromScratch<S>(objective: TeamObjective<S>, team: Int32Array): number[] {
  let state = objective.empty();
  for (let k = 0; k < team.length - 1; k++) state = objective.extend(state, team[k]);
  return objective.score(state, team, team[team.length - 1]);
}

describe('metrics/team-search', () => {
  it('equals the exhaustive scan per size, both by enumeration and by a beam wide enough to keep every team', () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const data = poolDataset(randomPool(new Rng(shape.seed), shape), shape.nModels);
        const queries = Int32Array.from({ length: data.nQueries }, (_, t) => t);
        const N = shape.nModels;
        const scan = scanTeams(data, { queries, minSize: 2, maxSize: N });
        const want = new Map<number, { team: number[]; focal: number; accuracy: number }>();
        for (const row of topTeamsByFocalDiversity(scan, { accuracyFloor: shape.floor }).objects() as Array<Record<string, number | string>>) {
          want.set(row.size as number, { team: scanTeamMembers(row.team as string), focal: row.focal_diversity as number, accuracy: row.plurality_accuracy as number });
        }
        const objective = focalTeamObjective(data, queries, shape.floor);
        const widest = Math.max(...Array.from({ length: N + 1 }, (_, m) => binomial(N, m)));
        for (const limits of [{}, { enumerationBudget: 0, beamWidth: widest }]) {
          const { bestPerSize, method } = searchTeams(N, objective, { minSize: 2, maxSize: N }, limits);
          assert.equal(method.kind, 'enumerationBudget' in limits ? 'enumeration+beam' : 'exhaustive');
          for (const got of bestPerSize) {
            const expected = want.get(got.team.length);
            if (got.key[0] !== 1) {
              assert.equal(expected, undefined, `size ${got.team.length}: the scan has a team above the floor`);
              continue;
            }
            assert.ok(expected, `size ${got.team.length}: the scan has no team above the floor`);
            assert.deepEqual(Array.from(got.team), expected.team);
            assert.equal(got.key[1], expected.focal);
            assert.equal(got.key[2], expected.accuracy);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a narrow beam returns valid teams whose keys are their own and never beat the exhaustive best', () => {
    fc.assert(
      fc.property(shapes, fc.integer({ min: 1, max: 3 }), (shape, beamWidth) => {
        const data = poolDataset(randomPool(new Rng(shape.seed), shape), shape.nModels);
        const queries = Int32Array.from({ length: data.nQueries }, (_, t) => t);
        const N = shape.nModels;
        const objective = focalTeamObjective(data, queries, shape.floor);
        const exact = searchTeams(N, objective, { minSize: 1, maxSize: N });
        const beam = searchTeams(N, objective, { minSize: 1, maxSize: N }, { enumerationBudget: N, beamWidth });
        assert.equal(beam.method.enumeratedUpTo, 1);
        assert.match(beam.method.description, new RegExp(`beam of width ${beamWidth}`));
        beam.bestPerSize.forEach((got, k) => {
          assert.equal(got.team.length, k + 1);
          assert.equal(new Set(got.team).size, got.team.length);
          assert.deepEqual(got.key, keyFromScratch(objective, got.team));
          assert.ok(compareKeys(got.key, exact.bestPerSize[k].key) <= 0);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('rejects bad limits and sizes with one clear message', () => {
    const data = poolDataset(randomPool(new Rng(1), { nModels: 3, nQueries: 5, nChoices: 2 }), 3);
    const objective = focalTeamObjective(data, Int32Array.from([0, 1, 2]), 0);
    assert.throws(() => searchTeams(3, objective, { minSize: 2, maxSize: 4 }), /minSize <= maxSize <= 3/);
    assert.throws(() => searchTeams(3, objective, { minSize: 1, maxSize: 3 }, { beamWidth: 0 }), /beamWidth/);
  });
});
