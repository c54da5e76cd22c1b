import type { Dataset } from '../data/dataset';
import { VoteCounter, type VoteCounts } from '../metrics/team-objectives';
import type { TeamObjective } from '../metrics/team-search';
import type { VoteRule } from '../metrics/voting';

/** Summed probability rows of a team over a query list (`sums` in the dataset's ragged layout, one row per query). */
interface SoftSums {
  size: number;
  sums: Float64Array;
}

/**
 * Vote accuracy of a team on the queries as a search objective (key = [accuracy]). Plurality and majority keep
 * per-query vote counts; soft keeps per-query summed probabilities and takes the argmax of the sum (the mean's
 * argmax, ties -> lowest choice, no positive entry -> no answer), each new member costing O(queries * choices).
 */
export function voteAccuracyObjective(dataset: Dataset, queries: Int32Array, rule: VoteRule): TeamObjective<unknown> {
  const T = queries.length;
  if (rule !== 'soft') {
    const counter = new VoteCounter(dataset, queries);
    return {
      empty: () => counter.empty(),
      extend: (parent, model) => counter.extend(parent, model),
      score: (parent, _team, added) => {
        const hits = counter.hits(parent, added);
        return [(rule === 'plurality' ? hits.plurality : hits.majority) / T];
      },
    } satisfies TeamObjective<VoteCounts>;
  }
  const offsets = new Int32Array(T + 1);
  for (let q = 0; q < T; q++) offsets[q + 1] = offsets[q] + dataset.choiceCounts[queries[q]];
  const soft: TeamObjective<SoftSums> = {
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
  return soft;
}
