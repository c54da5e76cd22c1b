export * from './spec';
export * from './chromium';
export * from './export';
