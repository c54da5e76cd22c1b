import { InputError } from '../errors';
import { MAX_SEED } from '../options';
import type { LocatedJson } from '../json-input';
import { canonicalJson } from '../../util/canonical-json';
import type { ConfigOverrides, Shard, SweepGrid } from '../../runs/grid';

/** A `--grid` file (format: `SweepGrid` in src/runs/grid.ts), every bad value named by its place in the file. */
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

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new InputError(`expected i/n (e.g. 1/4), got "${text}"`, { field: '--shard' });
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new InputError(`shard ${index}/${count} is out of range: need 1 <= i <= n`, { field: '--shard' });
  return { index, count };
}
