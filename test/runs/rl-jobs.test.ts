import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PAPER_PRICES_CENTS, paperPriceKey } from '../../src/baselines/prices';
import type { RlJob } from '../../src/runs/rl-job';
import { runRlJobs } from '../../src/runs/rl-jobs';
import { RunError } from '../../src/runs/run-status';

// A pool small enough for a training run in well under a second.
const TINY = 'sim:gsm8k?n=240&seed=3';
const TINY_CONFIG = { window: 20, deciderEpisodes: 1, fusionEpisodes: 1, updatePeriod: 40 };

describe('runs/rl-jobs', () => {
  it('runRlJobs returns outcomes in job order whose cost follows the Table 8 prices', async () => {
    const jobs: RlJob[] = [7, 8].map((seed) => ({ data: TINY, config: { ...TINY_CONFIG, seed }, tags: { seed } }));
    const done: number[] = [];
    const outcomes = await runRlJobs(jobs, { workers: 0, onDone: (_, k) => done.push(k) });
    assert.deepEqual(done, [1, 2]);
    assert.deepEqual(outcomes.map((o) => o.tags.seed), [7, 8]);
    for (const o of outcomes) {
      assert.ok(o.accuracy >= 0 && o.accuracy <= 1);
      assert.equal(o.nModels, 8);
      assert.ok(Math.abs(o.totalCalls - o.callsPerQuery * o.testQueries) < 1e-9);
      // cost = 1000 * sum_i calls_i / T * price_i (spec §4.4); recompute from the selection frequencies.
      const cents = o.modelIds.reduce((sum, id, i) => sum + o.selectionFrequency[i] * PAPER_PRICES_CENTS[paperPriceKey(id)!], 0);
      assert.ok(Math.abs(1000 * cents - o.costPer1000) < 1e-6, `${1000 * cents} vs ${o.costPer1000}`);
      assert.match(o.provenance, /^simulated pool/);
    }
  });

  it('child processes (compiled dist/, one or two) give the same outcomes as running in this thread', async function () {
    const compiled = path.resolve(__dirname, '../../dist/runs/rl-jobs.js');
    if (!fs.existsSync(path.resolve(__dirname, '../../dist/runs/rl-job-worker.js'))) this.skip();
    const dist = require(compiled) as { runRlJobs: typeof runRlJobs };
    const jobs: RlJob[] = [1, 2, 3].map((seed) => ({ data: TINY, config: { ...TINY_CONFIG, seed }, tags: { seed } }));
    const parallel = await dist.runRlJobs(jobs, { workers: 2 });
    const oneChild = await dist.runRlJobs(jobs, { workers: 1 });
    const serial = await dist.runRlJobs(jobs, { workers: 0 });
    const strip = (o: (typeof serial)[number]) => ({ ...o, warmStartSeconds: 0, totalSeconds: 0 });
    assert.deepEqual(parallel.map(strip), serial.map(strip));
    assert.deepEqual(oneChild.map(strip), serial.map(strip));
  });

  it('a config error shared by every run is reported once, as one line, before anything runs', async () => {
    const jobs: RlJob[] = [0.6, 3].map((alpha) => ({ data: TINY, config: { ...TINY_CONFIG, alpha, window: -1, seed: 1 }, tags: { alpha } }));
    const error = await runRlJobs(jobs, { workers: 2, cacheDir: null }).then(() => null, (e: Error) => e);
    assert.ok(error instanceof RunError);
    assert.match(error.message, /^RlFocalConfig\.window/);
    assert.equal(error.stack!.split('\n').length, 1);
    // A problem of one run only names that run.
    const mixed = [jobs[0], { ...jobs[1], config: { ...TINY_CONFIG, seed: 1 } }];
    await assert.rejects(runRlJobs(mixed, { workers: 0, cacheDir: null }), /^RunError: run alpha 0\.6: RlFocalConfig\.window/);
    // A data spec every run shares that cannot be loaded is one problem too, not "run alpha 0.6".
    const badData = [0.6, 3].map((alpha) => ({ data: 'sim:nosuchbench?n=100', config: { ...TINY_CONFIG, alpha, seed: 1 }, tags: { alpha } }));
    await assert.rejects(runRlJobs(badData, { workers: 0, cacheDir: null }), (e: Error) => e instanceof RunError && /^sim:nosuchbench/.test(e.message));
  });

  it('an abort kills the children, ends with one "interrupted" line, and a re-run takes the finished runs from the cache', async function () {
    const compiled = path.resolve(__dirname, '../../dist/runs/rl-jobs.js');
    if (!fs.existsSync(path.resolve(__dirname, '../../dist/runs/rl-job-worker.js'))) this.skip();
    const dist = require(compiled) as { runRlJobs: typeof runRlJobs };
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-focal-run-cache-'));
    const jobs: RlJob[] = [1, 2, 3, 4, 5, 6].map((seed) => ({ data: TINY, config: { ...TINY_CONFIG, seed }, tags: { seed } }));
    const stop = new AbortController();
    const lines: string[] = [];
    const error = await dist
      .runRlJobs(jobs, { workers: 2, cacheDir, signal: stop.signal, onDone: (_, done) => done === 2 && stop.abort(), onStatus: (l) => lines.push(l) })
      .then(() => null, (e: Error) => e);
    assert.equal(error?.name, 'RunInterrupted');
    const finished = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.json')).length;
    assert.ok(finished >= 2 && finished < 6, `finished ${finished}`);
    assert.equal(lines.at(-1), `interrupted: ${finished} of 6 runs finished, kept in ${cacheDir}`);
    const again: string[] = [];
    const outcomes = await dist.runRlJobs(jobs, { workers: 2, cacheDir, onStatus: (l) => again.push(l) });
    assert.match(again.at(-1)!, new RegExp(`6 runs done \\(${finished} from the cache\\)`));
    const fresh = await dist.runRlJobs(jobs, { workers: 0, cacheDir: null });
    const strip = (o: (typeof fresh)[number]) => ({ ...o, warmStartSeconds: 0, totalSeconds: 0 });
    assert.deepEqual(outcomes.map(strip), fresh.map(strip));
  });
});
