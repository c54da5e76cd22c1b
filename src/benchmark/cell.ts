import type { CellFunction } from '../runs/cell';
import type { FusionMlpConfig } from '../baselines/fusion-mlp';
import type { Dataset } from '../data/dataset';
import { loadDataset } from '../sources/data-source';
import type { RlFocalConfig } from '../train/config';
import { methodFamily, type FamilyOutcome } from './methods';

/**
 * One benchmark cell = one method family on one pool with one seed. Exported as `runCell`, the sweep workers'
 * cell-module contract, so `rl-focal benchmark --workers k` runs cells on the sweep's worker processes.
 */

/** The benchmark's fixed settings, stored as the sweep manifest's `base` (a changed setting is another benchmark). */
export interface BenchmarkSettings {
  rl: Partial<RlFocalConfig>;
  fusion: FusionMlpConfig | false;
  /** Fill prices from the paper's Table 8 where a model id matches (BBH's models); others stay unpriced. */
  paperPrices: boolean;
}

export interface BenchmarkCellDetails extends FamilyOutcome {
  pool: string;
  method: string;
  seed: number;
  nModels: number;
  testQueries: number;
  provenance: string;
}

const pools = new Map<string, Promise<Dataset>>();

/** A pool loaded once per process (per worker process). */
export function benchmarkPool(spec: string, paperPrices: boolean): Promise<Dataset> {
  const key = `${spec}\u0000${paperPrices}`;
  let loaded = pools.get(key);
  if (!loaded) pools.set(key, (loaded = loadDataset(spec, paperPrices ? { paperPrices: true } : {})));
  return loaded;
}

export const runCell: CellFunction = async (cell, context) => {
  const settings = context.base as unknown as BenchmarkSettings;
  const pool = String(cell.overrides.pool);
  const name = String(cell.overrides.method);
  const family = methodFamily(name);
  if (!family) throw new Error(`unknown method family "${name}"`);
  const data = await benchmarkPool(pool, settings.paperPrices);
  const outcome = family.run(data, cell.seed, { rl: settings.rl, fusion: settings.fusion });
  const details: BenchmarkCellDetails = {
    pool,
    method: name,
    seed: cell.seed,
    nModels: data.nModels,
    testQueries: data.splitIndices('test').length,
    provenance: [data.provenance.source, ...(data.provenance.notes ?? [])].join('; '),
    ...outcome,
  };
  return { metrics: { methods: outcome.rows.length }, details: details as unknown as Record<string, unknown> };
};
