import { checkMetricName, type MetricName } from '../metrics/conventions';

/**
 * Layouts of the vectors the environment hands to the agents and the critic. Every observation is one flat
 * Float64Array so that rollout buffers store them as rows and networks read them without copying.
 *
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
 *
 * Fusion observation o2 (spec §2.4), padded to the dataset's largest choice count Cmax:
 *   [ probabilities (N x Cmax, model-major; 0 for unselected models and padded choices) | team b (N) |
 *     choice mask (Cmax, 1 = real choice) | member votes (N: predicted choice, -1 if not selected or abstained) |
 *     recent rewards (k, most recent first, 0 before the first) ]
 *
 * Critic states (centralized, App. C), one per decision point of the step (the step is an extensive-form game:
 * the Decider moves, then the Fusion agent sees the result):
 *   - at the Fusion agent's move: s = [o1 of the new team on the current window | o2] (the paper's s_t);
 *   - at the Decider's move: s = [o1 | accuracy of every model on the window (N)]. The paper's s_t cannot serve
 *     here: it already contains the Decider's action and its outcome, which would cancel the Decider's advantage.
 */
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
}

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
    this.size = this.teamSizeOffset + 1 + (options.modelAccuracy ? nModels : 0);
  }

  /**
   * Writes o1 for a team (0/1 selection `team`, its `m` members) given its raw window metrics (in `metrics` order)
   * into `out[offset ..]`.
   */
  encode(team: ArrayLike<number>, m: number, metricValues: ArrayLike<number>, out: Float64Array, offset = 0, modelAccuracies?: ArrayLike<number>): void {
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
  }
}

export class FusionLayout {
  readonly nModels: number;
  readonly maxChoices: number;
  readonly recentRewards: number;
  readonly probs = 0;
  readonly team: number;
  readonly choiceMask: number;
  readonly votes: number;
  readonly rewards: number;
  readonly size: number;

  constructor(nModels: number, maxChoices: number, recentRewards: number) {
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
    this.size = this.rewards + recentRewards;
  }

  /** The number of real choices of the observation row starting at `offset`. */
  choiceCount(obs: ArrayLike<number>, offset = 0): number {
    let c = 0;
    const o = offset + this.choiceMask;
    while (c < this.maxChoices && obs[o + c] === 1) c++;
    return c;
  }
}

/** Sizes of the two critic states (see the file comment). */
export function deciderStateSize(decider: DeciderLayout): number {
  return decider.size + decider.nModels;
}

export function fusionStateSize(decider: DeciderLayout, fusion: FusionLayout): number {
  return decider.size + fusion.size;
}
