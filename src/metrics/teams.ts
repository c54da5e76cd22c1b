import * as aq from 'arquero';
import { checkConvention, Convention, METRIC_KIND, MetricName, orient } from './conventions';
import { TeamDiversity } from './diversity';
import { countsOf, PredictionTable, QuerySelection, selectedQueries } from './table';

/**
 * 2^16 = 65,536 teams is as far as a table of every team is a practical object (and the accuracy kernel uses
 * 16-bit masks). Score chosen teams of larger pools with `TeamDiversity` / `SlidingWindow` instead.
 */
export const MAX_SCAN_MODELS = 16;

/** Diversity columns of a scan, in the authors' weight order (spec §7 item 5) then the extra ones. */
export const SCAN_DIVERSITY_COLUMNS = [
  'focal_diversity',
  'fleiss_kappa',
  'q_statistic',
  'correlation',
  'disagreement',
  'kappa_pairwise',
  'binary_entropy',
  'generalized_diversity',
  'kohavi_wolpert',
] as const satisfies readonly MetricName[];

export const SCAN_ACCURACY_COLUMNS = ['plurality_accuracy', 'majority_accuracy', 'oracle_accuracy'] as const;

export interface ScanOptions extends QuerySelection {
  /** Direction of the diversity columns (see conventions.ts); default 'higher-more-diverse'. */
  convention?: Convention;
  /** Smallest team size listed; default 2 (all 2^N - N - 1 teams of two or more). */
  minSize?: number;
  /** Largest team size listed; default N. */
  maxSize?: number;
}

/** Every team's metrics over one set of queries. */
export interface TeamScan {
  /**
   * One row per team, ordered by size then lexicographically by members. Columns: `team` (member indices,
   * "0,3,5"), `models` (member ids joined by "+"), `size`, the SCAN_DIVERSITY_COLUMNS (in `convention`) and
   * SCAN_ACCURACY_COLUMNS.
   */
  table: aq.ColumnTable;
  convention: Convention;
  nQueries: number;
  modelIds: string[];
}

/**
 * All teams of sizes minSize..maxSize with every metric. Diversity comes from co-failure counts (one pass over
 * the queries, then O(m^3) per team whatever the number of queries). Plurality, majority and oracle accuracy cost
 * O(distinct vote patterns) per team (at most the number of queries): one table popcount per pattern and per
 * distinct wrong answer in it, no data-dependent branches.
 */
export function scanTeams(data: PredictionTable, options: ScanOptions = {}): TeamScan {
  const N = data.nModels;
  if (N > MAX_SCAN_MODELS) throw new RangeError(`scanTeams: ${N} models give 2^${N} teams; at most ${MAX_SCAN_MODELS} models are scanned`);
  const convention = checkConvention(options.convention ?? 'higher-more-diverse');
  const minSize = options.minSize ?? 2;
  const maxSize = options.maxSize ?? N;
  if (!(Number.isInteger(minSize) && Number.isInteger(maxSize) && minSize >= 1 && minSize <= maxSize && maxSize <= N)) {
    throw new RangeError(`scanTeams: need integers 1 <= minSize <= maxSize <= ${N}, got minSize ${minSize}, maxSize ${maxSize}`);
  }
  const queries = selectedQueries(data, options);
  const diversity = new TeamDiversity(countsOf(data, queries));
  const votes = VoteMasks.build(data, queries);
  const modelIds = data.models ? data.models.map((m) => m.id) : Array.from({ length: N }, (_, i) => `m${i}`);

  let rows = 0;
  for (let m = minSize; m <= maxSize; m++) rows += binomial(N, m);
  const teamColumn = new Array<string>(rows);
  const modelsColumn = new Array<string>(rows);
  const sizeColumn = new Int32Array(rows);
  const columns: Record<string, Float64Array> = {};
  for (const name of [...SCAN_DIVERSITY_COLUMNS, ...SCAN_ACCURACY_COLUMNS]) columns[name] = new Float64Array(rows);
  const diversityColumns = SCAN_DIVERSITY_COLUMNS.map((name) => ({ name, kind: METRIC_KIND[name], values: columns[name] }));
  const teamMasks = new Int32Array(rows);

  const members = new Int32Array(N);
  let row = 0;
  for (let m = minSize; m <= maxSize; m++) {
    for (let x = 0; x < m; x++) members[x] = x;
    for (;;) {
      const team = members.subarray(0, m);
      let mask = 0;
      for (let x = 0; x < m; x++) mask |= 1 << members[x];
      diversity.setTeam(team);
      for (const { name, kind, values } of diversityColumns) values[row] = orient(kind, rawMetric(diversity, name), convention);
      teamMasks[row] = mask;
      teamColumn[row] = team.join(',');
      modelsColumn[row] = Array.from(team, (i) => modelIds[i]).join('+');
      sizeColumn[row] = m;
      row++;
      // Next combination in lexicographic order.
      let x = m - 1;
      while (x >= 0 && members[x] === N - m + x) x--;
      if (x < 0) break;
      members[x]++;
      for (let y = x + 1; y < m; y++) members[y] = members[y - 1] + 1;
    }
  }
  votes.accuracies(teamMasks, sizeColumn, columns.plurality_accuracy, columns.majority_accuracy, columns.oracle_accuracy);
  const table = aq.table({ team: teamColumn, models: modelsColumn, size: sizeColumn, ...columns });
  return { table, convention, nQueries: queries.length, modelIds };
}

/** Member indices of a scan row's `team` value ("0,3,5" -> [0, 3, 5]). */
export function scanTeamMembers(team: string): number[] {
  return team === '' ? [] : team.split(',').map(Number);
}

function rawMetric(d: TeamDiversity, name: (typeof SCAN_DIVERSITY_COLUMNS)[number]): number {
  switch (name) {
    case 'focal_diversity': return d.focalDiversity();
    case 'fleiss_kappa': return d.fleissKappa();
    case 'q_statistic': return d.qStatistic();
    case 'correlation': return d.correlation();
    case 'disagreement': return d.disagreement();
    case 'kappa_pairwise': return d.kappaPairwise();
    case 'binary_entropy': return d.binaryEntropy();
    case 'generalized_diversity': return d.generalizedDiversity();
    case 'kohavi_wolpert': return d.kohaviWolpert();
  }
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Set bits of every 16-bit value: one load per popcount in the accuracy kernel (N <= 16). */
let bitCounts: Uint8Array | undefined;

function bitCountTable(): Uint8Array {
  if (!bitCounts) {
    bitCounts = new Uint8Array(1 << 16);
    for (let x = 1; x < bitCounts.length; x++) bitCounts[x] = bitCounts[x >> 1] + (x & 1);
  }
  return bitCounts;
}

/**
 * The queries as distinct vote patterns (N <= 16): who is right, and who gave each distinct wrong answer, flagged
 * when that answer is a lower choice than the label (plurality ties go to the lowest choice, so such an answer
 * wins a tie). Abstainers are in no mask. Identical patterns are merged with a weight, and patterns are sorted by
 * their number of wrong answers so that the kernel's inner loop has a predictable trip count.
 */
class VoteMasks {
  private constructor(
    readonly nQueries: number,
    readonly right: Uint16Array,
    readonly weight: Int32Array,
    readonly groupStart: Int32Array,
    readonly groupMask: Uint16Array,
    readonly groupBelow: Uint8Array,
  ) {}

  private readonly fourCounts = new Float64Array(12);

  static build(data: PredictionTable, queries: ArrayLike<number>): VoteMasks {
    const N = data.nModels;
    const patterns = new Map<string, { right: number; groups: number[]; weight: number }>();
    const groupOf = new Map<number, number>();
    for (let q = 0; q < queries.length; q++) {
      const t = queries[q];
      const label = data.labels[t];
      let right = 0;
      groupOf.clear();
      for (let i = 0; i < N; i++) {
        const p = data.predictions[t * N + i];
        if (p === label) right |= 1 << i;
        else if (p !== -1) groupOf.set(p, (groupOf.get(p) ?? 0) | (1 << i));
      }
      // A group is stored as mask * 2 + below; sorting makes the key canonical.
      const groups = Array.from(groupOf, ([p, mask]) => mask * 2 + (p < label ? 1 : 0)).sort((a, b) => a - b);
      const key = `${right}:${groups.join(',')}`;
      const seen = patterns.get(key);
      if (seen) seen.weight++;
      else patterns.set(key, { right, groups, weight: 1 });
    }
    const sorted = [...patterns.values()].sort((a, b) => a.groups.length - b.groups.length);
    const P = sorted.length;
    const right = new Uint16Array(P);
    const weight = new Int32Array(P);
    const groupStart = new Int32Array(P + 1);
    const totalGroups = sorted.reduce((s, x) => s + x.groups.length, 0);
    const groupMask = new Uint16Array(totalGroups);
    const groupBelow = new Uint8Array(totalGroups);
    let g = 0;
    sorted.forEach((pattern, j) => {
      right[j] = pattern.right;
      weight[j] = pattern.weight;
      for (const code of pattern.groups) {
        groupMask[g] = code >>> 1;
        groupBelow[g] = code & 1;
        g++;
      }
      groupStart[j + 1] = g;
    });
    return new VoteMasks(queries.length, right, weight, groupStart, groupMask, groupBelow);
  }

  /**
   * Plurality, majority and oracle accuracy of each team (`masks[r]`, size `sizes[r]`) into the three output
   * columns at row r; NaN for no queries. Per pattern, with k right members in the team: oracle iff k >= 1,
   * majority iff 2k > m, plurality iff k >= 1 and every wrong answer has c + below <= k team votes. Branch-free,
   * four teams per pass over the patterns (each pattern is loaded once for four teams, and the four independent
   * chains keep the CPU busy).
   */
  accuracies(masks: Int32Array, sizes: Int32Array, plurality: Float64Array, majority: Float64Array, oracle: Float64Array): void {
    const T = this.nQueries;
    for (let r = 0; r < masks.length; r += 4) {
      const n = Math.min(4, masks.length - r);
      const at = (j: number) => (j < n ? r + j : r);
      const counts = this.fourTeams(masks[at(0)], masks[at(1)], masks[at(2)], masks[at(3)], sizes[at(0)], sizes[at(1)], sizes[at(2)], sizes[at(3)]);
      for (let j = 0; j < n; j++) {
        plurality[r + j] = counts[3 * j] / T;
        majority[r + j] = counts[3 * j + 1] / T;
        oracle[r + j] = counts[3 * j + 2] / T;
      }
    }
  }

  /** Weighted [plurality, majority, oracle] right counts of four teams, team j at [3j .. 3j+3). */
  private fourTeams(s0: number, s1: number, s2: number, s3: number, m0: number, m1: number, m2: number, m3: number): Float64Array {
    const { right, weight, groupStart, groupMask, groupBelow } = this;
    const bits = bitCountTable();
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    let j0 = 0, j1 = 0, j2 = 0, j3 = 0;
    let o0 = 0, o1 = 0, o2 = 0, o3 = 0;
    let g = 0;
    for (let p = 0; p < right.length; p++) {
      const R = right[p];
      const w = weight[p];
      const k0 = bits[R & s0], k1 = bits[R & s1], k2 = bits[R & s2], k3 = bits[R & s3];
      // (-k) >>> 31 is 1 iff k >= 1; (x >>> 31) is 1 iff x < 0.
      let win0 = (-k0) >>> 31, win1 = (-k1) >>> 31, win2 = (-k2) >>> 31, win3 = (-k3) >>> 31;
      o0 += win0 * w; o1 += win1 * w; o2 += win2 * w; o3 += win3 * w;
      j0 += ((m0 - 2 * k0) >>> 31) * w; j1 += ((m1 - 2 * k1) >>> 31) * w;
      j2 += ((m2 - 2 * k2) >>> 31) * w; j3 += ((m3 - 2 * k3) >>> 31) * w;
      for (const end = groupStart[p + 1]; g < end; g++) {
        const G = groupMask[g];
        const below = groupBelow[g] - 1;
        win0 &= (bits[G & s0] + below - k0) >>> 31;
        win1 &= (bits[G & s1] + below - k1) >>> 31;
        win2 &= (bits[G & s2] + below - k2) >>> 31;
        win3 &= (bits[G & s3] + below - k3) >>> 31;
      }
      p0 += win0 * w; p1 += win1 * w; p2 += win2 * w; p3 += win3 * w;
    }
    const out = this.fourCounts;
    out[0] = p0; out[1] = j0; out[2] = o0;
    out[3] = p1; out[4] = j1; out[5] = o1;
    out[6] = p2; out[7] = j2; out[8] = o2;
    out[9] = p3; out[10] = j3; out[11] = o3;
    return out;
  }
}
