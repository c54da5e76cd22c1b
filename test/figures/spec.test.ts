import assert from 'node:assert/strict';
import fc from 'fast-check';
import { barFigure } from '../../src/figures/bar';
import { lineWithBandFigure } from '../../src/figures/line-band';
import { scatterFigure } from '../../src/figures/scatter';
import { PALETTE, checkFigureName } from '../../src/figures/spec';

type Trace = Record<string, unknown> & { x: unknown[]; y: unknown[] };

describe('figures/spec', () => {
  it('accepts file-safe names and rejects anything that would change the path', () => {
    for (const ok of ['table-1', 'fig2_a.b', 'A9']) assert.equal(checkFigureName(ok), ok);
    for (const bad of ['', 'a/b', '../x', 'two words', 'é']) assert.throws(() => checkFigureName(bad), /figure name/);
  });

  it('scatter copies typed arrays into plain arrays and checks lengths', () => {
    const spec = scatterFigure('s', [{ name: 'a', x: Float64Array.of(1, 2, 3), y: Int32Array.of(4, 5, 6) }], {
      xTitle: 'x',
      yTitle: 'y',
    });
    const trace = spec.data[0] as Trace;
    assert.ok(Array.isArray(trace.x) && Array.isArray(trace.y));
    assert.deepEqual(trace.y, [4, 5, 6]);
    assert.throws(
      () => scatterFigure('s', [{ name: 'a', x: [1, 2], y: [1] }]),
      /series "a" y has 1 values, expected 2/,
    );
    assert.throws(() => scatterFigure('s', [{ name: 'a', x: [1, 2], y: [1, 2], text: ['only one'] }]), /text/);
  });

  it('band is a closed polygon from the upper edge out and the lower edge back, under its line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ min: 0, max: 10, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        (points) => {
          const x = points.map((_, k) => k);
          const mean = points.map(([m]) => m);
          const lower = points.map(([m, w]) => m - w);
          const upper = points.map(([m, w]) => m + w);
          const spec = lineWithBandFigure('band', [{ name: 's', x, mean, lower, upper }]);
          const [band, line] = spec.data as Trace[];
          assert.equal(band.fill, 'toself');
          assert.deepEqual(band.x, [...x, ...x.slice().reverse()]);
          assert.deepEqual(band.y, [...upper, ...lower.slice().reverse()]);
          assert.deepEqual(line.y, mean);
          assert.equal((line.line as { color: string }).color, PALETTE[0]);
        },
      ),
    );
  });

  it('band rejects lower > upper, naming the series and point', () => {
    assert.throws(
      () => lineWithBandFigure('b', [{ name: 'seed-avg', x: [0, 1], mean: [1, 1], lower: [0, 2], upper: [2, 1.5] }]),
      /series "seed-avg" point 1: lower 2 exceeds upper 1.5/,
    );
  });

  it('bar groups one bar per series per category, with optional error bars', () => {
    const spec = barFigure('bars', ['a', 'b'], [
      { name: 'one', values: [1, 2], error: [0.1, 0.2] },
      { name: 'two', values: Float32Array.of(3, 4) },
    ]);
    const [one, two] = spec.data as Trace[];
    assert.equal((spec.layout as { barmode: string }).barmode, 'group');
    assert.deepEqual(one.x, ['a', 'b']);
    assert.deepEqual((one.error_y as { array: number[] }).array, [0.1, 0.2]);
    assert.equal(two.error_y, undefined);
    assert.notEqual((one.marker as { color: string }).color, (two.marker as { color: string }).color);
    assert.throws(() => barFigure('bars', ['a', 'b'], [{ name: 'x', values: [1] }]), /series "x" values/);
  });
});
