import assert from 'node:assert/strict';
import { matrixHeatmap } from '../../src/figures/heatmap';

describe('figures/heatmap', () => {
  it('heatmaps refuse a matrix of the wrong size', () => {
    assert.throws(() => matrixHeatmap('x', ['a', 'b'], ['c'], [1, 2, 3], { title: '', colorbar: '', zRange: [0, 1] }), /3 values for 2 x 1 cells/);
  });

  it('prints each value in its cell and leaves non-finite cells empty (null, not NaN, in the JSON)', () => {
    const spec = matrixHeatmap('h', ['a', 'b'], ['c', 'd'], [0.5, NaN, -0.25, 1], { title: 't', colorbar: 'r', zRange: [-1, 1] });
    const trace = spec.data[0] as { z: unknown[][]; text: string[][] };
    assert.deepEqual(trace.z, [[0.5, null], [-0.25, 1]]);
    assert.deepEqual(trace.text, [['0.50', ''], ['-0.25', '1.00']]);
  });
});
