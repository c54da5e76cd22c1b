import assert from 'node:assert/strict';
import { figure4Findings, runFigure4 } from '../../src/experiments/figure4';
import { bbhLeaderboard } from '../../src/train/presets';

describe('experiments/figure4', () => {
  it('consensus bins, top-3 patterns, greedy k sweep and the two Decider heads', async () => {
    const out = await runFigure4({
      nQueries: 200,
      seeds: [0],
      rl: { ...bbhLeaderboard, deciderEpisodes: 1, fusionEpisodes: 1 },
      ks: [2, 3],
      topKSeeds: [0],
      headBenchmarks: ['gpqa'],
      headQueries: 120,
      headSeeds: [0],
    });
    const data = out.pool.data;
    const T = data.splitIndices('test').length;
    const N = data.nModels;
    assert.equal(out.consensus.length, N + 1);
    assert.equal(out.consensus.reduce((s, r) => s + r.queries, 0), T);
    // When more than half of the models are right, their plurality vote is right.
    for (const r of out.consensus) if (2 * r.correctModels > N && r.queries > 0) assert.equal(r.plurality, 1);
    for (const r of out.consensus) if (r.correctModels === 0 && r.queries > 0) assert.equal(r.plurality, 0);
    assert.equal(out.topThree.rows.reduce((s, r) => s + r.queries, 0), T);
    const allRight = out.topThree.rows.find((r) => r.pattern === '✓✓✓')!;
    if (allRight.queries > 0) assert.equal(allRight.pluralityTop3, 1);
    assert.deepEqual(out.greedy.map((g) => g.k), [2, 3]);
    assert.equal(out.greedy[0].rl.runs[0].selectionFrequency.length, 2, 'size-constrained RL-Focal sees only the top-k models');
    assert.equal(out.heads.length, 1);
    assert.ok(figure4Findings(out).length >= 4);
  });
});
