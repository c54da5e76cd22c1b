// The public API: one flat namespace, one concept per file behind it.
export * from './util/index';
export * from './data/index';
export * from './sim/index';
export * from './metrics/index';
export * from './env/index';
export * from './agents/index';
export * from './train/index';
export * from './baselines/index';
export * from './experiments/index';
export * from './figures/index';
export * from './benchmark/index';
