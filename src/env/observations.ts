import { checkMetricName, type MetricName } from '../metrics/conventions';

// Layouts of the vectors the environment hands to the agents and the critic. Every observation is one flat
// Float64Array so that rollout buffers store them as rows and networks read them without copying. One layout object
// per observation (`DeciderLayout`, `FusionLayout`) is what both sides use: the env writes by it, the agents are
// sized by it, and `checkLayoutsMatch` refuses agents meeting an env whose layouts differ.

export type DeciderMetricMode = 'separate' | 'weighted';
export type TeamSizeScale = 'fraction' | 'count';

export interface DeciderObservationOptions {
  /** Metrics of the current team over the window (names from `src/metrics/conventions.ts`). */
  metrics: readonly MetricName[];
  mode: DeciderMetricMode;
  /** 'weighted' only: one weight per metric (authors' README weights, e.g. BBH focal 0.5, plurality 0.5). */
  weights?: readonly number[];
  teamSize: TeamSizeScale;
  /** 'weighted' only: score of a team with fewer than 2 members (authors: -99). */
  smallTeamScore?: number;
  /** Append every model's accuracy on the window (N entries; default off, the paper's o1). */
  modelAccuracy?: boolean;
  /** Append every model's accuracy on the train questions nearest the query's text (N entries; default off). */
  queryAccuracy?: boolean;
}

/**
 * Decider observation o1 (spec §2.3: o1 = [b, delta_1..K(b), m]):
 *   [ team b (N, 0/1) | team metrics on the window (K entries, or 1 weighted score) | team size ]
 *   - 'separate' (default): one entry per configured metric, in the window's "higher = more diverse" convention,
 *     each already in [-1, 1] or [0, 1]; NaN (undefined, e.g. any diversity of a team of < 2 members) becomes 0, and
 *     the team vector and size tell the network when that happens.
 *   - 'weighted' (authors' code): one score = sum_k w_k * raw metric_k, -99 when m < 2, NaN -> 0 (spec §7 item 4).
 *   - team size: m / N by default (same scale as the other inputs); the authors feed the raw count m.
 *   - with `modelAccuracy` (ours, off in the paper): N more entries, each model's accuracy on the window (0 while
 *     the window is empty) — the per-model member of the paper's "metrics of recent queries", which tells the
 *     Decider which models are right on the current stretch of the stream (a subject, a topic run).
 *   - with `queryAccuracy` (ours, off by default): N more entries, each model's accuracy on the train questions whose
 *     text is nearest the query's (`queryModelAccuracy`): the only entries about the query itself rather than the
 *     recent stream, what a nearest-neighbour router reads.
 */
export class DeciderLayout {
  readonly nModels: number;
  readonly metrics: readonly MetricName[];
  readonly mode: DeciderMetricMode;
  readonly weights: Float64Array;
  readonly teamSizeScale: TeamSizeScale;
  readonly smallTeamScore: number;
  readonly team = 0;
  readonly metricOffset: number;
  readonly metricEntries: number;
  readonly teamSizeOffset: number;
  /** First of the N window-accuracy entries, -1 without `modelAccuracy`. */
  readonly modelAccuracyOffset: number;
  /** First of the N query-neighbour accuracy entries, -1 without `queryAccuracy`. */
  readonly queryAccuracyOffset: number;
  readonly size: number;

  constructor(nModels: number, options: DeciderObservationOptions) {
    if (options.metrics.length === 0 && options.mode === 'weighted') {
      throw new RangeError("deciderMetrics: the 'weighted' observation needs at least one metric");
    }
    options.metrics.forEach((m) => checkMetricName(m, 'deciderMetrics'));
    this.nModels = nModels;
    this.metrics = [...options.metrics];
    this.mode = options.mode;
    this.teamSizeScale = options.teamSize;
    this.smallTeamScore = options.smallTeamScore ?? -99;
    this.weights = new Float64Array(options.metrics.length);
    if (options.mode === 'weighted') {
      const w = options.weights;
      if (!w || w.length !== options.metrics.length) {
        throw new RangeError(`deciderMetricWeights: expected ${options.metrics.length} weights (one per metric), got ${w ? w.length : 'none'}`);
      }
      this.weights.set(w);
    }
    this.metricOffset = nModels;
    this.metricEntries = options.mode === 'weighted' ? 1 : options.metrics.length;
    this.teamSizeOffset = nModels + this.metricEntries;
    this.modelAccuracyOffset = options.modelAccuracy ? this.teamSizeOffset + 1 : -1;
    const afterWindow = this.teamSizeOffset + 1 + (options.modelAccuracy ? nModels : 0);
    this.queryAccuracyOffset = options.queryAccuracy ? afterWindow : -1;
    this.size = afterWindow + (options.queryAccuracy ? nModels : 0);
  }

  /**
   * Writes o1 for a team (0/1 selection `team`, its `m` members) given its raw window metrics (in `metrics` order)
   * into `out[offset ..]`.
   */
  encode(
    team: ArrayLike<number>,
    m: number,
    metricValues: ArrayLike<number>,
    out: Float64Array,
    offset = 0,
    modelAccuracies?: ArrayLike<number>,
    queryAccuracies?: ArrayLike<number>,
  ): void {
    const N = this.nModels;
    for (let i = 0; i < N; i++) out[offset + i] = team[i] ? 1 : 0;
    const mo = offset + this.metricOffset;
    if (this.mode === 'separate') {
      for (let k = 0; k < this.metrics.length; k++) {
        const v = metricValues[k];
        out[mo + k] = Number.isNaN(v) ? 0 : v;
      }
    } else if (m < 2) {
      out[mo] = this.smallTeamScore;
    } else {
      let score = 0;
      for (let k = 0; k < this.metrics.length; k++) score += this.weights[k] * metricValues[k];
      out[mo] = Number.isNaN(score) ? 0 : score;
    }
    out[offset + this.teamSizeOffset] = this.teamSizeScale === 'fraction' ? m / N : m;
    if (this.modelAccuracyOffset >= 0) {
      if (!modelAccuracies) throw new RangeError('DeciderLayout.encode: this layout needs the models\' window accuracies');
      for (let i = 0; i < N; i++) out[offset + this.modelAccuracyOffset + i] = modelAccuracies[i];
    }
    if (this.queryAccuracyOffset >= 0) {
      if (!queryAccuracies) throw new RangeError('DeciderLayout.encode: this layout needs the models\' accuracies near the query');
      for (let i = 0; i < N; i++) out[offset + this.queryAccuracyOffset + i] = queryAccuracies[i];
    }
  }
}

/**
 * Fusion observation o2 (spec §2.4), padded to the dataset's largest choice count Cmax:
 *   [ probabilities (N x Cmax, model-major; 0 for unselected models and padded choices) | team b (N) |
 *     choice mask (Cmax, 1 = real choice) | member votes (N: predicted choice, -1 if not selected or abstained) |
 *     recent rewards (k, most recent first, 0 before the first) | with the 'query-vote' feature: each model's accuracy on
 *     the train questions nearest the query's text (N, `queryModelAccuracy`) ]
 */
export class FusionLayout {
  readonly nModels: number;
  readonly maxChoices: number;
  readonly recentRewards: number;
  readonly probs = 0;
  readonly team: number;
  readonly choiceMask: number;
  readonly votes: number;
  readonly rewards: number;
  /** First of the N query-neighbour accuracy entries (see `queryModelAccuracy`), -1 without them. */
  readonly queryAccuracy: number;
  readonly size: number;

  constructor(nModels: number, maxChoices: number, recentRewards: number, queryAccuracy = false) {
    if (!(Number.isInteger(recentRewards) && recentRewards >= 0)) {
      throw new RangeError(`fusionRecentRewards: must be an integer >= 0, got ${recentRewards}`);
    }
    this.nModels = nModels;
    this.maxChoices = maxChoices;
    this.recentRewards = recentRewards;
    this.team = nModels * maxChoices;
    this.choiceMask = this.team + nModels;
    this.votes = this.choiceMask + maxChoices;
    this.rewards = this.votes + nModels;
    this.queryAccuracy = queryAccuracy ? this.rewards + recentRewards : -1;
    this.size = this.rewards + recentRewards + (queryAccuracy ? nModels : 0);
  }

  /** The number of real choices of the observation row starting at `offset`. */
  choiceCount(obs: ArrayLike<number>, offset = 0): number {
    let c = 0;
    const o = offset + this.choiceMask;
    while (c < this.maxChoices && obs[o + c] === 1) c++;
    return c;
  }
}

/**
 * Critic states (centralized, App. C), one per decision point of the step (the step is an extensive-form game:
 * the Decider moves, then the Fusion agent sees the result):
 *   - at the Decider's move: s = [o1 | accuracy of every model on the window (N)]. The paper's s_t cannot serve
 *     here: it already contains the Decider's action and its outcome, which would cancel the Decider's advantage;
 *   - at the Fusion agent's move: s = [o1 of the new team on the current window | o2] (the paper's s_t).
 * `deciderStateSize` and `fusionStateSize` are their widths.
 */
export function deciderStateSize(decider: DeciderLayout): number {
  return decider.size + decider.nModels;
}

export function fusionStateSize(decider: DeciderLayout, fusion: FusionLayout): number {
  return decider.size + fusion.size;
}

/** The two observation layouts of a system: what an environment writes and what agents read. */
export interface ObservationLayouts {
  decider: DeciderLayout;
  fusion: FusionLayout;
}

/** Agents (or an environment) reading (writing) observations by these layouts. */
export interface HasLayouts {
  readonly deciderLayout: DeciderLayout;
  readonly fusionLayout: FusionLayout;
}

/** Agents met an environment whose observations differ from those they were built for (see `checkLayoutsMatch`). */
export class LayoutMismatchError extends RangeError {
  /** The configuration field that differs (`deciderMetrics`, `maxChoices`, ...). */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'LayoutMismatchError';
    this.field = field;
  }
}

/**
 * Refuses agents meeting an environment whose observation layouts differ from theirs (a checkpoint evaluated with
 * another metric list, observation mode or Fusion options): the agents would read observations of another width or
 * meaning without noticing. The LayoutMismatchError names the first differing configuration field, its two values
 * and both observation widths.
 */
export function checkLayoutsMatch(agents: HasLayouts, env: HasLayouts): void {
  const a = agents.deciderLayout;
  const e = env.deciderLayout;
  const list = (v: readonly unknown[] | ArrayLike<number>) => `[${Array.from(v as ArrayLike<unknown>).join(', ')}]`;
  const decider: Array<[string, string, string]> = [
    ['nModels', String(a.nModels), String(e.nModels)],
    ['deciderMetrics', list(a.metrics), list(e.metrics)],
    ['deciderObservation', a.mode, e.mode],
    ['deciderMetricWeights', list(a.weights), list(e.weights)],
    ['teamSizeScale', a.teamSizeScale, e.teamSizeScale],
    ['smallTeamScore', String(a.smallTeamScore), String(e.smallTeamScore)],
    ['deciderModelAccuracy', String(a.modelAccuracyOffset >= 0), String(e.modelAccuracyOffset >= 0)],
    ['deciderQueryAccuracy', String(a.queryAccuracyOffset >= 0), String(e.queryAccuracyOffset >= 0)],
  ];
  const af = agents.fusionLayout;
  const ef = env.fusionLayout;
  const fusion: Array<[string, string, string]> = [
    ['nModels', String(af.nModels), String(ef.nModels)],
    ['maxChoices', String(af.maxChoices), String(ef.maxChoices)],
    ['fusionRecentRewards', String(af.recentRewards), String(ef.recentRewards)],
    ['fusionFeatures (query-vote)', String(af.queryAccuracy >= 0), String(ef.queryAccuracy >= 0)],
  ];
  for (const [agent, fields, widths] of [
    ['Decider', decider, [a.size, e.size]],
    ['Fusion', fusion, [af.size, ef.size]],
  ] as const) {
    const diff = fields.find(([, x, y]) => x !== y);
    if (!diff) continue;
    const [field, x, y] = diff;
    throw new LayoutMismatchError(
      field,
      `the agents read a ${agent} observation of ${widths[0]} entries built with ${field} ${x}, the environment writes ${widths[1]} with ${field} ${y}`,
    );
  }
}
