import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { accuracyCostFigure } from '../../src/figures/accuracy-cost';
import { barFigure } from '../../src/figures/bar';
import { matrixHeatmap } from '../../src/figures/heatmap';
import { lineWithBandFigure } from '../../src/figures/line-band';
import { panelFigure } from '../../src/figures/panels';
import { routerCurvesFigure } from '../../src/figures/router-curves';
import { scatterFigure } from '../../src/figures/scatter';
import { seriesColor, type FigureSpec } from '../../src/figures/spec';
import { withSubtitleRoom } from '../../src/figures/subtitle-room';
import { matchSnapshot, roundSignificant, snapshotText, UPDATE_COMMAND } from './snapshot';

/** Every figure builder on a small fixed input (non-round numbers, a typed array, a missing value where allowed). */
const SPECS: ReadonlyArray<() => FigureSpec> = [
  () =>
    scatterFigure(
      'snapshot-scatter',
      [
        { name: 'ours', x: Float64Array.of(1, 2, 3), y: [0.1 + 0.2, Math.PI, Math.E], text: ['a', 'b', 'c'] },
        { name: 'paper', x: [1, 3], y: [1 / 3, 2 / 3], mode: 'lines' },
      ],
      { title: 'scatter', xTitle: 'x', yTitle: 'y', xLog: true, xRange: [0.5, 5], width: 400, height: 300 },
    ),
  () =>
    lineWithBandFigure('snapshot-line-band', [{ name: 'accuracy', x: [0, 1, 2], mean: [50, 55.5, 61.25], lower: [48, 53.1, 60], upper: [52, 57.9, 62.5] }], {
      xTitle: 'episode',
      yTitle: '%',
      yRange: [40, 70],
    }),
  () =>
    withSubtitleRoom(
      barFigure('snapshot-bar', ['phi-2', 'gemma-7b'], [{ name: 'corrected', values: [41.23456789, 52.5], error: [1.5, 0.25] }, { name: 'original', values: [40, 50] }], {
        title: 'bars<br><sub>with a subtitle</sub>',
        yTitle: 'accuracy (%)',
      }),
      { slant: true },
    ),
  () =>
    panelFigure(
      'snapshot-panels',
      [
        {
          title: 'accuracy',
          yTitle: '%',
          series: [
            { name: 'ours', x: [0.2, 0.6, 1], y: [60.1234, null, 62.5], error: [0.5, null, 0.75] },
            { name: 'paper', x: [0.2, 1], y: [61, 63], style: 'paper', color: 3 },
          ],
          yRange: [55, 65],
        },
        {
          title: 'cost',
          yTitle: '¢',
          series: [
            { name: 'ours', x: [0.2, 0.6, 1], y: [400, 380, 350.5] },
            { name: 'calls', x: [0.2, 0.6, 1], y: [2.5, 2.25, 2], secondary: true, mode: 'lines' },
          ],
          y2Title: 'calls',
        },
      ],
      { title: 'panels', xTitle: 'alpha', xType: 'category' },
    ),
  () =>
    matrixHeatmap('snapshot-heatmap', ['m1', 'm2'], ['m1', 'm2', 'm3'], Float64Array.of(1, -0.123456789, NaN, 0.5, 1, 0.25), {
      title: 'heatmap',
      colorbar: 'r',
      zRange: [-1, 1],
    }),
  () =>
    routerCurvesFigure(
      'snapshot-router-curves',
      [
        { name: 'router a → b', x: [10, 20, 30], y: [40, 45.5, 50], chosen: { x: 20, y: 45.5 } },
        { name: 'router c → b', x: [12, 25], y: [42, 48], chosen: { x: 25, y: 48 } },
      ],
      [
        { name: 'single models', x: [10, 30], y: [40, 50], text: ['a', 'b'], color: 7, size: 8 },
        { name: 'RL-Focal (one point per seed)', x: [22.2, 23.3], y: [49.1, 50.2], color: 3, size: 13, symbol: 'star', outline: 'dark' },
        { name: 'votes-only', x: [21], y: [47], color: 4, size: 12, symbol: 'star-open', outline: 'own' },
      ],
      { title: 'routers', xTitle: 'cost', yTitle: 'accuracy (%)', chosenName: 'threshold chosen on train' },
    ),
  () =>
    accuracyCostFigure(
      'snapshot-accuracy-cost',
      [
        { name: 'RL-Focal', color: seriesColor(3), size: 14 },
        { name: 'others', color: seriesColor(0), size: 10 },
      ],
      [
        { name: 'RL-Focal', cost: 730.25, accuracy: 0.5712, group: 0, label: 'RL-Focal', alwaysLabelled: true, highlight: true },
        { name: 'single: a (chosen on train)', cost: 80, accuracy: 0.5, group: 1, label: 'single: a' },
        { name: 'free method', cost: 0, accuracy: 0.45, group: 1, label: 'free' },
        { name: 'dear vote', cost: 1400, accuracy: 0.5, group: 1, label: 'dear vote' },
        { name: 'best single', cost: 480, accuracy: 0.51, group: 1, label: 'best single' },
      ],
      { title: 'accuracy vs cost', xTitle: 'cost (log)' },
    ),
];

describe('figures: spec snapshots', () => {
  for (const build of SPECS) {
    const spec = build();
    it(`${spec.name} matches test/figures/snapshots/${spec.name}.json`, () => matchSnapshot(spec));
  }

  it('every snapshot file belongs to a builder above (none left over from a removed one)', () => {
    const names = new Set(SPECS.map((b) => `${b().name}.json`));
    const dir = path.join(__dirname, 'snapshots');
    for (const file of fs.readdirSync(dir)) assert.ok(names.has(file), `${file} has no builder in snapshots.test.ts`);
  });

  it('numbers are compared at 6 significant digits', () => {
    assert.deepEqual(roundSignificant({ a: [0.1 + 0.2, 123456789, -1e-9], b: Float64Array.of(Math.PI), c: 'x', d: null, e: -0 }), {
      a: [0.3, 123457000, -1e-9],
      b: [3.14159],
      c: 'x',
      d: null,
      e: 0,
    });
  });

  it('a missing snapshot fails and says how to create it; UPDATE_SNAPSHOTS=1 writes it; a changed spec fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshots-'));
    try {
      const spec = SPECS[0]();
      assert.throws(() => matchSnapshot(spec, dir, {}), (e: Error) => e.message.includes('no snapshot') && e.message.includes(UPDATE_COMMAND));
      matchSnapshot(spec, dir, { UPDATE_SNAPSHOTS: '1' });
      assert.equal(fs.readFileSync(path.join(dir, `${spec.name}.json`), 'utf8'), snapshotText(spec));
      matchSnapshot(spec, dir, {});
      const changed = { ...spec, width: 401 };
      assert.throws(() => matchSnapshot(changed, dir, {}), /differs from its snapshot/);
      const reordered = { height: spec.height, ...spec };
      assert.throws(() => matchSnapshot(reordered as FigureSpec, dir, {}), /another key order/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
