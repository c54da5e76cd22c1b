import { CostMeter, type CostSummary } from '../data/cost';
import type { Dataset } from '../data/dataset';
import { pluralityVote } from '../metrics/voting';
import { SlidingWindow } from '../metrics/window';
import { Rng } from '../util/rng';
import { DeciderLayout, FusionLayout, deciderStateSize, fusionStateSize, type DeciderObservationOptions, type ObservationLayouts } from './observations';
import { queryModelAccuracy } from './query-accuracy';
import { ensembleReward } from './reward';

interface EnvOptionsBase {
  /** History window w (queries) for the team metrics; 0 = cumulative since the start of the stream. */
  window: number;
  /** First served query; default min(window, T - 1). Queries before it only fill the window. */
  start?: number;
  /** One past the last served query; default T. */
  end?: number;
  /** Size-penalisation constant alpha of Eq. 6. */
  alpha: number;
  /** Price per LLM call subtracted from every reward (see `ensembleReward`); default 0 (the paper). */
  callPrice?: number;
  /** Calls per query the price does not charge (see `ensembleReward`); default 0. */
  freeCalls?: number;
  /** Team before the first query: every model (authors) or a uniformly random subset (seeded by `reset`). */
  initialTeam?: 'all' | 'random';
  /**
   * The query-neighbour accuracies read by the query-aware observation entries, T x N row-major for this env's
   * dataset (`queryModelAccuracy`). Default: computed from this dataset's own train split. A replay of a slice
   * (the test stream, whose "train" part is only the window's prefix) passes the rows computed on the whole pool,
   * whose neighbours are all its train questions.
   */
  queryAccuracies?: Float64Array;
  /** Train questions each query's entries are computed over when `queryAccuracies` is not given (default 20). */
  queryNeighbours?: number;
}

/** The observations described by their options; the env builds the layouts. */
interface LayoutOptions {
  observation: DeciderObservationOptions;
  /** Past rewards shown to the Fusion agent (spec §2.4 r_{1:t-1}); 0 = none (authors' code). */
  fusionRecentRewards: number;
  /** Choice slots of the Fusion observation (default: the dataset's largest choice count). Pass the value the
   * agents were built for when replaying another slice of the same data (e.g. the test split). */
  maxChoices?: number;
}

/** The observations given as layouts (a configuration's, from `layoutsFor`): what the agents were built to read. */
interface GivenLayouts {
  layouts: ObservationLayouts;
  observation?: never;
  fusionRecentRewards?: never;
  maxChoices?: never;
}

export type EnsembleEnvOptions = EnvOptionsBase & (LayoutOptions | GivenLayouts);

export interface FusionTurn {
  /** Fusion observation o2 of this query (see `FusionLayout`). */
  observation: Float64Array;
  /** Plurality vote of the selected models (-1 when none answers): the answer during the Decider's turn. */
  interimAnswer: number;
  teamSize: number;
  nChoices: number;
  /** Index of the query in the dataset. */
  query: number;
}

export interface StepOutcome {
  /** Next Decider observation (meaningless once `done`). */
  observation: Float64Array;
  /** Shared reward of Eq. 6. */
  reward: number;
  /** Final answer, -1 = none (counts as wrong). */
  answer: number;
  correct: boolean;
  /** The answer was the interim plurality vote (the Fusion agent did not act). */
  interim: boolean;
  teamSize: number;
  query: number;
  /** The last served query has been answered (PettingZoo's termination of both agents). */
  done: boolean;
}

export type AgentName = 'decider' | 'fusion';

/**
 * Replays a Dataset in stream order as the two-agent game of RL-Focal (a PettingZoo ParallelEnv-like interface for
 * the agents `decider` and `fusion`).
 *
 * One query is one step in two moves, because the Fusion agent's observation depends on the Decider's action
 * (an extensive-form game, spec §2.2):
 *
 *   const o1 = env.reset();                         // Decider observation for the first query
 *   const turn = env.step({ decider: team });       // team = 0/1 per model; the selected LLMs are "called"
 *   const out = env.step({ fusion: answer });       // or { fusion: null } for the interim plurality vote
 *   // out.reward (Eq. 6), out.correct, out.done, out.observation = next Decider observation
 *   env.state();                                    // centralized-critic state at the current move
 *
 * Queries `[start, end)` (default `[window, T)`) are served; the `window` queries before `start` only fill the history window (the authors
 * skip the first w training queries the same way). The window holds every model's prediction on the last w
 * served queries (as in the paper's replay, where all recorded outputs are known); `window: 0` keeps the whole
 * history since the stream's start (the authors' test environment).
 *
 * Returned objects and arrays are reused between steps (no allocation per step): copy what you keep.
 */
export class EnsembleEnv {
  readonly possibleAgents: readonly AgentName[] = ['decider', 'fusion'];
  readonly dataset: Dataset;
  readonly nModels: number;
  readonly deciderLayout: DeciderLayout;
  readonly fusionLayout: FusionLayout;
  readonly deciderStateSize: number;
  readonly fusionStateSize: number;
  readonly start: number;
  readonly end: number;
  readonly alpha: number;
  readonly callPrice: number;
  readonly freeCalls: number;
  /** The agent whose move is next. */
  phase: AgentName = 'decider';

  private readonly window: SlidingWindow;
  private readonly capacity: number;
  private readonly initialTeam: 'all' | 'random';
  private t = 0;
  private meter: CostMeter;
  private readonly team: Uint8Array;
  private readonly members: Int32Array;
  private m = 0;
  private readonly metricValues: Float64Array;
  private readonly deciderObs: Float64Array;
  private readonly fusionObs: Float64Array;
  private readonly stateBuffer: Float64Array;
  private readonly votes: Int32Array;
  private readonly recentRewards: Float64Array;
  /** Per-model hits over the window (for the Decider's critic state), with the ring of served query indices. */
  private readonly windowHits: Float64Array;
  private readonly modelAccuracies: Float64Array;
  /** Each model's accuracy near each query's text (T x N), when the Decider layout reads it. */
  private readonly queryAccuracies: Float64Array | null;
  private readonly windowRing: Int32Array;
  private windowOldest = 0;
  private windowCount = 0;
  private readonly turn: FusionTurn;
  private readonly outcome: StepOutcome;
  private interimAnswer = -1;

  constructor(dataset: Dataset, options: EnsembleEnvOptions) {
    const T = dataset.nQueries;
    const N = dataset.nModels;
    if (T === 0) throw new RangeError('EnsembleEnv: the dataset has no queries');
    if (!(Number.isInteger(options.window) && options.window >= 0)) {
      throw new RangeError(`EnsembleEnv: window must be an integer >= 0, got ${options.window}`);
    }
    const start = options.start ?? Math.min(options.window, T - 1);
    if (!(Number.isInteger(start) && start >= 0 && start < T)) {
      throw new RangeError(`EnsembleEnv: start must be an integer in [0, ${T}), got ${start}`);
    }
    const end = options.end ?? T;
    if (!(Number.isInteger(end) && end > start && end <= T)) {
      throw new RangeError(`EnsembleEnv: end must be an integer in (${start}, ${T}], got ${end}`);
    }
    if (!(options.alpha >= 0)) throw new RangeError(`EnsembleEnv: alpha must be >= 0, got ${options.alpha}`);
    this.dataset = dataset;
    this.nModels = N;
    this.start = start;
    this.end = end;
    this.alpha = options.alpha;
    this.callPrice = options.callPrice ?? 0;
    if (!(this.callPrice >= 0 && Number.isFinite(this.callPrice))) throw new RangeError(`EnsembleEnv: callPrice must be a finite number >= 0, got ${this.callPrice}`);
    this.freeCalls = options.freeCalls ?? 0;
    if (!(Number.isInteger(this.freeCalls) && this.freeCalls >= 0)) throw new RangeError(`EnsembleEnv: freeCalls must be an integer >= 0, got ${this.freeCalls}`);
    this.initialTeam = options.initialTeam ?? 'all';
    const layouts = layoutsOf(options, N, dataset.maxChoices);
    if (layouts.decider.nModels !== N || layouts.fusion.nModels !== N) {
      const n = layouts.decider.nModels !== N ? layouts.decider.nModels : layouts.fusion.nModels;
      throw new RangeError(`EnsembleEnv: the observation layouts are for ${n} models, the dataset has ${N}`);
    }
    const maxChoices = layouts.fusion.maxChoices;
    if (!(Number.isInteger(maxChoices) && maxChoices >= dataset.maxChoices)) {
      throw new RangeError(`EnsembleEnv: maxChoices must be an integer >= the dataset's ${dataset.maxChoices}, got ${maxChoices}`);
    }
    this.capacity = options.window === 0 ? T : options.window;
    this.deciderLayout = layouts.decider;
    this.fusionLayout = layouts.fusion;
    this.deciderStateSize = deciderStateSize(this.deciderLayout);
    this.fusionStateSize = fusionStateSize(this.deciderLayout, this.fusionLayout);
    this.window = new SlidingWindow({
      nModels: N,
      capacity: this.capacity,
      maxChoices,
      // The authors' weighted fitness sums raw metric values; separate entries use one direction for all.
      convention: this.deciderLayout.mode === 'weighted' ? 'raw' : 'higher-more-diverse',
    });
    this.meter = new CostMeter(dataset.models);
    this.team = new Uint8Array(N);
    this.members = new Int32Array(N);
    this.metricValues = new Float64Array(Math.max(1, this.deciderLayout.metrics.length));
    this.deciderObs = new Float64Array(this.deciderLayout.size);
    this.fusionObs = new Float64Array(this.fusionLayout.size);
    this.stateBuffer = new Float64Array(Math.max(this.deciderStateSize, this.fusionStateSize));
    this.votes = new Int32Array(N);
    this.recentRewards = new Float64Array(this.fusionLayout.recentRewards);
    this.windowHits = new Float64Array(N);
    this.modelAccuracies = new Float64Array(N);
    const queryAware = this.deciderLayout.queryAccuracyOffset >= 0 || this.fusionLayout.queryAccuracy >= 0;
    if (options.queryAccuracies !== undefined && options.queryAccuracies.length !== dataset.nQueries * N) {
      throw new RangeError(`EnsembleEnv: queryAccuracies has ${options.queryAccuracies.length} entries, expected ${dataset.nQueries} queries x ${N} models`);
    }
    this.queryAccuracies = queryAware ? (options.queryAccuracies ?? queryModelAccuracy(dataset, options.queryNeighbours)) : null;
    this.windowRing = new Int32Array(this.capacity);
    this.turn = { observation: this.fusionObs, interimAnswer: -1, teamSize: 0, nChoices: 0, query: 0 };
    this.outcome = { observation: this.deciderObs, reward: 0, answer: -1, correct: false, interim: true, teamSize: 0, query: 0, done: false };
  }

  /** Queries served per episode. */
  get episodeLength(): number {
    return this.end - this.start;
  }

  /** Index of the query the next move concerns. */
  get query(): number {
    return this.t;
  }

  /**
   * Starts an episode: clears the window, fills it with the queries before `start`, resets cost and team. The
   * replay itself is deterministic; `seed` only draws the initial team when `initialTeam` is 'random'.
   */
  reset(seed = 0): Float64Array {
    const N = this.nModels;
    this.window.clear();
    this.windowHits.fill(0);
    this.windowOldest = 0;
    this.windowCount = 0;
    for (let t = Math.max(0, this.start - this.capacity); t < this.start; t++) this.pushHistory(t);
    this.t = this.start;
    this.meter = new CostMeter(this.dataset.models);
    this.recentRewards.fill(0);
    if (this.initialTeam === 'all') {
      this.team.fill(1);
    } else {
      const rng = new Rng(seed).fork('initial-team');
      for (let i = 0; i < N; i++) this.team[i] = rng.next() < 0.5 ? 1 : 0;
    }
    this.syncMembers();
    this.encodeDecider(this.deciderObs, 0);
    this.phase = 'decider';
    return this.deciderObs;
  }

  step(actions: { decider: ArrayLike<number> }): FusionTurn;
  step(actions: { fusion: number | null }): StepOutcome;
  step(actions: { decider?: ArrayLike<number>; fusion?: number | null }): FusionTurn | StepOutcome {
    if ('decider' in actions && actions.decider !== undefined) return this.stepDecider(actions.decider);
    if ('fusion' in actions && actions.fusion !== undefined) return this.stepFusion(actions.fusion);
    throw new RangeError(`EnsembleEnv.step: expected { decider: team } or { fusion: answer | null } (phase: ${this.phase})`);
  }

  /** The Decider's move: `team[i]` = 1 selects model i for the current query. The selected models are called. */
  stepDecider(team: ArrayLike<number>): FusionTurn {
    if (this.phase !== 'decider') throw new Error(`EnsembleEnv: it is the ${this.phase} agent's move (did you skip step({ fusion })?)`);
    if (this.t >= this.end) throw new Error('EnsembleEnv: episode finished; call reset()');
    const N = this.nModels;
    if (team.length !== N) throw new RangeError(`EnsembleEnv.step: the decider action has ${team.length} entries, expected ${N}`);
    for (let i = 0; i < N; i++) this.team[i] = team[i] ? 1 : 0;
    this.syncMembers();
    this.meter.recordSelection(this.team);
    const t = this.t;
    const d = this.dataset;
    const C = d.choiceCounts[t];
    const L = this.fusionLayout;
    const Cmax = L.maxChoices;
    const o = this.fusionObs;
    o.fill(0, 0, L.votes);
    const predictions = d.predictions;
    for (let i = 0; i < N; i++) {
      if (this.team[i]) {
        const base = d.probOffsets[t] + i * C;
        for (let c = 0; c < C; c++) o[i * Cmax + c] = d.probs[base + c];
        o[L.team + i] = 1;
        this.votes[i] = predictions[t * N + i];
      } else {
        this.votes[i] = -1;
      }
      o[L.votes + i] = this.votes[i];
    }
    for (let c = 0; c < C; c++) o[L.choiceMask + c] = 1;
    for (let k = 0; k < this.recentRewards.length; k++) o[L.rewards + k] = this.recentRewards[k];
    if (L.queryAccuracy >= 0) for (let i = 0; i < N; i++) o[L.queryAccuracy + i] = this.queryAccuracies![t * N + i];
    this.interimAnswer = this.m > 0 ? pluralityVote(this.votes, C) : -1;
    this.phase = 'fusion';
    const turn = this.turn;
    turn.interimAnswer = this.interimAnswer;
    turn.teamSize = this.m;
    turn.nChoices = C;
    turn.query = t;
    return turn;
  }

  /**
   * The Fusion agent's move: its answer, or null to answer with the interim plurality vote (the Decider's
   * warm-start turn). With an empty team there is nothing to fuse: the answer is -1 whatever is passed.
   */
  stepFusion(answer: number | null): StepOutcome {
    if (this.phase !== 'fusion') throw new Error(`EnsembleEnv: it is the ${this.phase} agent's move (call step({ decider }) first)`);
    const t = this.t;
    const C = this.dataset.choiceCounts[t];
    const interim = answer === null;
    let final = interim ? this.interimAnswer : answer;
    if (!interim && !(Number.isInteger(final) && final >= -1 && final < C)) {
      throw new RangeError(`EnsembleEnv.step: fusion answer ${final} is not a choice of query ${t} (0..${C - 1}, or -1)`);
    }
    if (this.m === 0) final = -1;
    const correct = final === this.dataset.labels[t];
    const reward = ensembleReward(correct, this.m, this.nModels, interim, this.alpha, this.callPrice, this.freeCalls);
    const k = this.recentRewards.length;
    if (k > 0) {
      this.recentRewards.copyWithin(1, 0, k - 1);
      this.recentRewards[0] = reward;
    }
    this.pushHistory(t);
    this.t = t + 1;
    const done = this.t >= this.end;
    this.encodeDecider(this.deciderObs, 0);
    this.phase = 'decider';
    const out = this.outcome;
    out.reward = reward;
    out.answer = final;
    out.correct = correct;
    out.interim = interim;
    out.teamSize = this.m;
    out.query = t;
    out.done = done;
    return out;
  }

  /**
   * Centralized-critic state at the current move (layouts in `observations.ts`): before the Decider moves,
   * [o1 | every model's window accuracy]; before the Fusion agent moves, [o1 of the new team | o2] (App. C).
   */
  state(): Float64Array {
    const s = this.stateBuffer;
    const N = this.nModels;
    if (this.phase === 'decider') {
      s.set(this.deciderObs, 0);
      const o = this.deciderLayout.size;
      const n = this.windowCount;
      for (let i = 0; i < N; i++) s[o + i] = n > 0 ? this.windowHits[i] / n : 0;
      return s.subarray(0, this.deciderStateSize);
    }
    this.encodeDecider(s, 0);
    s.set(this.fusionObs, this.deciderLayout.size);
    return s.subarray(0, this.fusionStateSize);
  }

  /** Calls made so far in this episode (the selected models of every served query). */
  cost(): CostSummary {
    return this.meter.summary();
  }

  /** Current team as a 0/1 vector (a view). */
  currentTeam(): Uint8Array {
    return this.team;
  }

  private syncMembers(): void {
    let m = 0;
    for (let i = 0; i < this.nModels; i++) if (this.team[i]) this.members[m++] = i;
    this.m = m;
  }

  private encodeDecider(out: Float64Array, offset: number): void {
    const L = this.deciderLayout;
    if (L.metrics.length > 0) this.window.teamMetrics(this.members.subarray(0, this.m), L.metrics, this.metricValues);
    if (L.modelAccuracyOffset >= 0) {
      const n = this.windowCount;
      for (let i = 0; i < this.nModels; i++) this.modelAccuracies[i] = n > 0 ? this.windowHits[i] / n : 0;
    }
    // After the last query there is nothing to describe; any row keeps the observation's shape.
    const q = this.queryAccuracies ? this.queryAccuracies.subarray(Math.min(this.t, this.dataset.nQueries - 1) * this.nModels) : undefined;
    L.encode(this.team, this.m, this.metricValues, out, offset, this.modelAccuracies, q);
  }

  private pushHistory(t: number): void {
    const N = this.nModels;
    const d = this.dataset;
    this.window.push(d.predictions.subarray(t * N, t * N + N), d.labels[t]);
    const correct = d.correct;
    if (this.windowCount === this.capacity) {
      const old = this.windowRing[this.windowOldest];
      for (let i = 0; i < N; i++) this.windowHits[i] -= correct[old * N + i];
      this.windowRing[this.windowOldest] = t;
      this.windowOldest = (this.windowOldest + 1) % this.capacity;
    } else {
      this.windowRing[(this.windowOldest + this.windowCount) % this.capacity] = t;
      this.windowCount++;
    }
    for (let i = 0; i < N; i++) this.windowHits[i] += correct[t * N + i];
  }
}

/** The layouts the options give, or build from their observation options. */
function layoutsOf(options: EnsembleEnvOptions, nModels: number, dataMaxChoices: number): ObservationLayouts {
  if (!options.observation) {
    if (!options.layouts) throw new RangeError('EnsembleEnv: give the observation layouts (layouts) or the options to build them (observation, fusionRecentRewards)');
    return options.layouts;
  }
  if ('layouts' in options && options.layouts) throw new RangeError('EnsembleEnv: give the observation layouts or the options to build them, not both');
  return {
    decider: new DeciderLayout(nModels, options.observation),
    fusion: new FusionLayout(nModels, options.maxChoices ?? dataMaxChoices, options.fusionRecentRewards),
  };
}
