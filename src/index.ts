/**
 * The public API, one explicit list per room (arquero-style): a name is public because it is written here, and the
 * room it comes from says what it is. The experiments (one function per table or figure of the paper, their
 * parameters, findings and paper constants) are one namespace, `experiments`, so they do not crowd the library's names.
 */

// util/: seeded random numbers and progress reporting
export {
  formatDuration, formatRate, hashString, Progress, Rng, type ProgressOptions, type ProgressStream,
} from './util/index';

// stats/: correlation, least-squares fits, mean and standard error over seeds, quantiles
export {
  averageRanks, fitPowerLaw, meanOfDefined, partialSpearman, pearson, quantileSorted, spearman, standardError,
  summarizeSeeds, upperMedian,
  type CorrelationOptions, type CorrelationResult, type PowerLawFit, type SeedSummary,
} from './stats/index';

// data/: the Dataset, its readers and writers, cost accounting
export {
  bbhLeaderboardAvailable, CostMeter, costSummary, DataFormatError, Dataset, datasetFromTable, datasetToArrow,
  datasetToCsv, datasetToTable, DEFAULT_BBH_LEADERBOARD_DIR, findLmEvalSampleFiles, isSharedPoolName,
  lmEvalTaskFromFileName, loadBbhLeaderboard, loadSharedPool, MODELS_FILE, modelsFileJson, normaliseNumericAnswer,
  normaliseTextAnswer, OUTPUTS_FILE, readDatasetArrow, readDatasetCsv, readLmEvalOutputDir, readLmEvalSamples,
  readModelsFile, readRecordedOutputs, readSampledAnswers, sampledAnswersToDataset, SCORE_KINDS, scoresToProbs,
  SHARED_DATA_DIR, SHARED_POOL_NAMES, sharedPoolAvailable, TABLE_COLUMNS, TEST, TfidfIndex, tokenize, TRAIN, writeDatasetArrow,
  writeDatasetCsv, writeRecordedOutputs, type AnswerKind, type BbhLabels, type BbhOptions, type CostSummary,
  type DatasetColumns, type LmEvalOutputDirOptions, type LmEvalSampleFile, type ModelInfo, type ModelsFile,
  type Provenance, type ReadLmEvalOptions, type ReadRecordedOptions, type SampledAnswerRecord,
  type SampledAnswersOptions, type SampledAnswersReport, type ScoreKind, type SharedPoolName, type SharedPoolOptions,
  type SplitName, type TableReadOptions, type Neighbour, type SparseVector, type TextIndexOptions,
} from './data/index';

// sim/: the generative simulator of recorded outputs, its calibration, synthetic prediction tables, the aligned stream
export {
  ALIGNED_TASKS, alignedScores, BENCHMARK_NAMES, calibrateToDataset, CALIBRATION_DIR, confidenceStatistics, coupledRandomPool,
  DEFAULT_ABSTENTION_RATE, DEFAULT_FAMILY_LOADING, DEFAULT_SAMPLED_DISTRACTOR_SHARING, disjointFailurePool,
  duplicatedTable, fusionProbes, loadCalibrationTables, loadPoolCalibration, LOG_FLOOR, permutedTable, poolStatistics,
  resolveBenchmarkPool, runnerUpStatistics, simulatePool, simulatePoolWithReport, spreadAccuracy, subtaskEase,
  validatePoolCalibration, type AnswerMode, type BenchmarkName, type CalibrateOptions, type CalibrationDiagnostics,
  type CalibrationTableBenchmark, type CalibrationTableModel, type CalibrationTables, type ChoiceBucketRunnerUp,
  type ConfidenceStatistics, type CoupledPoolShape, type FusionProbes, type ModelCalibration, type ModelRow,
  type PoolCalibration, type PoolStatistics, type RunnerUpStatistics, type SimulatePoolOptions, type SimulationReport,
  type SubtaskCalibration, choiceShares, simulateAlignedStream, type AlignedScores, type AlignedStream,
  type AlignedTask, type ScoreRates,
} from './sim/index';

// sources/: one string names a dataset (a folder, a shared pool, or sim:<benchmark>)
export {
  loadDataset, parseDataSpec, type DataSpec, type LoadDatasetOptions,
} from './sources/index';

// metrics/: voting, co-failure counts, diversity, the sliding window, team scans, the Lipschitz bound, error statistics
export {
  errorCorrelationMatrix, modelAccuraciesOf, teamErrorStats, type CorrectnessTable, type TeamErrorStats,
  argmaxClass, averageLinearClassifiers, bestScannedTeam, binom2, binom3, checkConvention, checkMetricName, checkQuery,
  countsOf, dualNorm, EnsembleCounts, ensembleRobustnessBound, focalDiversityByDefinition, gradientDiversity,
  linearClassifier, linearLogits, lipschitzConstant, logitDifferenceGradient, majorityVote, MAX_SCAN_MODELS,
  METRIC_KIND, METRIC_NAMES, orient, perturbedCopy, pluralityVote, popcount32, predictionTable, predictLinear,
  randomLinearClassifier, randomUnitDirection, robustnessBound, SCAN_ACCURACY_COLUMNS, SCAN_DIVERSITY_COLUMNS,
  scanTeamMembers, scanTeams, selectedQueries, SlidingWindow, softVote, sortTeam, stepAlong, TeamDiversity,
  teamMetricsFromPredictions, teamMetricsOf, topModelsByAccuracy, topTeamsByFocalDiversity, tripleIndex, vectorNorm,
  voteAccuracies, wordsFor, worstCaseDirection, type Convention, type FocalSelectionOptions, type LinearClassifier,
  type MetricKind, type MetricName, type PNorm, type PredictionTable, type QuerySelection, type RobustnessBound,
  type ScanAccuracyColumn, type ScanOptions, type SlidingWindowOptions, type TeamMetricsReport, type TeamScan,
  type VoteAccuracies, type VoteRule,
} from './metrics/index';

// env/: the two-agent ensemble environment
export {
  checkLayoutsMatch, DeciderLayout, deciderStateSize, EnsembleEnv, ensembleReward, FusionLayout, fusionStateSize,
  LayoutMismatchError, type AgentName, type DeciderMetricMode, type DeciderObservationOptions, type EnsembleEnvOptions,
  type FusionTurn, type ObservationLayouts, type StepOutcome, type TeamSizeScale, chooseQueryNeighbours, QUERY_NEIGHBOUR_CANDIDATES,
  QUERY_NEIGHBOURS, queryModelAccuracy,
} from './env/index';

// agents/: typed-array networks, Adam, the Decider, the Fusion and the Critic
export {
  ACTIVATIONS, Adam, checkActivation, clipGradNorm, Critic, Decider, distributions, Fusion, FUSION_ARCHITECTURES,
  FUSION_FEATURES, MAX_JOINT_MODELS, Mlp, teamIndex, type Activation, type AdamOptions, type CriticNode,
  type CriticOptions, type DeciderHead, type DeciderOptions, type FusionArchitecture, type FusionFeature,
  type FusionOptions, type MlpOptions,
} from './agents/index';

// train/: configuration, presets, the trainers, checkpoints, the aligned-selection learner
export {
  AlignedDecider, agentsFromCheckpoint, agentsToCheckpoint, callBudget, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, computeGae,
  createAgents, createTrainer, DEFAULT_CONFIG, DIAGNOSTIC_NAMES, diagnosticsPerEpisode, emptyDiagnostics, envOptionsFor, EpisodeRecorder, evaluateRlFocal,
  explainedVariance, freeCallsFor, guardMethods, layoutsFor, loadAgents, losses, MappoTrainer, networksOf,
  normalisedReturns, onlineRoles, policyParameterCount, pooledRunDiagnostics, presets, ReinforceParityTrainer, resolveConfig, restoreNetworks,
  restoreWeights, RolloutBuffer, runDiagnostics, runOnline, runTurn, saveAgents, teamBudget, serveTestSplit, snapshotWeights, trainPerSubtask,
  trainRlFocal, warmStart, warmStartRoles, type AgentDiagnostics, type AgentsCheckpoint, type AlgorithmName, type EpisodeDiagnostics, type GuardCandidate,
  type EpisodeRoles, type EpisodeStats, type EpisodeSummary, type PerSubtaskRun, type ResolvedConfig,
  type RlFocalAgents, type RlFocalConfig, type RlFocalRun, type RolloutSizes, type Trainer, type TrainingTurn,
  type TrainOptions, type TrainProgress, type TurnResult, type UpdateDiagnostics, type ValidationGuard,
  type WeightSnapshot, DEFAULT_ALIGNED_DECIDER, runAlignedPass, type AlignedDeciderConfig, fitDeciderOnTrain, fitFusionOnTrain, guardChoice, minimumTrainQueries,
  crossValidatedCorrect, GUARD_FOLDS, GUARD_P, type GuardRule, learnedBeats, rankedFirst, streamFolds, type GuardMethod, type StreamFold, textRoutingTest, TEXT_ROUTING_P, type TextRoutingTest,
  poolGuardCandidates, poolGuardChoices, type PoolGuardChoices, serveGuardMethod,
} from './train/index';

// eval/: what every method reports (MethodResult), the kind that identifies the method, accuracy over its queries
export {
  combineResults, findMethod, isMethod, macroAccuracy, microAccuracy, pairedSignTest, signTestTwoSided, signTestUpper, subtaskAccuracies, withIdentity, type MethodIdentity,
  type MethodKind, type MethodQuery, type MethodResult, type PairedSignTest,
} from './eval/index';

// baselines/: the comparison methods
export {
  allModels, bestSingleBaseline, bestSinglePerSubtaskBaseline, bestTeamBaseline, bestVoteTeam, checkTeam,
  choosePerSubtask, enumerateTeams, evaluateRule, FusionMlp, fusionMlpBaseline, latestCorrectBaseline,
  maskedSoftmaxCrossEntropy, MAX_EXHAUSTIVE_MODELS, oracleBaseline, PAPER_PRICE_SOURCE,
  PAPER_PRICES_CENTS, paperPriceKey, queriesBySubtask, randomSelectBaseline, rankModelsByAccuracy, resultRows,
  runAllBaselines, selectStaticFocalTeam, selfConsistencyBaseline, singleModelBaseline,
  staticFocalFusionBaseline, staticFocalTeamBaseline, subtaskBreakdown, teamLabel,
  teamVoteAccuracy, teamVoter, thresholdRouterBaseline, VOTE_RULES, voteBaseline, withPaperPrices, type AccuracyFloor,
  type BestTeamOptions, type EvalOptions, type FusionMlpConfig, type FusionMlpOptions, type GreedyOptions,
  type ResultRow, type RouterCurve, type RunAllOptions,
  type SelfConsistencyOptions, type ServingRule, type StaticFusionOptions, type StaticTeamBaselineOptions,
  type StaticTeamOptions, type StaticTeamSelection, type ThresholdRouterOptions, type VoteOptions,
  budgetTeamBaseline, carveValidation, cascadeApplicability, cascadeChain, confidenceCascadeBaseline,
  DEFAULT_KNN_CANDIDATES, defaultCallBudgets, defaultTopKSizes, knnRouterBaseline, queryText, randomTeamBaseline,
  recordedConfidence, topKVoteBaseline, type BudgetTeamOptions, type CascadeCostKey,
  type CascadeOptions, type KnnRouterOptions, type RandomTeamOptions, type TopKVoteOptions,
  windowLeaderBaseline, type WindowLeaderOptions,
} from './baselines/index';

// benchmark/: every method x every real pool x seeds (rl-focal benchmark), the Pareto frontier and AIQ
export {
  aiq, aiqHull, availableSharedPools, BENCHMARK_CELL_MODULE, benchmarkCells, benchmarkFindings, benchmarkJson,
  benchmarkPool, benchmarkTable, buildBenchmarkReport, costQualityTable, METHOD_FAMILIES, METHOD_FAMILY_NAMES,
  methodFamily, methodRow, paretoFigures, storedRowKind, paretoFrontier, poolStem, resolveBenchmarkParams, runBenchmark,
  runCell as runBenchmarkCell, upperHull, writeBenchmarkFiles, type AiqRange, type BenchmarkCellDetails,
  type BenchmarkParams, type BenchmarkReport, type BenchmarkRow, type BenchmarkRunSummary, type BenchmarkSettings,
  type CostQualityPoint, type FamilyOptions, type FamilyOutcome, type MethodFamily, type MethodRow,
  type PoolCostQuality,
} from './benchmark/index';

// runs/: one engine for "a config over seeds" (runJobs: in this process or on the worker pool), RL-Focal jobs with
// their run cache (runRlJobs), seeds on an in-memory dataset (runRlFocalSeeds), the sweep store of the CLI
export {
  describeProvenance, describeTags, frozenTestPassSeconds, JobDatasets, RunCache, runCacheDir, RunError,
  RunInterrupted, runJobs, runRlFocalSeeds, runRlJob, runRlJobs, RunStatus, throttleProgress, yieldToEventLoop,
  type CurvePoint, type ExperimentProgress, type JobEngineOptions, type JobProgress, type ProgressSink, type RlJob,
  type RlJobOutcome, type RlJobsOptions, type SeedRun, type SeedRunOptions, type SeedRuns,
} from './runs/index';

// figures/: plotly figure spec builders (one per file) and their PNG/SVG/CSV/Markdown export
export {
  accuracyCostFigure, asTable, barFigure, checkFigureName, CHROMIUM_ARGS, DEFAULT_HEIGHT, DEFAULT_WIDTH, FigureRenderer, figuresDir,
  findChromium, IMAGE_FORMATS, lineWithBandFigure, logAxisTicks, matrixHeatmap, PALETTE, panelFigure, plainFigure,
  paretoFront, placeLabels, renderFigures, routerCurvesFigure, scatterFigure, seriesColor, withSubtitleRoom, writeRendered,
  writeTable, type AccuracyCostGroup, type AccuracyCostOptions, type AccuracyCostPoint, type AxesOptions, type BandSeries, type BarSeries, type FigureSpec, type HeatmapOptions, type ImageFormat,
  type Panel, type PanelFigureOptions, type PanelSeries, type PointGroup, type RenderedFigure, type RouterCurveSeries,
  type RouterCurvesOptions, type ScatterSeries, type TableInput,
} from './figures/index';

// notebook/: the experiment table type, notebook run mode, inline display, REPORT.md
export {
  attributeStem, buildReport, closeFigureRenderer, figureMimeBundle, listOutputStems, notebookRun, pct, pctText,
  readNotebookSources, readSummaries, REPRODUCTION_FIGURES_DIR, roundTo, SCRATCH_FIGURES_DIR, showFigure, showTable,
  statusLine, SUMMARY_SUFFIX,
  writeNotebookSummary, writeReport, type Cell, type ExperimentOutput, type ExperimentTable, type NotebookRun,
  type NotebookSummary, type OutputStem, type ReportOptions, type ShowFigureOptions, type ShowTableOptions,
  type SummaryInput, type SummaryTable,
} from './notebook/index';

// experiments/: runX(params) and xFindings(result) for each table and figure
export * as experiments from './experiments/index';
