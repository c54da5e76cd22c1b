/**
 * The pools the focal-diversity notebooks (02, 03) scan: seeded simulated pools of the paper's benchmarks, plus the
 * real bbh-leaderboard outputs when that folder is present. Each carries the provenance line its numbers are
 * labelled with; an absent real pool is reported, never silently replaced.
 */
import { simulatePool, type BenchmarkName } from '../sim/index';
import { bbhLeaderboardAvailable, DEFAULT_BBH_LEADERBOARD_DIR } from '../data/bbh';
import type { Dataset } from '../data/dataset';
import { loadDataset } from '../sources/data-source';
import type { NamedPool } from './focal-properties';

export interface ExperimentPoolOptions {
  /** Simulated benchmarks, in order. */
  benchmarks: readonly BenchmarkName[];
  /** Queries per simulated pool. */
  nQueries: number;
  seed: number;
  /** Add the real bbh-leaderboard pool when its folder exists. */
  includeRealBbh: boolean;
  /** Queries used: every query, or one split of each pool. */
  split: 'all' | 'train' | 'test';
}

export interface ExperimentPools {
  pools: Array<NamedPool & { data: Dataset }>;
  /** What was skipped and why. */
  notes: string[];
}

function restrict(data: Dataset, split: ExperimentPoolOptions['split']): Dataset {
  return split === 'all' ? data : data.filter({ split });
}

export async function experimentPools(options: ExperimentPoolOptions): Promise<ExperimentPools> {
  const pools: ExperimentPools['pools'] = [];
  const notes: string[] = [];
  for (const benchmark of options.benchmarks) {
    const data = restrict(simulatePool({ benchmark, nQueries: options.nQueries, seed: options.seed }), options.split);
    pools.push({
      key: `sim-${benchmark}`,
      provenance: `simulated pool (calibrated to data/calibration): ${benchmark}, ${data.nModels} models, ${data.nQueries} queries (${options.split}), seed ${options.seed}`,
      data,
    });
  }
  if (options.includeRealBbh) {
    if (bbhLeaderboardAvailable()) {
      const data = restrict(await loadDataset('bbh'), options.split);
      pools.push({
        key: 'real-bbh',
        provenance: `${data.provenance.source}; ${data.nModels} models, ${data.nQueries} queries (${options.split}), corrected labels`,
        data,
      });
    } else {
      notes.push(`real bbh-leaderboard pool skipped: no data at ${DEFAULT_BBH_LEADERBOARD_DIR}`);
    }
  }
  return { pools, notes };
}

/**
 * The kind of data a pool's provenance line names, for a findings sentence: its text before the first colon, with a
 * parenthesis turned into a comma ("simulated pool (calibrated to data/calibration): ..." gives "simulated pool,
 * calibrated to data/calibration").
 */
export function poolKind(pool: Pick<NamedPool, 'provenance'>): string {
  return pool.provenance.split(':')[0].replace(' (', ', ').replace(/\)$/, '');
}
