import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import fc from 'fast-check';
import { TEST } from '../../src/data/dataset';
import { readRecordedOutputs } from '../../src/data/recorded';
import { datasetFromTable, datasetToCsv, datasetToTable, readDatasetArrow, readDatasetCsv, writeDatasetArrow, writeDatasetCsv } from '../../src/data/tables';
import { arbitraryDataset, assertSameColumns } from './arbitrary';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'rl-focal-tables-'));
}

describe('CSV / Arrow long layout (arquero)', function () {
  it('one row per (question, model, choice) with the documented columns', async function () {
    const data = await readRecordedOutputs(join(__dirname, 'fixtures/recorded-abstentions'));
    const table = datasetToTable(data);
    assert.deepEqual(table.columnNames(), ['query_id', 'task', 'subtask', 'split', 'label', 'model', 'choice', 'score']);
    assert.equal(table.numRows(), 3 * (3 + 2 + 4 + 2));
    const csv = datasetToCsv(data);
    assert.equal(csv.split('\n')[1], 'arith/add/train/0,arith,add,train,1,acme/large-70b,0,0');
  });

  for (const format of ['csv', 'arrow'] as const) {
    it(`${format}: any dataset round-trips exactly (given its provenance)`, function () {
      const dir = tempDir();
      try {
        fc.assert(
          fc.property(arbitraryDataset, (original) => {
            const file = join(dir, `data.${format}`);
            const options = { provenance: original.provenance, modelInfo: [...original.models] };
            let back;
            if (format === 'csv') {
              writeDatasetCsv(original, file);
              back = readDatasetCsv(file, options);
            } else {
              writeDatasetArrow(original, file);
              back = readDatasetArrow(file, options);
            }
            assertSameColumns(back, original);
            for (let t = 0; t < original.nQueries; t++) {
              assert.equal(back.queryIds![t], original.queryIds ? original.queryIds[t] : `q${t}`);
            }
          }),
          { numRuns: 40 },
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('imports log-likelihoods, keeps "007" as an id, labels the provenance as assumed', function () {
    const dir = tempDir();
    try {
      const file = join(dir, 'mine.csv');
      writeFileSync(
        file,
        [
          'query_id,task,subtask,split,label,model,choice,score',
          '007,quiz,geo,test,1,a,0,-2.0',
          '007,quiz,geo,test,1,a,1,-0.5',
          '007,quiz,geo,test,1,b,1,-0.1',
          '007,quiz,geo,test,1,b,0,-0.1',
          '007,quiz,geo,test,1,c,0,-9',
          '007,quiz,geo,test,1,c,1,-1',
        ].join('\n') + '\n',
      );
      const data = readDatasetCsv(file, { scoreKind: 'loglik', models: ['b', 'a'] });
      assert.deepEqual(data.queryIds, ['007']);
      assert.deepEqual(data.models.map((m) => m.id), ['b', 'a'], 'model c not requested, not read');
      assert.deepEqual(Array.from(data.predictions), [0, 1], 'b ties -> lowest index');
      assert.equal(data.split[0], TEST);
      assert.deepEqual(data.provenance.notes, ['kind assumed "real": CSV/Arrow tables do not record provenance']);
      assert.throws(() => readDatasetCsv(file), /mine\.csv:2 \(field "score"\): negative score -2 but the score kind is "prob"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a CSV with a UTF-8 byte-order mark (as Excel writes) and trailing blank lines', function () {
    const dir = tempDir();
    try {
      const file = join(dir, 'excel.csv');
      const rows = ['query_id,task,subtask,split,label,model,choice,score', 'q1,quiz,geo,test,1,a,0,0.2', 'q1,quiz,geo,test,1,a,1,0.8'];
      writeFileSync(file, '\uFEFF' + rows.join('\r\n') + '\r\n\r\n\n');
      const data = readDatasetCsv(file);
      assert.equal(data.nQueries, 1);
      assert.deepEqual(data.queryIds, ['q1']);
      assert.deepEqual(Array.from(data.predictions), [1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds from an in-memory arquero table', function () {
    const table = aq.table({
      query_id: ['x', 'x', 'x', 'x'],
      task: ['t', 't', 't', 't'],
      subtask: ['s', 's', 's', 's'],
      split: ['train', 'train', 'train', 'train'],
      label: [0, 0, 0, 0],
      model: ['m', 'm', 'n', 'n'],
      choice: [0, 1, 0, 1],
      score: [3, 1, 0, 0],
    });
    const data = datasetFromTable(table);
    assert.deepEqual(Array.from(data.probRow(0, 0)), [0.75, 0.25]);
    assert.deepEqual(Array.from(data.predictions), [0, -1]);
  });
});
