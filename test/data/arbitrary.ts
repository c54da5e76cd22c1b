import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Dataset, TEST, TRAIN, type ModelInfo } from '../../src/data/dataset';

/**
 * Random datasets for round-trip properties: 1-4 models (the first with full metadata), 1-25 queries of 2-6
 * choices over three subtasks, normalised rows with some abstentions (all-zero rows), optional query ids.
 */
export const arbitraryDataset = fc
  .record({
    nModels: fc.integer({ min: 1, max: 4 }),
    queries: fc.array(
      fc.record({
        choices: fc.integer({ min: 2, max: 6 }),
        labelSeed: fc.nat(),
        subtask: fc.constantFrom('alpha', 'beta', 'gamma'),
        test: fc.boolean(),
        rows: fc.array(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }), { minLength: 4, maxLength: 4 }),
        abstain: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    kind: fc.constantFrom('real' as const, 'simulated' as const, 'synthetic' as const),
    withIds: fc.boolean(),
  })
  .map(({ nModels, queries, kind, withIds }) => {
    const probs: number[] = [];
    for (const q of queries) {
      for (let i = 0; i < nModels; i++) {
        const row = q.rows[i].slice(0, q.choices);
        const sum = row.reduce((s, v) => s + v, 0);
        for (const v of row) probs.push(q.abstain[i] || sum === 0 ? 0 : v / sum);
      }
    }
    const models: ModelInfo[] = Array.from({ length: nModels }, (_, i) => (i === 0 ? { id: 'org/m0', paramsB: 1.5, family: 'F', priceCents: 0.1, priceSource: 'test' } : { id: `m${i}` }));
    return new Dataset({
      models,
      choiceCounts: Uint8Array.from(queries, (q) => q.choices),
      labels: Int32Array.from(queries, (q) => q.labelSeed % q.choices),
      probs: Float64Array.from(probs),
      taskIds: new Uint16Array(queries.length),
      taskNames: ['task'],
      subtaskIds: Uint16Array.from(queries, (q) => ['alpha', 'beta', 'gamma'].indexOf(q.subtask)),
      subtaskNames: ['alpha', 'beta', 'gamma'],
      split: Uint8Array.from(queries, (q) => (q.test ? TEST : TRAIN)),
      queryIds: withIds ? queries.map((_, t) => `question-${t}`) : undefined,
      provenance: { kind, source: `${kind} data for a round trip`, notes: ['n1'] },
    });
  });

/** What every round trip (folder, CSV, Arrow) must keep: models, probabilities, predictions, labels, choice
 * counts, split, and each query's subtask name. */
export function assertSameColumns(back: Dataset, original: Dataset): void {
  assert.deepEqual(back.models, original.models);
  assert.deepEqual(back.probs, original.probs);
  assert.deepEqual(back.predictions, original.predictions);
  assert.deepEqual(back.labels, original.labels);
  assert.deepEqual(back.choiceCounts, original.choiceCounts);
  assert.deepEqual(back.split, original.split);
  for (let t = 0; t < original.nQueries; t++) {
    assert.equal(back.subtaskNames[back.subtaskIds[t]], original.subtaskNames[original.subtaskIds[t]]);
  }
}
