import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST } from '../../src/data/dataset';
import { DataFormatError } from '../../src/data/errors';
import { loadSharedPool, SHARED_DATA_DIR, SHARED_POOL_NAMES, sharedPoolAvailable } from '../../src/data/shared-pools';
import { loadDataset } from '../../src/sources/data-source';

/** Test-split accuracy of each model, by id, as the pool's figures.json computes it (micro, abstention wrong). */
function testAccuracies(data: Awaited<ReturnType<typeof loadSharedPool>>): Map<string, number> {
  const out = new Map<string, number>();
  let n = 0;
  const correct = new Float64Array(data.nModels);
  for (let t = 0; t < data.nQueries; t++) {
    if (data.split[t] !== TEST) continue;
    n++;
    for (let i = 0; i < data.nModels; i++) if (data.predictions[t * data.nModels + i] === data.labels[t]) correct[i]++;
  }
  data.models.forEach((m, i) => out.set(m.id, correct[i] / n));
  return out;
}

describe('data/shared-pools', () => {
  for (const name of SHARED_POOL_NAMES) {
    const run = sharedPoolAvailable(name) ? it : it.skip;
    run(`${name} loads by name and its best test model matches figures.json`, async function () {
      this.timeout(20_000);
      const data = await loadDataset(name);
      assert.equal(data.provenance.kind, 'real');
      const figures = JSON.parse(readFileSync(join(SHARED_DATA_DIR, name, 'figures.json'), 'utf8'));
      const best = Math.max(...testAccuracies(data).values());
      const text = JSON.stringify(figures);
      // Every figures.json states the test accuracy of each model with 6 decimals; the best one must be among them.
      assert.ok(text.includes(best.toFixed(6).replace(/0+$/, '')), `${name}: best test accuracy ${best.toFixed(6)} not in figures.json`);
    });
  }

  (sharedPoolAvailable('gsm8k-zeroeval-43') ? it : it.skip)('gsm8k-zeroeval-43 states the questions it excludes', async () => {
    const data = await loadSharedPool('gsm8k-zeroeval-43');
    assert.equal(data.nModels, 43);
    assert.match(data.provenance.notes?.join(' ') ?? '', /\d+ of 1319 questions excluded/);
    const wider = await loadDataset('gsm8k-zeroeval-43?k=20');
    assert.ok(wider.nQueries >= data.nQueries);
    assert.equal(data.provenance.answerSlots, undefined, 'neutral slot order by default');
    const authors = await loadDataset('gsm8k-zeroeval-43?slotOrder=pool-count');
    assert.equal(authors.provenance.answerSlots, 'pool-ordered');
    assert.deepEqual(Array.from(authors.correct), Array.from(data.correct), 'the order moves slots, not who is right');
  });

  (sharedPoolAvailable('mmlu-redux-14') ? it : it.skip)('mmlu-redux-14 ?labels=redux reads label_redux', async () => {
    const original = await loadDataset('mmlu-redux-14');
    const redux = await loadDataset('mmlu-redux-14?labels=redux');
    let differ = 0;
    for (let t = 0; t < original.nQueries; t++) if (original.labels[t] !== redux.labels[t]) differ++;
    assert.ok(differ > 0, 'the Redux key corrects some questions');
    assert.deepEqual(Array.from(redux.predictions), Array.from(original.predictions));
  });

  it('bad pool parameters name the field', async () => {
    for (const [spec, field] of [
      ['mmlu-helm-10?labels=redux', 'labels'],
      ['emotion-11?k=4', 'k'],
      ['gsm8k-zeroeval-43?k=1', 'k'],
      ['gsm8k-zeroeval-43?slotOrder=count', 'slotOrder'],
      ['emotion-11?slotOrder=neutral', 'slotOrder'],
      ['bbh?label=rlfocal', 'label'],
    ] as const) {
      await assert.rejects(loadDataset(spec), (e: unknown) => e instanceof DataFormatError && e.field === field, spec);
    }
  });
});
