/**
 * Correctness as bitmasks: bit i of a query's mask is model i. One 32-bit word per query covers N <= 32; wider
 * pools use `wordsFor(N)` words per query (word w holds models 32w .. 32w+31), so every loop below takes a word
 * count instead of assuming one word.
 */

/** Number of set bits of a 32-bit word (SWAR, no table: the cost is a dozen integer ops). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** 32-bit words needed for one bit per model (at least one, so an empty pool still has a well-formed mask). */
export function wordsFor(nModels: number): number {
  return Math.max(1, Math.ceil(nModels / 32));
}

/**
 * Validates a team (member model indices, any order, no repeats) against a pool of `nModels` and writes its
 * members in ascending order into `sortedOut` (returned length = team size). Repeats are an error rather than
 * silently merged: a team {3, 3} is almost certainly a caller bug. Small teams are insertion-sorted; larger ones
 * (a team of 60 of 120 models, each step of a wide pool) are checked, then sorted natively, O(m log m) instead of
 * O(m^2) moves.
 */
export function sortTeam(team: ArrayLike<number>, nModels: number, sortedOut: Int32Array): number {
  const m = team.length;
  if (m > nModels) throw new RangeError(`team has ${m} members but the pool has only ${nModels} models`);
  if (m > 16) {
    for (let x = 0; x < m; x++) {
      const a = team[x];
      if (!Number.isInteger(a) || a < 0 || a >= nModels) {
        throw new RangeError(`team member #${x} = ${a} is not a model index in [0, ${nModels})`);
      }
      sortedOut[x] = a;
    }
    sortedOut.subarray(0, m).sort();
    for (let x = 1; x < m; x++) if (sortedOut[x] === sortedOut[x - 1]) throw new RangeError(`team lists model ${sortedOut[x]} twice`);
    return m;
  }
  for (let x = 0; x < m; x++) {
    const a = team[x];
    if (!Number.isInteger(a) || a < 0 || a >= nModels) {
      throw new RangeError(`team member #${x} = ${a} is not a model index in [0, ${nModels})`);
    }
    let y = x - 1;
    while (y >= 0 && sortedOut[y] > a) {
      sortedOut[y + 1] = sortedOut[y];
      y--;
    }
    if (y >= 0 && sortedOut[y] === a) throw new RangeError(`team lists model ${a} twice`);
    sortedOut[y + 1] = a;
  }
  return m;
}
