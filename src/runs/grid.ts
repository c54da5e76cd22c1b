import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json';

export { canonicalJson };

/** Config values by dotted key (as `train --set` takes them). */
export type ConfigOverrides = Record<string, unknown>;

/**
 * A sweep grid: every combination of the listed config values, each run once per seed.
 *
 * File format (`--grid grid.json`):
 *   { "grid":  { "<config key>": [v1, v2, ...], ... },   // the swept keys, in column order
 *     "base":  { "<config key>": value, ... },           // optional: fixed for every cell
 *     "seeds": 3 | [0, 1, 2] }                            // optional: a count (0..k-1) or the list; default 1
 * Keys are the same dotted config keys `train --set` takes.
 *
 * Cells are numbered in a fixed order (first key slowest, seeds innermost), so the assignment of cells to shards
 * (index mod n) is the same on every machine. A cell's id hashes its overrides and seed, so a restarted or
 * sharded run recognises finished cells by content, not by position.
 */
export interface SweepGrid {
  grid: Array<[key: string, values: unknown[]]>;
  base: ConfigOverrides;
  seeds: number[];
}

export interface SweepCell {
  /** Position in the full expansion (config-major, seed-minor); decides the shard. */
  index: number;
  /** Position of the cell's config in the expansion; orders report rows. */
  configIndex: number;
  /** Hash of the swept overrides: the same config across seeds shares it. */
  configId: string;
  /** `<configId>-s<seed>`: the result file name. */
  id: string;
  /** The swept keys' values for this cell (not including `base`). */
  overrides: ConfigOverrides;
  seed: number;
}

/** Every (config, seed) cell, first grid key slowest, seeds innermost. */
export function expandGrid(grid: SweepGrid): SweepCell[] {
  const configs: ConfigOverrides[] = [{}];
  for (const [key, values] of grid.grid) {
    const next: ConfigOverrides[] = [];
    for (const config of configs) for (const value of values) next.push({ ...config, [key]: value });
    configs.splice(0, configs.length, ...next);
  }
  const cells: SweepCell[] = [];
  configs.forEach((overrides, configIndex) => {
    const configId = shortHash(canonicalJson(overrides));
    for (const seed of grid.seeds) {
      cells.push({ index: cells.length, configIndex, configId, id: `${configId}-s${seed}`, overrides, seed });
    }
  });
  return cells;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** `--shard i/n`, 1-based: shard i runs the cells whose index mod n equals i - 1. */
export interface Shard {
  index: number;
  count: number;
}

export function cellsOfShard(cells: readonly SweepCell[], shard: Shard): SweepCell[] {
  return cells.filter((cell) => cell.index % shard.count === shard.index - 1);
}
