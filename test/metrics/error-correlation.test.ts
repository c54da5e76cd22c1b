import assert from 'node:assert/strict';
import { errorCorrelationMatrix } from '../../src/metrics/error-correlation';
import { simulatePool } from '../../src/sim/simulator';

function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < a.length; k++) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) ** 2;
    sbb += (b[k] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('metrics/error-correlation', () => {
  const data = simulatePool({ benchmark: 'bbh', nQueries: 300, seed: 2 });

  it('error correlation matrix = Pearson of the error indicators, symmetric with a unit diagonal', () => {
    const all = Int32Array.from({ length: data.nQueries }, (_, t) => t);
    const m = errorCorrelationMatrix(data, all);
    const N = data.nModels;
    const errors = (i: number) => Array.from(all, (t) => 1 - data.correct[t * N + i]);
    for (let i = 0; i < N; i++) {
      assert.ok(Math.abs(m[i * N + i] - 1) < 1e-12);
      for (let j = 0; j < N; j++) {
        assert.equal(m[i * N + j], m[j * N + i]);
        assert.ok(Math.abs(m[i * N + j] - pearson(errors(i), errors(j))) < 1e-9);
      }
    }
  });
});
