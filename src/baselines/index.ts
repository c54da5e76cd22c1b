// Baselines of the paper's comparisons (spec §3 Tables 2-3, §4 Figure 4 plot 2), all "choose on train, evaluate on
// the requested split", all costed with the shared CostMeter and returning the shared MethodResult:
// single models and the best single (overall / per subtask), plurality / majority / soft vote, Random Select and
// Choose Latest Correct, static focal-diversity team (plurality or supervised fusion MLP), exhaustive best vote
// team, two-model threshold router, self-consistency, oracle; `runAllBaselines` runs them all. The baselines
// reviewers of routing now expect (top-k vote, best vote team under a call budget, confidence cascade, random team,
// nearest-neighbour router over the question text) are run by the benchmark (src/benchmark).
export * from './evaluate';
export * from './team';
export * from './prices';
export * from './single';
export * from './oracle';
export * from './self-consistency';
export * from './router';
export * from './greedy';
export * from './vote';
export * from './best-team';
export * from './fusion-mlp';
export * from './static-team';
export * from './report';
export * from './top-k-vote';
export * from './budget-team';
export * from './cascade';
export * from './random-team';
export * from './knn-router';
export * from './window-leader';
export * from './run-all';
