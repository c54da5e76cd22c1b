/** Child-process entry of `runRlJobs`: runs the jobs the parent sends, one at a time, caching datasets. */
import { serveJobs } from '../util/process-pool';
import { JobDatasets, runRlJob, type RlJob, type RlJobOutcome } from './rl-job';

const datasets = new JobDatasets();
serveJobs<null, RlJob, RlJobOutcome>((job, context) => runRlJob(job, datasets, (fraction) => context.progress(fraction)));
