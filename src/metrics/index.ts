export * from './bitset';
export * from './voting';
export * from './conventions';
export * from './counts';
export * from './diversity';
export * from './window';
