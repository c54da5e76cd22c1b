import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diagnosticsPerEpisode, runDiagnostics } from '../../src/train/episode-diagnostics';
import { loadDataset } from '../../src/sources/data-source';
import { emptyDiagnostics } from '../../src/train/episode';
import { trainRlFocal } from '../../src/train/train-rl-focal';

describe('train/episode-diagnostics', () => {
  it('assigns every update to the episode in which its rollout filled, once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 40 }), (steps, period) => {
        // A rollout of `period` steps carried over episode ends, as the MAPPO trainer does within a turn.
        const total = steps.reduce((a, b) => a + b, 0);
        const updates = Array.from({ length: Math.floor(total / period) }, (_, k) => ({ ...emptyDiagnostics(period), deciderApproxKl: k }));
        const per = diagnosticsPerEpisode(updates, steps);
        assert.equal(per.reduce((s, e) => s + e.updates, 0), updates.length);
        let end = 0;
        let seen = 0;
        per.forEach((e, k) => {
          end += steps[k];
          // The updates of episode k are those whose rollout filled at a step in (previous end, end].
          const expected = updates.filter((_, u) => (u + 1) * period <= end).length - seen;
          assert.equal(e.updates, expected);
          seen += expected;
        });
      }),
    );
  });

  it('averages a MAPPO run\'s diagnostics per episode: the learning agent has them, the other has none', async () => {
    const data = await loadDataset('sim:gsm8k?n=240&seed=3');
    const run = trainRlFocal(data, { algorithm: 'mappo', window: 20, deciderEpisodes: 2, fusionEpisodes: 2, updatePeriod: 40, seed: 1 });
    const d = runDiagnostics(run);
    assert.equal(d.decider.reduce((s, e) => s + e.updates, 0), run.diagnostics.decider.length);
    assert.equal(d.fusion.reduce((s, e) => s + e.updates, 0), run.diagnostics.fusion.length);
    for (const e of d.decider) {
      assert.ok(e.updates > 0);
      assert.ok(Number.isFinite(e.decider.approxKl) && e.decider.clipFraction >= 0 && e.decider.clipFraction <= 1 && e.decider.entropy > 0);
      assert.ok(Number.isNaN(e.fusion.approxKl));
    }
    for (const e of d.fusion) {
      assert.ok(Number.isFinite(e.fusion.approxKl) && e.fusion.entropy >= 0);
      assert.ok(Number.isNaN(e.decider.approxKl));
    }
  });
});
