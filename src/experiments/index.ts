export * from './output';
export * from './lipschitz-bound';
export * from './robustness';
