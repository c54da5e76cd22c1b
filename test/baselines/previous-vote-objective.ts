/**
 * The soft-vote search objective as it was before session 10 (`src/baselines/vote-objective.ts` at 94eaafe): it read
 * every query's row through `Dataset.probRow` views on every team scored. Kept only as the path `npm run bench`
 * times the current objective against (bench/guard.ts); nothing in src uses it. Its scores equal the current
 * objective's bit for bit (vote-objective.test.ts).
 */
import type { Dataset } from '../../src/data/dataset';
import type { TeamObjective } from '../../src/metrics/team-search';

interface SoftSums {
  size: number;
  sums: Float64Array;
}

export function previousSoftVoteObjective(dataset: Dataset, queries: Int32Array): TeamObjective<SoftSums> {
  const T = queries.length;
  const offsets = new Int32Array(T + 1);
  for (let q = 0; q < T; q++) offsets[q + 1] = offsets[q] + dataset.choiceCounts[queries[q]];
  return {
    empty: () => ({ size: 0, sums: new Float64Array(offsets[T]) }),
    extend: (parent, model) => {
      const sums = parent.sums.slice();
      for (let q = 0; q < T; q++) {
        const row = dataset.probRow(queries[q], model);
        for (let c = 0; c < row.length; c++) sums[offsets[q] + c] += row[c];
      }
      return { size: parent.size + 1, sums };
    },
    score: (parent, _team, added) => {
      let hits = 0;
      for (let q = 0; q < T; q++) {
        const t = queries[q];
        const row = dataset.probRow(t, added);
        let best = -1;
        let bestSum = 0;
        for (let c = 0; c < row.length; c++) {
          const v = parent.sums[offsets[q] + c] + row[c];
          if (v > bestSum) {
            bestSum = v;
            best = c;
          }
        }
        if (best === dataset.labels[t]) hits++;
      }
      return [hits / T];
    },
  };
}
