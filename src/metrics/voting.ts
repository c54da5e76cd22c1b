/**
 * Vote aggregation of one query. Votes are members' predicted choices; -1 means the member abstained.
 *
 * | function      | rule                                                          | no answer (-1) when        |
 * |---------------|---------------------------------------------------------------|----------------------------|
 * | pluralityVote | most votes among answering members; ties -> lowest choice     | every member abstained     |
 * | majorityVote  | a choice with strictly more than half of ALL members' votes   | no such choice (abstainers |
 * |               | (abstainers count in the denominator: they did not agree)     | count against a majority)  |
 * | softVote      | argmax of the mean probability vector; ties -> lowest choice  | every row is all zeros     |
 *
 * Plurality ties go to the lowest choice, as `np.bincount(votes).argmax()` does in the authors' code
 * (`env/ens_methods.py::find_plurality`). An answer of -1 scores as wrong everywhere in this library.
 */

/** The rules by name: plurality (most votes), majority (> half of the members, else no answer), soft (mean probabilities). */
export type VoteRule = 'plurality' | 'majority' | 'soft';

let scratch = new Float64Array(32);

function zeroedScratch(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  scratch.fill(0, 0, n);
  return scratch;
}

function tally(votes: ArrayLike<number>, nChoices: number, fn: string): Float64Array {
  if (!(Number.isInteger(nChoices) && nChoices >= 1)) throw new RangeError(`${fn}: nChoices must be an integer >= 1, got ${nChoices}`);
  const counts = zeroedScratch(nChoices);
  for (let i = 0; i < votes.length; i++) {
    const v = votes[i];
    if (v === -1) continue;
    if (!(v >= 0 && v < nChoices && Number.isInteger(v))) {
      throw new RangeError(`${fn}: vote #${i} = ${v} is neither -1 (abstained) nor a choice in [0, ${nChoices})`);
    }
    counts[v]++;
  }
  return counts;
}

/** Most-voted choice (ties -> lowest); -1 if nobody answered. */
export function pluralityVote(votes: ArrayLike<number>, nChoices: number): number {
  const counts = tally(votes, nChoices, 'pluralityVote');
  let best = 0;
  for (let k = 1; k < nChoices; k++) if (counts[k] > counts[best]) best = k;
  return counts[best] > 0 ? best : -1;
}

/** The choice voted by more than half of all members (abstainers included in the count); else -1. */
export function majorityVote(votes: ArrayLike<number>, nChoices: number): number {
  const counts = tally(votes, nChoices, 'majorityVote');
  for (let k = 0; k < nChoices; k++) if (2 * counts[k] > votes.length) return k;
  return -1;
}

/**
 * Argmax of the mean of the members' probability rows (each of length >= nChoices; entries >= 0; an abstaining
 * member's row is all zeros and still counts in the mean). Ties -> lowest choice; -1 when no entry is positive.
 */
export function softVote(rows: ArrayLike<ArrayLike<number>>, nChoices: number): number {
  if (!(Number.isInteger(nChoices) && nChoices >= 1)) throw new RangeError(`softVote: nChoices must be an integer >= 1, got ${nChoices}`);
  const m = rows.length;
  if (m === 0) return -1;
  const sums = zeroedScratch(nChoices);
  for (let i = 0; i < m; i++) {
    const row = rows[i];
    if (row.length < nChoices) throw new RangeError(`softVote: row #${i} has ${row.length} entries, expected ${nChoices}`);
    for (let k = 0; k < nChoices; k++) {
      const p = row[k];
      if (!(p >= 0)) throw new RangeError(`softVote: row #${i} entry ${k} = ${p} is not a probability (>= 0)`);
      sums[k] += p;
    }
  }
  let best = -1;
  let bestMean = 0;
  for (let k = 0; k < nChoices; k++) {
    const mean = sums[k] / m;
    if (mean > bestMean) {
      bestMean = mean;
      best = k;
    }
  }
  return best;
}
