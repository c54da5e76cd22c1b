// One string names a dataset everywhere (CLI --data, sweep manifests, notebooks): a folder, a shared pool or a simulated pool.
export * from './data-source';
