// The generative simulator of recorded outputs and the calibration it draws from (named tables or a fit to a dataset).
export * from './simulator';
export * from './calibration';
export { calibrateToDataset, poolStatistics, type CalibrateOptions, type PoolStatistics } from './calibration-fit';
export {
  fusionProbes,
  runnerUpStatistics,
  LOG_FLOOR,
  type ChoiceBucketRunnerUp,
  type FusionProbes,
  type RunnerUpStatistics,
} from './calibration-probes';
export { confidenceStatistics, type ConfidenceStatistics } from './calibration-confidence';
export * from './prediction-pools';
export * from './aligned-stream';
