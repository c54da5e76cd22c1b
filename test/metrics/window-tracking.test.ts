import assert from 'node:assert/strict';
import fc from 'fast-check';
import { METRIC_NAMES, type MetricName } from '../../src/metrics/conventions';
import { SlidingWindow } from '../../src/metrics/window';
import { Rng } from '../../src/util/rng';
import { naiveTeamMetrics, type Pool } from './naive';
import { close, randomPool, randomTeam, slicePool } from './pools';
import { ReferenceSlidingWindow } from './reference-window';

/** Disagreement is the one metric the tracked window sums differently (from totals, not per-pair quotients). */
const SUMMED_DIFFERENTLY: ReadonlySet<MetricName> = new Set(['disagreement']);

/** The next team: most often a few members swapped in or out (as a Decider's team drifts), sometimes a fresh one. */
function nextTeam(rng: Rng, N: number, team: number[]): number[] {
  const r = rng.next();
  if (r < 0.2 || team.length === 0) return randomTeam(rng, N, rng.int(N + 1));
  if (r < 0.35) return team;
  const members = new Set(team);
  const flips = 1 + rng.int(Math.min(3, N));
  for (let k = 0; k < flips; k++) {
    const i = rng.int(N);
    if (members.has(i)) members.delete(i);
    else members.add(i);
  }
  const out = [...members];
  rng.shuffle(out);
  return out;
}


/**
 * A pool whose replicas part: `replicas` models copy model 0 until their own random query, then answer on their
 * own (right half the time, else a random choice), so that failure classes part while queries are in the window.
 */
function partingReplicasPool(rng: Rng, N: number, T: number, nChoices: number, replicas: number): Pool {
  const base = randomPool(rng.fork('base'), { nModels: N, nQueries: T, nChoices, abstain: 0.1, copies: replicas });
  const own = rng.fork('own');
  const partsAt = Array.from({ length: N }, (_, i) => (i >= N - replicas ? own.int(T + 1) : T));
  const predictions = base.predictions.map((row, t) =>
    row.map((p, i) => (t < partsAt[i] ? p : own.next() < 0.5 ? base.labels[t] : own.next() < 0.1 ? -1 : own.int(nChoices))),
  );
  return { predictions, labels: base.labels, nChoices };
}

describe('metrics/window (tracked team vs the all-pairs reference window)', () => {
  it('gives the same values as the all-pairs window, bit for bit (disagreement within 1e-12), over drifting teams', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          nModels: fc.integer({ min: 1, max: 40 }),
          nChoices: fc.integer({ min: 1, max: 6 }),
          capacity: fc.integer({ min: 1, max: 40 }),
          pushes: fc.integer({ min: 0, max: 90 }),
          copies: fc.integer({ min: 0, max: 10 }),
          abstain: fc.constantFrom(0, 0.1, 0.4),
        }),
        ({ seed, nModels: N, nChoices, capacity, pushes, copies, abstain }) => {
          const rng = new Rng(seed);
          const pool = randomPool(rng.fork('pool'), { nModels: N, nQueries: pushes, nChoices, abstain, copies });
          const tracked = new SlidingWindow({ nModels: N, capacity, maxChoices: nChoices, convention: 'raw' });
          const reference = new ReferenceSlidingWindow({ nModels: N, capacity, maxChoices: nChoices, convention: 'raw' });
          const steps = rng.fork('steps');
          let team: number[] = [];
          for (let t = 0; t < pushes; t++) {
            tracked.push(pool.predictions[t], pool.labels[t]);
            reference.push(pool.predictions[t], pool.labels[t]);
            if (steps.next() < 0.05) {
              tracked.clear();
              reference.clear();
            }
            if (steps.next() < 0.3) continue;
            team = nextTeam(steps, N, team);
            // Sometimes only a subset of the metrics, so that focal and pairwise counts lapse and come back.
            const names = steps.next() < 0.5 ? METRIC_NAMES : METRIC_NAMES.filter(() => steps.next() < 0.4);
            const got = tracked.teamMetrics(team, names);
            const want = reference.teamMetrics(team, names);
            names.forEach((name, k) => {
              const ok = SUMMED_DIFFERENTLY.has(name)
                ? (Number.isNaN(got[k]) && Number.isNaN(want[k])) || Math.abs(got[k] - want[k]) <= 1e-12
                : Object.is(got[k], want[k]);
              assert.ok(ok, `${name}: tracked ${got[k]} vs reference ${want[k]} (team ${team}, step ${t}, window ${tracked.size})`);
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('follows a wide pool (N = 120, 80 copies) through single-member changes', () => {
    const N = 120;
    const rng = new Rng(11);
    const pool = randomPool(rng.fork('pool'), { nModels: N, nQueries: 300, nChoices: 4, copies: 80 });
    const tracked = new SlidingWindow({ nModels: N, capacity: 100, maxChoices: 4, convention: 'raw' });
    const reference = new ReferenceSlidingWindow({ nModels: N, capacity: 100, maxChoices: 4, convention: 'raw' });
    const steps = rng.fork('steps');
    let team = randomTeam(steps, N, 60);
    for (let t = 0; t < 300; t++) {
      tracked.push(pool.predictions[t], pool.labels[t]);
      reference.push(pool.predictions[t], pool.labels[t]);
      team = nextTeam(steps, N, team);
      const got = tracked.teamMetrics(team, METRIC_NAMES);
      const want = reference.teamMetrics(team, METRIC_NAMES);
      METRIC_NAMES.forEach((name, k) => {
        const ok = SUMMED_DIFFERENTLY.has(name) ? Math.abs(got[k] - want[k]) <= 1e-12 || (Number.isNaN(got[k]) && Number.isNaN(want[k])) : Object.is(got[k], want[k]);
        assert.ok(ok, `${name}: ${got[k]} vs ${want[k]} at step ${t}`);
      });
    }
  });

  it('replicas that part inside the window (failure classes): equal to the naive definitions and the all-pairs window', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          nModels: fc.integer({ min: 2, max: 40 }),
          nChoices: fc.integer({ min: 2, max: 5 }),
          capacity: fc.integer({ min: 1, max: 30 }),
          pushes: fc.integer({ min: 1, max: 70 }),
          replicas: fc.integer({ min: 1, max: 39 }),
        }),
        ({ seed, nModels: N, nChoices, capacity, pushes, replicas }) => {
          const rng = new Rng(seed);
          const pool = partingReplicasPool(rng.fork('pool'), N, pushes, nChoices, Math.min(replicas, N - 1));
          const tracked = new SlidingWindow({ nModels: N, capacity, maxChoices: nChoices, convention: 'raw' });
          const reference = new ReferenceSlidingWindow({ nModels: N, capacity, maxChoices: nChoices, convention: 'raw' });
          const steps = rng.fork('steps');
          let team = randomTeam(steps, N, 1 + steps.int(N));
          for (let t = 0; t < pushes; t++) {
            tracked.push(pool.predictions[t], pool.labels[t]);
            reference.push(pool.predictions[t], pool.labels[t]);
            // One member in or out (the one-pass move), sometimes a larger change (recounts); the env's default
            // metrics most steps, so the focal sums stay kept across pushes that part classes.
            team = steps.next() < 0.7 ? nextTeam(steps, N, team) : randomTeam(steps, N, steps.int(N + 1));
            const names: MetricName[] = steps.next() < 0.8 ? ['focal_diversity', 'plurality_accuracy'] : [...METRIC_NAMES];
            const got = tracked.teamMetrics(team, names);
            const want = reference.teamMetrics(team, names);
            const naive = naiveTeamMetrics(slicePool(pool, Math.max(0, t + 1 - capacity), t + 1), team);
            names.forEach((name, k) => {
              const ok = SUMMED_DIFFERENTLY.has(name) ? close(got[k], want[k]) : Object.is(got[k], want[k]);
              assert.ok(ok, `${name}: tracked ${got[k]} vs all-pairs ${want[k]} (team ${team}, step ${t})`);
              assert.ok(close(got[k], naive[name]), `${name}: tracked ${got[k]} vs naive ${naive[name]} (team ${team}, step ${t})`);
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
