// `rl-focal benchmark` as a library: method families (methods.ts), one cell (cell.ts), the resumable, shardable
// runner on the sweep store (run.ts), the merged report with the cost-quality view (report.ts, pareto.ts) and the
// sentences a notebook summary quotes (findings.ts).
export * from './pareto';
export * from './methods';
export * from './cell';
export * from './run';
export * from './report';
export * from './findings';
