import assert from 'node:assert/strict';
import path from 'node:path';
import { runJobs, type JobEngineOptions } from '../../src/runs/engine';
import { square } from '../fixtures/runs/square-job';

const SCRIPT = path.join(__dirname, '..', 'fixtures', 'runs', 'square-worker.ts');

/** Runs `jobs` and records every callback, keyed by job index (completion order differs between workers). */
async function record(jobs: number[], workers: number, extra: Partial<JobEngineOptions<number, number>> = {}) {
  const done = new Map<number, number>();
  const failed = new Map<number, string>();
  const started: number[] = [];
  const errors: unknown[] = [];
  const run = await runJobs<number, number>(jobs, {
    workers,
    run: square,
    script: SCRIPT,
    onStart: (k) => started.push(k),
    onDone: (k, result) => done.set(k, result),
    onFailed: (k, message, _worker, _stack, error) => {
      failed.set(k, message);
      errors.push(error);
    },
    ...extra,
  });
  return { run, done, failed, started: started.sort((a, b) => a - b), errors };
}

describe('runs/engine', () => {
  it('in this process and on two children: the same results, the same failures, the other jobs still run', async function () {
    this.timeout(20_000);
    const jobs = [3, -1, 4, 5];
    const here = await record(jobs, 0);
    const pool = await record(jobs, 2);
    for (const r of [here, pool]) {
      assert.deepEqual([...r.done.entries()].sort(([a], [b]) => a - b), [[0, 9], [2, 16], [3, 25]]);
      assert.deepEqual([...r.failed.entries()], [[1, 'negative job -1']]);
      assert.deepEqual(r.started, [0, 1, 2, 3]);
      assert.deepEqual(r.run, { finished: 3, failed: 1, interrupted: false, unfinished: [] });
    }
    // In this process the failure carries the thrown value itself; from a child only its message.
    assert.ok(here.errors[0] instanceof RangeError);
    assert.equal(pool.errors[0], undefined);
  });

  it('stopOnFailure stops in this process after the failed job; the rest is unfinished', async () => {
    const r = await record([3, -1, 4], 0, { stopOnFailure: true });
    assert.deepEqual(r.run, { finished: 1, failed: 1, interrupted: false, unfinished: [2] });
  });

  it('a job whose claim is refused does not run and stays unfinished', async () => {
    const r = await record([1, 2, 3], 0, { claim: (k) => k !== 1 });
    assert.deepEqual(r.started, [0, 2]);
    assert.deepEqual(r.run.unfinished, [1]);
  });

  it('an abort in this process stops before the next job and says interrupted', async () => {
    const stop = new AbortController();
    const r = await record([1, 2, 3], 0, { signal: stop.signal, onDone: (k) => k === 0 && stop.abort() });
    assert.deepEqual(r.run, { finished: 1, failed: 0, interrupted: true, unfinished: [1, 2] });
  });

  it("a throwing claim, onStart or onProgress stops the run with that error on both paths, and nothing is done after it", async function () {
    this.timeout(30_000);
    for (const workers of [0, 2]) {
      for (const which of ['claim', 'onStart', 'onProgress'] as const) {
        let rejectedAt: number | undefined;
        const doneAfter: number[] = [];
        const boom = () => {
          throw new Error(`boom in ${which}`);
        };
        const callbacks = { claim: () => true, onStart: () => undefined, onProgress: () => undefined, [which]: (k: number) => (k === 1 ? boom() : which === 'claim' ? true : undefined) };
        await assert.rejects(
          runJobs<number, number>([1, 2, 3, 4], {
            workers,
            run: square,
            script: SCRIPT,
            ...callbacks,
            onDone: (k) => rejectedAt !== undefined && doneAfter.push(k),
            onFailed: () => undefined,
          }).finally(() => (rejectedAt = Date.now())),
          new RegExp(`boom in ${which}`),
          `${which}, workers ${workers}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.deepEqual(doneAfter, [], `${which}, workers ${workers}: no job finished after the rejection`);
      }
    }
  });

  it('children need their script', async () => {
    await assert.rejects(runJobs([1], { workers: 1, run: square, onDone: () => {}, onFailed: () => {} }), /needs the script/);
  });
});
