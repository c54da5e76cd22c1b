// Property tests draw from a fixed seed so that a test run is reproducible (CI included); set FC_SEED to explore
// other draws. A failing property prints its seed and counterexample.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });
