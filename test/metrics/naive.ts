/**
 * The oracle: every metric written straight from its definition, per team and per query, with no counts and no
 * bitmasks. Slow on purpose. Edge-case results follow the documented table in src/metrics/diversity.ts, each
 * reached the way the reference code reaches it (e.g. focal member with no failures -> 1, Fleiss with < 2 rows -> 1).
 */

export interface Pool {
  /** predictions[q][i]: model i's choice on query q, -1 = abstained. */
  predictions: number[][];
  labels: number[];
  nChoices: number;
}

function fails(pool: Pool, q: number, i: number): boolean {
  return pool.predictions[q][i] !== pool.labels[q];
}

/** Partridge-Krzanowski GD of `team` over the given queries: p_j = share of queries with j failing members. */
function generalizedDiversityOver(pool: Pool, team: number[], queries: number[]): number {
  const m = team.length;
  const n = new Array<number>(m + 1).fill(0);
  for (const q of queries) {
    let failing = 0;
    for (const i of team) if (fails(pool, q, i)) failing++;
    n[failing]++;
  }
  let p1 = 0;
  let p2 = 0;
  for (let j = 0; j <= m; j++) {
    const pj = n[j] / queries.length;
    p1 += (j / m) * pj;
    p2 += ((j * (j - 1)) / (m * (m - 1))) * pj;
  }
  if (queries.length === 0 || p1 === 0) return 1; // the authors' `if p_1 == 0: gd = 1`
  return 1 - p2 / p1;
}

export function naiveFocalNegativeCorrelation(pool: Pool, team: number[], focal: number): number {
  if (team.length < 2) return NaN;
  const focalFailures: number[] = [];
  for (let q = 0; q < pool.labels.length; q++) if (fails(pool, q, focal)) focalFailures.push(q);
  return generalizedDiversityOver(pool, team, focalFailures);
}

export function naiveFocalDiversity(pool: Pool, team: number[]): number {
  if (team.length < 2) return NaN;
  let sum = 0;
  for (const f of team) sum += naiveFocalNegativeCorrelation(pool, team, f);
  return sum / team.length;
}

export function naiveGeneralizedDiversity(pool: Pool, team: number[]): number {
  if (team.length < 2) return NaN;
  return generalizedDiversityOver(pool, team, pool.labels.map((_, q) => q));
}

export function naiveKohaviWolpert(pool: Pool, team: number[]): number {
  const T = pool.labels.length;
  const L = team.length;
  if (L < 2 || T === 0) return NaN;
  let kw = 0;
  for (let q = 0; q < T; q++) {
    let right = 0;
    for (const i of team) if (!fails(pool, q, i)) right++;
    kw += right * (L - right);
  }
  return kw / (T * L * L);
}

export function naiveBinaryEntropy(pool: Pool, team: number[]): number {
  if (team.length < 2) return NaN;
  const bits: number[] = [];
  for (let q = 0; q < pool.labels.length; q++) for (const i of team) bits.push(fails(pool, q, i) ? 0 : 1);
  if (bits.length === 0) return 0;
  let entropy = 0;
  for (const value of [0, 1]) {
    const p = bits.filter((b) => b === value).length / bits.length;
    if (p > 0) entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** statsmodels: aggregate_raters (categories = observed values) then fleiss_kappa(method='fleiss'). */
export function naiveFleissKappa(pool: Pool, team: number[]): number {
  const T = pool.labels.length;
  const nRat = team.length;
  if (nRat < 2) return NaN;
  if (T < 2) return 1; // the authors' `if len(label_arr) < 2: fleiss_kappa = 1`
  const categories = [...new Set(pool.predictions.flatMap((row) => team.map((i) => row[i])))].sort((a, b) => a - b);
  const table = pool.predictions.map((row) => categories.map((c) => team.filter((i) => row[i] === c).length));
  const nTotal = T * nRat;
  const pCat = categories.map((_, k) => table.reduce((s, r) => s + r[k], 0) / nTotal);
  const pRat = table.map((r) => (r.reduce((s, x) => s + x * x, 0) - nRat) / (nRat * (nRat - 1)));
  const pMean = pRat.reduce((s, x) => s + x, 0) / T;
  const pMeanExp = pCat.reduce((s, x) => s + x * x, 0);
  if (pMeanExp === 1) return NaN; // numpy 0/0
  return (pMean - pMeanExp) / (1 - pMeanExp);
}

export interface NaivePairwise {
  q: number;
  rho: number;
  disagreement: number;
  kappa: number;
}

/** Spec §7 item 5, on correctness, averaged over member pairs (a 0/0 pair makes the mean NaN, like np.mean). */
export function naivePairwise(pool: Pool, team: number[]): NaivePairwise {
  if (team.length < 2) return { q: NaN, rho: NaN, disagreement: NaN, kappa: NaN };
  const div = (a: number, b: number): number => (b === 0 ? NaN : a / b);
  const sums = { q: 0, rho: 0, disagreement: 0, kappa: 0 };
  let pairs = 0;
  for (let x = 0; x < team.length; x++) {
    for (let y = x + 1; y < team.length; y++) {
      let n11 = 0, n00 = 0, n10 = 0, n01 = 0;
      for (let q = 0; q < pool.labels.length; q++) {
        const a = !fails(pool, q, team[x]);
        const b = !fails(pool, q, team[y]);
        if (a && b) n11++;
        else if (!a && !b) n00++;
        else if (a) n10++;
        else n01++;
      }
      sums.q += div(n11 * n00 - n01 * n10, n11 * n00 + n01 * n10);
      sums.rho += div(n11 * n00 - n01 * n10, Math.sqrt((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00)));
      sums.disagreement += div(n01 + n10, n11 + n00 + n10 + n01);
      sums.kappa += div(2 * (n11 * n00 - n01 * n10), (n11 + n10) * (n01 + n00) + (n11 + n01) * (n10 + n00));
      pairs++;
    }
  }
  return { q: sums.q / pairs, rho: sums.rho / pairs, disagreement: sums.disagreement / pairs, kappa: sums.kappa / pairs };
}

/** np.bincount(votes).argmax() over answering members; nobody answering -> -1. */
export function naivePlurality(votes: number[], nChoices: number): number {
  const counts = new Array<number>(nChoices).fill(0);
  let any = false;
  for (const v of votes) {
    if (v >= 0) {
      counts[v]++;
      any = true;
    }
  }
  if (!any) return -1;
  return counts.indexOf(Math.max(...counts));
}

export interface NaiveAccuracies {
  plurality: number;
  majority: number;
  oracle: number;
}

export function naiveAccuracies(pool: Pool, team: number[]): NaiveAccuracies {
  const T = pool.labels.length;
  if (T === 0) return { plurality: NaN, majority: NaN, oracle: NaN };
  let plurality = 0, majority = 0, oracle = 0;
  for (let q = 0; q < T; q++) {
    const votes = team.map((i) => pool.predictions[q][i]);
    const right = votes.filter((v) => v === pool.labels[q]).length;
    if (naivePlurality(votes, pool.nChoices) === pool.labels[q]) plurality++;
    if (2 * right > team.length) majority++;
    if (right > 0) oracle++;
  }
  return { plurality: plurality / T, majority: majority / T, oracle: oracle / T };
}

/** Every metric, raw (literature) values, keyed by the library's metric names. */
export function naiveTeamMetrics(pool: Pool, team: number[]): Record<string, number> {
  const pw = naivePairwise(pool, team);
  const acc = naiveAccuracies(pool, team);
  return {
    focal_diversity: naiveFocalDiversity(pool, team),
    generalized_diversity: naiveGeneralizedDiversity(pool, team),
    kohavi_wolpert: naiveKohaviWolpert(pool, team),
    binary_entropy: naiveBinaryEntropy(pool, team),
    fleiss_kappa: naiveFleissKappa(pool, team),
    q_statistic: pw.q,
    correlation: pw.rho,
    disagreement: pw.disagreement,
    kappa_pairwise: pw.kappa,
    plurality_accuracy: acc.plurality,
    majority_accuracy: acc.majority,
    oracle_accuracy: acc.oracle,
  };
}
