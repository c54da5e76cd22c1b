export * from './rng';
export * from './progress';
