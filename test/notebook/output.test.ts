import assert from 'node:assert/strict';
import { cellNumber, fixedText } from '../../src/notebook/output';

describe('notebook/output', () => {
  it('fixedText prints finite numbers with the given decimals and anything else as n/a', () => {
    assert.equal(fixedText(0.12345), '0.123');
    assert.equal(fixedText(-2, 2), '-2.00');
    for (const v of [NaN, Infinity, null, undefined, '0.5']) assert.equal(fixedText(v), 'n/a');
  });

  it('cellNumber reads finite numbers back and everything else (null for an undefined statistic) as NaN', () => {
    assert.equal(cellNumber(0.25), 0.25);
    for (const v of [null, 'x', NaN, -Infinity, true]) assert.ok(Number.isNaN(cellNumber(v)));
  });
});
