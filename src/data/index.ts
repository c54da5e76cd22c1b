export * from './dataset';
export * from './cost';
export * from './errors';
export * from './scores';
export * from './models-file';
export * from './recorded';
export * from './bbh';
