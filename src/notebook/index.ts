// What a notebook needs around an experiment: the table type with provenance and its rounding, how the run is
// configured (fast / reproduction / output folder), inline display that also saves, and the REPORT.md summary files.
export * from './output';
export * from './notebook-run';
export * from './display';
export * from './report';
