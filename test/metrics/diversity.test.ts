import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TeamDiversity } from '../../src/metrics/diversity';
import { teamMetricsFromPredictions, teamMetricsOf } from '../../src/metrics/from-predictions';
import { countsOf, predictionTable } from '../../src/metrics/table';
import { Rng } from '../../src/util/rng';
import { naiveFocalNegativeCorrelation, naiveTeamMetrics } from './naive';
import { close, poolDataset, randomPool, randomTeam } from './pools';

const METRICS = [
  'focal_diversity', 'generalized_diversity', 'kohavi_wolpert', 'binary_entropy', 'fleiss_kappa', 'q_statistic',
  'correlation', 'disagreement', 'kappa_pairwise', 'plurality_accuracy', 'majority_accuracy', 'oracle_accuracy',
] as const;

const poolArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  nModels: fc.integer({ min: 1, max: 8 }),
  nQueries: fc.integer({ min: 0, max: 40 }),
  nChoices: fc.integer({ min: 2, max: 5 }),
  abstain: fc.constantFrom(0, 0.1, 0.5),
  copies: fc.integer({ min: 0, max: 2 }),
});

function assertClose(got: number, want: number, what: string): void {
  assert.ok(close(got, want), `${what}: got ${got}, want ${want}`);
}

describe('metrics/diversity (counts-based metrics vs the naive definitions)', () => {
  it('every metric and every focal negative correlation equals the naive definition to 1e-12', () => {
    fc.assert(
      fc.property(poolArb, (shape) => {
        const rng = new Rng(shape.seed);
        const pool = randomPool(rng.fork('pool'), shape);
        const team = randomTeam(rng.fork('team'), shape.nModels, 1 + rng.int(shape.nModels));
        const got = teamMetricsFromPredictions(pool.predictions, pool.labels, team, 'raw');
        const want = naiveTeamMetrics(pool, team);
        for (const name of METRICS) assertClose(got[name], want[name], name);
        team.forEach((f, x) => assertClose(got.focal_negative_correlation[x], naiveFocalNegativeCorrelation(pool, team, f), `lambda_neg(${f})`));
      }),
      { numRuns: 400 },
    );
  });

  it('focal diversity from triple counts equals focal diversity from correctness masks (1 and 3 words)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(5, 40, 70), fc.integer({ min: 0, max: 30 }), (seed, N, T) => {
        const rng = new Rng(seed);
        const pool = randomPool(rng.fork('pool'), { nModels: N, nQueries: T, nChoices: 3, abstain: 0.1, copies: N > 5 ? 10 : 1 });
        const table = predictionTable(pool.predictions, pool.labels, N);
        const d = new TeamDiversity(countsOf(table, Int32Array.from({ length: T }, (_, t) => t)));
        const words = Math.ceil(N / 32);
        const masks = new Uint32Array(T * words);
        pool.predictions.forEach((row, t) => row.forEach((p, i) => {
          if (p === pool.labels[t]) masks[t * words + (i >>> 5)] |= 1 << (i & 31);
        }));
        d.setTeam(randomTeam(rng.fork('team'), N, 2 + rng.int(N - 1)));
        const fromCounts = d.focalDiversity();
        const perMember = Array.from(d.focalPerMember.subarray(0, d.m));
        assertClose(d.focalDiversityFromMasks(masks, words, T), fromCounts, 'focal');
        perMember.forEach((v, x) => assertClose(d.focalPerMember[x], v, `lambda_neg #${x}`));
      }),
      { numRuns: 100 },
    );
  });

  it('focal diversity lies in [0, 1] and ignores member order and query order', () => {
    fc.assert(
      fc.property(poolArb, (shape) => {
        if (shape.nModels < 2) return;
        const rng = new Rng(shape.seed);
        const pool = randomPool(rng.fork('pool'), shape);
        const team = randomTeam(rng.fork('team'), shape.nModels, 2 + rng.int(shape.nModels - 1));
        const base = teamMetricsFromPredictions(pool.predictions, pool.labels, team, 'raw');
        assert.ok(base.focal_diversity >= 0 && base.focal_diversity <= 1, `focal ${base.focal_diversity}`);
        for (const l of base.focal_negative_correlation) assert.ok(l >= 0 && l <= 1);
        const shuffledTeam = rng.fork('order').shuffle([...team]);
        const order = rng.fork('queries').shuffle(pool.labels.map((_, t) => t));
        const other = teamMetricsFromPredictions(order.map((t) => pool.predictions[t]), order.map((t) => pool.labels[t]), shuffledTeam, 'raw');
        for (const name of METRICS) assertClose(other[name], base[name], `${name} after reordering`);
        shuffledTeam.forEach((f, x) => assertClose(other.focal_negative_correlation[x], base.focal_negative_correlation[team.indexOf(f)], `lambda_neg(${f})`));
      }),
      { numRuns: 200 },
    );
  });

  it('identical members have focal diversity 0; members with disjoint failure sets have 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 30 }), (seed, m, T) => {
        const rng = new Rng(seed);
        // Identical: every member copies model 0 (which fails at least once).
        const base = randomPool(rng.fork('pool'), { nModels: 1, nQueries: T, nChoices: 3, abstain: 0.2 });
        base.predictions[0][0] = base.labels[0] === 0 ? 1 : 0;
        const copies = base.predictions.map((row) => new Array<number>(m).fill(row[0]));
        assert.equal(teamMetricsFromPredictions(copies, base.labels).focal_diversity, 0);
        // Disjoint: query t is failed by member t % (m + 1) only (t % (m + 1) = m: nobody fails).
        const labels = Array.from({ length: T }, () => rng.int(3));
        const disjoint = labels.map((y, t) => Array.from({ length: m }, (_, i) => (i === t % (m + 1) ? (y + 1) % 3 : y)));
        const r = teamMetricsFromPredictions(disjoint, labels);
        assert.equal(r.focal_diversity, 1);
        assert.equal(r.generalized_diversity, 1);
      }),
      { numRuns: 100 },
    );
  });

  it('golden: 3 models, 4 queries (arithmetic in comments)', () => {
    // q  label  m0 m1 m2   failing members   X
    // 0    0     0  0  1   {2}               1
    // 1    1     0  1  1   {0}               1
    // 2    2     0  0  2   {0,1}             2
    // 3    0     1  1  1   {0,1,2}           3
    const predictions = [[0, 0, 1], [0, 1, 1], [0, 0, 2], [1, 1, 1]];
    const labels = [0, 1, 2, 0];
    const r = teamMetricsFromPredictions(predictions, labels, [0, 1, 2], 'raw');
    // lambda_neg(F) = 1 - sum X(X-1) / ((m-1) sum X) over F's failures, m = 3:
    // m0 fails q1,q2,q3: X = 1,2,3: 1 - (0+2+6)/(2*6) = 1/3
    // m1 fails q2,q3:    X = 2,3:   1 - (2+6)/(2*5)   = 1/5
    // m2 fails q0,q3:    X = 1,3:   1 - (0+6)/(2*4)   = 1/4
    assertClose(r.focal_negative_correlation[0], 1 / 3, 'lambda_neg(0)');
    assertClose(r.focal_negative_correlation[1], 1 / 5, 'lambda_neg(1)');
    assertClose(r.focal_negative_correlation[2], 1 / 4, 'lambda_neg(2)');
    assertClose(r.focal_diversity, 47 / 180, 'focal'); // (20 + 12 + 15)/60 / 3
    // GD over all queries: X = 1,1,2,3: 1 - (0+0+2+6)/(2*7) = 3/7
    assertClose(r.generalized_diversity, 3 / 7, 'GD');
    // KW: sum X(m-X) / (T m^2) = (2+2+2+0)/(4*9) = 1/6
    assertClose(r.kohavi_wolpert, 1 / 6, 'KW');
    // entropy of 12 bits, 7 wrong and 5 right
    assertClose(r.binary_entropy, -(7 / 12) * Math.log2(7 / 12) - (5 / 12) * Math.log2(5 / 12), 'entropy');
    // correctness m0 = 1000, m1 = 1100, m2 = 0110 (per query)
    // (0,1): n11=1 n00=2 n10=0 n01=1: Q = 2/2 = 1, rho = 2/sqrt(1*3*2*2), dis = 1/4, kappa = 4/(3+4) = 4/7
    // (0,2): n11=0 n00=1 n10=1 n01=2: Q = -2/2 = -1, rho = -2/sqrt(1*3*2*2), dis = 3/4, kappa = -4/7
    // (1,2): n11=1 n00=1 n10=1 n01=1: Q = 0, rho = 0, dis = 1/2, kappa = 0
    assertClose(r.q_statistic, 0, 'Q');
    assertClose(r.correlation, 0, 'rho');
    assertClose(r.disagreement, 1 / 2, 'disagreement'); // (1/4 + 3/4 + 1/2) / 3
    assertClose(r.kappa_pairwise, 0, 'kappa');
    const pair = teamMetricsFromPredictions(predictions, labels, [0, 1], 'raw');
    assertClose(pair.q_statistic, 1, 'Q(0,1)');
    assertClose(pair.correlation, 2 / Math.sqrt(12), 'rho(0,1)');
    assertClose(pair.kappa_pairwise, 4 / 7, 'kappa(0,1)');
    // Fleiss: per-query agreement (sum n^2 - 3)/6 = 2/6, 2/6, 2/6, 1 -> mean 1/2;
    // category shares 0: 5/12, 1: 6/12, 2: 1/12 -> Pe = 62/144 = 31/72; kappa = (1/2 - 31/72)/(41/72) = 5/41
    assertClose(r.fleiss_kappa, 5 / 41, 'Fleiss');
    // plurality: q0 -> 0 right, q1 -> 1 right, q2 -> 0 wrong, q3 -> 1 wrong: 2/4; majority the same; oracle 3/4
    assertClose(r.plurality_accuracy, 0.5, 'plurality');
    assertClose(r.majority_accuracy, 0.5, 'majority');
    assertClose(r.oracle_accuracy, 0.75, 'oracle');
  });

  it('golden: abstentions, a plurality tie, a member that is never right (0/0 pairs)', () => {
    // q  label  m0  m1   note
    // 0    1    -1   1   m0 abstains: plurality 1 (right), majority 1 of 2 is not > 1 (wrong), oracle right
    // 1    1     0   1   tie 0-1 -> lowest choice 0 (wrong), oracle right
    // 2    0    -1  -1   nobody answers: all wrong
    const r = teamMetricsFromPredictions([[-1, 1], [0, 1], [-1, -1]], [1, 1, 0], [0, 1], 'raw');
    assertClose(r.plurality_accuracy, 1 / 3, 'plurality');
    assertClose(r.majority_accuracy, 0, 'majority');
    assertClose(r.oracle_accuracy, 2 / 3, 'oracle');
    // failures: m0 on q0,q1,q2 (X = 1,1,2) -> 1 - 2/(1*4) = 1/2; m1 on q2 (X = 2) -> 1 - 2/(1*2) = 0
    assertClose(r.focal_negative_correlation[0], 0.5, 'lambda_neg(0)');
    assertClose(r.focal_negative_correlation[1], 0, 'lambda_neg(1)');
    assertClose(r.focal_diversity, 0.25, 'focal');
    assertClose(r.generalized_diversity, 0.5, 'GD'); // X = 1,1,2: 1 - 2/4
    assertClose(r.kohavi_wolpert, 1 / 6, 'KW'); // l(2-l) = 1,1,0 -> 2/(3*4)
    assertClose(r.binary_entropy, -(1 / 3) * Math.log2(1 / 3) - (2 / 3) * Math.log2(2 / 3), 'entropy'); // 2 of 6 right
    // correctness m0 = 000, m1 = 110: n11=0 n00=1 n10=0 n01=2
    assert.ok(Number.isNaN(r.q_statistic)); // (0*1 - 2*0)/(0 + 0) = 0/0
    assert.ok(Number.isNaN(r.correlation)); // (n11+n10) = 0 in the denominator, numerator 0
    assertClose(r.disagreement, 2 / 3, 'disagreement');
    assertClose(r.kappa_pairwise, 0, 'kappa'); // 2*0 / ((0)(3) + (2)(1))
    // Fleiss, abstention = its own category: per-query agreement (sum n^2 - 2)/2 = 0, 0, 1 -> 1/3;
    // shares -1: 3/6, 0: 1/6, 1: 2/6 -> Pe = (9 + 1 + 4)/36 = 7/18; kappa = (1/3 - 7/18)/(11/18) = -1/11
    assertClose(r.fleiss_kappa, -1 / 11, 'Fleiss');
  });

  it('edge cases have their documented values', () => {
    const nan = (x: number) => Number.isNaN(x);
    // Team of one: every diversity metric NaN, accuracies defined.
    const one = teamMetricsFromPredictions([[0, 1], [1, 1]], [0, 1], [1], 'raw');
    for (const name of METRICS.slice(0, 9)) assert.ok(nan(one[name]), name);
    assert.equal(one.plurality_accuracy, 0.5);
    assert.deepEqual(one.focal_negative_correlation, [NaN]);
    // Empty team: never answers.
    const none = teamMetricsFromPredictions([[0, 1]], [0], [], 'raw');
    assert.equal(none.oracle_accuracy, 0);
    assert.ok(nan(none.focal_diversity));
    // Empty window: focal 1, GD 1, entropy 0, Fleiss 1 (fewer than 2 rows), the rest NaN.
    const empty = teamMetricsFromPredictions([], [], [0, 1], 'raw');
    assert.equal(empty.focal_diversity, 1);
    assert.deepEqual(empty.focal_negative_correlation, [1, 1]);
    assert.equal(empty.generalized_diversity, 1);
    assert.equal(empty.binary_entropy, 0);
    assert.equal(empty.fleiss_kappa, 1);
    for (const name of ['kohavi_wolpert', 'q_statistic', 'correlation', 'disagreement', 'kappa_pairwise', 'plurality_accuracy', 'majority_accuracy', 'oracle_accuracy'] as const) {
      assert.ok(nan(empty[name]), name);
    }
    // One query: Fleiss 1; Q, rho and pairwise kappa 0/0; the rest by formula.
    const single = teamMetricsFromPredictions([[0, 1, 1]], [1], undefined, 'raw');
    assert.equal(single.fleiss_kappa, 1);
    assert.ok(nan(single.q_statistic) && nan(single.correlation) && nan(single.kappa_pairwise));
    assertClose(single.disagreement, 2 / 3, 'disagreement'); // pairs (0,1),(0,2) disagree, (1,2) agree
    assert.equal(single.focal_diversity, (1 + 1 + 1) / 3); // only m0 fails; m1, m2 never fail -> 1
    // A member never failing contributes 1.
    const never = teamMetricsFromPredictions([[0, 1], [1, 0]], [0, 1], [0, 1], 'raw');
    assert.deepEqual(never.focal_negative_correlation, [1, 1]); // m0 never fails; m1 fails alone
    // All abstain: everyone fails together.
    const silent = teamMetricsFromPredictions([[-1, -1], [-1, -1]], [0, 1], [0, 1], 'raw');
    assert.equal(silent.focal_diversity, 0);
    assert.equal(silent.generalized_diversity, 0);
    assert.equal(silent.kohavi_wolpert, 0);
    assert.equal(silent.binary_entropy, 0);
    assert.equal(silent.disagreement, 0);
    assert.ok(nan(silent.fleiss_kappa)); // one category only: Pe = 1, 0/0
    assert.ok(nan(silent.q_statistic) && nan(silent.correlation) && nan(silent.kappa_pairwise));
    assert.equal(silent.plurality_accuracy, 0);
    assert.equal(silent.oracle_accuracy, 0);
  });

  it('conventions: ensemblebench = 1 - higher-more-diverse for every diversity metric', () => {
    const rng = new Rng(11);
    const pool = randomPool(rng, { nModels: 6, nQueries: 50, nChoices: 4 });
    const high = teamMetricsFromPredictions(pool.predictions, pool.labels, [0, 2, 5], 'higher-more-diverse');
    const eb = teamMetricsFromPredictions(pool.predictions, pool.labels, [0, 2, 5], 'ensemblebench');
    const raw = teamMetricsFromPredictions(pool.predictions, pool.labels, [0, 2, 5], 'raw');
    for (const name of METRICS.slice(0, 9)) assertClose(high[name], 1 - eb[name], name);
    assertClose(high.q_statistic, 1 - raw.q_statistic, 'Q');
    assertClose(eb.focal_diversity, 1 - raw.focal_diversity, 'focal');
    high.focal_negative_correlation.forEach((v, x) => assertClose(v, 1 - eb.focal_negative_correlation[x], 'lambda_neg'));
    assert.throws(() => teamMetricsFromPredictions(pool.predictions, pool.labels, [0, 1], 'lower' as never), /unknown convention "lower"/);
  });

  it('teamMetricsOf scores a Dataset over a split like the naive definitions on that split', () => {
    const pool = randomPool(new Rng(17), { nModels: 6, nQueries: 90, nChoices: 4, abstain: 0.1 });
    const data = poolDataset(pool, 6);
    const test = Array.from(data.splitIndices('test'));
    const got = teamMetricsOf(data, [5, 1, 3], { split: 'test', convention: 'raw' });
    const want = naiveTeamMetrics({ predictions: test.map((t) => pool.predictions[t]), labels: test.map((t) => pool.labels[t]), nChoices: 4 }, [5, 1, 3]);
    assert.equal(got.n_queries, test.length);
    for (const name of METRICS) assertClose(got[name], want[name], name);
    assert.equal(teamMetricsOf(data).team.length, 6);
    assert.throws(() => teamMetricsOf(data, [0, 1], { queries: [0, 90] }), /queries\[1\] = 90/);
  });

  it('rejects malformed rows naming row and column', () => {
    assert.throws(() => teamMetricsFromPredictions([[0, 1], [0]], [0, 1]), /row 1 has 1 columns/);
    assert.throws(() => teamMetricsFromPredictions([[0, -2]], [0]), /row 0, column 1 = -2/);
    assert.throws(() => teamMetricsFromPredictions([[0, 1]], [0, 1]), /labels has 2 entries/);
    assert.throws(() => teamMetricsFromPredictions([[0, 1]], [0.5]), /labels\[0\] = 0.5/);
    assert.throws(() => teamMetricsFromPredictions([[0, 1]], [0], [0, 2]), /team member #1 = 2/);
    assert.throws(() => teamMetricsFromPredictions([], []), /no models/);
  });
});
