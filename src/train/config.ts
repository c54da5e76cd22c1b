import { checkActivation, type Activation } from '../agents/mlp';
import { FUSION_ARCHITECTURES, FUSION_FEATURES, type FusionArchitecture, type FusionFeature } from '../agents/fusion';
import type { DeciderHead } from '../agents/decider';
import { checkMetricName, type MetricName } from '../metrics/conventions';
import type { DeciderMetricMode, TeamSizeScale } from '../env/observations';

/**
 * Every knob of RL-Focal in one object. Defaults follow spec §5 (the authors' code where the paper's values were
 * stripped) except where marked "ours"; `presets.ts` holds the configurations measured on real data.
 */
export interface RlFocalConfig {
  // --- run -------------------------------------------------------------------------------------------------------
  /** One seed fixes everything: weight init, action sampling, minibatch order. */
  seed: number;
  /**
   * 'mappo': the paper's method (§2.5): centralized critic, GAE, clipped surrogate Eq. 7, minibatch epochs.
   * 'reference-parity': the authors' code (§7.1-7.9): REINFORCE with per-batch normalised returns, no critic.
   */
  algorithm: 'mappo' | 'reference-parity';

  // --- environment (spec §2.3, §2.4, Eq. 6) ------------------------------------------------------------------------
  /** History window w for the team metrics, in queries (code default 500; Table 4's best is 100; must be < the
   * train split). */
  window: number;
  /**
   * When the train split is too short for `window` (fewer than w + 2 queries, e.g. a small subtask trained on its
   * own), train with w' = max(1, floor(train / 5)) instead of refusing; the run's `config.window` records w'. The
   * fifth keeps four fifths of the split as training steps. Off in the paper and authors'-code presets, which keep
   * their errors.
   */
  adaptWindow: boolean;
  /** Window of the test stream: 'same' = `window`, filled with the last w train queries before the first test
   * query; 0 = cumulative history since the start of the test stream (the authors' test environment). */
  testWindow: 'same' | 0;
  /** Size-penalisation constant alpha of Eq. 6 (code default 1; README: 0.6 for BBH/GPQA/MUSR). */
  alpha: number;
  /**
   * Price lambda of one LLM call beyond `freeCalls`, subtracted from every reward (ours; the paper's alpha only
   * charges wrong answers; the paper: 0). With rewards +1 / -1 an extra call pays for itself when it raises the
   * chance of a right answer by lambda / 2: the default 0.05 asks 2.5 points of accuracy per call past the budget.
   */
  callPrice: number;
  /**
   * Calls per query that `callPrice` does not charge (ours): a number, or 'budget' for max(3, floor(N / 4)) on a pool
   * of N models — the call budget this project holds RL-Focal to (small teams: at most a quarter of the pool, never
   * fewer than 3 calls). 0 charges every call. When calls have a price, the Decider's starting team
   * (`deciderInitialTeam` 'best-on-train' or 'best-vote-team') and the validation guard's voting teams are held to
   * the same budget (at least one call), so that sweeping `freeCalls` traces an accuracy/calls curve; without a price
   * they keep max(3, floor(N / 4)). (Before, a start of k models ignored `freeCalls`: freeCalls 1 with k = 3 started
   * at 3 models and now starts at 1.)
   */
  freeCalls: number | 'budget';
  /** Team metrics in the Decider observation (authors' BBH weights name focal diversity and plurality accuracy). */
  deciderMetrics: MetricName[];
  /** 'separate' = one observation entry per metric (paper); 'weighted' = one weighted score (authors' code). */
  deciderObservation: DeciderMetricMode;
  /**
   * Every model's accuracy on the window as N more Decider inputs (ours; the paper's o1 has team metrics only). See
   * `DeciderLayout`.
   */
  deciderModelAccuracy: boolean;
  /**
   * Append each model's accuracy on the `queryNeighbours` train questions whose text is nearest the query's to o1
   * (ours, default off): the Decider then sees the query, not only the recent stream (`queryModelAccuracy`; TF-IDF
   * over question and choice texts, leave-one-out on train, only train labels). Needs question text; without it
   * every query gets the models' train accuracies.
   */
  deciderQueryAccuracy: boolean;
  /**
   * How many nearest train questions the query entries (`deciderQueryAccuracy`, the Fusion's 'query-vote') and the
   * text routing test read (ours): a count in [1, 100], or 'auto' (default) for the count whose leave-one-out router
   * is right most often on the train queries the agents fit on (`chooseQueryNeighbours`; candidates 1, 3, 5, 10, 20,
   * 50, 100, as the kNN router baseline's). 'auto' is chosen only when something reads the text; the run's config
   * then holds the count. Where train repeats a question word for word, the left-out query still finds its twin, so
   * the pick favours small k; that is right where the test split repeats train questions as train does, and the
   * text routing test (`textRoutingTest`) judges the pick on held-out validation queries either way. With
   * `subtaskInit: 'pooled'` the pooled prior reads 20 neighbours while each subtask picks its own. Before: fixed at 20; on emotion-11's development split the fit part chooses 1, and the text
   * routing rises from 0.6809 to 0.7251 (5 seeds; docs/rl.md §5g).
   */
  queryNeighbours: number | 'auto';
  /** Weights of `deciderMetrics` for 'weighted' (one per metric); ignored for 'separate'. */
  deciderMetricWeights: number[];
  /** Team size entry: m / N ('fraction', ours: same scale as the other entries) or m ('count', authors). */
  teamSizeScale: TeamSizeScale;
  /** Past rewards in the Fusion observation (spec §2.4's r_{1:t-1}, most recent first); 0 = none (authors' code). */
  fusionRecentRewards: number;

  // --- Decider network (Eq. 5) -------------------------------------------------------------------------------------
  /** Trunk hidden widths (paper: 2-layer MLP; code: [128]). */
  deciderHidden: number[];
  /** Trunk activation (paper: sigmoid; code: relu). */
  deciderActivation: Activation;
  /** 'branching' = one Bernoulli head per model (Eq. 5); 'joint' = one softmax over all 2^N teams (ablation). */
  deciderHead: DeciderHead;
  /** Outputs per branching head: 1 (Bernoulli logit) or 2 (the code's 2-way softmax). */
  deciderHeadOutputs: 1 | 2;
  /**
   * Expected team size k before training (ours; default 3): the Decider starts from a team of about k (see
   * `deciderInitialTeam`) instead of p = 1/2 per model, so that a 43-model pool does not start from teams of about
   * 21. 0 = the paper's start.
   */
  deciderInitialTeamSize: number;
  /**
   * Which team `deciderInitialTeamSize` starts from (ours). 'uniform': every model at p = min(1/2, k / N).
   * 'best-on-train': the k models most accurate on the queries the agents train on at p = 0.8, the others at
   * min(1/2, 1 / N) — the Decider starts at the "top-k" team and explores away from it. 'best-vote-team': the
   * team whose soft vote is most accurate on those queries among teams of 1 to max(3, floor(N / 4)) models (the
   * call budget; `deciderInitialTeamSize` only switches the start on), members at p = 0.8 — the Decider starts at
   * the best static team a user could pick and explores away from it. When calls have a price, both starting teams
   * are held to the calls `freeCalls` leaves free (k is then min(k, freeCalls)); 'uniform' is not.
   */
  deciderInitialTeam: 'uniform' | 'best-on-train' | 'best-vote-team';
  /**
   * A supervised start for the Decider (ours; default 'none'). 'correctness': before reinforcement learning, each
   * head i is fitted by logistic regression on the Decider's observations of its train queries (teams drawn from the
   * starting policy, as `fusionInit: 'supervised'` does) to "model i answers this query right", the counterfactual
   * that offline replay records for every model, not only for the team that was called; then one shift of all head
   * biases makes the mode team about one model per query on those observations (never empty). The Decider starts
   * as a router: it calls the models its observation says are likely right on this query. Useful only with
   * observation entries about the query (`deciderQueryAccuracy`); sound in offline replay only (`fitDeciderOnTrain`).
   */
  deciderFit: 'none' | 'correctness';
  /**
   * Route by the question text (ours; default 'auto'). 'on': the Decider reads the text neighbours' accuracies
   * (`deciderQueryAccuracy`), starts fitted to every model's recorded correctness (`deciderFit: 'correctness'`) and is
   * left as fitted (no Decider episodes, no online updates); the Fusion agent learns by RL as usual. 'auto': 'on' only
   * where the validation split (`validationFraction`) shows the text worth it: the nearest-neighbour router (each
   * validation query to the model most often right on its `queryNeighbours` nearest fit questions) beats the best single model
   * there by a one-sided sign test, p < 0.01; otherwise, and without a validation split, 'off'. Chosen on development
   * splits (docs/rl.md §5f): on emotion-11, the one pool whose text carries a signal, +1.6 points at 1.8 calls instead
   * of 3; on the other four pools no stream passes the test, so they keep the defaults byte for byte.
   */
  textRouting: 'auto' | 'off' | 'on';

  // --- Fusion network (§2.4) ---------------------------------------------------------------------------------------
  /** 'per-choice' (ours: shared scorer per choice; default, measured: BBH validation 0.53 vs 0.43 for 'flat') or
   * 'flat' (paper/code: MLP over the whole N x C input). */
  fusionArchitecture: FusionArchitecture;
  /** Hidden widths (code: [100, 100]); [] (default) makes the per-choice scorer a learned weighted vote. */
  fusionHidden: number[];
  /** Hidden activation (paper and code: sigmoid). */
  fusionActivation: Activation;
  /** Input features per (model, choice) (see `src/agents/fusion.ts`; code: ['exp-prob']). */
  fusionFeatures: FusionFeature[];
  /** Feed the 0/1 team vector to the Fusion network (code: no). */
  fusionTeamInput: boolean;
  /** Initial bias of the Fusion network (code: 0.01). */
  fusionBiasInit: number;
  /**
   * How the Fusion network starts (ours). 'random': Glorot weights (paper, code). 'vote': the selected team's
   * vote — weight 1 on each model's 'prob' and 'vote' features, 0 elsewhere — so that before any update the Fusion
   * agent answers with the choice of most votes plus summed probability (a hard and a soft vote added) and learning
   * starts from a strong simple method; needs the linear per-choice scorer (fusionArchitecture 'per-choice',
   * fusionHidden []). 'supervised': Glorot weights, then fitted by cross-entropy to the recorded labels of the
   * agents' train queries, each seen with teams drawn from the Decider's starting policy (`fitFusionOnTrain`; sound
   * in offline replay only, where every train label is known), before reinforcement learning starts; with
   * `subtaskInit: 'pooled'` the fit is made once, on the pooled prior's stream, and every subtask starts from it.
   */
  fusionInit: 'random' | 'vote' | 'supervised';

  // --- critic (MAPPO only) -----------------------------------------------------------------------------------------
  criticHidden: number[];
  criticActivation: Activation;

  // --- optimisation ------------------------------------------------------------------------------------------------
  /** Adam learning rates (code: 1e-3 for both agents). */
  lrDecider: number;
  lrFusion: number;
  lrCritic: number;
  /** Adam epsilon (code: 1e-5). */
  adamEps: number;
  /** U: queries between updates (code `--update_freq` 100); also the rollout length of MAPPO. */
  updatePeriod: number;

  // --- MAPPO (§2.5) ------------------------------------------------------------------------------------------------
  /** Discount gamma shared by both agents (one critic). Table 5: 0.9 best for the Fusion agent, 0.99 diverges. */
  gamma: number;
  /** GAE lambda (not given anywhere; 0.95 as spec §2.5 suggests). */
  gaeLambda: number;
  /** PPO clip epsilon of Eq. 7 (code: 0.2). */
  clipEpsilon: number;
  /** Passes over each rollout. */
  epochs: number;
  /** Minibatches per epoch (minibatch size = ceil(U / minibatches)). */
  minibatches: number;
  /** Decider ratio of Eq. 7: 'joint' = ratio of the product of Bernoulli heads (the paper's pi(a|o)); 'per-head' =
   * one clipped term per head, averaged (the code's aggregation). */
  deciderRatio: 'joint' | 'per-head';
  /** Entropy bonus coefficients. */
  entropyDecider: number;
  entropyFusion: number;
  /** Global gradient-norm clip per network (Infinity = off). */
  maxGradNorm: number;
  /** Normalise advantages per minibatch. */
  normalizeAdvantages: boolean;

  // --- reference parity (§7.1) ------------------------------------------------------------------------------------
  /** Discounts of the code's two REINFORCE agents (Decider 0.99, Fusion 0.5). */
  gammaDecider: number;
  gammaFusion: number;
  /** Reproduce the code's episode loop: serve len - 2w - 2 queries from index w + 2, accuracy over count - 1. */
  parityLoopQuirks: boolean;

  // --- schedule (Algorithms 1 and 2) -------------------------------------------------------------------------------
  /** Warm-start episodes of the Decider's turn (interim plurality answers) and of the Fusion agent's turn. */
  deciderEpisodes: number;
  fusionEpisodes: number;
  /** Stop a turn after this many episodes without a better training accuracy (code: 150). */
  patience: number;
  /** Restore the weights of each turn's best training episode (code: yes). */
  restoreBest: boolean;
  /** Algorithm 2: keep updating both agents every U test queries from the feedback (code: yes). */
  onlineUpdates: boolean;
  /** Decider at test time: 'sample' (paper, code) or 'mode' (each model with p > 0.5). */
  testDeciderAction: 'sample' | 'mode';

  /**
   * `trainPerSubtask` only: where each subtask's agents start. 'fresh' (the authors' protocol): a new initialisation
   * per subtask. 'pooled' (ours): the Fusion agent and the critic start from one agent set first warm-started on the
   * train queries of all subtasks together, so that a subtask of 80 train questions refines what thousands taught
   * (how much to trust each model) instead of learning it from scratch; the Decider starts fresh per subtask.
   */
  subtaskInit: 'fresh' | 'pooled';

  // --- validation guard (ours) -------------------------------------------------------------------------------------
  /**
   * Share of each subtask's train split held out, at its end in stream order, as a validation split (ours, default
   * 0.2; 0 = off, the paper). The agents train on the rest, then serve the validation split exactly as they will
   * serve the test split. The simple candidates (`guardMethods`: the best single model, the best plurality and
   * soft-vote teams within the call budget, and with `guardFusedTeam` that soft-vote team fused by a supervised MLP)
   * are ranked by 5-fold cross-validation over the whole train split
   * (`crossValidatedCorrect`); unless the learned agents beat the candidate ranked first (chosen on the rest of
   * train) on validation by a one-sided paired sign test at `GUARD_P` = 0.05 and keep to the call budget there
   * (`teamBudget`, mean calls per query), the test split is served by that candidate chosen again on the whole
   * train split, and the run says so (`guard`, `details.servedBy`). With `trainPerSubtask` one decision pools the validation answers and folds of
   * all subtasks, and the same methods chosen on the whole pool join the candidates (`poolGuardCandidates`). Nothing
   * of the test split enters the choice.
   */
  validationFraction: number;
  /**
   * Whether the guard's candidates include the best soft-vote team within the call budget fused by a supervised MLP
   * (`guardMethods`; per subtask with `trainPerSubtask`, not pool-wide), seeded by `seed` (ours, default true). Left
   * out on pools whose answer slots are ordered by the pool's own answers (`Provenance.answerSlots`: sampled answers),
   * where the network would read the order. Chosen on 20 development pools cut from the train splits by a rule
   * written down before the run (docs/rl.md §5i): +5.21 accuracy points summed over them, +5.02 without the two
   * gsm8k cells the slot order leaked into, no more of them below issue 12's bar.
   */
  guardFusedTeam: boolean;
  /**
   * Whether the learned agents, when the guard serves them, are trained again on the whole train split (with the
   * text-routing decision and neighbour count the guard validated, the same seed; with `adaptWindow` the window is
   * fitted to the whole split, so on a short split it may be longer than the one validated) before they serve the test split
   * (ours, default true): the guard compares agents trained on the first 80 % of train, and refitting on all the data
   * once the model is chosen is the usual last step of model selection. Nothing changes where a simple candidate
   * serves. Decided on the development pools of docs/rl.md §5h-5i by a rule written down before the run (§5j).
   */
  refitAfterGuard: boolean;
}

export type AlgorithmName = RlFocalConfig['algorithm'];

export const DEFAULT_CONFIG: Readonly<RlFocalConfig> = Object.freeze({
  seed: 0,
  algorithm: 'mappo',
  window: 10,
  adaptWindow: true,
  testWindow: 'same',
  alpha: 0,
  callPrice: 0.05,
  freeCalls: 'budget',
  deciderMetrics: ['focal_diversity', 'plurality_accuracy'],
  deciderObservation: 'separate',
  deciderModelAccuracy: false,
  deciderQueryAccuracy: false,
  queryNeighbours: 'auto',
  deciderMetricWeights: [0.5, 0.5],
  teamSizeScale: 'fraction',
  fusionRecentRewards: 0,
  deciderHidden: [32],
  deciderActivation: 'sigmoid',
  deciderHead: 'branching',
  deciderHeadOutputs: 1,
  deciderInitialTeamSize: 3,
  deciderInitialTeam: 'best-on-train',
  deciderFit: 'none',
  textRouting: 'auto',
  fusionArchitecture: 'per-choice',
  fusionHidden: [],
  fusionActivation: 'sigmoid',
  fusionFeatures: ['prob', 'logprob', 'vote'],
  fusionTeamInput: true,
  fusionBiasInit: 0.01,
  fusionInit: 'random',
  criticHidden: [32],
  criticActivation: 'tanh',
  lrDecider: 0.01,
  lrFusion: 0.03,
  lrCritic: 1e-3,
  adamEps: 1e-5,
  updatePeriod: 50,
  gamma: 0.5,
  gaeLambda: 0.5,
  clipEpsilon: 0.2,
  epochs: 4,
  minibatches: 4,
  deciderRatio: 'joint',
  entropyDecider: 0.01,
  entropyFusion: 0.01,
  maxGradNorm: 0.5,
  normalizeAdvantages: true,
  gammaDecider: 0.99,
  gammaFusion: 0.5,
  parityLoopQuirks: false,
  deciderEpisodes: 15,
  fusionEpisodes: 15,
  patience: 150,
  restoreBest: true,
  onlineUpdates: true,
  testDeciderAction: 'mode',
  subtaskInit: 'fresh',
  validationFraction: 0.2,
  guardFusedTeam: true,
  refitAfterGuard: true,
} as RlFocalConfig);

/** A validated configuration with derived fields. */
export interface ResolvedConfig extends RlFocalConfig {
  /** ceil(updatePeriod / minibatches). */
  minibatchSize: number;
}

/**
 * Defaults + overrides, validated. Every impossible value throws a RangeError naming the field. Fields that depend
 * on the data (window < train size, joint head N <= 12) are checked when training starts.
 */
export function resolveConfig(partial: Partial<RlFocalConfig> | ResolvedConfig = {}): ResolvedConfig {
  // A resolved configuration may be passed back in: its derived fields are recomputed, not read.
  const { minibatchSize: _derived, ...given } = partial as Partial<ResolvedConfig>;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(DEFAULT_CONFIG, key)) throw new RangeError(`RlFocalConfig: unknown field "${key}"`);
  }
  partial = given;
  const c: RlFocalConfig = { ...DEFAULT_CONFIG, ...stripUndefined(partial) };
  c.deciderMetrics = [...c.deciderMetrics];
  c.deciderMetricWeights = [...c.deciderMetricWeights];
  c.deciderHidden = [...c.deciderHidden];
  c.fusionHidden = [...c.fusionHidden];
  c.fusionFeatures = [...c.fusionFeatures];
  c.criticHidden = [...c.criticHidden];

  oneOf(c, 'algorithm', ['mappo', 'reference-parity']);
  // Rng takes the seed modulo 2^32: a wider range would make two seeds the same run.
  integer(c, 'seed', 0, 2 ** 32 - 1);
  integer(c, 'window', 0, Infinity);
  if (c.testWindow !== 'same' && c.testWindow !== 0) throw new RangeError(`RlFocalConfig.testWindow: expected 'same' or 0, got ${String(c.testWindow)}`);
  if (c.window === 0 && c.testWindow === 'same') {
    // window 0 (cumulative) is a valid choice for the test stream but not for warm-start training: the window would
    // grow over the whole episode, unlike the paper's sliding history.
    throw new RangeError('RlFocalConfig.window: must be >= 1 (use testWindow: 0 for a cumulative test history)');
  }
  nonNegative(c, 'alpha');
  nonNegative(c, 'callPrice');
  if (c.freeCalls !== 'budget' && !(Number.isInteger(c.freeCalls) && c.freeCalls >= 0)) {
    throw new RangeError(`RlFocalConfig.freeCalls: expected an integer >= 0 or 'budget', got ${JSON.stringify(c.freeCalls)}`);
  }
  c.deciderMetrics.forEach((m) => checkMetricName(m, 'RlFocalConfig.deciderMetrics'));
  if (new Set(c.deciderMetrics).size !== c.deciderMetrics.length) throw new RangeError('RlFocalConfig.deciderMetrics: a metric is listed twice');
  oneOf(c, 'deciderObservation', ['separate', 'weighted']);
  if (c.deciderObservation === 'weighted') {
    if (c.deciderMetrics.length === 0) throw new RangeError("RlFocalConfig.deciderMetrics: 'weighted' observation needs at least one metric");
    if (c.deciderMetricWeights.length !== c.deciderMetrics.length) {
      throw new RangeError(
        `RlFocalConfig.deciderMetricWeights: ${c.deciderMetricWeights.length} weights for ${c.deciderMetrics.length} metrics (${c.deciderMetrics.join(', ')})`,
      );
    }
    c.deciderMetricWeights.forEach((w, k) => {
      if (!Number.isFinite(w)) throw new RangeError(`RlFocalConfig.deciderMetricWeights[${k}]: must be finite, got ${w}`);
    });
  }
  oneOf(c, 'teamSizeScale', ['fraction', 'count']);
  integer(c, 'fusionRecentRewards', 0, 1000);
  widths(c, 'deciderHidden');
  checkActivation(c.deciderActivation, 'RlFocalConfig.deciderActivation');
  oneOf(c, 'deciderHead', ['branching', 'joint']);
  if (c.deciderHeadOutputs !== 1 && c.deciderHeadOutputs !== 2) throw new RangeError(`RlFocalConfig.deciderHeadOutputs: expected 1 or 2, got ${c.deciderHeadOutputs}`);
  if (c.deciderHead === 'joint' && c.deciderHeadOutputs !== 1) throw new RangeError("RlFocalConfig.deciderHeadOutputs: must be 1 with deciderHead 'joint'");
  oneOf(c, 'fusionArchitecture', FUSION_ARCHITECTURES);
  widths(c, 'fusionHidden', true);
  checkActivation(c.fusionActivation, 'RlFocalConfig.fusionActivation');
  if (c.fusionFeatures.length === 0) throw new RangeError('RlFocalConfig.fusionFeatures: at least one feature is needed');
  c.fusionFeatures.forEach((f) => {
    if (!FUSION_FEATURES.includes(f)) throw new RangeError(`RlFocalConfig.fusionFeatures: unknown feature "${f}" (expected ${FUSION_FEATURES.join(', ')})`);
  });
  finite(c, 'fusionBiasInit');
  oneOf(c, 'fusionInit', ['random', 'vote', 'supervised']);
  if (c.fusionInit === 'vote' && (c.fusionArchitecture !== 'per-choice' || c.fusionHidden.length > 0)) {
    throw new RangeError("RlFocalConfig.fusionInit: 'vote' needs fusionArchitecture 'per-choice' and fusionHidden []");
  }
  widths(c, 'criticHidden', true);
  checkActivation(c.criticActivation, 'RlFocalConfig.criticActivation');
  for (const f of ['lrDecider', 'lrFusion', 'lrCritic', 'adamEps'] as const) positive(c, f);
  integer(c, 'updatePeriod', 2, Infinity);
  for (const f of ['gamma', 'gaeLambda', 'gammaDecider', 'gammaFusion'] as const) inRange(c, f, 0, 1);
  if (!(typeof c.clipEpsilon === 'number' && c.clipEpsilon > 0 && c.clipEpsilon < 1)) throw new RangeError(`RlFocalConfig.clipEpsilon: must be in (0, 1), got ${shown(c.clipEpsilon)}`);
  integer(c, 'epochs', 1, 1000);
  integer(c, 'minibatches', 1, c.updatePeriod);
  oneOf(c, 'deciderRatio', ['joint', 'per-head']);
  nonNegative(c, 'entropyDecider');
  nonNegative(c, 'entropyFusion');
  if (!(typeof c.maxGradNorm === 'number' && c.maxGradNorm > 0)) throw new RangeError(`RlFocalConfig.maxGradNorm: must be > 0 (Infinity = no clipping), got ${shown(c.maxGradNorm)}`);
  integer(c, 'deciderEpisodes', 0, 1e6);
  integer(c, 'fusionEpisodes', 0, 1e6);
  integer(c, 'patience', 1, 1e9);
  oneOf(c, 'testDeciderAction', ['sample', 'mode']);
  oneOf(c, 'subtaskInit', ['fresh', 'pooled']);
  oneOf(c, 'deciderInitialTeam', ['uniform', 'best-on-train', 'best-vote-team']);
  oneOf(c, 'deciderFit', ['none', 'correctness']);
  oneOf(c, 'textRouting', ['auto', 'off', 'on']);
  if (c.queryNeighbours !== 'auto' && !(Number.isInteger(c.queryNeighbours) && c.queryNeighbours >= 1 && c.queryNeighbours <= 100)) {
    throw new RangeError(`RlFocalConfig.queryNeighbours: expected 'auto' or an integer in [1, 100], got ${shown(c.queryNeighbours)}`);
  }
  if (c.deciderFit === 'correctness' && c.deciderHead !== 'branching') throw new RangeError("RlFocalConfig.deciderFit: 'correctness' fits the branching heads (deciderHead 'branching')");
  nonNegative(c, 'deciderInitialTeamSize');
  if (!(typeof c.validationFraction === 'number' && c.validationFraction >= 0 && c.validationFraction < 1)) {
    throw new RangeError(`RlFocalConfig.validationFraction: must be in [0, 1), got ${shown(c.validationFraction)}`);
  }
  for (const f of ['deciderModelAccuracy', 'deciderQueryAccuracy', 'adaptWindow', 'restoreBest', 'onlineUpdates', 'normalizeAdvantages', 'fusionTeamInput', 'parityLoopQuirks', 'guardFusedTeam', 'refitAfterGuard'] as const) {
    if (typeof c[f] !== 'boolean') throw new RangeError(`RlFocalConfig.${f}: expected true or false, got ${String(c[f])}`);
  }
  return { ...c, minibatchSize: Math.ceil(c.updatePeriod / c.minibatches) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

type NumericField = { [K in keyof RlFocalConfig]: RlFocalConfig[K] extends number ? K : never }[keyof RlFocalConfig];

/** A rejected value as the user wrote it: a quoted "0.5" is a string, and the message must not print it as 0.5. */
function shown(v: unknown): string {
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : Array.isArray(v) || (typeof v === 'object' && v !== null) ? JSON.stringify(v) : String(v);
}

function integer(c: RlFocalConfig, field: NumericField, min: number, max: number): void {
  const v = c[field];
  if (!(Number.isInteger(v) && v >= min && v <= max)) {
    throw new RangeError(`RlFocalConfig.${field}: expected an integer in [${min}, ${max}], got ${shown(v)}`);
  }
}

function positive(c: RlFocalConfig, field: NumericField): void {
  if (!(typeof c[field] === 'number' && c[field] > 0 && Number.isFinite(c[field]))) throw new RangeError(`RlFocalConfig.${field}: must be a finite number > 0, got ${shown(c[field])}`);
}

function nonNegative(c: RlFocalConfig, field: NumericField): void {
  if (!(typeof c[field] === 'number' && c[field] >= 0 && Number.isFinite(c[field]))) throw new RangeError(`RlFocalConfig.${field}: must be a finite number >= 0, got ${shown(c[field])}`);
}

function finite(c: RlFocalConfig, field: NumericField): void {
  if (!Number.isFinite(c[field])) throw new RangeError(`RlFocalConfig.${field}: must be finite, got ${shown(c[field])}`);
}

function inRange(c: RlFocalConfig, field: NumericField, lo: number, hi: number): void {
  if (!(typeof c[field] === 'number' && c[field] >= lo && c[field] <= hi)) throw new RangeError(`RlFocalConfig.${field}: must be in [${lo}, ${hi}], got ${shown(c[field])}`);
}

function oneOf<K extends keyof RlFocalConfig>(c: RlFocalConfig, field: K, allowed: readonly unknown[]): void {
  if (!allowed.includes(c[field])) {
    throw new RangeError(`RlFocalConfig.${String(field)}: expected one of ${allowed.map((a) => `'${String(a)}'`).join(', ')}, got ${String(c[field])}`);
  }
}

/**
 * Widest hidden layer accepted: two layers of 4096 already hold 16.8M weights (four float64 copies with gradients
 * and Adam moments: 0.5 GB), far beyond the paper's networks; a typo like 100000000 must not allocate gigabytes.
 */
export const MAX_LAYER_WIDTH = 4096;

function widths(c: RlFocalConfig, field: 'deciderHidden' | 'fusionHidden' | 'criticHidden', allowEmpty = false): void {
  const w = c[field];
  if (!Array.isArray(w) || (!allowEmpty && w.length === 0)) {
    throw new RangeError(`RlFocalConfig.${field}: expected ${allowEmpty ? 'an array' : 'a non-empty array'} of layer widths, got ${JSON.stringify(w)}`);
  }
  w.forEach((n, k) => {
    if (!(Number.isInteger(n) && n >= 1 && n <= MAX_LAYER_WIDTH)) {
      throw new RangeError(`RlFocalConfig.${field}[${k}]: layer width must be an integer in [1, ${MAX_LAYER_WIDTH}], got ${shown(n)}`);
    }
  });
}

/** The calls per query `config.freeCalls` leaves uncharged on a pool of `nModels` models. */
export function freeCallsFor(config: Pick<RlFocalConfig, 'freeCalls'>, nModels: number): number {
  return config.freeCalls === 'budget' ? callBudget(nModels) : config.freeCalls;
}

/** max(3, floor(N / 4)): the calls per query RL-Focal's defaults aim to stay within on a pool of N models. */
export function callBudget(nModels: number): number {
  return Math.max(3, Math.floor(nModels / 4));
}
