import assert from 'node:assert/strict';
import { errorCorrelationMatrix, loadLabelledPool, poolOverview } from '../../src/experiments/tour';
import { simulatedPool, type LabelledPool } from '../../src/experiments/table1-pools';
import type { Dataset } from '../../src/data/dataset';

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

describe('experiments/tour', () => {
  let pool: LabelledPool;
  let data: Dataset;
  before(() => {
    pool = simulatedPool('bbh', { nQueries: 300, seed: 2 });
    data = pool.data;
  });

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

  it('pool overview reports each model with its split accuracies', () => {
    const out = poolOverview(pool);
    const rows = out.tables[0].rows;
    const test = data.modelAccuracies(data.splitIndices('test'));
    assert.equal(rows.length, data.nModels);
    rows.forEach((r, i) => assert.ok(Math.abs((r.test_accuracy as number) - test[i]) < 1e-4));
    assert.equal(out.figures[0].name, 'tour-sim-bbh-error-correlation');
  });

  it('labels a simulated data spec with its benchmark and provenance', async () => {
    const p = await loadLabelledPool('sim:gpqa?n=100&seed=4');
    assert.equal(p.key, 'sim-gpqa');
    assert.equal(p.title, 'GPQA (simulated)');
    assert.match(p.provenance, /^simulated pool \(gpqa/);
    assert.equal(p.data.provenance.kind, 'simulated');
  });
});
