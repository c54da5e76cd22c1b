export * from './mlp';
export * from './adam';
export * from './distributions';
export * from './decider';
export * from './fusion';
export * from './critic';
