import { countsOf, type PredictionTable } from './table';
import type { TeamObjective } from './team-search';

/**
 * Per-query vote counts of a team over a fixed list of queries, so that adding one member costs O(queries):
 * `counts[q * C + c]` votes for choice c, `right[q]` votes for the label, `threat[q]` = max over the wrong answers
 * present of (votes + 1 if that answer is a lower choice than the label, since plurality ties go to the lowest
 * choice). The label wins the plurality vote iff right >= 1 and threat <= right (as in `scanTeams`).
 */
export interface VoteCounts {
  size: number;
  counts: Uint16Array;
  right: Uint16Array;
  threat: Uint16Array;
}

/** Builds and scores `VoteCounts` for one table and query list. */
export class VoteCounter {
  readonly C: number;
  private readonly labels: Int32Array;
  /** `[model * T + q]`: the model's answer on queries[q], one contiguous column per model (scored once per team). */
  private readonly columns: Int32Array;
  /** `[model * T + q]`: where in `counts` that answer is tallied (q * C + answer; 0 when it is no wrong answer). */
  private readonly slot: Int32Array;
  /** `[model * T + q]`: bit 0 = right, bit 1 = a wrong answer (not an abstention), bit 2 = a lower choice than the label. */
  private readonly code: Uint8Array;

  constructor(data: PredictionTable, queries: Int32Array) {
    const N = data.nModels;
    const T = queries.length;
    this.C = Math.max(1, data.maxChoices);
    this.labels = Int32Array.from(queries, (t) => data.labels[t]);
    const predictions = data.predictions;
    this.columns = new Int32Array(N * T);
    this.slot = new Int32Array(N * T);
    this.code = new Uint8Array(N * T);
    for (let q = 0; q < T; q++) {
      const y = this.labels[q];
      for (let i = 0; i < N; i++) {
        const p = predictions[queries[q] * N + i];
        const at = i * T + q;
        this.columns[at] = p;
        if (p === y) this.code[at] = 1;
        else if (p >= 0) {
          this.code[at] = 2 | (p < y ? 4 : 0);
          this.slot[at] = q * this.C + p;
        }
      }
    }
  }

  empty(): VoteCounts {
    const T = this.labels.length;
    return { size: 0, counts: new Uint16Array(T * this.C), right: new Uint16Array(T), threat: new Uint16Array(T) };
  }

  extend(parent: VoteCounts, model: number): VoteCounts {
    const { columns, C, labels } = this;
    const T = labels.length;
    const counts = parent.counts.slice();
    const right = parent.right.slice();
    const threat = parent.threat.slice();
    for (let q = 0; q < T; q++) {
      const p = columns[model * T + q];
      if (p < 0) continue;
      const y = labels[q];
      const v = ++counts[q * C + p];
      if (p === y) right[q]++;
      else if (v + (p < y ? 1 : 0) > threat[q]) threat[q] = v + (p < y ? 1 : 0);
    }
    return { size: parent.size + 1, counts, right, threat };
  }

  /** Queries the parent team plus `model` gets right by plurality and by strict majority. */
  hits(parent: VoteCounts, model: number): { plurality: number; majority: number } {
    const { slot, code, labels } = this;
    const T = labels.length;
    const m = parent.size + 1;
    const { counts, right, threat } = parent;
    let plurality = 0;
    let majority = 0;
    // Branch-free: the model's answer decides only which counter it reads and two 0/1 flags.
    for (let q = 0, at = model * T; q < T; q++, at++) {
      const c = code[at];
      const isRight = c & 1;
      const k = right[q] + isRight;
      const v = (counts[slot[at]] + 1 + ((c >> 2) & 1)) * ((c >> 1) & 1);
      const th = Math.max(threat[q], v);
      plurality += ((-k) >>> 31) & ((th - k - 1) >>> 31);
      majority += (m - 2 * k) >>> 31;
    }
    return { plurality, majority };
  }
}

/** A team's vote counts plus, per member model, the two sums behind its focal lambda (see `TeamDiversity`). */
export interface FocalTeamState {
  votes: VoteCounts;
  members: Int32Array;
  /** `[model]`: sum over the other members a of cofail(model, a). */
  pairTerm: Float64Array;
  /** `[model]`: sum over pairs a < b of other members of cofail3(model, a, b). */
  tripleTerm: Float64Array;
}

/**
 * The static focal-team criterion (EnsembleBench / LLM-TOPLA, as `selectStaticFocalTeam` applies it to a scan):
 * key = [plurality accuracy >= floor, focal diversity (higher = more diverse), plurality accuracy]. Adding a
 * member updates each member's pair and triple sums in O(m) (O(m^2) per team instead of the O(m^3) triple sum);
 * the sums are integer counts, so the focal diversity is bit-for-bit `TeamDiversity.focalDiversity`'s.
 */
export function focalTeamObjective(data: PredictionTable, queries: Int32Array, accuracyFloor: number): TeamObjective<FocalTeamState> {
  const N = data.nModels;
  const counter = new VoteCounter(data, queries);
  const { cofail, cofail3 } = countsOf(data, queries);
  const T = queries.length;
  const triple = (a: number, b: number, c: number) => {
    // Sort three distinct indices, then the combinatorial number system (counts.ts tripleIndex).
    let x = a, y = b, z = c, w;
    if (x > y) { w = x; x = y; y = w; }
    if (y > z) { w = y; y = z; z = w; }
    if (x > y) { w = x; x = y; y = w; }
    return cofail3[(z * (z - 1) * (z - 2)) / 6 + (y * (y - 1)) / 2 + x];
  };
  /** Pair and triple sums of `added` against the members of `team`. */
  const newcomer = (members: Int32Array, added: number) => {
    let pair = 0;
    let tri = 0;
    for (let x = 0; x < members.length; x++) {
      pair += cofail[added * N + members[x]];
      for (let y = x + 1; y < members.length; y++) tri += triple(added, members[x], members[y]);
    }
    return { pair, tri };
  };
  const lambda = (F: number, m: number, pairTerm: number, tripleTerm: number) => {
    const nF = cofail[F * N + F];
    if (nF === 0) return 1;
    return 1 - (2 * pairTerm + 2 * tripleTerm) / ((m - 1) * (nF + pairTerm));
  };
  return {
    empty: () => ({ votes: counter.empty(), members: new Int32Array(0), pairTerm: new Float64Array(N), tripleTerm: new Float64Array(N) }),
    extend: (parent, model) => {
      const pairTerm = parent.pairTerm.slice();
      const tripleTerm = parent.tripleTerm.slice();
      const { members } = parent;
      for (let x = 0; x < members.length; x++) {
        const F = members[x];
        pairTerm[F] += cofail[F * N + model];
        for (let y = 0; y < members.length; y++) if (y !== x) tripleTerm[F] += triple(F, members[y], model);
      }
      const own = newcomer(members, model);
      pairTerm[model] = own.pair;
      tripleTerm[model] = own.tri;
      const grown = Int32Array.from([...members, model]).sort();
      return { votes: counter.extend(parent.votes, model), members: grown, pairTerm, tripleTerm };
    },
    score: (parent, team, added) => {
      const accuracy = T > 0 ? counter.hits(parent.votes, added).plurality / T : NaN;
      const m = team.length;
      let focal = NaN;
      if (m >= 2) {
        const { members } = parent;
        let total = 0;
        for (let x = 0; x < m; x++) {
          const F = team[x];
          if (F === added) {
            const own = newcomer(members, added);
            total += lambda(F, m, own.pair, own.tri);
            continue;
          }
          let tri = parent.tripleTerm[F];
          for (let y = 0; y < members.length; y++) if (members[y] !== F) tri += triple(F, members[y], added);
          total += lambda(F, m, parent.pairTerm[F] + cofail[F * N + added], tri);
        }
        focal = total / m;
      }
      return [accuracy >= accuracyFloor ? 1 : 0, focal, accuracy];
    },
  };
}
