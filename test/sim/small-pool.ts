import { Rng } from '../../src/util/rng';
import { coupledRandomPool } from '../../src/sim/prediction-pools';

/** A small random pool with coupled failures (3-6 models, 20-99 queries, 2-4 choices), all drawn from `seed`. */
export function smallPool(seed: number) {
  const rng = new Rng(seed);
  return coupledRandomPool(rng, { nModels: 3 + rng.int(4), nQueries: 20 + rng.int(80), nChoices: 2 + rng.int(3), coupling: rng.next() });
}
