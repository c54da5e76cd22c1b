import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng } from '../../src/util/rng';
import { scanTeams, scanTeamMembers } from '../../src/metrics/index';
import { checkFocalProperties, focalPropertiesFindings } from '../../src/experiments/focal-properties';
import { focalDiversityByDefinition } from '../../src/metrics/focal-by-definition';
import { disjointFailurePool, duplicatedTable, permutedTable } from '../../src/sim/prediction-pools';
import { smallPool } from '../sim/small-pool';

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe('experiments/focal-properties', () => {
  it('the scan equals Eq. 8 from its definition on every team of random pools', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const pool = smallPool(seed);
        const scan = scanTeams(pool);
        const teams = scan.table.array('team') as string[];
        const focal = scan.table.array('focal_diversity') as Float64Array;
        teams.forEach((team, r) => assert.ok(Math.abs(focal[r] - focalDiversityByDefinition(pool, scanTeamMembers(team))) < 1e-12));
      }),
      { numRuns: 40 },
    );
  });

  it('identical members give 0, disjoint failures give 1, query and member order do not matter', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const rng = new Rng(seed);
        const pool = smallPool(seed);
        const wide = duplicatedTable(pool, 3);
        for (let i = 0; i < pool.nModels; i++) {
          const fails = Array.from({ length: pool.nQueries }, (_, t) => pool.predictions[t * pool.nModels + i] !== pool.labels[t]).some(Boolean);
          const v = focalDiversityByDefinition(wide, [3 * i, 3 * i + 1, 3 * i + 2]);
          assert.equal(v, fails ? 0 : 1);
        }
        const disjoint = disjointFailurePool(rng, 4, 60, 3);
        for (const v of scanTeams(disjoint).table.array('focal_diversity') as Float64Array) assert.equal(v, 1);
        const team = [0, 1, 2];
        const reversedQueries = Array.from({ length: pool.nQueries }, (_, t) => pool.nQueries - 1 - t);
        const identity = Array.from({ length: pool.nModels }, (_, i) => i);
        const a = focalDiversityByDefinition(pool, team);
        assert.ok(Math.abs(a - focalDiversityByDefinition(permutedTable(pool, identity, reversedQueries), team)) < 1e-12);
        assert.ok(Math.abs(a - focalDiversityByDefinition(pool, [2, 0, 1])) < 1e-12);
      }),
      { numRuns: 30 },
    );
  });

  it('checkFocalProperties reports every property as holding, with counts', () => {
    const { checks, table } = checkFocalProperties([], { randomPools: 6, maxModels: 6, queriesRange: [30, 80], definitionTeams: 30 });
    assert.equal(checks.length, 6);
    for (const c of checks) {
      assert.ok(c.holds, `${c.property}: worst deviation ${c.worstDeviation}`);
      assert.ok(c.teams > 0 && c.pools > 0, c.property);
    }
    assert.equal(table.rows.length, 6);
  });

  it('focalPropertiesFindings counts the checks that hold, the team evaluations and the pools', () => {
    const named = [{ key: 'extra', provenance: 'synthetic test pool', data: smallPool(11) }];
    const result = checkFocalProperties(named, { randomPools: 4, maxModels: 5, queriesRange: [30, 60], definitionTeams: 20 });
    const sentence = focalPropertiesFindings(result, named);
    const teams = result.checks.reduce((s, c) => s + c.teams, 0);
    assert.ok(sentence.includes(`Ours: 6 of 6 checks hold`), sentence);
    assert.ok(sentence.includes(`over ${teams} team evaluations on ${result.checks[0].pools} pools (4 synthetic random + extra)`), sentence);
    assert.equal(result.checks[0].pools, 5);
  });
});
