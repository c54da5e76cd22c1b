import assert from 'node:assert/strict';
import * as aq from 'arquero';
import fc from 'fast-check';
import type { ColumnTable } from 'arquero';
import { MISSING, displayTableHtml, displayTableMarkdown, formatTableForDisplay } from '../../src/notebook/table-display';

const table = (rows: object[]) => aq.from(rows) as ColumnTable;

describe('notebook/table-display', () => {
  it('keeps one fixed number of decimals per numeric column and shows missing values as a dash', () => {
    const t = formatTableForDisplay(table([
      { method: 'a', acc: 34, cost: 480, note: null },
      { method: 'b', acc: 33.75, cost: NaN, note: 'x' },
      { method: null, acc: null, cost: 1405.5, note: 'y' },
    ]), 50);
    assert.deepEqual(t.columns, ['method', 'acc', 'cost', 'note']);
    assert.deepEqual(t.numeric, [false, true, true, false]);
    assert.deepEqual(t.cells, [
      ['a', '34.00', '480.0', MISSING],
      ['b', '33.75', MISSING, 'x'],
      [MISSING, MISSING, '1405.5', 'y'],
    ]);
  });

  it('caps decimals, cuts rows at the limit, and escapes HTML and Markdown', () => {
    const t = formatTableForDisplay(table([{ x: 1 / 3, s: '<b>|' }, { x: 2, s: 'ok' }, { x: 3, s: 'cut' }]), 2);
    assert.deepEqual(t.cells, [['0.3333', '<b>|'], ['2.0000', 'ok']]);
    assert.match(displayTableHtml(t), /<td style="text-align:left;white-space:normal">&lt;b&gt;\|<\/td>/);
    assert.equal(displayTableMarkdown(t).split('\n')[2], '|0.3333|<b>\\||');
  });

  it('every number of a column shows the same decimals and rounds to the value (seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }), (xs) => {
        const t = formatTableForDisplay(table(xs.map((x) => ({ x }))), 100);
        const decimals = new Set(t.cells.map(([c]) => (c.split('.')[1] ?? '').length));
        assert.equal(decimals.size, 1);
        t.cells.forEach(([c], i) => assert.ok(Math.abs(Number(c) - xs[i]) <= 0.5e-4 * Math.max(1, Math.abs(xs[i]))));
      }),
    );
  });
});
