/**
 * The sliding window as it was before it tracked one team (commit b9ed2ad, `src/metrics/window.ts`): pair (and
 * triple) co-failure counts of all N models updated on every push, any team's metrics from them. Kept only as the
 * oracle of `window.test.ts`'s new-vs-old property and as the reference path `npm run bench` times the new window
 * against; nothing in src uses it.
 */
import { popcount32, wordsFor } from '../../src/metrics/bitset';
import { checkConvention, checkMetricName, Convention, METRIC_KIND, MetricName, orient } from '../../src/metrics/conventions';
import { checkQuery, EnsembleCounts } from '../../src/metrics/counts';
import { TeamDiversity } from '../../src/metrics/diversity';

// A module-local binding for the hot loops: tsx/esbuild turn imported functions into getter calls on every use.
const popcount = popcount32;

export interface ReferenceWindowOptions {
  nModels: number;
  /** Queries kept; pushing beyond evicts the oldest. */
  capacity: number;
  /** Largest choice count of any query that will be pushed (predictions and labels are < maxChoices). */
  maxChoices: number;
  /** Direction of the reported diversity metrics (see `conventions.ts`); default 'higher-more-diverse'. */
  convention?: Convention;
  /**
   * Keep triple co-failure counts (focal diversity in O(m^3) per team, push in O(N^2 + f^3)); default N <= 32.
   * Without them focal diversity is computed from the window's masks in O(size * (ceil(N/32) + m)) and push costs
   * O(N^2): for 120 duplicated models that fail in groups of ~100 the triples would cost ~10^5 updates per push.
   */
  tripleCounts?: boolean;
}

/**
 * The last `capacity` queries of a stream (the paper's history window H_{t-w:t}), with every team metric
 * available at any time.
 *
 * Cost: `push` updates co-failure counts in O(N^2 + f^3) for the f failing models (O(N^2) without triple
 * counts, see `tripleCounts`; two such updates when it evicts), never rescanning the window. `teamMetrics` costs
 * O(m^2) for the diversity metrics other than focal (independent of the window length), O(min(m^3,
 * size * (ceil(N/32) + m))) for focal diversity, and O(size * ceil(N/32)) word operations for plurality and
 * oracle accuracy (a query whose right answer lacks an outright lead over the other answers costs O(m) more to
 * count its votes).
 *
 * Values: see the table in `diversity.ts` for sizes < 2, an empty window and one query. Accuracies: NaN on an
 * empty window; an empty team never answers (accuracy 0).
 */
export class ReferenceSlidingWindow {
  readonly nModels: number;
  readonly capacity: number;
  readonly maxChoices: number;
  readonly convention: Convention;
  private readonly counts: EnsembleCounts;
  private readonly diversity: TeamDiversity;
  private readonly words: number;
  /** Ring buffers; slot s holds query `predictions[s*N .. s*N+N)`, `labels[s]`, masks at `s*words`. */
  private readonly predictions: Int32Array;
  private readonly labels: Int32Array;
  private readonly correctMasks: Uint32Array;
  private readonly answeredMasks: Uint32Array;
  /** Vote count per choice for one query's tie-break; all zero between uses. */
  private readonly tally: Int32Array;
  private oldest = 0;
  private count = 0;

  constructor(opts: ReferenceWindowOptions) {
    const { nModels, capacity, maxChoices } = opts;
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`SlidingWindow: capacity must be an integer >= 1, got ${capacity}`);
    this.counts = new EnsembleCounts(nModels, maxChoices, { triples: opts.tripleCounts ?? nModels <= 32 });
    this.diversity = new TeamDiversity(this.counts);
    this.nModels = nModels;
    this.capacity = capacity;
    this.maxChoices = maxChoices;
    this.convention = checkConvention(opts.convention ?? 'higher-more-diverse');
    this.words = wordsFor(nModels);
    this.predictions = new Int32Array(capacity * nModels);
    this.labels = new Int32Array(capacity);
    this.correctMasks = new Uint32Array(capacity * this.words);
    this.answeredMasks = new Uint32Array(capacity * this.words);
    this.tally = new Int32Array(maxChoices);
  }

  /** Queries currently in the window. */
  get size(): number {
    return this.count;
  }

  /** Appends one query (N predicted choices, -1 = abstained, and its label), evicting the oldest when full. */
  push(predictions: ArrayLike<number>, label: number): void {
    const N = this.nModels;
    checkQuery(predictions, label, N, this.maxChoices, 'SlidingWindow.push');
    let slot: number;
    if (this.count === this.capacity) {
      slot = this.oldest;
      this.counts.update(this.predictions.subarray(slot * N, slot * N + N), this.labels[slot], -1);
      this.oldest = (this.oldest + 1) % this.capacity;
    } else {
      slot = (this.oldest + this.count) % this.capacity;
      this.count++;
    }
    const W = this.words;
    this.correctMasks.fill(0, slot * W, slot * W + W);
    this.answeredMasks.fill(0, slot * W, slot * W + W);
    for (let i = 0; i < N; i++) {
      const p = predictions[i];
      this.predictions[slot * N + i] = p;
      const bit = 1 << (i & 31);
      if (p === label) this.correctMasks[slot * W + (i >>> 5)] |= bit;
      if (p !== -1) this.answeredMasks[slot * W + (i >>> 5)] |= bit;
    }
    this.labels[slot] = label;
    this.counts.update(predictions, label, 1);
  }

  clear(): void {
    this.counts.clear();
    this.oldest = 0;
    this.count = 0;
  }

  /**
   * The named metrics of a team (member model indices, any order, no repeats), in the order of `names`, in this
   * window's convention (default "higher = more diverse").
   */
  teamMetrics(team: ArrayLike<number>, names: readonly MetricName[], out?: Float64Array): Float64Array {
    const result = out ?? new Float64Array(names.length);
    if (result.length < names.length) throw new RangeError(`SlidingWindow.teamMetrics: out has ${result.length} slots for ${names.length} metrics`);
    const d = this.diversity;
    d.setTeam(team);
    let accuracies: { plurality: number; oracle: number } | undefined;
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      let raw: number;
      switch (name) {
        case 'focal_diversity': raw = this.focalDiversity(); break;
        case 'generalized_diversity': raw = d.generalizedDiversity(); break;
        case 'kohavi_wolpert': raw = d.kohaviWolpert(); break;
        case 'binary_entropy': raw = d.binaryEntropy(); break;
        case 'fleiss_kappa': raw = d.fleissKappa(); break;
        case 'q_statistic': raw = d.qStatistic(); break;
        case 'correlation': raw = d.correlation(); break;
        case 'disagreement': raw = d.disagreement(); break;
        case 'kappa_pairwise': raw = d.kappaPairwise(); break;
        case 'plurality_accuracy': raw = (accuracies ??= this.accuracies()).plurality; break;
        case 'oracle_accuracy': raw = (accuracies ??= this.accuracies()).oracle; break;
        default: checkMetricName(String(name), 'SlidingWindow.teamMetrics'); raw = NaN;
      }
      result[k] = orient(METRIC_KIND[name], raw, this.convention);
    }
    return result;
  }

  /**
   * Whether the label of slot s wins the team's plurality vote given its `right` votes: no other choice may have
   * more votes, nor as many if it is a lower choice (ties go to the lowest, as in `pluralityVote`). O(m).
   */
  private labelWinsPlurality(s: number, right: number): boolean {
    const { members, m } = this.diversity;
    const N = this.nModels;
    const label = this.labels[s];
    const tally = this.tally;
    for (let x = 0; x < m; x++) {
      const v = this.predictions[s * N + members[x]];
      if (v >= 0) tally[v]++;
    }
    let wins = true;
    for (let x = 0; x < m; x++) {
      const v = this.predictions[s * N + members[x]];
      if (v >= 0 && v !== label && (tally[v] > right || (tally[v] === right && v < label))) wins = false;
    }
    for (let x = 0; x < m; x++) {
      const v = this.predictions[s * N + members[x]];
      if (v >= 0) tally[v] = 0;
    }
    return wins;
  }

  /**
   * Exact either way: from triple counts in O(m^3), or from the window's masks in O(size * (words + m)),
   * whichever is cheaper for this team size (the masks win for large teams, e.g. 60 of 120 duplicated models).
   */
  private focalDiversity(): number {
    const d = this.diversity;
    const m = d.m;
    // Occupied slots are always [0, size): the ring only wraps once it is full.
    const masksAreCheaper = this.count * (this.words + m) < (m * m * m) / 6;
    if (masksAreCheaper || !this.counts.hasTriples) return d.focalDiversityFromMasks(this.correctMasks, this.words, this.count);
    return d.focalDiversity();
  }

  /** Plurality and oracle accuracy of the team set by the last `setTeam`, over the window. */
  private accuracies(): { plurality: number; oracle: number } {
    const T = this.count;
    if (T === 0) return { plurality: NaN, oracle: NaN };
    const W = this.words;
    const mask = this.diversity.teamMask(W);
    let plurality = 0;
    let oracle = 0;
    const { correctMasks, answeredMasks } = this;
    // Occupied slots are always [0, size) (the ring only wraps once full), and the order does not matter here.
    for (let s = 0; s < T; s++) {
      let right = 0;
      let answered = 0;
      for (let w = 0; w < W; w++) {
        right += popcount(correctMasks[s * W + w] & mask[w]);
        answered += popcount(answeredMasks[s * W + w] & mask[w]);
      }
      if (right === 0) continue;
      oracle++;
      // More right votes than all other answers together: the label wins outright. Otherwise count the votes.
      if (2 * right > answered || this.labelWinsPlurality(s, right)) plurality++;
    }
    return { plurality: plurality / T, oracle: oracle / T };
  }
}
