import { pairedSignTest } from '../eval/paired-sign-test';
import { macroAccuracy, microAccuracy, withIdentity, type MethodResult } from '../eval/result';
import { bestVoteTeam } from '../baselines/best-team';
import { rankModelsByAccuracy, singleModelBaseline } from '../baselines/single';
import { costSummary } from '../data/cost';
import { TEST, type Dataset } from '../data/dataset';
import { PerDataset } from '../data/per-dataset';
import { EnsembleEnv } from '../env/ensemble-env';
import type { ObservationLayouts } from '../env/observations';
import { chooseQueryNeighbours, QUERY_NEIGHBOURS, queryModelAccuracy } from '../env/query-accuracy';
import { ensembleReward } from '../env/reward';
import { Rng } from '../util/rng';
import { createAgents, layoutsFor, restoreNetworks, snapshotWeights, type RlFocalAgents, type WeightSnapshot } from './agents';
import { callBudget, freeCallsFor, resolveConfig, type ResolvedConfig, type RlFocalConfig } from './config';
import type { EpisodeStats, Trainer, UpdateDiagnostics } from './episode';
import { fitDeciderOnTrain } from './decider-fit';
import { fitFusionOnTrain } from './fusion-fit';
import { countCorrect, guardCandidates, guardChoice, poolGuardCandidates, poolGuardChoices, type GuardCandidate, type ValidationGuard } from './guard';
import { MappoTrainer } from './mappo';
import { ReinforceParityTrainer } from './reinforce';
import { runOnline, warmStart, type TrainingTurn } from './schedule';

/** One line of a learning curve. */
export interface EpisodeSummary {
  episode: number;
  steps: number;
  accuracy: number;
  meanReward: number;
  meanTeamSize: number;
  /** Fraction of the episode's queries on which each model was selected. */
  selectionFrequency: number[];
  costPer1000: number;
}

export interface TrainProgress {
  /**
   * 'guard': the validation guard has compared the learned agents with its simple candidates (it searches and
   * cross-validates those on train, which on a large pool takes about as long as training); `accuracy` and
   * `meanTeamSize` are then the learned agents' on the validation split. Sent once per agent set that has a guard,
   * after its test pass.
   */
  turn: TrainingTurn | 'guard';
  /** 0-based episode within the turn (0 for the test pass). */
  episode: number;
  episodes: number;
  accuracy: number;
  meanTeamSize: number;
  /** Set by `trainPerSubtask`. */
  subtask?: string;
  subtaskIndex?: number;
  subtaskCount?: number;
  /**
   * Set on the episodes of `refitAfterGuard`'s second training (`refitLearned`), which come after the episodes a
   * run plans for and only where the guard served the learned agents.
   */
  refit?: true;
}

export interface TrainOptions {
  /** Called after every episode (warm-start turns and the test pass). */
  onProgress?: (progress: TrainProgress) => void;
  /**
   * Weights the agents start from instead of a fresh initialisation (`trainPerSubtask`'s pooled prior), with the
   * choice slots they were built for (at least the dataset's largest choice count).
   */
  initialWeights?: { weights: WeightSnapshot; maxChoices: number };
  /** More methods for the validation guard to compare (`trainPerSubtask`: the pool-wide ones, `poolGuardCandidates`). */
  extraGuardCandidates?: readonly GuardCandidate[];
  /**
   * Leave `refitAfterGuard` to the caller (`trainPerSubtask`, whose one guard decision for all subtasks comes after
   * every subtask has trained).
   */
  deferRefit?: boolean;
}

export interface RlFocalRun {
  /** The agents after the test pass (they keep learning online during it). */
  agents: RlFocalAgents;
  /**
   * The weights the test pass started from: after warm start (and, with a guard, after the validation pass; after the
   * refit's warm start where `refitAfterGuard` retrained the agents the guard served), before any online update on
   * the test split. The test pass uses a fresh trainer, so `evaluateRlFocal` on agents holding
   * these weights reproduces `learned.test` exactly.
   */
  preTestWeights: WeightSnapshot;
  config: ResolvedConfig;
  curves: { decider: EpisodeSummary[]; fusion: EpisodeSummary[] };
  /** Episode whose weights each turn kept. */
  bestEpisode: { decider: number; fusion: number };
  diagnostics: { decider: UpdateDiagnostics[]; fusion: UpdateDiagnostics[]; test: UpdateDiagnostics[] };
  /** The test split as served (Algorithm 2, or the guard's fallback), in the shape every baseline reports. */
  test: MethodResult;
  testEpisode: EpisodeSummary;
  /**
   * The learned agents' own test pass, whichever served (equal to `test` without a guard), and with a guard their
   * pass over the validation queries (served as the test split is: online, updates included). Where the guard served
   * them and `refitAfterGuard` retrained them on the whole train split, `test` is the refit agents' pass and
   * `validation` the pass of the agents the guard compared.
   */
  learned: { test: MethodResult; testEpisode: EpisodeSummary; validation?: MethodResult };
  /** Set when the validation guard ran, with the candidates it compared. */
  guard?: ValidationGuard;
  /** `textRouting: 'auto'`'s test on the validation split and its outcome (see `textRoutingTest`). */
  textRouting?: TextRoutingTest & { neighbours: number; on: boolean };
  guardCandidates?: GuardCandidate[];
  wallSeconds: number;
}

/**
 * Trains RL-Focal on the dataset's train split (Algorithm 1) and serves its test split online (Algorithm 2).
 * One agent set for the whole stream; see `trainPerSubtask` for the authors' BBH protocol. With a validation share
 * the agents train on the first part of train and must beat the simple candidates (`guardMethods`) clearly on the
 * rest (`guardChoice`), within the call budget, before they serve the test split (see
 * `RlFocalConfig.validationFraction`; 0.2 by default, 0 in the paper's presets).
 */
export function trainRlFocal(dataset: Dataset, config: Partial<RlFocalConfig> = {}, options: TrainOptions = {}): RlFocalRun {
  const started = performance.now();
  const trainIdx = dataset.splitIndices('train');
  const testIdx = dataset.splitIndices('test');
  if (trainIdx.length === 0) throw new RangeError('trainRlFocal: the dataset has no train queries (split column)');
  if (testIdx.length === 0) throw new RangeError('trainRlFocal: the dataset has no test queries (split column)');
  const asked = resolveConfig(config);
  const holdOut = validationSplit(dataset, trainIdx, asked);
  const fitData = holdOut ?? dataset;
  const train = fitData.selectQueries(fitData.splitIndices('train'));
  const readsText = (asked.textRouting === 'auto' && holdOut !== null) || asked.textRouting === 'on' || asked.deciderQueryAccuracy || asked.fusionFeatures.includes('query-vote');
  const neighbours = asked.queryNeighbours === 'auto' && readsText ? chooseQueryNeighbours(train).k : asked.queryNeighbours;
  const textTest = asked.textRouting === 'auto' && holdOut ? textRoutingTest(holdOut, neighboursOf(neighbours)) : undefined;
  const resolved = withTextRouting({ ...asked, queryNeighbours: neighbours }, asked.textRouting === 'on' || (textTest !== undefined && textTest.p < TEXT_ROUTING_P));
  const fitSize = train.nQueries;
  const cfg = windowFitted(resolved, fitSize);
  const w = cfg.window;
  const minTrain = cfg.parityLoopQuirks ? 2 * w + 4 : w + 2;
  if (fitSize < minTrain) {
    throw new RangeError(`RlFocalConfig.window: w = ${w} leaves too few of the ${fitSize} train queries to train on (need >= ${minTrain})`);
  }
  const maxChoices = Math.max(dataset.maxChoices, options.initialWeights?.maxChoices ?? 0);
  const agents = createAgents(cfg, dataset.nModels, maxChoices, startingTeam(cfg, train));
  if (options.initialWeights) restoreNetworks(agents, options.initialWeights.weights);
  const trainer = createTrainer(agents, cfg);
  const trainEnv = new EnsembleEnv(train, {
    ...envOptionsFor(cfg, dataset.nModels, maxChoices),
    window: w,
    // The code serves len - 2w - 2 queries from index w + 2 (spec §7 item 9).
    ...(cfg.parityLoopQuirks ? { start: w + 2, end: train.nQueries - w } : { start: w }),
  });
  if (cfg.deciderFit === 'correctness' && options.initialWeights?.weights.decider === undefined) {
    fitDeciderOnTrain(agents, trainEnv, train.correct, cfg.lrDecider, new Rng(cfg.seed).fork('decider-fit'));
  }
  if (cfg.fusionInit === 'supervised' && !options.initialWeights) fitFusionOnTrain(agents, trainEnv, train.labels, cfg.lrFusion, new Rng(cfg.seed).fork('fusion-fit'));
  const report = options.onProgress;
  const turns = warmStart(trainer, trainEnv, agents, cfg, (turn, episode, episodes, stats) =>
    report?.({ turn, episode, episodes, accuracy: stats.accuracy, meanTeamSize: stats.meanTeamSize }),
  );

  // The validation split is served exactly as the test split will be: online, updates included.
  const validation = holdOut ? serveTestSplit(holdOut, agents, cfg, trainer) : null;
  const preTestWeights = snapshotWeights(agents);
  // A fresh trainer (as evaluateRlFocal makes one): the test pass then depends on the weights alone.
  const { test, episode: online } = serveTestSplit(dataset, agents, cfg, createTrainer(agents, cfg, 'test'));
  report?.({ turn: 'test', episode: 0, episodes: 1, accuracy: online.accuracy, meanTeamSize: online.meanTeamSize });
  const learned = { test, testEpisode: summarize(online, 0), ...(validation ? { validation: validation.test } : {}) };
  const run: RlFocalRun = {
    agents,
    preTestWeights,
    config: cfg,
    curves: { decider: turns.decider.episodes.map(summarize), fusion: turns.fusion.episodes.map(summarize) },
    bestEpisode: { decider: turns.decider.bestEpisode, fusion: turns.fusion.bestEpisode },
    diagnostics: {
      decider: turns.decider.episodes.flatMap((e) => e.updates),
      fusion: turns.fusion.episodes.flatMap((e) => e.updates),
      test: [...(validation?.episode.updates ?? []), ...online.updates],
    },
    test,
    testEpisode: learned.testEpisode,
    learned,
    ...(textTest ? { textRouting: { ...textTest, neighbours: neighboursOf(neighbours), on: textTest.p < TEXT_ROUTING_P } } : {}),
    wallSeconds: 0,
  };
  if (holdOut && validation) {
    const budget = teamBudget(cfg, dataset.nModels);
    // Where the answer slots are ordered by the whole pool's answers, a network on a team's rows would read them.
    const fusedTeamSeed = cfg.guardFusedTeam && dataset.provenance.answerSlots !== 'pool-ordered' ? cfg.seed : undefined;
    run.guardCandidates = [...guardCandidates(holdOut, dataset, budget, fusedTeamSeed), ...(options.extraGuardCandidates ?? [])];
    const guard: ValidationGuard = {
      queries: validation.test.correct.length,
      trainQueries: trainIdx.length,
      learnedCorrect: countCorrect(validation.test.correct),
      learnedCalls: validation.test.cost.callsPerModel.reduce((a, b) => a + b, 0),
      budget,
      candidates: run.guardCandidates.map((c) => {
        const { wins, losses } = pairedSignTest(validation.test.correct, c.validation.correct);
        return { method: c.method, correct: countCorrect(c.validation.correct), crossValidated: c.crossValidated, learnedWins: wins, learnedLosses: losses };
      }),
      served: 'learned',
    };
    Object.assign(run, servedBy(run, { ...guard, served: guardChoice(guard) }, cfg, dataset.nModels));
    report?.({ turn: 'guard', episode: 0, episodes: 1, accuracy: validation.test.accuracy, meanTeamSize: validation.episode.meanTeamSize });
  }
  run.wallSeconds = (performance.now() - started) / 1000;
  return run.guard?.served === 'learned' && cfg.refitAfterGuard && !options.deferRefit ? refitLearned(dataset, run, config, options) : run;
}

/**
 * `run`, whose guard served the learned agents, served instead by agents trained again on the whole train split of
 * `dataset` (`RlFocalConfig.refitAfterGuard`): the same configuration and seed, no validation split, the text-routing
 * decision and neighbour count the guard validated. The run keeps the guard's record (marked `refit`), the
 * validation pass it was decided on and the text-routing test; everything else (agents, curves, passes) is the refit's.
 */
export function refitLearned(dataset: Dataset, run: RlFocalRun, config: Partial<RlFocalConfig>, options: TrainOptions = {}): RlFocalRun {
  const textRouting = run.textRouting ? (run.textRouting.on ? 'on' : 'off') : resolveConfig(config).textRouting;
  const { onProgress, initialWeights } = options;
  const refit = trainRlFocal(
    dataset,
    { ...config, validationFraction: 0, textRouting, queryNeighbours: run.config.queryNeighbours },
    { ...(onProgress ? { onProgress: (p: TrainProgress) => onProgress({ ...p, refit: true }) } : {}), ...(initialWeights ? { initialWeights } : {}) },
  );
  const guard: ValidationGuard = { ...run.guard!, refit: true };
  const served: RlFocalRun = {
    ...refit,
    learned: { ...refit.learned, ...(run.learned.validation ? { validation: run.learned.validation } : {}) },
    ...(run.textRouting ? { textRouting: run.textRouting } : {}),
    ...(run.guardCandidates ? { guardCandidates: run.guardCandidates } : {}),
    wallSeconds: run.wallSeconds + refit.wallSeconds,
  };
  return { ...served, ...servedBy(served, guard, refit.config, dataset.nModels) };
}

/**
 * The dataset with its train split re-split into train (first part) and validation (labelled test, last
 * `validationFraction` of each subtask's train queries), its test queries left out; null when the guard is off or
 * the split is too short to spare a validation query and still train.
 */
function validationSplit(dataset: Dataset, trainIdx: Int32Array, config: ResolvedConfig): Dataset | null {
  if (config.validationFraction === 0) return null;
  const split = validationSplits.get(dataset, config.validationFraction, () => dataset.selectQueries(trainIdx).withStreamSplit(1 - config.validationFraction));
  const fit = split.splitIndices('train').length;
  const val = split.splitIndices('test').length;
  const w = windowFitted(config, fit).window;
  return val > 0 && fit >= (config.parityLoopQuirks ? 2 * w + 4 : w + 2) ? split : null;
}

/**
 * `validationSplit`'s re-split per dataset and validation share: one object for every seed, so that the guard's
 * searches on it (`guardCandidates`) run once.
 */
const validationSplits = new PerDataset<number, Dataset>();

/**
 * The queries `idx` of subtask `id` of `dataset`, cut once per dataset and subtask: the seeds of a run then train on
 * the same slice object, and the guard's searches on it (cached per dataset) run once, not once per seed.
 */
function subtaskSlice(dataset: Dataset, id: number, idx: Int32Array): Dataset {
  return subtaskSlices.get(dataset, id, () => dataset.selectQueries(idx));
}

const subtaskSlices = new PerDataset<number, Dataset>();

/** One-sided sign-test level below which `textRouting: 'auto'` routes by the text. */
export const TEXT_ROUTING_P = 0.01;

export interface TextRoutingTest {
  /** Validation queries the text router answers right and the best single model wrong, and the reverse. */
  wins: number;
  losses: number;
  /** One-sided sign-test p-value of "the text router is no better". */
  p: number;
}

/**
 * Does the question text tell which model will be right, on this stream? On `holdOut`'s validation part (its test
 * split), the nearest-neighbour router (`queryModelAccuracy`: each model's accuracy on the `k` fit questions nearest
 * the query's text; ties to the better model on the fit part) against the best single model of the fit part, as a
 * one-sided sign test over the queries where exactly one of them is right. Only train labels are read.
 */
export function textRoutingTest(holdOut: Dataset, k = QUERY_NEIGHBOURS): TextRoutingTest {
  const fit = holdOut.splitIndices('train');
  const validation = holdOut.splitIndices('test');
  const N = holdOut.nModels;
  const ranking = rankModelsByAccuracy(holdOut, fit);
  const position = new Int32Array(N);
  ranking.forEach((model, at) => (position[model] = at));
  const single = ranking[0];
  const neighbours = queryModelAccuracy(holdOut, k);
  const correct = holdOut.correct;
  const routedRight = new Uint8Array(validation.length);
  const singleRight = new Uint8Array(validation.length);
  validation.forEach((t, q) => {
    let routed = 0;
    for (let i = 1; i < N; i++) {
      const a = neighbours[t * N + i];
      const b = neighbours[t * N + routed];
      if (a > b || (a === b && position[i] < position[routed])) routed = i;
    }
    routedRight[q] = correct[t * N + routed];
    singleRight[q] = correct[t * N + single];
  });
  return pairedSignTest(routedRight, singleRight);
}

/** `config` with the text routing of `textRouting: 'on'` applied when `on` (see RlFocalConfig.textRouting). */
function withTextRouting(config: ResolvedConfig, on: boolean): ResolvedConfig {
  if (!on) return config;
  return { ...config, deciderQueryAccuracy: true, deciderFit: 'correctness', deciderEpisodes: 0, onlineUpdates: false };
}

/**
 * The call budget the guard's teams and the Decider's starting team are held to: the calls `freeCalls` leaves
 * uncharged (at least one) when calls have a price, else the default budget max(3, floor(N / 4)).
 */
export function teamBudget(config: ResolvedConfig, nModels: number): number {
  return config.callPrice > 0 ? Math.max(1, freeCallsFor(config, nModels)) : callBudget(nModels);
}

/** `run` serving the test split with the guard's choice (`guard.served`). */
function servedBy(run: RlFocalRun, guard: ValidationGuard, config: ResolvedConfig, nModels: number): Pick<RlFocalRun, 'test' | 'testEpisode' | 'guard'> {
  if (guard.served === 'learned') return { test: { ...run.learned.test, details: { ...run.learned.test.details, guard } }, testEpisode: run.learned.testEpisode, guard };
  const candidate = run.guardCandidates!.find((c) => c.method === guard.served)!;
  const test = { ...withIdentity(candidate.test, { kind: run.learned.test.kind, method: run.learned.test.method }), details: { ...candidate.test.details, servedBy: candidate.method, guard } };
  return { test, testEpisode: resultSummary(candidate.test, config, nModels), guard };
}

/** The team the Decider starts toward (`RlFocalConfig.deciderInitialTeam`), chosen on the queries it trains on. */
function startingTeam(config: ResolvedConfig, train: Dataset): Int32Array | undefined {
  if (config.deciderInitialTeamSize <= 0 || config.deciderInitialTeam === 'uniform') return undefined;
  const budget = Math.min(teamBudget(config, train.nModels), train.nModels);
  if (config.deciderInitialTeam === 'best-on-train') return rankModelsByAccuracy(train, allQueries(train)).slice(0, Math.min(config.deciderInitialTeamSize, budget));
  return bestVoteTeam(train, 'soft', allQueries(train), { minSize: 1, maxSize: budget }).team;
}

function allQueries(dataset: Dataset): Int32Array {
  return Int32Array.from({ length: dataset.nQueries }, (_, t) => t);
}

/** An episode summary of a fixed method's pass (a guard candidate): its calls per query, no learning. */
function resultSummary(result: MethodResult, config: ResolvedConfig, nModels: number): EpisodeSummary {
  const steps = result.correct.length;
  const calls = Math.round(result.cost.callsPerQuery);
  let reward = 0;
  for (const c of result.correct) reward += ensembleReward(c === 1, calls, nModels, false, config.alpha, config.callPrice, freeCallsFor(config, nModels));
  return {
    episode: 0,
    steps,
    accuracy: result.accuracy,
    meanReward: reward / steps,
    meanTeamSize: result.cost.callsPerQuery,
    selectionFrequency: result.cost.callsPerModel.map((c) => c / steps),
    costPer1000: result.cost.costPer1000,
  };
}

/** `config` with the window shrunk to the train split when `adaptWindow` allows it (see RlFocalConfig.adaptWindow). */
function windowFitted(config: ResolvedConfig, trainSize: number): ResolvedConfig {
  const minTrain = config.parityLoopQuirks ? 2 * config.window + 4 : config.window + 2;
  if (!config.adaptWindow || trainSize >= minTrain) return config;
  return { ...config, window: Math.max(1, Math.floor(trainSize / 5)) };
}

/**
 * Environment options a configuration implies: the observation layouts of `layoutsFor` (the one place a configuration
 * becomes layouts) and the reward's terms.
 */
export function envOptionsFor(cfg: ResolvedConfig, nModels: number, maxChoices: number) {
  return {
    layouts: layoutsFor(cfg, nModels, maxChoices),
    alpha: cfg.alpha,
    callPrice: cfg.callPrice,
    freeCalls: freeCallsFor(cfg, nModels),
    queryNeighbours: neighboursOf(cfg.queryNeighbours),
  };
}

/** The neighbour count of the query entries: `queryNeighbours`, 20 while still 'auto' (resolved by `trainRlFocal`). */
function neighboursOf(queryNeighbours: RlFocalConfig['queryNeighbours']): number {
  return queryNeighbours === 'auto' ? QUERY_NEIGHBOURS : queryNeighbours;
}

/**
 * The trainer of the configured algorithm, its randomness forked from `config.seed`: one stream for warm start, one
 * for the test pass (fresh Adam state and action draws, so that a checkpoint of the pre-test weights replays it).
 */
export function createTrainer(agents: RlFocalAgents, config: ResolvedConfig, stage: 'train' | 'test' = 'train'): Trainer {
  const rng = new Rng(config.seed).fork(stage);
  return config.algorithm === 'mappo' ? new MappoTrainer(agents, config, rng) : new ReinforceParityTrainer(agents, config, rng);
}

/**
 * Algorithm 2 on the dataset's test split: the last w train queries only fill the window (or, with testWindow 0,
 * the history starts empty and grows), then every test query is served once, in stream order.
 */
export function serveTestSplit(dataset: Dataset, agents: RlFocalAgents, config: ResolvedConfig, trainer: Trainer): { test: MethodResult; episode: EpisodeStats } {
  const trainIdx = dataset.splitIndices('train');
  const testIdx = dataset.splitIndices('test');
  if (testIdx.length === 0) throw new RangeError('serveTestSplit: the dataset has no test queries (split column)');
  const w = config.window;
  const prefix = config.testWindow === 'same' ? Array.from(trainIdx.subarray(Math.max(0, trainIdx.length - w))) : [];
  const served = [...prefix, ...testIdx];
  const stream = dataset.selectQueries(served);
  const options = envOptionsFor(config, dataset.nModels, Math.max(dataset.maxChoices, agents.fusionLayout.maxChoices));
  // Choice slots for the data's largest choice count: more than the agents were built for is refused by the trainer.
  const env = new EnsembleEnv(stream, {
    ...options,
    window: config.testWindow === 'same' ? w : 0,
    start: prefix.length,
    // The stream's own train part is only the window's prefix: the text neighbours come from the whole train split.
    ...(queryAware(options.layouts) ? { queryAccuracies: rowsOf(queryModelAccuracy(dataset, neighboursOf(config.queryNeighbours)), served, dataset.nModels) } : {}),
  });
  if (env.nModels !== agents.decider.nModels) throw new RangeError(`serveTestSplit: the agents were built for ${agents.decider.nModels} models, the dataset has ${env.nModels}`);
  const episode = runOnline(trainer, env, config);
  const subtasks = Uint16Array.from(testIdx, (t) => dataset.subtaskIds[t]);
  const test: MethodResult = {
    kind: config.algorithm === 'mappo' ? 'rl-focal' : 'authors-code',
    method: config.algorithm === 'mappo' ? 'RL-Focal' : 'RL-Focal (authors-code parity)',
    split: 'test',
    accuracy: microAccuracy(episode.correctness),
    accuracyMacro: macroAccuracy(episode.correctness, subtasks),
    correct: episode.correctness,
    predictions: episode.answers,
    cost: episode.cost,
    details: { selectionFrequency: episode.selectionFrequency, meanTeamSize: episode.meanTeamSize, algorithm: config.algorithm },
  };
  return { test, episode };
}

function queryAware(layouts: ObservationLayouts): boolean {
  return layouts.decider.queryAccuracyOffset >= 0 || layouts.fusion.queryAccuracy >= 0;
}

/** Rows `queries` of a T x N row-major matrix. */
function rowsOf(matrix: Float64Array, queries: readonly number[], n: number): Float64Array {
  const out = new Float64Array(queries.length * n);
  queries.forEach((t, q) => out.set(matrix.subarray(t * n, (t + 1) * n), q * n));
  return out;
}

/** Serves the test split with given (e.g. loaded) agents and a fresh trainer (online updates per `config`). */
export function evaluateRlFocal(agents: RlFocalAgents, dataset: Dataset, config: Partial<RlFocalConfig>): MethodResult {
  const cfg = resolveConfig(config);
  return serveTestSplit(dataset, agents, cfg, createTrainer(agents, cfg, 'test')).test;
}

export interface PerSubtaskRun {
  /** One run per subtask, in order of first appearance in the stream. */
  runs: Array<{ subtask: string; run: RlFocalRun }>;
  /** All test queries in stream order: micro accuracy over them, macro = mean of the subtasks' accuracies. */
  test: MethodResult;
  /** The learned agents' own test passes joined the same way (equal to `test` without a guard). */
  learned: MethodResult;
  /**
   * The validation guard over all subtasks at once: the validation answers of every guarded subtask pooled, the
   * learned agents against each candidate chosen per subtask, and against the best single model of the whole pool
   * (one decision is less noisy than one per small subtask). Every guarded subtask then serves its test split with
   * the pooled choice.
   */
  guard?: ValidationGuard & { subtasks: number };
  /**
   * Subtasks whose train split is too short to train an agent set on (`minimumTrainQueries`), or that have no test
   * queries: the first are served by the best single model of the whole pool (chosen on its train split), the second
   * need no serving. Listed so that nothing is dropped silently; `runs` holds the trained subtasks only.
   */
  untrainedSubtasks: Array<{ subtask: string; trainQueries: number; testQueries: number; servedBy: string | null }>;
  wallSeconds: number;
}

/**
 * The fewest train queries `trainRlFocal` trains on with this configuration: w + 2 (2w + 4 in parity mode) for the
 * window w it would use, which `adaptWindow` shrinks to max(1, floor(train / 5)) on short splits (so 3, or 6 in
 * parity mode). The validation guard is left out on a split too short to spare its share, so it needs no more.
 */
export function minimumTrainQueries(config: ResolvedConfig, trainQueries: number): number {
  const w = windowFitted(config, trainQueries).window;
  return config.parityLoopQuirks ? 2 * w + 4 : w + 2;
}

/**
 * The authors' BBH/MUSR protocol (spec §7 item 11): a separate agent set per subtask, trained on that subtask's
 * train split and tested on its test split; results joined over all test queries. A subtask too short to train on
 * (see `untrainedSubtasks`) is served by the pool's best single model instead of failing the whole run, so that
 * the defaults run on any pool; with `adaptWindow` off a too-long window is still refused, naming the subtask.
 */
export function trainPerSubtask(dataset: Dataset, config: Partial<RlFocalConfig> = {}, options: TrainOptions = {}): PerSubtaskRun {
  const started = performance.now();
  const order: number[] = [];
  for (let t = 0; t < dataset.nQueries; t++) if (!order.includes(dataset.subtaskIds[t])) order.push(dataset.subtaskIds[t]);
  const resolved = resolveConfig(config);
  const report = options.onProgress;
  const prior =
    resolved.subtaskInit === 'pooled' && order.length > 1
      ? pooledPrior(dataset, resolved, report && ((p) => report({ ...p, subtask: 'all subtasks (pooled prior)', subtaskIndex: -1, subtaskCount: order.length })))
      : undefined;
  const poolChoices = resolved.validationFraction > 0 && order.length > 1 ? poolGuardChoices(dataset, resolved.validationFraction, teamBudget(resolved, dataset.nModels)) : null;
  const untrainedSubtasks: PerSubtaskRun['untrainedSubtasks'] = [];
  const fallbacks: Array<{ idx: Int32Array; result: MethodResult }> = [];
  const trainable = order.filter((id) => {
    const idx = dataset.indicesWhere((t) => dataset.subtaskIds[t] === id);
    let trainQueries = 0;
    for (const t of idx) trainQueries += dataset.split[t] === TEST ? 0 : 1;
    const testQueries = idx.length - trainQueries;
    const tooShort = resolved.adaptWindow && trainQueries < minimumTrainQueries(resolved, trainQueries);
    if (testQueries > 0 && !tooShort) return true;
    const subtask = dataset.subtaskNames[id];
    if (testQueries === 0) {
      untrainedSubtasks.push({ subtask, trainQueries, testQueries, servedBy: null });
      return false;
    }
    const poolBest = poolChoices?.methods[0].test[0] ?? rankModelsByAccuracy(dataset, dataset.splitIndices('train'))[0];
    const result = singleModelBaseline(dataset.selectQueries(idx), poolBest);
    untrainedSubtasks.push({ subtask, trainQueries, testQueries, servedBy: `best single of the whole pool (${dataset.models[poolBest].id})` });
    fallbacks.push({ idx, result });
    return false;
  });
  if (trainable.length === 0) {
    const tested = untrainedSubtasks.filter((u) => u.testQueries > 0);
    throw new RangeError(
      tested.length === 0
        ? 'trainPerSubtask: no subtask has test queries (split column)'
        : `trainPerSubtask: no subtask with test queries has enough train queries to train on (need >= ${minimumTrainQueries(resolved, 0)}; the largest has ${Math.max(...tested.map((u) => u.trainQueries))})`,
    );
  }
  const trained = trainable.map((id, k) => {
    const name = dataset.subtaskNames[id];
    const idx = dataset.indicesWhere((t) => dataset.subtaskIds[t] === id);
    const slice = subtaskSlice(dataset, id, idx);
    let run: RlFocalRun;
    try {
      run = trainRlFocal(slice, config, {
        onProgress: report && ((p) => report({ ...p, subtask: name, subtaskIndex: k, subtaskCount: trainable.length })),
        ...(prior ? { initialWeights: prior } : {}),
        ...(poolChoices ? { extraGuardCandidates: poolGuardCandidates(slice, poolChoices) } : {}),
        deferRefit: true,
      });
    } catch (error) {
      // Which subtask failed (a window too long for it, no test queries) is what the user needs to fix it.
      if (error instanceof Error) Object.assign(error, { subtask: name });
      throw error;
    }
    return { subtask: name, idx, slice, run };
  });
  const guarded = trained.filter(({ run }) => run.guard);
  let guard: PerSubtaskRun['guard'];
  if (guarded.length > 0) {
    // Candidates are summed by position: every subtask must have compared the same methods in the same order.
    const methods = guarded[0].run.guard!.candidates.map((c) => c.method).join('|');
    const other = guarded.find(({ run }) => run.guard!.candidates.map((c) => c.method).join('|') !== methods);
    if (other) throw new Error(`internal: subtask "${other.subtask}" compared other guard candidates than "${guarded[0].subtask}"`);
    const sum = (f: (g: ValidationGuard) => number) => guarded.reduce((acc, { run }) => acc + f(run.guard!), 0);
    const pooled = {
      queries: sum((g) => g.queries),
      trainQueries: sum((g) => g.trainQueries),
      learnedCorrect: sum((g) => g.learnedCorrect),
      learnedCalls: sum((g) => g.learnedCalls),
      budget: guarded[0].run.guard!.budget,
      candidates: guarded[0].run.guard!.candidates.map(({ method }, k) => ({
        method,
        correct: sum((g) => g.candidates[k].correct),
        crossValidated: sum((g) => g.candidates[k].crossValidated),
        learnedWins: sum((g) => g.candidates[k].learnedWins),
        learnedLosses: sum((g) => g.candidates[k].learnedLosses),
      })),
    };
    guard = { ...pooled, served: guardChoice(pooled), subtasks: guarded.length };
    const cfg = guarded[0].run.config;
    for (const entry of guarded) entry.run = { ...entry.run, ...servedBy(entry.run, { ...entry.run.guard!, served: guard.served }, cfg, dataset.nModels) };
    if (guard.served === 'learned' && cfg.refitAfterGuard) {
      guard.refit = true;
      guarded.forEach((entry) => {
        const onProgress = report && ((p: TrainProgress) => report({ ...p, subtask: entry.subtask, subtaskIndex: trained.indexOf(entry), subtaskCount: trainable.length }));
        entry.run = refitLearned(entry.slice, entry.run, config, { ...(onProgress ? { onProgress } : {}), ...(prior ? { initialWeights: prior } : {}) });
      });
    }
  }

  const runs = trained.map(({ subtask, run }) => ({ subtask, run }));
  const served = joinSubtaskPasses(dataset, trained, fallbacks, (run) => run.test);
  const test: MethodResult = {
    ...served,
    details: {
      perSubtask: runs.map(({ subtask, run }) => ({ subtask, accuracy: run.test.accuracy, meanTeamSize: run.testEpisode.meanTeamSize })),
      ...(guard ? { guard } : {}),
      ...(untrainedSubtasks.length > 0 ? { untrainedSubtasks } : {}),
    },
  };
  const learned = guard ? joinSubtaskPasses(dataset, trained, fallbacks, (run) => run.learned.test) : test;
  return { runs, test, learned, ...(guard ? { guard } : {}), untrainedSubtasks, wallSeconds: (performance.now() - started) / 1000 };
}

/**
 * One pass per trained subtask (`pass(run)`: as served, or the learned agents' own), and the fixed passes of the
 * subtasks too short to train, joined over all test queries in stream order.
 */
function joinSubtaskPasses(
  dataset: Dataset,
  trained: ReadonlyArray<{ idx: Int32Array | number[]; run: RlFocalRun }>,
  fallbacks: ReadonlyArray<{ idx: Int32Array; result: MethodResult }>,
  pass: (run: RlFocalRun) => MethodResult,
): MethodResult {
  const testIdx = dataset.splitIndices('test');
  const position = new Map<number, number>();
  testIdx.forEach((t, q) => position.set(t, q));
  const predictions = new Int32Array(testIdx.length).fill(-1);
  const correct = new Uint8Array(testIdx.length);
  const served = new Uint8Array(testIdx.length);
  const calls = new Float64Array(dataset.nModels);
  for (const { idx, result } of [...trained.map(({ idx, run }) => ({ idx, result: pass(run) })), ...fallbacks]) {
    const sliceTest = Int32Array.from(idx).filter((t) => dataset.split[t] === TEST);
    sliceTest.forEach((t, q) => {
      const at = position.get(t)!;
      predictions[at] = result.predictions[q];
      correct[at] = result.correct[q];
      served[at] = 1;
    });
    result.cost.callsPerModel.forEach((c, i) => (calls[i] += c));
  }
  const missing = served.length - served.reduce((s, v) => s + v, 0);
  if (missing > 0) throw new Error(`trainPerSubtask: ${missing} test queries were not served`);
  const subtasks = Uint16Array.from(testIdx, (t) => dataset.subtaskIds[t]);
  return {
    kind: pass(trained[0].run).kind,
    method: pass(trained[0].run).method,
    split: 'test',
    accuracy: microAccuracy(correct),
    accuracyMacro: macroAccuracy(correct, subtasks),
    correct,
    predictions,
    cost: costSummary(dataset.models, calls, testIdx.length),
  };
}

/**
 * Weights of one agent set warm-started (Algorithm 1) on the train queries of every subtask at once, in stream order
 * (see `RlFocalConfig.subtaskInit`): the Fusion agent and the critic, which a subtask refines; not the Decider, whose
 * team is the subtask's own (it starts per `deciderInitialTeam` on the subtask's train queries). With a validation
 * share only on the part of each subtask's train split that the subtask's own run trains on, so that its validation
 * queries stay unseen.
 */
function pooledPrior(dataset: Dataset, config: ResolvedConfig, onProgress?: (progress: TrainProgress) => void): { weights: WeightSnapshot; maxChoices: number } {
  let stream = dataset.selectQueries(dataset.splitIndices('train'));
  if (config.validationFraction > 0) {
    const split = stream.withStreamSplit(1 - config.validationFraction);
    stream = split.selectQueries(split.splitIndices('train'));
  }
  const cfg = windowFitted(config, stream.nQueries);
  if (stream.nQueries < cfg.window + 2) throw new RangeError(`RlFocalConfig.window: w = ${cfg.window} leaves too few of the ${stream.nQueries} pooled train queries to train on`);
  const agents = createAgents(cfg, dataset.nModels, dataset.maxChoices, startingTeam(cfg, stream));
  const env = new EnsembleEnv(stream, { ...envOptionsFor(cfg, dataset.nModels, dataset.maxChoices), window: cfg.window, start: cfg.window });
  if (cfg.fusionInit === 'supervised') fitFusionOnTrain(agents, env, stream.labels, cfg.lrFusion, new Rng(cfg.seed).fork('fusion-fit'));
  warmStart(createTrainer(agents, cfg), env, agents, cfg, (turn, episode, episodes, stats) =>
    onProgress?.({ turn, episode, episodes, accuracy: stats.accuracy, meanTeamSize: stats.meanTeamSize }),
  );
  const { decider: _subtaskSpecific, ...shared } = snapshotWeights(agents);
  return { weights: shared, maxChoices: dataset.maxChoices };
}


function summarize(stats: EpisodeStats, episode: number): EpisodeSummary {
  return {
    episode,
    steps: stats.steps,
    accuracy: stats.accuracy,
    meanReward: stats.meanReward,
    meanTeamSize: stats.meanTeamSize,
    selectionFrequency: stats.selectionFrequency,
    costPer1000: stats.cost.costPer1000,
  };
}
