import assert from 'node:assert/strict';
import { bbhLeaderboardAvailable } from '../../src/data/bbh';
import { REAL_BBH_BAR, realDataFindings, runRealData } from '../../src/experiments/real-data';
import { authorsCodeBbh, bbhLeaderboard } from '../../src/train/presets';

describe('experiments/real-data', () => {
  it('reports a skip, not an error, when the data folder is absent', async () => {
    const out = await runRealData({ dir: '/nonexistent/bbh-leaderboard' });
    assert.equal(out.available, false);
    assert.match(out.notes[0], /skipped/);
    assert.deepEqual(realDataFindings(out), out.notes);
  });

  it('on the real data: the bar reproduces and the label tables match the data README', async function () {
    if (!bbhLeaderboardAvailable()) this.skip();
    const tiny = { deciderEpisodes: 1, fusionEpisodes: 1 };
    const out = await runRealData({
      seeds: [0],
      rl: { ...bbhLeaderboard, ...tiny },
      baselines: { fusion: false, router: false, greedyK: [] },
      labelRuns: { seeds: [0], authorsCode: { ...authorsCodeBbh, ...tiny }, rl: { ...bbhLeaderboard, ...tiny } },
    });
    assert.equal(out.available, true);
    const bar = out.tables.find((t) => t.name === 'real-bbh-bar')!.rows;
    for (const item of REAL_BBH_BAR) {
      if (Array.isArray(item.value)) continue;
      const row = bar.find((r) => r.item === item.item)!;
      assert.equal(row.ours, `${(100 * item.value).toFixed(2)} %`, item.item);
    }
    // bbh-leaderboard README, test split: phi-2 macro 50.58 (corrected) and 44.55 (rl-focal labels).
    const labels = out.tables.find((t) => t.name === 'real-bbh-labels')!.rows;
    assert.equal(labels[0]['phi-2 macro'], 50.58);
    assert.equal(labels[1]['phi-2 macro'], 44.55);
    assert.equal(labels[1]['oracle micro'], 75.91);
    const perSubtask = out.tables.find((t) => t.name === 'real-bbh-per-subtask')!.rows;
    assert.equal(perSubtask.length, 24);
    assert.equal(perSubtask.reduce((s, r) => s + (r.test_queries as number), 0), 1154);
    assert.equal(out.tables.find((t) => t.name === 'real-bbh-selection-frequency')!.rows.length, 24);
  });
});
