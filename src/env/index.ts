export * from './reward';
export * from './observations';
export * from './ensemble-env';
export * from './query-accuracy';
