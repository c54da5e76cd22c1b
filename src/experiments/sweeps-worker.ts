/** Worker-thread entry of `runRlJobs`: runs the jobs the main thread sends, one at a time, caching datasets. */
import { parentPort } from 'node:worker_threads';
import { JobDatasets, runRlJob, type RlJob } from './sweeps-jobs';

if (parentPort) {
  const port = parentPort;
  const datasets = new JobDatasets();
  port.on('message', async ({ index, job }: { index: number; job: RlJob }) => {
    try {
      port.postMessage({ index, outcome: await runRlJob(job, datasets) });
    } catch (error) {
      port.postMessage({ index, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
}
