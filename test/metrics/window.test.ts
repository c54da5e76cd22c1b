import assert from 'node:assert/strict';
import fc from 'fast-check';
import { METRIC_NAMES } from '../../src/metrics/conventions';
import { SlidingWindow } from '../../src/metrics/window';
import { Rng } from '../../src/util/rng';
import { naiveTeamMetrics } from './naive';
import { close, randomPool, randomTeam, slicePool } from './pools';

describe('metrics/window', () => {
  it('after any random push sequence (with eviction) equals recomputation from scratch', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          nModels: fc.integer({ min: 2, max: 9 }),
          nChoices: fc.integer({ min: 2, max: 5 }),
          capacity: fc.integer({ min: 1, max: 12 }),
          pushes: fc.integer({ min: 0, max: 30 }),
          copies: fc.integer({ min: 0, max: 2 }),
          tripleCounts: fc.boolean(),
        }),
        ({ seed, nModels, nChoices, capacity, pushes, copies, tripleCounts }) => {
          const rng = new Rng(seed);
          const pool = randomPool(rng.fork('pool'), { nModels, nQueries: pushes, nChoices, abstain: 0.1, copies });
          const window = new SlidingWindow({ nModels, capacity, maxChoices: nChoices, convention: 'raw', tripleCounts });
          const teams = rng.fork('teams');
          for (let t = 0; t < pushes; t++) {
            window.push(pool.predictions[t], pool.labels[t]);
            assert.equal(window.size, Math.min(t + 1, capacity));
            if (t % 3 !== 2 && t !== pushes - 1) continue;
            const recent = slicePool(pool, Math.max(0, t + 1 - capacity), t + 1);
            const team = randomTeam(teams, nModels, 1 + teams.int(nModels));
            const got = window.teamMetrics(team, METRIC_NAMES);
            const want = naiveTeamMetrics(recent, team);
            METRIC_NAMES.forEach((name, k) => assert.ok(close(got[k], want[name]), `${name}: window ${got[k]} vs naive ${want[name]} (team ${team}, step ${t})`));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('handles pools wider than one 32-bit word (N = 70), with and without triple counts', () => {
    const rng = new Rng(7);
    const N = 70;
    const pool = randomPool(rng.fork('pool'), { nModels: N, nQueries: 60, nChoices: 4, copies: 20 });
    for (const tripleCounts of [true, false]) {
      const window = new SlidingWindow({ nModels: N, capacity: 25, maxChoices: 4, convention: 'raw', tripleCounts });
      pool.labels.forEach((y, t) => window.push(pool.predictions[t], y));
      for (const m of [2, 5, 33, 70]) {
        const team = randomTeam(rng.fork(`team${m}`), N, m);
        const got = window.teamMetrics(team, METRIC_NAMES);
        const want = naiveTeamMetrics(slicePool(pool, 35, 60), team);
        METRIC_NAMES.forEach((name, k) => assert.ok(close(got[k], want[name]), `${name} m=${m}: ${got[k]} vs ${want[name]}`));
      }
    }
  });

  it('clear() empties the window; an empty window gives the documented values', () => {
    const window = new SlidingWindow({ nModels: 3, capacity: 4, maxChoices: 2 });
    window.push([0, 1, -1], 0);
    window.clear();
    assert.equal(window.size, 0);
    const v = window.teamMetrics([0, 1], ['focal_diversity', 'plurality_accuracy', 'fleiss_kappa', 'binary_entropy', 'q_statistic']);
    // focal: no member fails -> each lambda_neg = 1 -> 1; accuracy 0/0 -> NaN; Fleiss < 2 rows -> 1, reported
    // as 1 - 1 = 0 in the higher-more-diverse convention; entropy of no bits 0; Q 0/0 NaN.
    assert.deepEqual(Array.from(v), [1, NaN, 0, 0, NaN]);
  });

  it('reports in the requested convention and writes into `out`', () => {
    const rng = new Rng(3);
    const pool = randomPool(rng, { nModels: 5, nQueries: 40, nChoices: 3 });
    const make = (convention: 'raw' | 'higher-more-diverse' | 'ensemblebench') => {
      const w = new SlidingWindow({ nModels: 5, capacity: 40, maxChoices: 3, convention });
      pool.labels.forEach((y, t) => w.push(pool.predictions[t], y));
      return w.teamMetrics([4, 0, 2], METRIC_NAMES);
    };
    const raw = make('raw');
    const high = make('higher-more-diverse');
    const eb = make('ensemblebench');
    const agreement = new Set(['fleiss_kappa', 'q_statistic', 'correlation', 'kappa_pairwise']);
    const accuracy = new Set(['plurality_accuracy', 'oracle_accuracy']);
    METRIC_NAMES.forEach((name, k) => {
      if (accuracy.has(name)) {
        assert.equal(high[k], raw[k]);
        assert.equal(eb[k], raw[k]);
      } else {
        assert.equal(high[k], agreement.has(name) ? 1 - raw[k] : raw[k], name);
        assert.equal(eb[k], agreement.has(name) ? raw[k] : 1 - raw[k], name);
      }
    });
    const out = new Float64Array(2);
    const w = new SlidingWindow({ nModels: 5, capacity: 3, maxChoices: 3 });
    w.push([0, 0, 1, 2, -1], 0);
    assert.equal(w.teamMetrics([0, 1], ['oracle_accuracy', 'plurality_accuracy'], out), out);
    assert.deepEqual(Array.from(out), [1, 1]);
  });

  it('rejects malformed queries and teams with an error naming the field, leaving the window intact', () => {
    const w = new SlidingWindow({ nModels: 3, capacity: 2, maxChoices: 3 });
    w.push([0, 1, 2], 0);
    assert.throws(() => w.push([0, 1], 0), /got 2 predictions, expected one per model \(3\)/);
    assert.throws(() => w.push([0, 1, 3], 0), /prediction of model 2 = 3/);
    assert.throws(() => w.push([0, 1, 2], 5), /label 5/);
    assert.equal(w.size, 1);
    assert.throws(() => w.teamMetrics([0, 3], ['focal_diversity']), /team member #1 = 3/);
    assert.throws(() => w.teamMetrics([1, 1], ['focal_diversity']), /model 1 twice/);
    assert.throws(() => w.teamMetrics([0, 1], ['nope' as never]), /unknown metric "nope"/);
    assert.throws(() => new SlidingWindow({ nModels: 3, capacity: 0, maxChoices: 3 }), /capacity/);
  });
});
