import assert from 'node:assert/strict';
import { voteBaseline } from '../../src/baselines/vote';
import { runTables23, tables23Findings, V1_MODEL_IDS } from '../../src/experiments/tables23';
import { bbhLeaderboard } from '../../src/train/presets';

describe('experiments/tables23', () => {
  it('routers, ensembles and RL-Focal on tiny simulated pools', async () => {
    const out = await runTables23({ nQueries: 150, seeds: [0], rl: { ...bbhLeaderboard, deciderEpisodes: 1, fusionEpisodes: 1 }, fusion: { epochs: 2 }, votesOnlyControl: false });
    const t2 = out.table2;
    const trainAcc = t2.pool.data.modelAccuracies(t2.pool.data.splitIndices('train'));
    const idx = (id: string) => t2.pool.data.models.findIndex((m) => m.id === id);
    for (const r of t2.routers) {
      // The strong model of each pair is the one with the higher training accuracy.
      assert.ok(trainAcc[idx(r.strong)] >= trainAcc[idx(r.weak)]);
      assert.deepEqual(new Set([r.strong, r.weak]), new Set(r.pair));
      assert.equal(r.curve.thresholds.length, 101);
    }
    for (const c of out.table3) {
      const byKey = new Map(c.rows.map((r) => [r.key, r]));
      assert.equal(byKey.get('blender')!.result, null);
      assert.equal(byKey.get('dylan')!.result, null);
      const team = V1_MODEL_IDS.map((id) => c.pool.data.models.findIndex((m) => m.id === id));
      assert.equal(byKey.get('majority')!.result!.accuracy, voteBaseline(c.pool.data, 'majority', { team }).accuracy);
    }
    // GSM8K: More Agents calls the model once per sample.
    const gsm = out.table3.find((c) => c.pool.key === 'sim-gsm8k')!;
    const more = gsm.rows.find((r) => r.key === 'more-agents-6')!.result!;
    assert.equal(more.cost.callsPerQuery, 10);
    const wide = out.tables.find((t) => t.name === 'table3-ensembles')!;
    assert.equal(new Set(wide.rows.map((r) => `${r.method} | ${r.model_ids}`)).size, wide.rows.length, 'one row per method and model ids');
    assert.ok(tables23Findings(out).length >= 5);
  });
});
