/**
 * The tracked-team sliding window as it was before failure classes and choice masks (commit 738a748,
 * `src/metrics/window.ts`): it moved every changed member's focal sums over every failing member of the slots it
 * touched. Kept only as the path `npm run bench` times the current window against ("today's path" of issue 11);
 * nothing in src uses it. Its values equal the current window's bit for bit (window-tracking.test.ts checks both
 * against the all-pairs reference).
 */
import { popcount32, sortTeam, wordsFor } from '../../src/metrics/bitset';
import { checkConvention, checkMetricName, Convention, METRIC_KIND, MetricName, orient } from '../../src/metrics/conventions';
import { checkQuery } from '../../src/metrics/counts';
import { binaryEntropyOf, fleissKappaOf, focalLambdaOf, generalizedDiversityOf, kohaviWolpertOf, pairwiseMeansOf, type PairwiseMeans } from '../../src/metrics/diversity';

// A module-local binding for the hot loops: tsx/esbuild turn imported functions into getter calls on every use.
const popcount = popcount32;

export interface PreviousWindowOptions {
  nModels: number;
  /** Queries kept; pushing beyond evicts the oldest. */
  capacity: number;
  /** Largest choice count of any query that will be pushed (predictions and labels are < maxChoices). */
  maxChoices: number;
  /** Direction of the reported diversity metrics (see `conventions.ts`); default 'higher-more-diverse'. */
  convention?: Convention;
  /**
   * @deprecated Ignored. The window used to keep triple co-failure counts of all N models; it now keeps the counts
   * of the team it was last asked about (see `SlidingWindow`), which need no triples.
   */
  tripleCounts?: boolean;
}

/**
 * The last `capacity` queries of a stream (the paper's history window H_{t-w:t}), with every team metric
 * available at any time.
 *
 * Only the asked team's counts are kept. A step of RL-Focal asks for the metrics of the team it just chose, and a
 * team rarely changes much from one step to the next, so the window tracks the team of the last `teamMetrics`
 * call: per query, that team's votes per answer (abstention = its own category), its failing members X_q and
 * whether the label wins its plurality vote; and over the window, the sums of X_q and X_q(X_q - 1), the agreeing
 * member pairs (Fleiss' kappa), the plurality and oracle hits, and per member the sums of X_q and X_q(X_q - 1) on
 * its failures (focal diversity). Every sum is an integer count, so every metric has the value it would have from
 * all-pairs co-failure counts, bit for bit (disagreement alone comes from sums instead of a mean of per-pair
 * quotients: equal within 1e-15).
 *
 * Cost, for a pool of N models, a team of m, a window of w queries with up to C choices:
 * - `push`: O(N) per-model window counts (two passes when it evicts) plus O(m) to count the tracked team's votes on
 *   the new query. Once a pairwise metric (Q, correlation, pairwise kappa) has been asked, also O(f^2) for the f
 *   models failing on the pushed and the evicted query: those metrics need every member pair's co-failures.
 * - `teamMetrics` of the tracked team: O(1) per metric, O(m C) for Fleiss' kappa, O(m) for focal diversity, O(m^2)
 *   for the pairwise family.
 * - when the asked team differs by d < m/2 members: O(w d) to move the per-query votes; focal sums move along on
 *   the queries where a changed member fails, O(ceil(N/32) + X_q) each. A larger change recounts from the masks in
 *   O(w ceil(N/32)) (plus O(m) per query where the label lacks an outright lead); focal diversity is then recounted
 *   in O(sum X_q) and the per-query votes in O(w (m + C)) when next needed (a later move, Fleiss' kappa).
 * Nothing grows with the number of possible teams; only the pairwise family touches all N^2 pairs.
 *
 * Values: see the table in `diversity.ts` for sizes < 2, an empty window and one query. Accuracies: NaN on an
 * empty window; an empty team never answers (accuracy 0).
 */
export class PreviousSlidingWindow {
  readonly nModels: number;
  readonly capacity: number;
  readonly maxChoices: number;
  readonly convention: Convention;
  /** Answer categories: 0 = abstained, c + 1 = choice c. */
  private readonly categories: number;
  /** 32-bit words per query mask over models, and per model mask over ring slots. */
  private readonly words: number;
  private readonly slotWords: number;

  // Window contents; ring slot s holds one query. Occupied slots are always [0, size): the ring wraps only once full.
  /** `[i * capacity + s]`: model i's answer on slot s (one contiguous column per model, scanned on team changes). */
  private readonly columns: Int32Array;
  private readonly labels: Int32Array;
  /** `[s * words + w]`: bit i = model i right on slot s; answered (did not abstain) on slot s. */
  private readonly correctMasks: Uint32Array;
  private readonly answeredMasks: Uint32Array;
  /** `[i * slotWords + (s >>> 5)]`: bit s = model i fails on slot s (pairwise co-failures by popcount). */
  private readonly failBits: Uint32Array;
  /** Per model over the window: failures, and answers per category (`[i * categories + k]`). */
  private readonly fail: Int32Array;
  private readonly categoryCounts: Int32Array;
  private oldest = 0;
  private count = 0;

  // The tracked team and its counts.
  private readonly inTeam: Uint8Array;
  private readonly teamMask: Uint32Array;
  /** Members, ascending. */
  private readonly members: Int32Array;
  private m = 0;
  /**
   * `[s * categories + k]`: team votes per category on slot s, with `threat` and `agreeing` below; all valid while
   * `votesFresh`. A recount after a large team change skips them (it needs only each query's right, answered and
   * failing members, from the masks) and leaves them to a member-by-member recount when next needed.
   */
  private readonly votes: Int32Array;
  private votesFresh = true;
  /** Per slot: failing members X_q; largest wrong-answer threat (votes, + 1 below the label); label wins plurality. */
  private readonly failing: Int32Array;
  private readonly threat: Int32Array;
  private readonly wins: Uint8Array;
  private sumX = 0;
  private sumXX1 = 0;
  private agreeing = 0;
  private oracleHits = 0;
  private pluralityHits = 0;
  /** Per model (valid for members while `focalValid`): sums of X_q and X_q(X_q - 1) over its failures. */
  private readonly focalSum: Float64Array;
  private readonly focalPairSum: Float64Array;
  private focalValid = false;
  /**
   * `[a * N + b]`, a < b: co-failures of every pair of models over the window. Built on the first ask for a
   * pairwise metric, then kept by every push (O(f^2) for the f failing models), so that team changes cost nothing.
   */
  private pairCofail = new Int32Array(0);
  private pairsKept = false;

  // Scratch.
  private readonly asked: Int32Array;
  private readonly wanted: Uint8Array;
  private readonly changed: Int32Array;
  private readonly failingMembers: Int32Array;
  /** Votes per choice of one query while `labelWinsPlurality` counts them; all zero between uses. */
  private readonly tally: Int32Array;
  private readonly pairMeans: PairwiseMeans = { q: NaN, rho: NaN, disagreement: NaN, kappa: NaN };

  constructor(opts: PreviousWindowOptions) {
    const { nModels: N, capacity, maxChoices } = opts;
    if (!(Number.isInteger(N) && N >= 1)) throw new RangeError(`PreviousSlidingWindow: nModels must be an integer >= 1, got ${N}`);
    if (!(Number.isInteger(maxChoices) && maxChoices >= 1)) throw new RangeError(`PreviousSlidingWindow: maxChoices must be an integer >= 1, got ${maxChoices}`);
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`PreviousSlidingWindow: capacity must be an integer >= 1, got ${capacity}`);
    this.nModels = N;
    this.capacity = capacity;
    this.maxChoices = maxChoices;
    this.convention = checkConvention(opts.convention ?? 'higher-more-diverse');
    this.categories = maxChoices + 1;
    this.words = wordsFor(N);
    this.slotWords = wordsFor(capacity);
    this.columns = new Int32Array(N * capacity);
    this.labels = new Int32Array(capacity);
    this.correctMasks = new Uint32Array(capacity * this.words);
    this.answeredMasks = new Uint32Array(capacity * this.words);
    this.failBits = new Uint32Array(N * this.slotWords);
    this.fail = new Int32Array(N);
    this.categoryCounts = new Int32Array(N * this.categories);
    this.inTeam = new Uint8Array(N);
    this.teamMask = new Uint32Array(this.words);
    this.members = new Int32Array(N);
    this.votes = new Int32Array(capacity * this.categories);
    this.failing = new Int32Array(capacity);
    this.threat = new Int32Array(capacity);
    this.wins = new Uint8Array(capacity);
    this.focalSum = new Float64Array(N);
    this.focalPairSum = new Float64Array(N);
    this.asked = new Int32Array(N);
    this.wanted = new Uint8Array(N);
    this.changed = new Int32Array(N);
    this.failingMembers = new Int32Array(N);
    this.tally = new Int32Array(maxChoices);
  }

  /** Queries currently in the window. */
  get size(): number {
    return this.count;
  }

  /** Appends one query (N predicted choices, -1 = abstained, and its label), evicting the oldest when full. */
  push(predictions: ArrayLike<number>, label: number): void {
    const N = this.nModels;
    checkQuery(predictions, label, N, this.maxChoices, 'PreviousSlidingWindow.push');
    let slot: number;
    if (this.count === this.capacity) {
      slot = this.oldest;
      this.evict(slot);
      this.oldest = (this.oldest + 1) % this.capacity;
    } else {
      slot = (this.oldest + this.count) % this.capacity;
      this.count++;
    }
    const { columns, capacity: cap, categories: K, words: W, slotWords: SW } = this;
    const bit = 1 << (slot & 31);
    const word = slot >>> 5;
    for (let i = 0; i < N; i++) {
      const p = predictions[i];
      columns[i * cap + slot] = p;
      this.categoryCounts[i * K + p + 1]++;
      if (p !== -1) this.answeredMasks[slot * W + (i >>> 5)] |= 1 << (i & 31);
      if (p === label) {
        this.correctMasks[slot * W + (i >>> 5)] |= 1 << (i & 31);
      } else {
        this.fail[i]++;
        this.failBits[i * SW + word] |= bit;
      }
    }
    this.labels[slot] = label;
    if (this.pairsKept) this.countFailingPairs(slot, 1);
    this.enterSlot(slot);
  }

  clear(): void {
    this.oldest = 0;
    this.count = 0;
    this.correctMasks.fill(0);
    this.answeredMasks.fill(0);
    this.failBits.fill(0);
    this.fail.fill(0);
    this.categoryCounts.fill(0);
    this.votes.fill(0);
    this.failing.fill(0);
    this.threat.fill(0);
    this.wins.fill(0);
    this.sumX = this.sumXX1 = this.agreeing = this.oracleHits = this.pluralityHits = 0;
    this.votesFresh = true;
    this.focalValid = false;
    this.pairCofail.fill(0);
  }

  /**
   * The named metrics of a team (member model indices, any order, no repeats), in the order of `names`, in this
   * window's convention (default "higher = more diverse"). The team becomes the tracked one (see the class).
   */
  teamMetrics(team: ArrayLike<number>, names: readonly MetricName[], out?: Float64Array): Float64Array {
    const result = out ?? new Float64Array(names.length);
    if (result.length < names.length) throw new RangeError(`PreviousSlidingWindow.teamMetrics: out has ${result.length} slots for ${names.length} metrics`);
    let needVotes = false;
    for (let k = 0; k < names.length; k++) if (names[k] === 'fleiss_kappa') needVotes = true;
    this.track(team, needVotes);
    let pairsDone = false;
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      let raw: number;
      switch (name) {
        case 'focal_diversity': raw = this.focalDiversity(); break;
        case 'generalized_diversity': raw = generalizedDiversityOf(this.m, this.sumX, this.sumXX1); break;
        case 'kohavi_wolpert': raw = kohaviWolpertOf(this.m, this.count, this.sumX, this.sumXX1); break;
        case 'binary_entropy': raw = binaryEntropyOf(this.m, this.count, this.sumX); break;
        case 'fleiss_kappa': raw = this.fleissKappa(); break;
        case 'disagreement': raw = this.disagreement(); break;
        case 'q_statistic':
        case 'correlation':
        case 'kappa_pairwise':
          if (!pairsDone) this.pairwise();
          pairsDone = true;
          raw = name === 'q_statistic' ? this.pairMeans.q : name === 'correlation' ? this.pairMeans.rho : this.pairMeans.kappa;
          break;
        case 'plurality_accuracy': raw = this.count === 0 ? NaN : this.pluralityHits / this.count; break;
        case 'oracle_accuracy': raw = this.count === 0 ? NaN : this.oracleHits / this.count; break;
        default: checkMetricName(String(name), 'PreviousSlidingWindow.teamMetrics'); raw = NaN;
      }
      result[k] = orient(METRIC_KIND[name], raw, this.convention);
    }
    return result;
  }

  /**
   * Makes `team` the tracked team: moves the changed members in or out, or recounts when that is cheaper (the
   * per-query votes too when `needVotes`, i.e. Fleiss' kappa is about to be asked).
   */
  private track(team: ArrayLike<number>, needVotes: boolean): void {
    const N = this.nModels;
    const m = sortTeam(team, N, this.asked);
    const { asked, wanted, changed, inTeam } = this;
    for (let x = 0; x < m; x++) wanted[asked[x]] = 1;
    let removed = 0;
    for (let x = 0; x < this.m; x++) if (!wanted[this.members[x]]) changed[removed++] = this.members[x];
    let d = removed;
    for (let x = 0; x < m; x++) if (!inTeam[asked[x]]) changed[d++] = asked[x];
    for (let x = 0; x < m; x++) wanted[asked[x]] = 0;
    if (d === 0) return;
    // Moving d members costs O(d) per query; recounting from the masks O(words) per query (plus O(m) where the
    // label has no outright lead), then O(m) per query once the votes are needed (a move, Fleiss' kappa).
    const recount = 2 * d > m;
    if (recount || !this.votesFresh) this.focalValid = false;
    for (let x = 0; x < removed; x++) {
      inTeam[changed[x]] = 0;
      this.teamMask[changed[x] >>> 5] &= ~(1 << (changed[x] & 31));
    }
    for (let x = removed; x < d; x++) {
      inTeam[changed[x]] = 1;
      this.teamMask[changed[x] >>> 5] |= 1 << (changed[x] & 31);
    }
    for (let x = 0; x < m; x++) this.members[x] = asked[x];
    this.m = m;
    if (recount && !needVotes) this.recountFromMasks();
    else if (recount || !this.votesFresh) this.recount();
    else this.move(removed, d);
  }

  /**
   * Recounts the tracked team's votes on every slot (members and mask already set): member by member down its
   * column, then one pass per slot. Failing counts come out unchanged for an unchanged team (focal sums stay valid).
   */
  private recount(): void {
    const { columns, labels, votes, members, categories: K, capacity: cap } = this;
    const T = this.count;
    const m = this.m;
    votes.fill(0, 0, T * K);
    for (let k = 0; k < m; k++) {
      const col = members[k] * cap;
      for (let s = 0; s < T; s++) votes[s * K + columns[col + s] + 1]++;
    }
    this.sumX = this.sumXX1 = this.agreeing = this.oracleHits = this.pluralityHits = 0;
    for (let s = 0; s < T; s++) {
      const y = labels[s];
      const base = s * K;
      const right = votes[base + y + 1];
      const x = m - right;
      // One pass over the categories: sum of squared votes (agreeing pairs = (sum n^2 - m) / 2) and the threat.
      let squares = votes[base] * votes[base];
      let threat = 0;
      for (let c = 0; c < K - 1; c++) {
        const n = votes[base + c + 1];
        squares += n * n;
        if (n > 0 && c !== y && n + (c < y ? 1 : 0) > threat) threat = n + (c < y ? 1 : 0);
      }
      this.agreeing += (squares - m) / 2;
      this.failing[s] = x;
      this.threat[s] = threat;
      this.sumX += x;
      this.sumXX1 += x * (x - 1);
      if (right > 0) this.oracleHits++;
      const win = right >= 1 && threat <= right ? 1 : 0;
      this.wins[s] = win;
      this.pluralityHits += win;
    }
    this.votesFresh = true;
  }

  /**
   * Recounts per slot only what the sums need (right, answered and failing members, by popcount of the masks; the
   * plurality winner from a tally of the members' votes when the label lacks an outright lead) and marks the
   * per-slot votes stale.
   */
  private recountFromMasks(): void {
    const { correctMasks, answeredMasks, teamMask, words: W } = this;
    const T = this.count;
    const m = this.m;
    this.sumX = this.sumXX1 = this.oracleHits = this.pluralityHits = 0;
    for (let s = 0; s < T; s++) {
      let right = 0;
      let answered = 0;
      for (let w = 0; w < W; w++) {
        right += popcount(correctMasks[s * W + w] & teamMask[w]);
        answered += popcount(answeredMasks[s * W + w] & teamMask[w]);
      }
      const x = m - right;
      this.failing[s] = x;
      this.sumX += x;
      this.sumXX1 += x * (x - 1);
      let win = 0;
      if (right > 0) {
        this.oracleHits++;
        // More right votes than all other answers together: the label wins outright. Otherwise count the votes.
        if (2 * right > answered || this.labelWinsPlurality(s, right)) win = 1;
      }
      this.wins[s] = win;
      this.pluralityHits += win;
    }
    this.votesFresh = false;
  }

  /**
   * Whether the label of slot s wins the team's plurality vote given its `right` votes: no other choice may have
   * more votes, nor as many if it is a lower choice (ties go to the lowest, as in `pluralityVote`). O(m).
   */
  private labelWinsPlurality(s: number, right: number): boolean {
    const { members, m, columns, capacity: cap, tally } = this;
    const label = this.labels[s];
    for (let x = 0; x < m; x++) {
      const v = columns[members[x] * cap + s];
      if (v >= 0) tally[v]++;
    }
    let wins = true;
    for (let x = 0; x < m; x++) {
      const v = columns[members[x] * cap + s];
      if (v >= 0 && v !== label && (tally[v] > right || (tally[v] === right && v < label))) wins = false;
    }
    for (let x = 0; x < m; x++) {
      const v = columns[members[x] * cap + s];
      if (v >= 0) tally[v] = 0;
    }
    return wins;
  }

  /**
   * Moves the members `changed[0..removed)` out of the counts and `changed[removed..d)` in (membership already
   * updated). Focal sums follow on the slots where a changed member fails: members that stayed see X_q change, new
   * ones start from their full sums. That visits a subset of what a recount visits, so it is never dearer.
   */
  private move(removed: number, d: number): void {
    const { columns, labels, votes, failing, threat, changed, categories: K, capacity: cap } = this;
    const T = this.count;
    const focal = this.focalValid;
    for (let x = removed; x < d; x++) this.focalSum[changed[x]] = this.focalPairSum[changed[x]] = 0;
    for (let s = 0; s < T; s++) {
      const y = labels[s];
      const xOld = failing[s];
      let x = xOld;
      let newFails = false;
      for (let k = 0; k < removed; k++) {
        const p = columns[changed[k] * cap + s];
        const after = --votes[s * K + p + 1];
        this.agreeing -= after;
        if (p === y) {
          if (after === 0) this.oracleHits--;
        } else {
          x--;
          if (p >= 0 && after + 1 + (p < y ? 1 : 0) === threat[s]) threat[s] = this.wrongThreat(s);
        }
      }
      for (let k = removed; k < d; k++) {
        const p = columns[changed[k] * cap + s];
        const before = votes[s * K + p + 1]++;
        this.agreeing += before;
        if (p === y) {
          if (before === 0) this.oracleHits++;
        } else {
          x++;
          newFails = true;
          if (p >= 0 && before + 1 + (p < y ? 1 : 0) > threat[s]) threat[s] = before + 1 + (p < y ? 1 : 0);
        }
      }
      if (x !== xOld) {
        failing[s] = x;
        this.sumX += x - xOld;
        this.sumXX1 += x * (x - 1) - xOld * (xOld - 1);
      }
      this.refreshWin(s);
      if (focal && (x !== xOld || newFails)) this.moveFocal(s, xOld, x, removed, d);
    }
  }

  /**
   * Focal sums on slot s after its failing count went from xOld to x: every failing member by the difference, then
   * the new members (`changed[from..to)`, whose sums started at 0) topped up to their full X and X(X - 1).
   */
  private moveFocal(s: number, xOld: number, x: number, from: number, to: number): void {
    this.forFailingMembers(s, x, x - xOld, x * (x - 1) - xOld * (xOld - 1));
    const { columns, changed, capacity: cap, focalSum, focalPairSum } = this;
    const y = this.labels[s];
    for (let k = from; k < to; k++) {
      const F = changed[k];
      if (columns[F * cap + s] !== y) {
        focalSum[F] += xOld;
        focalPairSum[F] += xOld * (xOld - 1);
      }
    }
  }

  /** Adds `dSum` and `dPairSum` to the focal sums of every tracked member failing on slot s (`x` of them). */
  private forFailingMembers(s: number, x: number, dSum: number, dPairSum: number): void {
    if (x === 0) return;
    const { correctMasks, teamMask, words: W, focalSum, focalPairSum } = this;
    for (let w = 0; w < W; w++) {
      let bits = ~correctMasks[s * W + w] & teamMask[w];
      while (bits !== 0) {
        const low = bits & -bits;
        const F = w * 32 + 31 - Math.clz32(low);
        focalSum[F] += dSum;
        focalPairSum[F] += dPairSum;
        bits ^= low;
      }
    }
  }

  /** Largest (votes + 1 if below the label) over the wrong answers the team gave on slot s; 0 if none. */
  private wrongThreat(s: number): number {
    const K = this.categories;
    const y = this.labels[s];
    let threat = 0;
    for (let c = 0; c < this.maxChoices; c++) {
      const v = this.votes[s * K + c + 1];
      if (c !== y && v > 0 && v + (c < y ? 1 : 0) > threat) threat = v + (c < y ? 1 : 0);
    }
    return threat;
  }

  /** The label wins the plurality vote iff it has a vote and no wrong answer's threat exceeds its votes. */
  private refreshWin(s: number): void {
    const right = this.votes[s * this.categories + this.labels[s] + 1];
    const win = right >= 1 && this.threat[s] <= right ? 1 : 0;
    this.pluralityHits += win - this.wins[s];
    this.wins[s] = win;
  }

  /** Counts the tracked team's votes on a freshly written slot. */
  private enterSlot(s: number): void {
    const { columns, votes, members, categories: K, capacity: cap } = this;
    const y = this.labels[s];
    let x = 0;
    let threat = 0;
    votes.fill(0, s * K, s * K + K);
    for (let k = 0; k < this.m; k++) {
      const p = columns[members[k] * cap + s];
      const before = votes[s * K + p + 1]++;
      this.agreeing += before;
      if (p !== y) {
        x++;
        if (p >= 0 && before + 1 + (p < y ? 1 : 0) > threat) threat = before + 1 + (p < y ? 1 : 0);
      }
    }
    this.failing[s] = x;
    this.threat[s] = threat;
    this.sumX += x;
    this.sumXX1 += x * (x - 1);
    if (votes[s * K + y + 1] > 0) this.oracleHits++;
    this.refreshWin(s);
    if (this.focalValid) this.forFailingMembers(s, x, x, x * (x - 1));
  }

  /** Un-counts slot s from the tracked team's counts and every per-model count, leaving it empty. */
  private evict(s: number): void {
    const { votes, categories: K } = this;
    const x = this.failing[s];
    if (this.pairsKept) this.countFailingPairs(s, -1);
    this.sumX -= x;
    this.sumXX1 -= x * (x - 1);
    if (x < this.m) this.oracleHits--;
    this.pluralityHits -= this.wins[s];
    if (this.focalValid) this.forFailingMembers(s, x, -x, -x * (x - 1));
    if (this.votesFresh) {
      for (let k = 0; k < K; k++) this.agreeing -= (votes[s * K + k] * (votes[s * K + k] - 1)) / 2;
    }
    this.failing[s] = 0;
    this.threat[s] = 0;
    this.wins[s] = 0;
    const N = this.nModels;
    const { columns, capacity: cap, words: W, slotWords: SW } = this;
    const y = this.labels[s];
    const keep = ~(1 << (s & 31));
    for (let i = 0; i < N; i++) {
      const p = columns[i * cap + s];
      this.categoryCounts[i * K + p + 1]--;
      if (p !== y) {
        this.fail[i]--;
        this.failBits[i * SW + (s >>> 5)] &= keep;
      }
    }
    this.correctMasks.fill(0, s * W, s * W + W);
    this.answeredMasks.fill(0, s * W, s * W + W);
  }

  /** Adds `sign` to the co-failure count of every pair of models failing on slot s. */
  private countFailingPairs(s: number, sign: number): void {
    const { columns, capacity: cap, failingMembers: list, pairCofail } = this;
    const N = this.nModels;
    const y = this.labels[s];
    let f = 0;
    for (let i = 0; i < N; i++) if (columns[i * cap + s] !== y) list[f++] = i;
    for (let a = 0; a < f; a++) {
      const row = list[a] * N;
      for (let b = a + 1; b < f; b++) pairCofail[row + list[b]] += sign;
    }
  }

  /** Co-failures of two models over the window, by popcount of their failure masks. */
  private cofail(a: number, b: number): number {
    const { failBits, slotWords: SW } = this;
    let n = 0;
    for (let w = 0; w < SW; w++) n += popcount(failBits[a * SW + w] & failBits[b * SW + w]);
    return n;
  }

  private focalDiversity(): number {
    const m = this.m;
    if (m < 2) return NaN;
    const { members, focalSum, focalPairSum } = this;
    if (!this.focalValid) {
      // Member by member over its failures (bits of its failure mask), summing in registers.
      const { failBits, failing, slotWords: SW } = this;
      for (let k = 0; k < m; k++) {
        const F = members[k];
        let sum = 0;
        let pairSum = 0;
        for (let w = 0; w < SW; w++) {
          let bits = failBits[F * SW + w];
          while (bits !== 0) {
            const low = bits & -bits;
            const x = failing[w * 32 + 31 - Math.clz32(low)];
            sum += x;
            pairSum += x * (x - 1);
            bits ^= low;
          }
        }
        focalSum[F] = sum;
        focalPairSum[F] = pairSum;
      }
      this.focalValid = true;
    }
    let total = 0;
    for (let x = 0; x < m; x++) {
      const F = members[x];
      total += focalLambdaOf(m, this.fail[F], focalSum[F], focalPairSum[F]);
    }
    return total / m;
  }

  private fleissKappa(): number {
    const { m } = this;
    const T = this.count;
    if (m < 2) return NaN;
    if (T < 2) return 1;
    if (!this.votesFresh) this.recount();
    return fleissKappaOf(this.members, m, T, this.agreeing, this.categoryCounts, this.categories);
  }

  /**
   * Mean over member pairs of (n01 + n10) / T. Summed over pairs, n01 + n10 = fail(a) + fail(b) - 2 cofail(a, b)
   * gives (m - 1) sum X - sum X(X - 1), so no pair count is needed.
   */
  private disagreement(): number {
    const m = this.m;
    const T = this.count;
    if (m < 2 || T === 0) return NaN;
    return ((m - 1) * this.sumX - this.sumXX1) / (T * ((m * (m - 1)) / 2));
  }

  /** Q, correlation and pairwise kappa, each averaged over the member pairs (all-model pair counts kept from here on). */
  private pairwise(): void {
    const N = this.nModels;
    if (this.m >= 2 && !this.pairsKept) {
      this.pairCofail = new Int32Array(N * N);
      for (let a = 0; a < N; a++) for (let b = a + 1; b < N; b++) this.pairCofail[a * N + b] = this.cofail(a, b);
      this.pairsKept = true;
    }
    pairwiseMeansOf(this.members, this.m, this.count, this.fail, this.pairCofail, N, this.pairMeans);
  }
}
