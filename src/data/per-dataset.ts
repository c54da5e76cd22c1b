import type { Dataset } from './dataset';

/**
 * Values derived from a dataset, computed once per dataset object and key. A `Dataset` is never changed after it is
 * built, so whatever is derived from one (a slice, a re-split, a team chosen on its train split) can be shared by
 * every later call on the same object, e.g. the seeds of one run; entries go when the dataset does.
 */
export class PerDataset<K, V> {
  private readonly values = new WeakMap<Dataset, Map<K, V>>();

  /** The value for `dataset` and `key`, made by `make` the first time it is asked for. */
  get(dataset: Dataset, key: K, make: () => V): V {
    let byKey = this.values.get(dataset);
    if (!byKey) this.values.set(dataset, (byKey = new Map()));
    let value = byKey.get(key);
    if (value === undefined) byKey.set(key, (value = make()));
    return value;
  }
}
