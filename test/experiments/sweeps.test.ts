import assert from 'node:assert/strict';
import { PAPER_FIGURE5, alphaSweep, compareProfiles, summarizeByTag } from '../../src/experiments/sweeps';

// A pool small enough for a training run in well under a second.
const TINY = 'sim:gsm8k?n=240&seed=3';
const TINY_CONFIG = { window: 20, deciderEpisodes: 1, fusionEpisodes: 1, updatePeriod: 40 };

describe('experiments/sweeps', () => {
  it('compareProfiles writes one sentence per paired value and names where each profile peaks', () => {
    const s = (mean: number) => ({ n: 3, mean, std: 1, standardError: 0.5 });
    const lines = compareProfiles('Accuracy', 'α', [0, 1, 2], [s(70), s(80), s(75)], [60, 65, 90], '%', true);
    assert.equal(lines.length, 4);
    assert.match(lines[1], /ours 80\.00 ± 0\.50% vs paper 65%/);
    assert.match(lines[3], /at α = 1 for us and 2 in the paper/);
    // A grid value the paper does not report gets no sentence.
    assert.equal(compareProfiles('Cost', 'w', [1, 2], [s(1), s(2)], [NaN, 3], '', false).length, 1);
    // Seeds that agree to the last bit but for rounding: no distance in standard errors.
    const agreeing = compareProfiles('Accuracy', 'N', [24], [{ n: 3, mean: 89.58, std: 1e-14, standardError: 6e-15 }], [74.33], '%', true);
    assert.match(agreeing[0], /ours 89\.58 ± 0\.00% vs paper 74\.33% \(\+15\.25\)\.$/);
  });

  it('summarizeByTag groups runs by grid value (mean and standard error over seeds)', async () => {
    const result = await alphaSweep({ data: TINY, alphas: [0, 3], seeds: [1, 2], config: TINY_CONFIG, workers: 0 });
    assert.equal(result.runs.length, 4);
    const table = result.tables[0];
    assert.equal(table.name, '08-fig5-alpha-sweep');
    assert.deepEqual(table.rows.map((r) => r.alpha), [0, 3]);
    assert.deepEqual(table.rows.map((r) => r.paper_accuracy_pct), [PAPER_FIGURE5.accuracy[0], PAPER_FIGURE5.accuracy[4]]);
    const points = summarizeByTag(result.runs, 'alpha', [0, 3]);
    for (const p of points) {
      const accs = p.runs.map((r) => 100 * r.accuracy);
      assert.equal(p.runs.length, 2);
      assert.ok(Math.abs(p.accuracy.mean - (accs[0] + accs[1]) / 2) < 1e-9);
    }
    assert.match(table.provenance, /simulated pool/);
    assert.match(table.provenance, /paper Figure 5/);
    assert.equal(result.figures[0].name, '08-fig5-alpha-sweep');
  });
});
