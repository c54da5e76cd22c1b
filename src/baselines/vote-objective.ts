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
  const width = offsets[T];
  const labels = Int32Array.from(queries, (t) => dataset.labels[t]);
  // One contiguous column per model (the query list's rows in order): a team is scored once per candidate member,
  // and reading the ragged rows through `probRow` views cost more than the sums themselves.
  const columns = new Float64Array(dataset.nModels * width);
  for (let i = 0; i < dataset.nModels; i++) {
    for (let q = 0; q < T; q++) columns.set(dataset.probRow(queries[q], i), i * width + offsets[q]);
  }
  const soft: TeamObjective<SoftSums> = {
    empty: () => ({ size: 0, sums: new Float64Array(width) }),
    extend: (parent, model) => {
      const sums = parent.sums.slice();
      const base = model * width;
      for (let k = 0; k < width; k++) sums[k] += columns[base + k];
      return { size: parent.size + 1, sums };
    },
    score: (parent, _team, added) => {
      const { sums } = parent;
      const base = added * width;
      let hits = 0;
      for (let q = 0; q < T; q++) {
        let best = -1;
        let bestSum = 0;
        for (let k = offsets[q], c = 0; k < offsets[q + 1]; k++, c++) {
          const v = sums[k] + columns[base + k];
          if (v > bestSum) {
            bestSum = v;
            best = c;
          }
        }
        if (best === labels[q]) hits++;
      }
      return [hits / T];
    },
  };
  return soft;
}
