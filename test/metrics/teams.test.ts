import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SCAN_ACCURACY_COLUMNS, SCAN_DIVERSITY_COLUMNS, scanTeamMembers, scanTeams } from '../../src/metrics/teams';
import { bestScannedTeam, topModelsByAccuracy, topTeamsByFocalDiversity } from '../../src/metrics/selection';
import { Rng } from '../../src/util/rng';
import { naiveAccuracies, naiveTeamMetrics, Pool } from './naive';
import { close, poolDataset, randomPool } from './pools';

function subPool(pool: Pool, queries: number[]): Pool {
  return { predictions: queries.map((t) => pool.predictions[t]), labels: queries.map((t) => pool.labels[t]), nChoices: pool.nChoices };
}

describe('metrics/teams (exhaustive scan) and metrics/selection', () => {
  it('lists all 2^N - N - 1 teams of size >= 2, by size then lexicographically, each equal to the naive metrics', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          nModels: fc.integer({ min: 2, max: 6 }),
          nQueries: fc.integer({ min: 0, max: 30 }),
          nChoices: fc.integer({ min: 2, max: 5 }),
          abstain: fc.constantFrom(0, 0.15),
          copies: fc.integer({ min: 0, max: 2 }),
        }),
        (shape) => {
          const pool = randomPool(new Rng(shape.seed), shape);
          const data = poolDataset(pool, shape.nModels);
          const scan = scanTeams(data, { convention: 'raw' });
          const rows = scan.table.objects() as Array<Record<string, number | string>>;
          assert.equal(rows.length, 2 ** shape.nModels - shape.nModels - 1);
          const teams = rows.map((r) => scanTeamMembers(r.team as string));
          for (let r = 1; r < teams.length; r++) {
            const [a, b] = [teams[r - 1], teams[r]];
            assert.ok(a.length < b.length || (a.length === b.length && compareLex(a, b) < 0), `${a} before ${b}`);
          }
          rows.forEach((row, r) => {
            const want = naiveTeamMetrics(pool, teams[r]);
            assert.equal(row.size, teams[r].length);
            assert.equal(row.models, teams[r].map((i) => `model-${i}`).join('+'));
            for (const name of [...SCAN_DIVERSITY_COLUMNS, ...SCAN_ACCURACY_COLUMNS]) {
              assert.ok(close(row[name] as number, want[name]), `${name} of ${teams[r]}: scan ${row[name]} vs naive ${want[name]}`);
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('honours minSize/maxSize, query selections and the convention', () => {
    const pool = randomPool(new Rng(5), { nModels: 5, nQueries: 60, nChoices: 3 });
    const data = poolDataset(pool, pool.predictions[0].length);
    const pairs = scanTeams(data, { minSize: 2, maxSize: 2 });
    assert.equal(pairs.table.numRows(), 10);
    const singles = scanTeams(data, { minSize: 1, maxSize: 1, convention: 'raw' });
    assert.deepEqual(Array.from(singles.table.array('plurality_accuracy') as ArrayLike<number>), Array.from(data.modelAccuracies()));
    const train = scanTeams(data, { split: 'train', convention: 'raw' });
    const trainQueries = Array.from(data.splitIndices('train'));
    assert.equal(train.nQueries, trainQueries.length);
    const row = train.table.objects()[7] as Record<string, number | string>;
    const want = naiveTeamMetrics(subPool(pool, trainQueries), scanTeamMembers(row.team as string));
    for (const name of [...SCAN_DIVERSITY_COLUMNS, ...SCAN_ACCURACY_COLUMNS]) assert.ok(close(row[name] as number, want[name]), name);
    const picked = scanTeams(data, { queries: [5, 1, 2], convention: 'raw' });
    assert.equal(picked.nQueries, 3);
    const eb = scanTeams(data, { convention: 'ensemblebench' });
    const high = scanTeams(data);
    for (const name of SCAN_DIVERSITY_COLUMNS) {
      const a = eb.table.array(name) as Float64Array;
      const b = high.table.array(name) as Float64Array;
      a.forEach((v, r) => assert.ok(close(v, 1 - b[r]), name));
    }
    assert.throws(() => scanTeams(data, { minSize: 3, maxSize: 2 }), /minSize/);
    assert.throws(() => scanTeams(data, { queries: [60] }), /queries\[0\] = 60/);
    assert.throws(() => scanTeams(poolDataset(randomPool(new Rng(1), { nModels: 17, nQueries: 2, nChoices: 2 }), 17)), /at most 16 models/);
  });

  it('top teams by focal diversity: per size, above the floor, most diverse first (either convention)', () => {
    const pool = randomPool(new Rng(9), { nModels: 6, nQueries: 80, nChoices: 4 });
    const data = poolDataset(pool, pool.predictions[0].length);
    const floor = 0.5;
    for (const convention of ['higher-more-diverse', 'ensemblebench'] as const) {
      const scan = scanTeams(data, { convention });
      const chosen = topTeamsByFocalDiversity(scan, { accuracyFloor: floor, perSize: 2 }).objects() as Array<Record<string, number | string>>;
      const all = scan.table.objects() as Array<Record<string, number | string>>;
      for (let size = 2; size <= 6; size++) {
        const eligible = all.filter((r) => r.size === size && (r.plurality_accuracy as number) >= floor);
        const mine = chosen.filter((r) => r.size === size);
        assert.equal(mine.length, Math.min(2, eligible.length));
        const raw = (r: Record<string, number | string>) => (convention === 'ensemblebench' ? 1 - (r.focal_diversity as number) : (r.focal_diversity as number));
        const best = Math.max(...eligible.map(raw));
        if (mine.length > 0) assert.equal(raw(mine[0]), best);
        if (mine.length > 1) assert.ok(raw(mine[0]) >= raw(mine[1]));
        for (const r of mine) assert.ok((r.plurality_accuracy as number) >= floor);
      }
    }
    const scan = scanTeams(data);
    assert.equal(topTeamsByFocalDiversity(scan, { accuracyFloor: 2 }).numRows(), 0);
    assert.deepEqual(Array.from(topTeamsByFocalDiversity(scan, { accuracyFloor: 0, sizes: [3] }).array('size') as ArrayLike<number>), [3]);
  });

  it('best team by plurality accuracy equals a brute-force search; top-k models by accuracy', () => {
    const pool = randomPool(new Rng(21), { nModels: 5, nQueries: 70, nChoices: 3 });
    const data = poolDataset(pool, pool.predictions[0].length);
    const trainQueries = Array.from(data.splitIndices('train'));
    const best = bestScannedTeam(scanTeams(data, { split: 'train' }));
    let want = { team: [] as number[], accuracy: -1 };
    for (let mask = 1; mask < 32; mask++) {
      const team = [0, 1, 2, 3, 4].filter((i) => mask & (1 << i));
      if (team.length < 2) continue;
      const acc = naiveAccuracies(subPool(pool, trainQueries), team).plurality;
      const better = acc > want.accuracy || (acc === want.accuracy && (team.length < want.team.length || (team.length === want.team.length && compareLex(team, want.team) < 0)));
      if (better) want = { team, accuracy: acc };
    }
    assert.deepEqual(best.team, want.team);
    assert.equal(best.accuracy, want.accuracy);
    const acc = Array.from(data.modelAccuracies(data.splitIndices('train')));
    const top = topModelsByAccuracy(data, 3, { split: 'train' });
    assert.equal(top.length, 3);
    for (let r = 1; r < 3; r++) assert.ok(acc[top[r - 1]] > acc[top[r]] || (acc[top[r - 1]] === acc[top[r]] && top[r - 1] < top[r]));
    const rest = [0, 1, 2, 3, 4].filter((i) => !top.includes(i));
    for (const i of rest) assert.ok(acc[i] <= acc[top[2]]);
    assert.throws(() => topModelsByAccuracy(data, 6), /k must be an integer in \[1, 5\]/);
  });
});

function compareLex(a: number[], b: number[]): number {
  for (let x = 0; x < Math.min(a.length, b.length); x++) if (a[x] !== b[x]) return a[x] - b[x];
  return a.length - b.length;
}
