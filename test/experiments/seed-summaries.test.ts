import assert from 'node:assert/strict';
import { summarizeSeeds } from '../../src/stats/seeds';
import { curveBand, formatPercentSe } from '../../src/experiments/seed-summaries';

describe('experiments/seed-summaries', () => {
  it('formats mean ± SE in percent, and the mean alone for one seed', () => {
    assert.equal(formatPercentSe(summarizeSeeds([0.5, 0.6])), '55.00 ± 5.00');
    assert.equal(formatPercentSe(summarizeSeeds([0.5])), '50.00');
    assert.equal(formatPercentSe(summarizeSeeds([])), 'n/a');
  });

  it('curveBand gives the per-episode mean and sample std, cut to the shortest curve', () => {
    const band = curveBand([
      [{ episode: 1, accuracy: 0.2, meanTeamSize: 1 }, { episode: 2, accuracy: 0.4, meanTeamSize: 1 }],
      [{ episode: 1, accuracy: 0.4, meanTeamSize: 1 }],
    ]);
    assert.deepEqual(band.episode, [1]);
    assert.ok(Math.abs(band.mean[0] - 0.3) < 1e-12);
    assert.ok(Math.abs(band.std[0] - Math.SQRT2 * 0.1) < 1e-12);
  });
});
