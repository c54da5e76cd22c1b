export * from './dataset';
export * from './cost';
