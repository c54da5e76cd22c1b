import assert from 'node:assert/strict';
import { alignedSelectionExperiment, DEFAULT_ALIGNED_SCENARIO } from '../../src/experiments/aligned-selection';
import { DEFAULT_ALIGNED_DECIDER } from '../../src/train/aligned-decider';

describe('experiments/aligned-selection', () => {
  it('is deterministic for fixed seeds and reports every Decider configuration', () => {
    const params = {
      scenario: { ...DEFAULT_ALIGNED_SCENARIO, trainBlocks: [60, 60, 60] as [number, number, number], testBlocks: [40, 40, 40] as [number, number, number] },
      deciders: [{ label: 'a', config: { ...DEFAULT_ALIGNED_DECIDER, episodes: 2 } }],
      seeds: [0, 1],
    };
    const first = alignedSelectionExperiment(params);
    const second = alignedSelectionExperiment(params);
    assert.deepEqual(first.tables, second.tables);
    const names = first.tables[0].rows.map((r) => r.aligned_task);
    assert.ok(names.includes('RL-Focal (Decider), a'));
    assert.equal(first.deciders[0].curves.length, 2);
    assert.match(first.tables[0].provenance, /simulated/);
  });
});
