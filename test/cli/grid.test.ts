import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { withOverrides, parseSetOption } from '../../src/cli/config-input';
import { parseLocatedJson } from '../../src/cli/json-input';
import { parseGrid, parseShard } from '../../src/cli/sweep/grid';
import { canonicalJson, cellsOfShard, expandGrid } from '../../src/runs/grid';

const grid = (doc: unknown) => parseGrid(parseLocatedJson(JSON.stringify(doc, null, 1), 'grid.json'));

describe('cli/sweep/grid', () => {
  it('expands configs first-key-slowest with seeds innermost; ids depend on content, not order', () => {
    const cells = expandGrid(grid({ grid: { alpha: [0.6, 1], window: [100, 500] }, seeds: [3, 4] }));
    assert.equal(cells.length, 8);
    assert.deepEqual(cells.slice(0, 3).map((c) => [c.overrides, c.seed]), [
      [{ alpha: 0.6, window: 100 }, 3],
      [{ alpha: 0.6, window: 100 }, 4],
      [{ alpha: 0.6, window: 500 }, 3],
    ]);
    assert.deepEqual(cells.map((c) => c.index), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(new Set(cells.map((c) => c.id)).size, 8);
    assert.equal(cells[0].configId, cells[1].configId);
    const swapped = expandGrid(grid({ grid: { window: [100, 500], alpha: [0.6, 1] }, seeds: [3, 4] }));
    assert.deepEqual(new Set(swapped.map((c) => c.id)), new Set(cells.map((c) => c.id)));
  });

  it('shards partition the cells whatever the grid and shard count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 7 }), (a, b, seeds, n) => {
        const cells = expandGrid(grid({ grid: { a: Array.from({ length: a }, (_, i) => i), b: Array.from({ length: b }, (_, i) => `v${i}`) }, seeds }));
        const parts = Array.from({ length: n }, (_, i) => cellsOfShard(cells, { index: i + 1, count: n }));
        const seen = parts.flat().map((c) => c.id).sort();
        assert.deepEqual(seen, cells.map((c) => c.id).sort());
        for (const part of parts) assert.ok(part.length >= Math.floor(cells.length / n) && part.length <= Math.ceil(cells.length / n));
      }),
    );
  });

  it('rejects bad grids with the field and line', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ grid: { a: [] } }, /grid\.a must be a non-empty array/],
      [{ grid: { a: [1, 1] } }, /lists 1 twice/],
      [{ grid: { a: [1] }, base: { a: 2 } }, /both fixed in base and swept/],
      [{ grid: { a: [1] }, seeds: 0 }, /integer >= 1/],
      [{ grid: { a: [1] }, seeds: [1, 1] }, /seed 1 is listed twice/],
      [{ grid: { a: [1] }, sedes: 2 }, /unknown member "sedes"/],
      [[1], /a grid file is a JSON object/],
    ];
    for (const [doc, pattern] of bad) assert.throws(() => grid(doc), pattern);
    assert.throws(() => grid({ grid: { a: [1] }, seeds: [0, -1] }), (e: any) => e.field === 'seeds[1]' && e.line === 9);
  });

  it('parses shards 1-based and rejects out-of-range ones', () => {
    assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1-3', 'x']) assert.throws(() => parseShard(bad), /--shard|out of range|expected i\/n/);
  });

  it('canonical JSON ignores key order', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] }), canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
  });

  it('applies dotted overrides without touching siblings', () => {
    const base = { decider: { lr: 1e-3, hidden: 128 }, alpha: 1 };
    const merged = withOverrides(base, [parseSetOption('decider.lr=0.01'), parseSetOption('preset=bbh'), ['weights', { focal: 0.5 }]]);
    assert.deepEqual(merged, { decider: { lr: 0.01, hidden: 128 }, alpha: 1, preset: 'bbh', weights: { focal: 0.5 } });
    assert.deepEqual(base.decider.lr, 1e-3);
    assert.throws(() => parseSetOption('novalue'), /expected key=value/);
    assert.throws(() => parseSetOption('bad key=1'), /not a config key/);
  });
});
