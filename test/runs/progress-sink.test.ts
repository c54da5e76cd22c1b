import assert from 'node:assert/strict';
import { throttleProgress, type ExperimentProgress } from '../../src/runs/progress-sink';

describe('runs/progress-sink', () => {
  it('throttles progress lines but always passes final ones', () => {
    const seen: string[] = [];
    const sink = throttleProgress((p: ExperimentProgress) => seen.push(p.message), 60_000)!;
    for (let k = 0; k < 100; k++) sink({ stage: 's', message: `line ${k}` });
    sink({ stage: 's', message: 'last', final: true });
    assert.deepEqual(seen, ['line 0', 'last']);
    assert.equal(throttleProgress(undefined), undefined);
  });
});
