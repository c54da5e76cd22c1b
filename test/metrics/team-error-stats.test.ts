import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanTeamMembers } from '../../src/metrics/teams';
import { teamErrorStats } from '../../src/metrics/team-error-stats';
import { smallPool } from '../sim/small-pool';

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe('metrics/team-error-stats', () => {
  it('generalized diversity equals its covariance form exactly, and covariances match a direct computation', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const pool = smallPool(seed);
        const stats = teamErrorStats(pool);
        const N = pool.nModels;
        const T = pool.nQueries;
        const e = (t: number, i: number) => (pool.predictions[t * N + i] !== pool.labels[t] ? 1 : 0);
        for (const s of stats) {
          assert.ok(Math.abs(s.generalizedDiversity - s.generalizedDiversityFromCovariance) < 1e-12);
          const members = scanTeamMembers(s.team);
          let cov = 0;
          let pairs = 0;
          for (let x = 0; x < members.length; x++) {
            for (let y = x + 1; y < members.length; y++) {
              let ea = 0, eb = 0, eab = 0;
              for (let t = 0; t < T; t++) {
                ea += e(t, members[x]);
                eb += e(t, members[y]);
                eab += e(t, members[x]) * e(t, members[y]);
              }
              cov += eab / T - (ea / T) * (eb / T);
              pairs++;
            }
          }
          assert.ok(Math.abs(s.meanErrorCovariance - cov / pairs) < 1e-12);
        }
      }),
      { numRuns: 25 },
    );
  });
});
