import assert from 'node:assert/strict';
import { scalabilityExperiment, scalabilityFigure, type ScalabilityPoint } from '../../src/experiments/scalability';
import { fitPowerLaw } from '../../src/stats/regression';
import { summarizeSeeds } from '../../src/stats/seeds';

describe('experiments/scalability', () => {
  it('replays the pool k times: N = 8k models, one row per k, time ratios relative to the smallest pool', async () => {
    const result = await scalabilityExperiment({
      data: 'sim:gsm8k?n=240&seed=3',
      replicas: [1, 2],
      seeds: [1],
      config: { window: 20, deciderEpisodes: 1, fusionEpisodes: 1, updatePeriod: 40 },
      workers: 0,
    });
    const rows = result.tables[0].rows;
    assert.deepEqual(rows.map((r) => r.pool_size), [8, 16]);
    assert.equal(rows[0].time_vs_smallest_pool, 1);
    assert.equal(result.fit.points, 2);
    assert.match(result.tables[0].provenance, /np\.random\.normal/);
    assert.equal(result.label, 'simulated pool, replayed ×1/2');
    assert.match(result.tables[0].title, /simulated pool, replayed/);
  });

  it('draws several curves in one figure, each legend naming its provenance', () => {
    const point = (poolSize: number, accuracy: number, seconds: number): ScalabilityPoint => ({
      replicas: poolSize / 43,
      poolSize,
      accuracy: summarizeSeeds([accuracy]),
      warmStartSeconds: summarizeSeeds([seconds]),
      callsPerQuery: summarizeSeeds([1]),
      runs: [],
    });
    const real = { label: 'real recorded outputs, replicated ×1/2/3', points: [point(43, 90, 2), point(86, 91, 3), point(129, 90, 4)], fit: fitPowerLaw([43, 86, 129], [2, 3, 4]) };
    const sim = { label: 'simulated pool, replayed ×1/2', points: [point(8, 70, 1), point(16, 71, 1.5)], fit: fitPowerLaw([8, 16], [1, 1.5]) };
    const figure = scalabilityFigure([sim, real]);
    const names = (figure.data as Array<{ name: string; x: number[]; y: number[] }>).map((d) => d.name);
    assert.ok(names.some((n) => n.startsWith('ours: simulated pool')));
    assert.ok(names.some((n) => n.startsWith('ours: real recorded outputs, replicated ×1/2/3')));
    const realTime = (figure.data as Array<{ name: string; y: number[] }>).filter((d) => d.name.startsWith('ours: real'))[1];
    assert.deepEqual(realTime.y, [1, 1.5, 2]);
  });
});
