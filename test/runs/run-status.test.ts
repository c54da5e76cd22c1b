import assert from 'node:assert/strict';
import { RunError, RunInterrupted, RunStatus } from '../../src/runs/run-status';

describe('runs/run-status', () => {
  it('counts runs, cached ones apart, and estimates the ETA from the running runs\' progress', () => {
    let now = 0;
    const lines: Array<[string, boolean]> = [];
    const status = new RunStatus('α sweep', 4, (l, f) => lines.push([l, f]), () => now);
    status.finished(0, true);
    status.start();
    status.started(1);
    status.started(2);
    now = 10_000;
    status.progress(1, 0.5);
    status.progress(2, 0.5);
    // 3 runs to train, 1 of them done in 10 s so far (two halves): 1/3 done, 20 s to go.
    assert.equal(status.line(), 'α sweep: 1 of 4 runs done (1 from the cache), 2 running · 33 % · 10s elapsed · ETA 20s');
    const error = status.interrupted('build/run-cache');
    assert.ok(error instanceof RunInterrupted && error instanceof RunError);
    assert.deepEqual(lines.at(-1), ['interrupted: 1 of 4 runs finished, kept in build/run-cache', true]);
    status.stop(); // no second final line
    assert.equal(lines.filter(([, final]) => final).length, 1);
  });

  it('a run error prints as its one-line message', () => {
    const e = new RunError('run alpha 3: RlFocalConfig.window: must be positive');
    assert.equal(e.stack, 'RunError: run alpha 3: RlFocalConfig.window: must be positive');
    assert.equal(Object.keys(e).length, 0);
  });
});
