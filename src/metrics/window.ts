import { popcount32, sortTeam, wordsFor } from './bitset';
import { checkConvention, checkMetricName, Convention, METRIC_KIND, MetricName, orient } from './conventions';
import { checkQuery } from './counts';
import { binaryEntropyOf, fleissKappaOf, focalLambdaOf, generalizedDiversityOf, kohaviWolpertOf, pairwiseMeansOf, type PairwiseMeans } from './diversity';

// A module-local binding for the hot loops: tsx/esbuild turn imported functions into getter calls on every use.
const popcount = popcount32;

export type { MetricName, Convention } from './conventions';

export interface SlidingWindowOptions {
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
 * member pairs (Fleiss' kappa), the plurality and oracle hits, and per failure class of its members the sums of
 * X_q and X_q(X_q - 1) on the class's failures (focal diversity). A failure class is a set of models that have
 * failed on the same queries since the window was made: the replicas of a replicated pool (Figure 6) stay one class,
 * so their focal sums are kept and moved once. Every sum is an integer count, so every metric has the value it
 * would have from all-pairs co-failure counts, bit for bit (disagreement alone comes from sums instead of a mean of
 * per-pair quotients: equal within 1e-15).
 *
 * Cost, for a pool of N models, a team of m members in k failure classes, a window of w queries with up to C
 * choices:
 * - `push`: O(N) per-model window counts and failure classes (one pass per model, un-counting the evicted query
 *   as it writes the new one) plus O(m) to count the tracked team's votes on the new query and O(ceil(N/32) +
 *   failing classes) for the focal sums. Once a pairwise metric (Q, correlation, pairwise kappa) has been asked,
 *   also O(f^2) for the f models failing on the pushed and the evicted query: those metrics need every member
 *   pair's co-failures.
 * - `teamMetrics` of the tracked team: O(1) per metric, O(m C) for Fleiss' kappa, O(m) for focal diversity, O(m^2)
 *   for the pairwise family.
 * - one member in or out (a drifting team): one pass over the w queries for the votes, then the focal sums class
 *   by class over the failures the class shares with that member, O(k ceil(w/32) + shared failures).
 * - when the asked team differs by 1 < d members, d <= m/2 and d <= 3 ceil(N/32): O(w d) to move the per-query
 *   votes; focal sums move along on the queries where a changed member fails, O(ceil(N/32) + failing classes)
 *   each. A larger change recounts from the masks in O(w ceil(N/32)) (plus O(C ceil(N/32)) per query where the
 *   label lacks an outright lead); focal diversity is then recounted class by class in O(k ceil(w/32) + their
 *   failures) and the per-query votes in O(w (m + C)) when next needed (a later move, Fleiss' kappa).
 * Nothing grows with the number of possible teams; only the pairwise family touches all N^2 pairs.
 *
 * Values: see the table in `diversity.ts` for sizes < 2, an empty window and one query. Accuracies: NaN on an
 * empty window; an empty team never answers (accuracy 0).
 */
export class SlidingWindow {
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
  /** `[s * words + w]`: bit i = model i right on slot s. */
  private readonly correctMasks: Uint32Array;
  /**
   * `[(s * maxChoices + c) * words + w]`: bit i = model i answered choice c on slot s. A recount counts a wrong
   * choice's votes with W popcounts instead of reading every member's column (strided, one cache line each).
   */
  private readonly choiceMasks: Uint32Array;
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
   * `votesFresh`. A recount after a large team change skips them (it needs only each query's right and failing
   * members and, without an outright lead, the wrong choices' votes, from the masks) and leaves them to a
   * member-by-member recount when next needed.
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
  /**
   * Failure classes: models that have failed on exactly the same queries since the window was made (replicas of
   * one model, as in a replicated pool, never part). Members of a class have the same focal sums, so those are kept
   * once per class, at its smallest model index (`classOf[i]`), and a slot's failing members are visited once per
   * class. A push parts a class whose members differ on the new query; classes never merge (a looser grouping
   * than "equal over the window", never a wrong one).
   */
  private readonly classOf: Int32Array;
  /** Per class (at its index): members in the tracked team. */
  private readonly teamCount: Int32Array;
  /** `[w]`: bit g = class g has a member in the tracked team (the classes the focal sums are kept for). */
  private readonly classMask: Uint32Array;
  /**
   * `[2g]`, `[2g + 1]`: per class g (valid for the tracked team's classes while `focalValid`), the sums of X_q and
   * X_q(X_q - 1) over its failures; side by side, so that a slot's update touches one cache line per class.
   */
  private readonly focal: Float64Array;
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
  /** Classes that entered the tracked team in the last `track` (their focal sums start from zero). */
  private readonly entering: Int32Array;
  private nEntering = 0;
  /** Per class while a push parts classes: the class its members failing differently move to (-1 = none yet). */
  private readonly partedTo: Int32Array;
  private readonly failingMembers: Int32Array;
  /** Votes per choice of one query while `labelWinsPlurality` counts them; all zero between uses. */
  private readonly tally: Int32Array;
  private readonly pairMeans: PairwiseMeans = { q: NaN, rho: NaN, disagreement: NaN, kappa: NaN };

  constructor(opts: SlidingWindowOptions) {
    const { nModels: N, capacity, maxChoices } = opts;
    if (!(Number.isInteger(N) && N >= 1)) throw new RangeError(`SlidingWindow: nModels must be an integer >= 1, got ${N}`);
    if (!(Number.isInteger(maxChoices) && maxChoices >= 1)) throw new RangeError(`SlidingWindow: maxChoices must be an integer >= 1, got ${maxChoices}`);
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`SlidingWindow: capacity must be an integer >= 1, got ${capacity}`);
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
    this.choiceMasks = new Uint32Array(capacity * maxChoices * this.words);
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
    this.classOf = new Int32Array(N);
    this.teamCount = new Int32Array(N);
    this.classMask = new Uint32Array(this.words);
    this.focal = new Float64Array(2 * N);
    this.asked = new Int32Array(N);
    this.wanted = new Uint8Array(N);
    this.changed = new Int32Array(N);
    this.entering = new Int32Array(N);
    this.partedTo = new Int32Array(N);
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
    checkQuery(predictions, label, N, this.maxChoices, 'SlidingWindow.push');
    let slot: number;
    const evicting = this.count === this.capacity;
    if (evicting) {
      slot = this.oldest;
      this.evict(slot);
      this.oldest = (this.oldest + 1) % this.capacity;
    } else {
      slot = (this.oldest + this.count) % this.capacity;
      this.count++;
    }
    this.partClasses(predictions, label);
    const { columns, categoryCounts, fail, failBits, correctMasks, choiceMasks } = this;
    const { capacity: cap, categories: K, words: W, slotWords: SW, maxChoices: C } = this;
    correctMasks.fill(0, slot * W, slot * W + W);
    choiceMasks.fill(0, slot * C * W, (slot + 1) * C * W);
    const bit = 1 << (slot & 31);
    const word = slot >>> 5;
    const oldLabel = this.labels[slot];
    // One pass per model: un-count the evicted answer (same column cell) and count the new one.
    for (let i = 0; i < N; i++) {
      const p = predictions[i];
      const at = i * cap + slot;
      if (evicting) {
        const o = columns[at];
        categoryCounts[i * K + o + 1]--;
        if (o !== oldLabel) {
          fail[i]--;
          failBits[i * SW + word] &= ~bit;
        }
      }
      columns[at] = p;
      categoryCounts[i * K + p + 1]++;
      const iw = i >>> 5;
      const ib = 1 << (i & 31);
      if (p !== -1) choiceMasks[(slot * C + p) * W + iw] |= ib;
      if (p === label) {
        correctMasks[slot * W + iw] |= ib;
      } else {
        fail[i]++;
        failBits[i * SW + word] |= bit;
      }
    }
    this.labels[slot] = label;
    if (this.pairsKept) this.countFailingPairs(slot, 1);
    this.enterSlot(slot, predictions);
  }

  /**
   * Parts every failure class whose members fail differently on the query being pushed (after the eviction, before
   * the query is counted): the members that differ from the class's first model form a new class, which starts
   * with the old one's focal sums (both failed on the same queries so far) and its share of the tracked members.
   */
  private partClasses(predictions: ArrayLike<number>, label: number): void {
    const { classOf, partedTo, teamCount, inTeam } = this;
    const N = this.nModels;
    let parted = 0;
    for (let i = 0; i < N; i++) {
      const r = classOf[i];
      if (r === i) {
        partedTo[i] = -1;
        continue;
      }
      if ((predictions[i] === label) === (predictions[r] === label)) continue;
      let g = partedTo[r];
      if (g === -1) {
        g = partedTo[r] = i;
        this.focal[2 * g] = this.focal[2 * r];
        this.focal[2 * g + 1] = this.focal[2 * r + 1];
        this.changed[parted++] = r;
      }
      classOf[i] = g;
      if (inTeam[i]) {
        teamCount[r]--;
        teamCount[g]++;
      }
    }
    for (let k = 0; k < parted; k++) {
      const r = this.changed[k];
      this.setClassBit(r, teamCount[r] > 0);
      this.setClassBit(partedTo[r], teamCount[partedTo[r]] > 0);
    }
  }

  private setClassBit(g: number, on: boolean): void {
    if (on) this.classMask[g >>> 5] |= 1 << (g & 31);
    else this.classMask[g >>> 5] &= ~(1 << (g & 31));
  }

  clear(): void {
    this.oldest = 0;
    this.count = 0;
    this.correctMasks.fill(0);
    this.choiceMasks.fill(0);
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
    if (result.length < names.length) throw new RangeError(`SlidingWindow.teamMetrics: out has ${result.length} slots for ${names.length} metrics`);
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
        default: checkMetricName(String(name), 'SlidingWindow.teamMetrics'); raw = NaN;
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
    // Moving d members costs O(d) per query; recounting from the masks O(words) per query (plus O(C words) where
    // the label has no outright lead), then O(m) per query once the votes are needed (a move, Fleiss' kappa): a
    // change of more than half the team, or of more members than 3 words, recounts.
    const recount = 2 * d > m || d > 3 * this.words;
    if (recount || !this.votesFresh) this.focalValid = false;
    const { classOf, teamCount } = this;
    for (let x = 0; x < removed; x++) {
      inTeam[changed[x]] = 0;
      this.teamMask[changed[x] >>> 5] &= ~(1 << (changed[x] & 31));
      if (--teamCount[classOf[changed[x]]] === 0) this.setClassBit(classOf[changed[x]], false);
    }
    this.nEntering = 0;
    for (let x = removed; x < d; x++) {
      inTeam[changed[x]] = 1;
      this.teamMask[changed[x] >>> 5] |= 1 << (changed[x] & 31);
      const g = classOf[changed[x]];
      if (teamCount[g]++ === 0) {
        this.setClassBit(g, true);
        this.entering[this.nEntering++] = g;
      }
    }
    for (let x = 0; x < m; x++) this.members[x] = asked[x];
    this.m = m;
    if (recount && !needVotes) this.recountFromMasks();
    else if (recount || !this.votesFresh) this.recount();
    else if (d === 1) this.moveOne(changed[0], removed === 0);
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
   * Recounts per slot only what the sums need (right and failing members, by popcount of the masks; the plurality
   * winner, when the label lacks an outright lead, from the choice masks) and marks the per-slot votes stale.
   */
  private recountFromMasks(): void {
    const { correctMasks, teamMask, failing, wins, words: W } = this;
    const T = this.count;
    const m = this.m;
    let sumX = 0;
    let sumXX1 = 0;
    let oracleHits = 0;
    let pluralityHits = 0;
    for (let s = 0; s < T; s++) {
      let right = 0;
      for (let w = 0; w < W; w++) right += popcount(correctMasks[s * W + w] & teamMask[w]);
      const x = m - right;
      failing[s] = x;
      sumX += x;
      sumXX1 += x * (x - 1);
      let win = 0;
      if (right > 0) {
        oracleHits++;
        // More right votes than all other members: the label wins outright. Otherwise count the wrong choices'.
        if (2 * right > m || this.labelWinsPlurality(s, right)) win = 1;
      }
      wins[s] = win;
      pluralityHits += win;
    }
    this.sumX = sumX;
    this.sumXX1 = sumXX1;
    this.oracleHits = oracleHits;
    this.pluralityHits = pluralityHits;
    this.votesFresh = false;
  }

  /**
   * Whether the label of slot s wins the team's plurality vote given its `right` votes: no other choice may have
   * more votes, nor as many if it is a lower choice (ties go to the lowest, as in `pluralityVote`). Counts each
   * wrong choice's votes from the choice masks, O((C - 1) ceil(N/32)), or for a small team tallies the members'
   * answers, O(m).
   */
  private labelWinsPlurality(s: number, right: number): boolean {
    const { m, words: W, maxChoices: C } = this;
    const label = this.labels[s];
    if (m <= (C - 1) * W) return this.labelWinsTally(s, right, label);
    const { choiceMasks, teamMask } = this;
    const base = s * C * W;
    for (let c = 0; c < C; c++) {
      if (c === label) continue;
      let v = 0;
      for (let w = 0; w < W; w++) v += popcount(choiceMasks[base + c * W + w] & teamMask[w]);
      if (v > right || (v === right && c < label)) return false;
    }
    return true;
  }

  /** `labelWinsPlurality` by a tally of the members' answers on slot s. */
  private labelWinsTally(s: number, right: number, label: number): boolean {
    const { members, m, columns, capacity: cap, tally } = this;
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
    for (let k = 0; k < this.nEntering; k++) this.focal[2 * this.entering[k]] = this.focal[2 * this.entering[k] + 1] = 0;
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
      if (focal && (x !== xOld || newFails)) this.moveFocal(s, xOld, x);
    }
  }

  /**
   * `move` of one member in (`add`) or out, a drifting team's usual step: one pass over the slots with the sums in
   * locals, then the focal sums class by class (`moveFocalOne`).
   */
  private moveOne(c: number, add: boolean): void {
    const { columns, labels, votes, failing, threat, wins, categories: K } = this;
    const T = this.count;
    const col = c * this.capacity;
    let { agreeing, oracleHits, pluralityHits, sumXX1 } = this;
    // Whether c is right on a slot is a coin flip a branch predictor cannot learn: the loops are written without
    // branches on it (booleans as 0/1).
    if (add) {
      for (let s = 0; s < T; s++) {
        const p = columns[col + s];
        const y = labels[s];
        const at = s * K + p + 1;
        const xOld = failing[s];
        const wrong = +(p !== y);
        failing[s] = xOld + wrong;
        sumXX1 += wrong * 2 * xOld;
        const before = votes[at];
        votes[at] = before + 1;
        agreeing += before;
        oracleHits += (1 - wrong) & +(before === 0);
        const t = wrong * +(p >= 0) * (before + 1 + +(p < y));
        const th = Math.max(threat[s], t);
        threat[s] = th;
        const right = votes[s * K + y + 1];
        const win = +(right >= 1) & +(th <= right);
        pluralityHits += win - wins[s];
        wins[s] = win;
      }
    } else {
      for (let s = 0; s < T; s++) {
        const p = columns[col + s];
        const y = labels[s];
        const at = s * K + p + 1;
        const x = failing[s] - +(p !== y);
        failing[s] = x;
        const after = votes[at] - 1;
        votes[at] = after;
        agreeing -= after;
        if (p === y) {
          if (after === 0) oracleHits--;
        } else {
          sumXX1 -= 2 * x;
          if (p >= 0 && after + 1 + (p < y ? 1 : 0) === threat[s]) threat[s] = this.wrongThreat(s);
        }
        const right = votes[s * K + y + 1];
        const win = +(right >= 1) & +(threat[s] <= right);
        pluralityHits += win - wins[s];
        wins[s] = win;
      }
    }
    const sumX = this.sumX + (add ? 1 : -1) * this.fail[c];
    this.agreeing = agreeing;
    this.oracleHits = oracleHits;
    this.pluralityHits = pluralityHits;
    this.sumX = sumX;
    this.sumXX1 = sumXX1;
    if (this.focalValid) this.moveFocalOne(c, add);
  }

  /**
   * Focal sums after member c came in (`add`) or went out, `failing` already updated: X_q moved by one exactly on
   * c's failures, so class g's sums move by n = |fails(g) and fails(c)| and, with S = the sum of the new X_q over
   * those slots, X(X - 1) by 2(S - n) (in) or -2S (out). Class by class over the bits of fails(g) and fails(c),
   * summing in registers: one pass over the shared failures instead of one update per failing class per slot. A
   * class that entered with c fails exactly where c fails: its sums are counted afresh.
   */
  private moveFocalOne(c: number, add: boolean): void {
    const { failBits, failing, classMask, focal, slotWords: SW, words: W } = this;
    const entered = add && this.nEntering > 0 ? this.entering[0] : -1;
    const cw0 = c * SW;
    for (let cw = 0; cw < W; cw++) {
      for (let classBits = classMask[cw]; classBits !== 0; classBits &= classBits - 1) {
        const g = cw * 32 + 31 - Math.clz32(classBits & -classBits);
        const gw0 = g * SW;
        let n = 0;
        let sum = 0;
        if (g === entered) {
          // Its failures are c's: the sums afresh.
          let pairSum = 0;
          for (let w = 0; w < SW; w++) {
            for (let bits = failBits[cw0 + w]; bits !== 0; bits &= bits - 1) {
              const x = failing[w * 32 + 31 - Math.clz32(bits & -bits)];
              sum += x;
              pairSum += x * (x - 1);
            }
          }
          focal[2 * g] = sum;
          focal[2 * g + 1] = pairSum;
          continue;
        }
        for (let w = 0; w < SW; w++) {
          for (let bits = failBits[gw0 + w] & failBits[cw0 + w]; bits !== 0; bits &= bits - 1) {
            n++;
            sum += failing[w * 32 + 31 - Math.clz32(bits & -bits)];
          }
        }
        if (add) {
          focal[2 * g] += n;
          focal[2 * g + 1] += 2 * (sum - n);
        } else {
          focal[2 * g] -= n;
          focal[2 * g + 1] -= 2 * sum;
        }
      }
    }
  }

  /**
   * Focal sums on slot s after its failing count went from xOld to x: every failing class by the difference, then
   * the classes that entered the team (`entering`, whose sums started at 0) topped up to their full X and X(X - 1).
   */
  private moveFocal(s: number, xOld: number, x: number): void {
    this.forFailingMembers(s, x, x - xOld, x * (x - 1) - xOld * (xOld - 1));
    const { columns, entering, capacity: cap, focal } = this;
    const y = this.labels[s];
    for (let k = 0; k < this.nEntering; k++) {
      const F = entering[k];
      if (columns[F * cap + s] !== y) {
        focal[2 * F] += xOld;
        focal[2 * F + 1] += xOld * (xOld - 1);
      }
    }
  }

  /** Adds `dSum` and `dPairSum` to the focal sums of every tracked class failing on slot s (`x` members in all). */
  private forFailingMembers(s: number, x: number, dSum: number, dPairSum: number): void {
    if (x === 0) return;
    const { correctMasks, classMask, words: W, focal } = this;
    for (let w = 0; w < W; w++) {
      let bits = ~correctMasks[s * W + w] & classMask[w];
      while (bits !== 0) {
        const low = bits & -bits;
        const F = w * 32 + 31 - Math.clz32(low);
        focal[2 * F] += dSum;
        focal[2 * F + 1] += dPairSum;
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

  /** Counts the tracked team's votes on a freshly written slot (from the pushed row, not the strided columns). */
  private enterSlot(s: number, predictions: ArrayLike<number>): void {
    const { votes, members, categories: K } = this;
    const y = this.labels[s];
    let x = 0;
    let threat = 0;
    let agreeing = 0;
    votes.fill(0, s * K, s * K + K);
    for (let k = 0; k < this.m; k++) {
      const p = predictions[members[k]];
      const before = votes[s * K + p + 1]++;
      agreeing += before;
      if (p !== y) {
        x++;
        if (p >= 0 && before + 1 + (p < y ? 1 : 0) > threat) threat = before + 1 + (p < y ? 1 : 0);
      }
    }
    this.agreeing += agreeing;
    this.failing[s] = x;
    this.threat[s] = threat;
    this.sumX += x;
    this.sumXX1 += x * (x - 1);
    if (votes[s * K + y + 1] > 0) this.oracleHits++;
    this.refreshWin(s);
    if (this.focalValid) this.forFailingMembers(s, x, x, x * (x - 1));
  }

  /**
   * Un-counts slot s from the tracked team's counts and the pair counts; `push` un-counts the per-model counts and
   * masks as it overwrites the slot.
   */
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
    const { members, focal } = this;
    const { classOf } = this;
    if (!this.focalValid) {
      // Class by class over its failures (bits of its failure mask), summing in registers.
      const { failBits, failing, classMask, slotWords: SW, words: W } = this;
      for (let cw = 0; cw < W; cw++) for (let classBits = classMask[cw]; classBits !== 0; classBits &= classBits - 1) {
        const F = cw * 32 + 31 - Math.clz32(classBits & -classBits);
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
        focal[2 * F] = sum;
        focal[2 * F + 1] = pairSum;
      }
      this.focalValid = true;
    }
    let total = 0;
    for (let x = 0; x < m; x++) {
      const F = classOf[members[x]];
      total += focalLambdaOf(m, this.fail[F], focal[2 * F], focal[2 * F + 1]);
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
