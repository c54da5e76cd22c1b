// What every method reports about one evaluation pass (MethodResult), the kind that identifies the method, and
// accuracy over a result's queries (micro, macro, per subtask).
export * from './method-kind';
export * from './result';
export * from './paired-sign-test';
