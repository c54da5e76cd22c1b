import { popcount32, sortTeam } from './bitset';
import { binom2 as importedBinom2, binom3 as importedBinom3, EnsembleCounts } from './counts';

// A module-local binding for the hot loop: tsx/esbuild turn imported functions into getter calls on every use.
const popcount = popcount32;
const binom2 = importedBinom2;
const binom3 = importedBinom3;

/**
 * Team diversity metrics from co-failure counts (raw literature values; see `conventions.ts` for orientation).
 *
 * Notation: team S of m members, T counted queries, X_q = members of S failing on query q.
 *
 * Focal diversity (paper Eq. 8). For focal F, on its n_F failure queries P1 = sum X/(m n_F) and
 * P2 = sum X(X-1)/(m(m-1) n_F), so lambda_neg(F) = 1 - P2/P1 = 1 - sum X(X-1) / ((m-1) sum X), with
 *   sum over F's failures of X       = sum_{a in S} cofail(F,a)                      (a = F gives n_F)
 *   sum over F's failures of X(X-1)  = ordered pairs of distinct failing members
 *                                    = 2 sum_{a != F} cofail(F,a) + 2 sum_{a<b, a,b != F} cofail3(F,a,b).
 * Generalized diversity is the same on all T queries: sum X = sum_a fail(a), sum X(X-1) = 2 sum_{a<b} cofail(a,b).
 * Kohavi-Wolpert: (1/(T m^2)) sum X(m-X) = (m sum X - sum X(X-1) - sum X) / (T m^2).
 * Binary entropy of the T*m flattened correctness bits: p_fail = sum X / (T m).
 * Pairwise (a<b, on correctness): n00 = cofail(a,b), n01 = fail(a) - n00, n10 = fail(b) - n00,
 *   n11 = T - fail(a) - fail(b) + n00; Q, correlation, disagreement, kappa as in spec §7 item 5, averaged over pairs.
 * Fleiss' kappa on predicted values (abstention = its own category, as statsmodels' aggregate_raters treats -1):
 *   mean observed agreement = sum_q (sum_c n_qc^2 - m) / (T m (m-1)) = 2 sum_{a<b} agree(a,b) / (T m (m-1)),
 *   category shares p_c = sum_{a in S} count(a,c) / (T m), expected agreement Pe = sum_c p_c^2.
 *
 * Defined results where a formula has no value:
 *
 * | metric                 | m < 2 | T = 0 | T = 1            | other zero denominator                               |
 * |------------------------|-------|-------|------------------|------------------------------------------------------|
 * | focal_diversity        | NaN   | 1     | formula          | member never failing: its lambda_neg = 1 (authors)   |
 * | generalized_diversity  | NaN   | 1     | formula          | no member fails in the window: 1 (authors' p_1 == 0) |
 * | kohavi_wolpert         | NaN   | NaN   | formula          | -                                                    |
 * | binary_entropy         | NaN   | 0     | formula          | (0 log 0 = 0; authors' code returns 0 on no data)    |
 * | fleiss_kappa           | NaN   | 1     | 1 (authors)      | Pe = 1 (everyone always gives one value): NaN         |
 * | q_statistic            | NaN   | NaN   | NaN (0/0)        | a pair with 0/0 makes the team's mean NaN            |
 * | correlation            | NaN   | NaN   | NaN (0/0)        | same                                                 |
 * | kappa_pairwise         | NaN   | NaN   | NaN (0/0)        | same                                                 |
 * | disagreement           | NaN   | NaN   | formula          | -                                                    |
 *
 * NaN results equal the authors' numpy code (0/0 in float64, averaged with np.mean); the authors never score
 * teams of fewer than 2 members (fitness -99), so we report NaN there. Every pairwise 0/0 above is truly 0/0:
 * a zero denominator forces the numerator to zero too.
 */
export class TeamDiversity {
  readonly counts: EnsembleCounts;
  /** Members of the current team, ascending. */
  readonly members: Int32Array;
  /** Team size. */
  m = 0;
  /** lambda_neg of each member of the current team, in `members` order (filled by `focalDiversity`). */
  readonly focalPerMember: Float64Array;
  /** Per-member scratch: triple-count sums (focalDiversity); failure sums, pair sums and counts (…FromMasks). */
  private readonly tripleTerm: Float64Array;
  private readonly failureSums: Float64Array;
  private readonly failurePairSums: Float64Array;
  private readonly failCounts: Float64Array;
  private readonly positions: Int32Array;
  private mask = new Uint32Array(1);
  private pairwiseFor = -1;
  private pairQ = NaN;
  private pairRho = NaN;
  private pairDisagreement = NaN;
  private pairKappa = NaN;
  private readonly pairMeans: PairwiseMeans = { q: NaN, rho: NaN, disagreement: NaN, kappa: NaN };
  private teamVersion = 0;

  constructor(counts: EnsembleCounts) {
    this.counts = counts;
    this.members = new Int32Array(counts.nModels);
    this.focalPerMember = new Float64Array(counts.nModels);
    this.tripleTerm = new Float64Array(counts.nModels);
    this.failureSums = new Float64Array(counts.nModels);
    this.failurePairSums = new Float64Array(counts.nModels);
    this.failCounts = new Float64Array(counts.nModels);
    this.positions = new Int32Array(counts.nModels);
  }

  /** Selects the team the metric methods describe (validated: indices in range, no repeats). Returns m. */
  setTeam(team: ArrayLike<number>): number {
    this.m = sortTeam(team, this.counts.nModels, this.members);
    this.teamVersion++;
    return this.m;
  }

  /** Mean of the members' focal negative correlations (paper Eq. 8); per member in `focalPerMember`. */
  focalDiversity(): number {
    const { m, members } = this;
    const { cofail, cofail3, nModels: N } = this.counts;
    if (!this.counts.hasTriples) throw new Error('TeamDiversity.focalDiversity: counts were built without triples; use focalDiversityFromMasks');
    if (m < 2) {
      this.focalPerMember.fill(NaN, 0, m);
      return NaN;
    }
    const tripleTerm = this.tripleTerm;
    tripleTerm.fill(0, 0, m);
    for (let x = 0; x < m; x++) {
      for (let y = x + 1; y < m; y++) {
        const ab = binom2(members[y]) + members[x];
        for (let z = y + 1; z < m; z++) {
          const t = cofail3[binom3(members[z]) + ab];
          tripleTerm[x] += t;
          tripleTerm[y] += t;
          tripleTerm[z] += t;
        }
      }
    }
    let total = 0;
    for (let x = 0; x < m; x++) {
      const F = members[x];
      const nF = cofail[F * N + F];
      let pairTerm = 0;
      if (nF > 0) for (let y = 0; y < m; y++) if (y !== x) pairTerm += cofail[F * N + members[y]];
      const lambda = focalLambdaOf(m, nF, nF + pairTerm, 2 * pairTerm + 2 * tripleTerm[x]);
      this.focalPerMember[x] = lambda;
      total += lambda;
    }
    return total / m;
  }

  /**
   * The same focal diversity computed from per-query correctness masks instead of triple counts: one pass over
   * the queries touching only the team's failing members, O(nQueries * (words + failures)). Cheaper than the
   * O(m^3) triple sum for large teams over short windows. Query q's mask is `correctMasks[q*words .. +words)`.
   */
  focalDiversityFromMasks(correctMasks: Uint32Array, words: number, nQueries: number): number {
    const { m, members } = this;
    if (m < 2) {
      this.focalPerMember.fill(NaN, 0, m);
      return NaN;
    }
    const teamMask = this.teamMask(words);
    const position = this.positions;
    for (let x = 0; x < m; x++) position[members[x]] = x;
    const sumX = this.failureSums;
    const sumXX1 = this.failurePairSums;
    const nF = this.failCounts;
    sumX.fill(0, 0, m);
    sumXX1.fill(0, 0, m);
    nF.fill(0, 0, m);
    for (let q = 0; q < nQueries; q++) {
      let failing = 0;
      for (let w = 0; w < words; w++) failing += popcount(~correctMasks[q * words + w] & teamMask[w]);
      if (failing === 0) continue;
      const pairs = failing * (failing - 1);
      for (let w = 0; w < words; w++) {
        let bits = ~correctMasks[q * words + w] & teamMask[w];
        while (bits !== 0) {
          const low = bits & -bits;
          const x = position[w * 32 + 31 - Math.clz32(low)];
          sumX[x] += failing;
          sumXX1[x] += pairs;
          nF[x]++;
          bits ^= low;
        }
      }
    }
    let total = 0;
    for (let x = 0; x < m; x++) {
      const lambda = focalLambdaOf(m, nF[x], sumX[x], sumXX1[x]);
      this.focalPerMember[x] = lambda;
      total += lambda;
    }
    return total / m;
  }

  /** Bitmask of the current team over `words` 32-bit words. */
  teamMask(words: number): Uint32Array {
    if (this.mask.length < words) this.mask = new Uint32Array(words);
    this.mask.fill(0);
    for (let x = 0; x < this.m; x++) this.mask[this.members[x] >>> 5] |= 1 << (this.members[x] & 31);
    return this.mask;
  }

  generalizedDiversity(): number {
    const { sumX, sumXX1 } = this.failureMoments();
    return generalizedDiversityOf(this.m, sumX, sumXX1);
  }

  kohaviWolpert(): number {
    const { sumX, sumXX1 } = this.failureMoments();
    return kohaviWolpertOf(this.m, this.counts.nQueries, sumX, sumXX1);
  }

  binaryEntropy(): number {
    return binaryEntropyOf(this.m, this.counts.nQueries, this.failureMoments().sumX);
  }

  fleissKappa(): number {
    const { m, members } = this;
    const { agree, categoryCounts, nCategories: K, nModels: N, nQueries: T } = this.counts;
    if (m < 2) return NaN;
    if (T < 2) return 1;
    let agreeing = 0;
    for (let x = 0; x < m; x++) for (let y = x + 1; y < m; y++) agreeing += agree[members[x] * N + members[y]];
    return fleissKappaOf(members, m, T, agreeing, categoryCounts, K);
  }

  qStatistic(): number {
    this.pairwise();
    return this.pairQ;
  }

  correlation(): number {
    this.pairwise();
    return this.pairRho;
  }

  disagreement(): number {
    this.pairwise();
    return this.pairDisagreement;
  }

  kappaPairwise(): number {
    this.pairwise();
    return this.pairKappa;
  }

  /** sum over queries of X and of X(X-1), X = failing members of the team. */
  private failureMoments(): { sumX: number; sumXX1: number } {
    const { m, members } = this;
    const { cofail, nModels: N } = this.counts;
    let sumX = 0;
    let pairs = 0;
    for (let x = 0; x < m; x++) {
      const a = members[x];
      sumX += cofail[a * N + a];
      for (let y = x + 1; y < m; y++) pairs += cofail[a * N + members[y]];
    }
    return { sumX, sumXX1: 2 * pairs };
  }

  private pairwise(): void {
    if (this.pairwiseFor === this.teamVersion) return;
    this.pairwiseFor = this.teamVersion;
    const { counts } = this;
    const means = pairwiseMeansOf(this.members, this.m, counts.nQueries, counts.fail, counts.cofail, counts.nModels, this.pairMeans);
    this.pairQ = means.q;
    this.pairRho = means.rho;
    this.pairDisagreement = means.disagreement;
    this.pairKappa = means.kappa;
  }
}

/*
 * The formulas from counts, shared with `SlidingWindow` (which sums the same integers per query for one team), so
 * that both give the same floating-point values.
 */

/** Generalized diversity from sum X and sum X(X-1) over the queries (NaN for m < 2; 1 when nobody fails). */
export function generalizedDiversityOf(m: number, sumX: number, sumXX1: number): number {
  if (m < 2) return NaN;
  return sumX === 0 ? 1 : 1 - sumXX1 / ((m - 1) * sumX);
}

/** Kohavi-Wolpert variance over T queries (NaN for m < 2 or T = 0). */
export function kohaviWolpertOf(m: number, T: number, sumX: number, sumXX1: number): number {
  if (m < 2 || T === 0) return NaN;
  return (m * sumX - sumXX1 - sumX) / (T * m * m);
}

/** Binary entropy of the T*m correctness bits, sumX of them failures (NaN for m < 2, 0 on no data). */
export function binaryEntropyOf(m: number, T: number, sumX: number): number {
  if (m < 2) return NaN;
  const total = T * m;
  if (total === 0) return 0;
  return entropyTerm(sumX / total) + entropyTerm((total - sumX) / total);
}

/** Fleiss' kappa (m >= 2, T >= 2) from the agreeing member pairs summed over queries and per-model category counts. */
export function fleissKappaOf(members: Int32Array, m: number, T: number, agreeing: number, categoryCounts: Int32Array, K: number): number {
  const observed = (2 * agreeing) / (T * m * (m - 1));
  const ratings = T * m;
  let expected = 0;
  for (let c = 0; c < K; c++) {
    let n = 0;
    for (let x = 0; x < m; x++) n += categoryCounts[members[x] * K + c];
    const share = n / ratings;
    expected += share * share;
  }
  return expected === 1 ? NaN : (observed - expected) / (1 - expected);
}

/** A member's focal negative correlation from its failures nF and the sums of X and X(X-1) over them. */
export function focalLambdaOf(m: number, nF: number, sumX: number, sumXX1: number): number {
  return nF === 0 ? 1 : 1 - sumXX1 / ((m - 1) * sumX);
}

export interface PairwiseMeans {
  q: number;
  rho: number;
  disagreement: number;
  kappa: number;
}

/**
 * Q, correlation, disagreement and pairwise kappa averaged over the member pairs (ascending `members`), from each
 * model's failures `fail` and the co-failures `cofail[a * N + b]` of a < b, over T queries. NaN for m < 2.
 */
export function pairwiseMeansOf(members: Int32Array, m: number, T: number, fail: Int32Array, cofail: Int32Array, N: number, out: PairwiseMeans): PairwiseMeans {
  if (m < 2) {
    out.q = out.rho = out.disagreement = out.kappa = NaN;
    return out;
  }
  let q = 0;
  let rho = 0;
  let dis = 0;
  let kappa = 0;
  for (let x = 0; x < m; x++) {
    const a = members[x];
    const failA = fail[a];
    for (let y = x + 1; y < m; y++) {
      const b = members[y];
      const n00 = cofail[a * N + b];
      const n01 = failA - n00;
      const n10 = fail[b] - n00;
      const n11 = T - failA - n10;
      const cross = n11 * n00 - n01 * n10;
      q += ratio(cross, n11 * n00 + n01 * n10);
      rho += ratio(cross, Math.sqrt((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00)));
      dis += ratio(n01 + n10, T);
      kappa += ratio(2 * cross, (n11 + n10) * (n01 + n00) + (n11 + n01) * (n10 + n00));
    }
  }
  const pairs = (m * (m - 1)) / 2;
  out.q = q / pairs;
  out.rho = rho / pairs;
  out.disagreement = dis / pairs;
  out.kappa = kappa / pairs;
  return out;
}

/** num/den with a zero denominator giving NaN (it only occurs with a zero numerator; see the class comment). */
function ratio(num: number, den: number): number {
  return den === 0 ? NaN : num / den;
}

function entropyTerm(p: number): number {
  return p > 0 ? -p * Math.log2(p) : 0;
}
