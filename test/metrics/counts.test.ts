import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EnsembleCounts, tripleIndex } from '../../src/metrics/counts';
import { TeamDiversity } from '../../src/metrics/diversity';
import { Rng } from '../../src/util/rng';
import { randomPool } from './pools';

describe('metrics/counts', () => {
  it('single, pair, triple co-failure, agreement and category counts equal direct counting, after adds and removes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 25 }), (seed, N, T) => {
        const rng = new Rng(seed);
        const pool = randomPool(rng.fork('pool'), { nModels: N, nQueries: T, nChoices: 3, abstain: 0.2, copies: 1 });
        const counts = new EnsembleCounts(N, 3);
        pool.predictions.forEach((row, t) => counts.add(row, pool.labels[t]));
        // Remove a random subset again; the counts must describe the queries that stay.
        const kept: number[] = [];
        pool.predictions.forEach((row, t) => (rng.next() < 0.4 ? counts.remove(row, pool.labels[t]) : kept.push(t)));
        const fails = (t: number, i: number) => pool.predictions[t][i] !== pool.labels[t];
        const count = (pred: (t: number) => boolean) => kept.filter(pred).length;
        assert.equal(counts.nQueries, kept.length);
        for (let a = 0; a < N; a++) {
          assert.equal(counts.fail[a], count((t) => fails(t, a)));
          for (let c = -1; c < 3; c++) assert.equal(counts.categoryCounts[a * 4 + c + 1], count((t) => pool.predictions[t][a] === c));
          for (let b = 0; b < N; b++) {
            assert.equal(counts.cofail[a * N + b], count((t) => fails(t, a) && fails(t, b)));
            if (a !== b) assert.equal(counts.agree[a * N + b], count((t) => pool.predictions[t][a] === pool.predictions[t][b]));
            for (let c = b + 1; c < N; c++) {
              if (a < b) assert.equal(counts.cofail3[tripleIndex(a, b, c)], count((t) => fails(t, a) && fails(t, b) && fails(t, c)));
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('packs the C(N,3) triples a < b < c into distinct consecutive positions', () => {
    const N = 9;
    const seen = new Set<number>();
    for (let c = 2; c < N; c++) for (let b = 1; b < c; b++) for (let a = 0; a < b; a++) seen.add(tripleIndex(a, b, c));
    assert.equal(seen.size, (N * (N - 1) * (N - 2)) / 6);
    assert.equal(Math.max(...seen), seen.size - 1);
  });

  it('rejects malformed queries, removal from empty counts and absurd pool sizes', () => {
    const counts = new EnsembleCounts(3, 2);
    assert.throws(() => counts.add([0, 1, 2], 0), /prediction of model 2 = 2/);
    assert.throws(() => counts.remove([0, 1, 1], 0), /no query is counted/);
    assert.throws(() => new EnsembleCounts(1000, 4), /C\(N,3\)/);
    assert.equal(counts.nQueries, 0);
  });

  it('without triples keeps every other count and refuses triple-based focal diversity', () => {
    const pool = randomPool(new Rng(2), { nModels: 5, nQueries: 20, nChoices: 3 });
    const full = new EnsembleCounts(5, 3);
    const lean = new EnsembleCounts(5, 3, { triples: false });
    pool.predictions.forEach((row, t) => {
      full.add(row, pool.labels[t]);
      lean.add(row, pool.labels[t]);
    });
    assert.equal(lean.cofail3.length, 0);
    assert.deepEqual(lean.cofail, full.cofail);
    assert.deepEqual(lean.agree, full.agree);
    assert.deepEqual(lean.categoryCounts, full.categoryCounts);
    const d = new TeamDiversity(lean);
    d.setTeam([0, 1, 2]);
    assert.throws(() => d.focalDiversity(), /without triples/);
  });
});
