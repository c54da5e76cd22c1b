import { createHash } from 'node:crypto';
import { InputError } from '../errors';
import { MAX_SEED } from '../options';
import type { LocatedJson } from '../json-input';
import { canonicalJson } from '../../util/canonical-json';

export { canonicalJson };

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

export type ConfigOverrides = Record<string, unknown>;

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

export function parseGrid(json: LocatedJson): SweepGrid {
  const root = json.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw json.error([], 'a grid file is a JSON object {"grid": {...}, "base"?: {...}, "seeds"?: ...}');
  }
  const doc = root as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (key !== 'grid' && key !== 'base' && key !== 'seeds') {
      throw json.error([key], `unknown member "${key}" (expected grid, base, seeds)`);
    }
  }
  const gridValue = doc.grid;
  if (typeof gridValue !== 'object' || gridValue === null || Array.isArray(gridValue)) {
    throw json.error(['grid'], '"grid" must be an object mapping config keys to arrays of values');
  }
  const grid: Array<[string, unknown[]]> = [];
  for (const [key, values] of Object.entries(gridValue as Record<string, unknown>)) {
    if (!Array.isArray(values) || values.length === 0) {
      throw json.error(['grid', key], `grid.${key} must be a non-empty array of values`);
    }
    const seen = new Set<string>();
    values.forEach((v, i) => {
      const canonical = canonicalJson(v);
      if (seen.has(canonical)) throw json.error(['grid', key, i], `grid.${key} lists ${canonical} twice`);
      seen.add(canonical);
    });
    grid.push([key, values]);
  }
  const baseValue = doc.base ?? {};
  if (typeof baseValue !== 'object' || baseValue === null || Array.isArray(baseValue)) {
    throw json.error(['base'], '"base" must be an object of config values');
  }
  const base = baseValue as ConfigOverrides;
  for (const [key] of grid) {
    if (Object.hasOwn(base, key)) throw json.error(['base', key], `"${key}" is both fixed in base and swept in grid`);
  }
  return { grid, base, seeds: parseSeeds(doc.seeds, json) };
}

function parseSeeds(value: unknown, json: LocatedJson): number[] {
  if (value === undefined) return [0];
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw json.error(['seeds'], `"seeds" as a count must be an integer >= 1, got ${value}`);
    return Array.from({ length: value }, (_, i) => i);
  }
  if (!Array.isArray(value) || value.length === 0) throw json.error(['seeds'], '"seeds" must be a count or a non-empty array of integers');
  const seen = new Set<number>();
  value.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > MAX_SEED) {
      // Random streams take seeds modulo 2^32: 4294967296 would rerun seed 0 and make a standard error of 0.
      throw json.error(['seeds', i], `seeds[${i}] must be an integer in [0, ${MAX_SEED}], got ${JSON.stringify(s)}`);
    }
    if (seen.has(s)) throw json.error(['seeds', i], `seed ${s} is listed twice`);
    seen.add(s);
  });
  return value as number[];
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

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new InputError(`expected i/n (e.g. 1/4), got "${text}"`, { field: '--shard' });
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new InputError(`shard ${index}/${count} is out of range: need 1 <= i <= n`, { field: '--shard' });
  return { index, count };
}

export function cellsOfShard(cells: readonly SweepCell[], shard: Shard): SweepCell[] {
  return cells.filter((cell) => cell.index % shard.count === shard.index - 1);
}
