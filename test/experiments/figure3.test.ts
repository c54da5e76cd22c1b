import assert from 'node:assert/strict';
import { FIGURE3_PAPER_ABLATION, runFigure3 } from '../../src/experiments/figure3';
import { bbhLeaderboard } from '../../src/train/presets';

describe('experiments/figure3', () => {
  it('curves per benchmark and the metric ablation beside the paper; "All" costs what the paper prints', async () => {
    const tiny = { ...bbhLeaderboard, deciderEpisodes: 2, fusionEpisodes: 2 };
    const out = await runFigure3({
      curveBenchmarks: ['gpqa'],
      curveQueries: 120,
      curveSeeds: [0, 1],
      curveRl: tiny,
      realBbh: false,
      ablationQueries: 150,
      ablationSeeds: [0],
      ablationRl: { ...tiny, fusionFeatures: ['vote'] },
      ablationVariants: [
        { name: 'No-Metric', metrics: [] },
        { name: 'Focal', metrics: ['focal_diversity'] },
      ],
    });
    assert.equal(out.curves.length, 1);
    for (const r of out.curves[0].runs.runs) assert.equal(r.curves.fusion.length, 2);
    const rows = out.tables.find((t) => t.name === 'figure3-metric-ablation')!.rows;
    assert.deepEqual(rows.map((r) => r.setup), ['No-Metric', 'Focal', 'All: plurality vote', 'All: soft vote']);
    // The 7-model pool at Table 8 prices: the paper's "All" cost, 1595 cents per 1,000 queries.
    const paperAll = FIGURE3_PAPER_ABLATION.find((r) => r.name === 'All')!;
    assert.equal(rows[2].cost_per_1000, paperAll.cost);
    assert.equal(rows[1].paper_accuracy_pct, 76.06);
    assert.deepEqual(out.figures.map((f) => f.name), ['figure3-decider-training-curves', 'figure3-fusion-training-curves', 'figure3-ppo-diagnostics', 'figure3-metric-ablation-accuracy', 'figure3-metric-ablation-cost']);
    // The PPO panels: one trace per panel for the one pool, Decider episodes, a gap, Fusion episodes.
    const ppo = out.figures.find((f) => f.name === 'figure3-ppo-diagnostics')!;
    assert.equal(ppo.data.length, 4);
    for (const trace of ppo.data as Array<{ x: number[]; y: Array<number | null> }>) {
      assert.equal(trace.x.length, 2 + 1 + 2);
      assert.equal(trace.y[2], null);
    }
    for (const r of out.curves[0].runs.runs) assert.equal(r.ppo!.fusion.length, 2);
  });
});
