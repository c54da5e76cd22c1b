import assert from 'node:assert/strict';
import { loadLabelledPool, poolOverview } from '../../src/experiments/tour';
import { simulatedPool, type LabelledPool } from '../../src/experiments/table1-pools';
import type { Dataset } from '../../src/data/dataset';

describe('experiments/tour', () => {
  let pool: LabelledPool;
  let data: Dataset;
  before(() => {
    pool = simulatedPool('bbh', { nQueries: 300, seed: 2 });
    data = pool.data;
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
