import type { Dataset } from '../data/dataset';
import { Rng } from '../util/rng';
import { withIdentity, type MethodResult } from '../eval/result';
import type { EvalOptions } from './single';
import type { VoteRule } from '../metrics/voting';
import { voteBaseline } from './vote';

export interface RandomTeamOptions extends EvalOptions {
  /** Team size, 1..N (e.g. the size of the static focal team it is compared with). */
  size: number;
  seed: number;
  /** Default 'plurality'. */
  rule?: VoteRule;
}

/**
 * A team of `size` models drawn uniformly without replacement (Fisher-Yates on an Rng from `seed`), answering by
 * vote: the control for "does choosing the team matter at this size?". One seed gives one team; the benchmark
 * reports the mean over its seeds.
 */
export function randomTeamBaseline(dataset: Dataset, options: RandomTeamOptions): MethodResult {
  const N = dataset.nModels;
  const { size, seed } = options;
  const rule = options.rule ?? 'plurality';
  if (!(Number.isInteger(size) && size >= 1 && size <= N)) throw new RangeError(`randomTeamBaseline: size must be an integer in [1, ${N}], got ${size}`);
  const rng = new Rng(seed).fork('random team');
  const order = Array.from({ length: N }, (_, i) => i);
  for (let i = N - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const team = Int32Array.from(order.slice(0, size)).sort();
  const result = voteBaseline(dataset, rule, { team, split: options.split });
  return { ...withIdentity(result, { kind: 'random-team', rule, method: `random team of ${size} + ${rule} vote` }), details: { ...result.details, size, seed } };
}
