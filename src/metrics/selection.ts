import * as aq from 'arquero';
import { PredictionTable, QuerySelection, selectedQueries } from './table';
import { scanTeamMembers, TeamScan } from './teams';

/**
 * Static team selection baselines: pure functions of a scan (or of a pool's answers), chosen once on one set of
 * queries (usually the train split) and then held fixed.
 */

export type ScanAccuracyColumn = 'plurality_accuracy' | 'majority_accuracy' | 'oracle_accuracy';

export interface FocalSelectionOptions {
  /** Keep only teams whose accuracy column is >= this (EnsembleBench / LLM-TOPLA keep teams above a floor). */
  accuracyFloor: number;
  /** Accuracy column the floor applies to; default 'plurality_accuracy'. */
  accuracyColumn?: ScanAccuracyColumn;
  /** Teams kept per size; default 1. */
  perSize?: number;
  /** Sizes considered; default every size in the scan. */
  sizes?: number[];
}

/**
 * Among the teams of each size whose accuracy reaches the floor, the `perSize` of highest focal diversity
 * (EnsembleBench / LLM-TOPLA style). Ties: higher accuracy, then the lexicographically smaller team. The scan's
 * convention is honoured: under 'ensemblebench' a lower focal_diversity value means more diverse. Rows are
 * ordered by size, then rank; a size with no team above the floor contributes nothing.
 */
export function topTeamsByFocalDiversity(scan: TeamScan, options: FocalSelectionOptions): aq.ColumnTable {
  const accuracyColumn = options.accuracyColumn ?? 'plurality_accuracy';
  const perSize = options.perSize ?? 1;
  if (!(Number.isInteger(perSize) && perSize >= 1)) throw new RangeError(`topTeamsByFocalDiversity: perSize must be an integer >= 1, got ${perSize}`);
  if (!Number.isFinite(options.accuracyFloor)) throw new RangeError(`topTeamsByFocalDiversity: accuracyFloor must be a number, got ${options.accuracyFloor}`);
  // focal_diversity grows with diversity except under 'ensemblebench' (reported as 1 - x).
  const diverseSign = scan.convention === 'ensemblebench' ? -1 : 1;
  const sizes = options.sizes ? new Set(options.sizes) : undefined;
  const rows = scan.table.objects() as Array<Record<string, number | string>>;
  const kept = rows
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => (row[accuracyColumn] as number) >= options.accuracyFloor && !Number.isNaN(row.focal_diversity as number))
    .filter(({ row }) => !sizes || sizes.has(row.size as number));
  kept.sort(
    (a, b) =>
      (a.row.size as number) - (b.row.size as number) ||
      diverseSign * ((b.row.focal_diversity as number) - (a.row.focal_diversity as number)) ||
      (b.row[accuracyColumn] as number) - (a.row[accuracyColumn] as number) ||
      a.index - b.index,
  );
  const chosen: number[] = [];
  let size = -1;
  let taken = 0;
  for (const { row, index } of kept) {
    if (row.size !== size) {
      size = row.size as number;
      taken = 0;
    }
    if (taken < perSize) {
      chosen.push(index);
      taken++;
    }
  }
  return selectRows(scan.table, chosen);
}

/**
 * The scan row with the best accuracy (default plurality), among teams of at least `minSize` members.
 * Ties: the smaller team, then the lexicographically smaller team (the scan's row order).
 */
export function bestScannedTeam(
  scan: TeamScan,
  options: { accuracyColumn?: ScanAccuracyColumn; minSize?: number } = {},
): { team: number[]; models: string; accuracy: number } {
  const column = options.accuracyColumn ?? 'plurality_accuracy';
  const minSize = options.minSize ?? 2;
  const accuracy = scan.table.array(column) as ArrayLike<number>;
  const sizes = scan.table.array('size') as ArrayLike<number>;
  let best = -1;
  for (let r = 0; r < accuracy.length; r++) {
    if (sizes[r] < minSize || Number.isNaN(accuracy[r])) continue;
    if (best < 0 || accuracy[r] > accuracy[best] || (accuracy[r] === accuracy[best] && sizes[r] < sizes[best])) best = r;
  }
  if (best < 0) throw new RangeError(`bestScannedTeam: no team of size >= ${minSize} with a defined ${column} in the scan`);
  return {
    team: scanTeamMembers(scan.table.get('team', best) as string),
    models: scan.table.get('models', best) as string,
    accuracy: accuracy[best],
  };
}

/**
 * The k most accurate models over the selected queries (ties -> lower index), in decreasing accuracy.
 * Abstentions count as wrong.
 */
export function topModelsByAccuracy(data: PredictionTable, k: number, selection: QuerySelection = {}): number[] {
  const N = data.nModels;
  if (!(Number.isInteger(k) && k >= 1 && k <= N)) throw new RangeError(`topModelsByAccuracy: k must be an integer in [1, ${N}], got ${k}`);
  const queries = selectedQueries(data, selection);
  const hits = new Float64Array(N);
  for (let q = 0; q < queries.length; q++) {
    const t = queries[q];
    for (let i = 0; i < N; i++) if (data.predictions[t * N + i] === data.labels[t]) hits[i]++;
  }
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => hits[b] - hits[a] || a - b);
  return order.slice(0, k);
}

function selectRows(table: aq.ColumnTable, rows: number[]): aq.ColumnTable {
  const columns: Record<string, unknown[]> = {};
  for (const name of table.columnNames()) {
    const values = table.array(name) as ArrayLike<unknown>;
    columns[name] = rows.map((r) => values[r]);
  }
  return aq.table(columns);
}
