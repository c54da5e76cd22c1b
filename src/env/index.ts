export * from './reward';
export * from './observations';
export * from './ensemble-env';
