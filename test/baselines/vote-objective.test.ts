import assert from 'node:assert/strict';
import fc from 'fast-check';
import { teamVoteAccuracy } from '../../src/baselines/best-team';
import { voteAccuracyObjective } from '../../src/baselines/vote-objective';
import { Dataset, TRAIN } from '../../src/data/dataset';
import { previousSoftVoteObjective } from './previous-vote-objective';

/** A pool with 2..5 choices per query, probability rows with ties and abstentions (all-zero rows). */
const raggedPool = fc
  .record({ N: fc.integer({ min: 1, max: 5 }), T: fc.integer({ min: 1, max: 12 }), seed: fc.integer({ min: 0, max: 1e6 }) })
  .map(({ N, T, seed }) => {
    let s = seed + 1;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const choiceCounts = Uint8Array.from({ length: T }, () => 2 + Math.floor(rnd() * 4));
    const probs: number[] = [];
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < N; i++) {
        const kind = rnd();
        // Coarse values make ties between choices and between teams' sums common.
        const row = Array.from({ length: choiceCounts[t] }, () => (kind < 0.15 ? 0 : Math.floor(rnd() * 3) / 2));
        const sum = row.reduce((a, b) => a + b, 0);
        probs.push(...row.map((v) => (sum > 0 ? v / sum : 0)));
      }
    }
    return new Dataset({
      models: Array.from({ length: N }, (_, i) => ({ id: `m${i}` })),
      choiceCounts,
      labels: Int32Array.from(choiceCounts, (c) => Math.floor(rnd() * c)),
      probs: Float64Array.from(probs),
      taskIds: new Uint16Array(T),
      taskNames: ['t'],
      subtaskIds: new Uint16Array(T),
      subtaskNames: ['s'],
      split: new Uint8Array(T).fill(TRAIN),
      provenance: { kind: 'synthetic', source: 'vote-objective.test.ts' },
    });
  });

describe('baselines/vote-objective', () => {
  it("soft: a team's score is its soft-vote accuracy on the query list, and equals the previous objective's bit for bit", () => {
    fc.assert(
      fc.property(raggedPool, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 15 }), (data, picks, queryPicks) => {
        const team = [...new Set(picks.map((p) => p % data.nModels))].sort((a, b) => a - b);
        const queries = Int32Array.from(queryPicks, (q) => q % data.nQueries);
        for (const objective of [voteAccuracyObjective(data, queries, 'soft'), previousSoftVoteObjective(data, queries)] as const) {
          let state = objective.empty();
          for (const i of team.slice(0, -1)) state = objective.extend(state as never, i);
          const [score] = objective.score(state as never, Int32Array.from(team), team[team.length - 1]);
          assert.equal(score, teamVoteAccuracy(data, team, 'soft', queries));
        }
      }),
      { numRuns: 300 },
    );
  });
});
