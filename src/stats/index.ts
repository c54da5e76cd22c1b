// Statistics: correlation (Pearson, Spearman, partial Spearman) and least-squares fits. The normal-distribution
// helpers in ./normal are library-internal (the simulator's calibration), as they were before they moved here.
export * from './correlation';
export * from './regression';
export * from './seeds';
export * from './quantiles';
