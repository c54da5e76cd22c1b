import type { MetricName } from '../metrics/conventions';
import type { RlFocalConfig } from './config';

// Named configurations. Each is a partial `RlFocalConfig` for `resolveConfig` / `trainRlFocal` (override any field,
// e.g. `{ ...presets.bbhLeaderboard, seed: 3 }`).

/**
 * The paper's method (MAPPO, spec §2) with nothing of ours that changes what is learned: the window is not capped, no
 * price per call, the Decider starts at p = 1/2 per model, and no validation guard; the code's window (Table 4's best,
 * 100), alpha, learning rates and U, two-layer networks, the spec's gamma / lambda, and sampled teams at test. The
 * remaining fields are the defaults (the paper's values, or the spec's choices where the paper is silent).
 */
export const paper: Partial<RlFocalConfig> = {
  algorithm: 'mappo',
  window: 100,
  alpha: 1,
  deciderHidden: [64, 64],
  criticHidden: [64, 64],
  lrDecider: 1e-3,
  lrFusion: 1e-3,
  lrCritic: 1e-3,
  updatePeriod: 100,
  gamma: 0.9,
  gaeLambda: 0.95,
  testDeciderAction: 'sample',
  adaptWindow: false,
  callPrice: 0,
  freeCalls: 0,
  deciderModelAccuracy: false,
  deciderQueryAccuracy: false,
  deciderInitialTeamSize: 0,
  deciderInitialTeam: 'uniform',
  subtaskInit: 'fresh',
  validationFraction: 0,
};

/**
 * The authors' code as it runs (spec §5, §7): REINFORCE without critic, Decider Linear(N+2 -> 128) ReLU with N
 * 2-way softmax heads on [b, weighted score, m], Fusion MLP(N*C -> 100 -> 100 -> C) sigmoid on exp(prob) * mask,
 * lr 1e-3, Adam eps 1e-5, U = 100, gamma 0.99 / 0.5, window 500, 15 + 15 episodes, cumulative test history.
 */
export const authorsCode: Partial<RlFocalConfig> = {
  algorithm: 'reference-parity',
  window: 500,
  adaptWindow: false,
  testWindow: 0,
  alpha: 1,
  callPrice: 0,
  freeCalls: 0,
  deciderMetrics: ['focal_diversity', 'plurality_accuracy'],
  deciderObservation: 'weighted',
  deciderModelAccuracy: false,
  deciderQueryAccuracy: false,
  deciderMetricWeights: [0.5, 0.5],
  teamSizeScale: 'count',
  fusionRecentRewards: 0,
  deciderHidden: [128],
  deciderActivation: 'relu',
  deciderHead: 'branching',
  deciderHeadOutputs: 2,
  deciderInitialTeamSize: 0,
  deciderInitialTeam: 'uniform',
  fusionArchitecture: 'flat',
  fusionHidden: [100, 100],
  fusionActivation: 'sigmoid',
  fusionFeatures: ['exp-prob'],
  fusionTeamInput: false,
  fusionBiasInit: 0.01,
  lrDecider: 1e-3,
  lrFusion: 1e-3,
  adamEps: 1e-5,
  updatePeriod: 100,
  gammaDecider: 0.99,
  gammaFusion: 0.5,
  parityLoopQuirks: true,
  deciderEpisodes: 15,
  fusionEpisodes: 15,
  patience: 150,
  restoreBest: true,
  onlineUpdates: true,
  testDeciderAction: 'sample',
  subtaskInit: 'fresh',
  validationFraction: 0,
};

/**
 * The authors' per-dataset Decider metrics, weights (for `deciderObservation: 'weighted'`) and alpha, from their
 * README (spec §5). Spread into a configuration: `{ ...presets.authorsCode, ...presets.authorsDatasetSettings.gsm8k }`.
 */
export const authorsDatasetSettings: Readonly<
  Record<'gsm8k' | 'mmlu' | 'bbh' | 'gpqa' | 'musr', { deciderMetrics: MetricName[]; deciderMetricWeights: number[]; alpha: number }>
> = {
  gsm8k: { deciderMetrics: ['focal_diversity', 'fleiss_kappa', 'plurality_accuracy'], deciderMetricWeights: [0.3, 0.3, 0.3], alpha: 1 },
  // The README passes focal 0.5 and Fleiss 0.5; the code's default plurality weight 0.5 stays in force.
  mmlu: { deciderMetrics: ['focal_diversity', 'fleiss_kappa', 'plurality_accuracy'], deciderMetricWeights: [0.5, 0.5, 0.5], alpha: 1 },
  bbh: { deciderMetrics: ['focal_diversity', 'plurality_accuracy'], deciderMetricWeights: [0.5, 0.5], alpha: 0.6 },
  gpqa: { deciderMetrics: ['focal_diversity', 'fleiss_kappa', 'plurality_accuracy'], deciderMetricWeights: [0.3, 0.3, 0.3], alpha: 0.6 },
  musr: { deciderMetrics: ['focal_diversity', 'plurality_accuracy'], deciderMetricWeights: [0.5, 0.5], alpha: 0.6 },
};

/** The authors' code with their BBH settings (README: alpha 0.6, focal 0.5 + plurality 0.5; window 10 because a
 * BBH subtask has at most 200 training questions and the code requires w < the split). */
export const authorsCodeBbh: Partial<RlFocalConfig> = { ...authorsCode, ...authorsDatasetSettings.bbh, window: 10 };

/**
 * RL-Focal (MAPPO) as measured on `shared/data/bbh-leaderboard` with one agent set per subtask (see docs/rl.md for
 * the numbers and the search behind each choice): window 10, a linear per-choice Fusion scorer over probability,
 * log-probability and vote features (a learned weighted vote), short-horizon advantages (gamma = lambda = 0.5),
 * faster learning rates than the code's 1e-3, U = 50, and the Decider's most probable team at test time.
 */
export const bbhLeaderboard: Partial<RlFocalConfig> = {
  algorithm: 'mappo',
  window: 10,
  adaptWindow: false,
  alpha: 0,
  callPrice: 0,
  freeCalls: 0,
  deciderInitialTeamSize: 0,
  deciderInitialTeam: 'uniform',
  subtaskInit: 'fresh',
  validationFraction: 0,
  deciderMetrics: ['focal_diversity', 'plurality_accuracy'],
  deciderObservation: 'separate',
  deciderModelAccuracy: false,
  deciderQueryAccuracy: false,
  deciderHidden: [32],
  criticHidden: [32],
  fusionArchitecture: 'per-choice',
  fusionHidden: [],
  fusionFeatures: ['prob', 'logprob', 'vote'],
  lrDecider: 0.01,
  lrFusion: 0.03,
  lrCritic: 1e-3,
  updatePeriod: 50,
  gamma: 0.5,
  gaeLambda: 0.5,
  deciderEpisodes: 15,
  fusionEpisodes: 15,
  testDeciderAction: 'mode',
};
