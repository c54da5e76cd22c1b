import assert from 'node:assert/strict';
import fc from 'fast-check';
import { figureMimeBundle } from '../../src/notebook/display';
import { logAxisTicks } from '../../src/figures/axes';
import { paretoFront } from '../../src/figures/accuracy-cost';
import { placeLabels } from '../../src/figures/place-labels';
import { methodsAccuracyCostFigure } from '../../src/experiments/tour';
import type { MethodKind } from '../../src/eval/method-kind';
import type { MethodResult } from '../../src/eval/result';

const method = (name: string, accuracy: number, cost: number, kind: MethodKind = 'single') =>
  ({ kind, method: name, accuracy, cost: { costPer1000: cost } }) as unknown as MethodResult;

describe('figures: log ticks, label placement, the notebook mime bundle', () => {
  it('log-axis ticks are 1-2-5 values (or decades) inside the range, labelled in full', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e5, noNaN: true }), fc.double({ min: 1.01, max: 1e4, noNaN: true }), (min, factor) => {
        const max = min * factor;
        const { tickvals, ticktext } = logAxisTicks(min, max);
        assert.ok(tickvals.length >= 2);
        for (const v of tickvals) assert.ok(v >= min / 1.0001 && v <= max * 1.0001, `${v} outside [${min}, ${max}]`);
        assert.deepEqual([...tickvals].sort((a, b) => a - b), tickvals);
        if (Math.log10(factor) > 2) for (const v of tickvals) assert.ok(Number.isInteger(Math.log10(v)) || tickvals.length === 2);
        // No bare digits for minor ticks: every label is the tick's value.
        ticktext.forEach((t, k) => assert.equal(Number(t.replace(/ /g, '')), tickvals[k]));
      }),
    );
    assert.deepEqual(logAxisTicks(70, 5000).tickvals, [100, 200, 500, 1000, 2000, 5000].filter((v) => v <= 5000));
  });

  it('the Pareto front holds exactly the methods no other one beats on both cost and accuracy', () => {
    const point = (name: string, accuracy: number, cost: number) => ({ name, accuracy, cost });
    const ms = [point('a', 0.5, 100), point('b', 0.6, 200), point('c', 0.55, 300), point('d', 0.7, 900), point('e', 0.4, 50)];
    assert.deepEqual([...paretoFront(ms)].map((m) => m.name).sort(), ['a', 'b', 'd', 'e']);
  });

  it('placed labels do not overlap each other when the points leave room', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ px: fc.integer({ min: 100, max: 800 }), py: fc.integer({ min: 60, max: 400 }) }), { minLength: 1, maxLength: 6 }), (pts) => {
        // Points at least 80 px apart: enough room for a short label somewhere around each.
        const spread = pts.filter((p, k) => pts.slice(0, k).every((q) => Math.hypot(p.px - q.px, p.py - q.py) > 80));
        const labels = spread.map((p) => ({ ...p, text: 'label', fontSize: 10 }));
        const places = placeLabels(labels, spread);
        const boxes = places.map((c, k) => {
          const w = 0.58 * 10 * 5;
          const cx = labels[k].px + c.xshift;
          const cy = labels[k].py - c.yshift;
          const x0 = c.xanchor === 'left' ? cx : c.xanchor === 'right' ? cx - w : cx - w / 2;
          return { x0, x1: x0 + w, y0: cy - 6.5, y1: cy + 6.5 };
        });
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i];
            const b = boxes[j];
            assert.ok(!(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1), 'two labels overlap');
          }
        }
      }),
    );
  });

  it('the accuracy-vs-cost figure labels RL-Focal and the Pareto front only, with explicit log ticks', () => {
    const ms = [method('RL-Focal', 0.57, 730, 'rl-focal'), method('single: x', 0.5, 80), method('plurality vote', 0.5, 1400, 'vote'), method('best single', 0.51, 480, 'best-single')];
    const spec = methodsAccuracyCostFigure('t', ms, 'title');
    const labels = ((spec.layout as any).annotations as Array<{ text: string }>).map((a) => a.text).sort();
    assert.deepEqual(labels, ['RL-Focal', 'best single', 'single: x']);
    const xaxis = (spec.layout as any).xaxis;
    assert.equal(xaxis.tickmode, 'array');
    assert.ok(xaxis.tickvals.includes(100) && xaxis.tickvals.includes(1000));
  });

  it('a figure is displayed as one output with the PNG and an HTML box that draws it with the local plotly', () => {
    const bundle = figureMimeBundle({ name: 'f', data: [{ type: 'scatter', x: [1], y: ['</script>'] }], layout: {} }, Buffer.from('png'));
    assert.equal(bundle['image/png'], Buffer.from('png').toString('base64'));
    assert.match(bundle['text/html'], /<img src="data:image\/png;base64,cG5n"/);
    assert.match(bundle['text/html'], /nbextensions\/rl-focal-plotly\/plotly/);
    assert.doesNotMatch(bundle['text/html'], /https?:\/\//);
    // Data cannot close the script element early.
    assert.equal(bundle['text/html'].split('</script>').length, 2);
  });
});
