/**
 * RL-Focal training runs as plain-data jobs, so the sweeps of notebooks 08-11 can run them on a pool of worker
 * threads (one per core) and get back plain-data outcomes. A job names its dataset by a `loadDataset` spec string
 * (e.g. `sim:gsm8k?n=2000&seed=0`), which is what lets a worker rebuild the exact same pool without copying it.
 * Paper Table 8 prices are always applied, so every cost is in the paper's units.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Dataset } from '../data/dataset';
import { EnsembleEnv } from '../env/ensemble-env';
import { policyParameterCount } from '../train/agents';
import type { RlFocalConfig } from '../train/config';
import { MappoTrainer } from '../train/mappo';
import { ReinforceParityTrainer } from '../train/reinforce';
import { envOptionsFor, trainRlFocal, type RlFocalRun } from '../train/train-rl-focal';
import { Rng } from '../util/rng';
import { loadDataset } from '../sources/data-source';

export interface RlJob {
  /** `loadDataset` spec: `sim:<benchmark>?n=&seed=`, `bbh`, or a recorded-outputs folder. */
  data: string;
  /** Replay every model this many times (`Dataset.duplicateModels`); default 1. */
  duplicate?: number;
  /** Keep only these subtasks (e.g. a few BBH subtasks in fast mode). */
  subtasks?: string[];
  /** Overrides of DEFAULT_CONFIG (the seed included). */
  config: Partial<RlFocalConfig>;
  /** Labels copied to the outcome (the sweep coordinates, e.g. `{ alpha: 0.6 }`). */
  tags: Record<string, number | string>;
  /** After training, time a frozen pass (no updates) over the test stream: per-query inference latency. */
  measureInference?: boolean;
}

export interface RlJobOutcome {
  tags: Record<string, number | string>;
  data: string;
  provenance: string;
  duplicate: number;
  seed: number;
  algorithm: string;
  nModels: number;
  trainQueries: number;
  testQueries: number;
  /** Test pass (Algorithm 2), fractions in [0, 1]. */
  accuracy: number;
  accuracyMacro: number;
  callsPerQuery: number;
  /** Cents per 1,000 queries at paper Table 8 prices (spec §4.4). */
  costPer1000: number;
  /** LLM calls over the whole test pass. */
  totalCalls: number;
  meanTeamSize: number;
  modelIds: string[];
  /** Fraction of test queries on which each model was selected. */
  selectionFrequency: number[];
  deciderCurve: number[];
  fusionCurve: number[];
  /** Queries served over all warm-start episodes (both turns). */
  trainSteps: number;
  /** Wall time of Algorithm 1 (both warm-start turns), measured here. */
  warmStartSeconds: number;
  /** Wall time of trainRlFocal as a whole (warm start + online test pass with updates), measured here. */
  totalSeconds: number;
  /** Frozen test pass: observation + Decider + Fusion per query, seconds (only with `measureInference`). */
  inferenceSecondsPerQuery: number | null;
  parameters: { decider: number; fusion: number; critic: number; policies: number };
}

/** Loads (and caches) the dataset of a job with paper prices. */
export class JobDatasets {
  private readonly cache = new Map<string, Promise<Dataset>>();

  get(job: Pick<RlJob, 'data' | 'duplicate' | 'subtasks'>): Promise<Dataset> {
    const k = Math.max(1, job.duplicate ?? 1);
    const key = `${job.data}#x${k}#${(job.subtasks ?? []).join(',')}`;
    let found = this.cache.get(key);
    if (found === undefined) {
      const options = { paperPrices: true, ...(job.subtasks ? { subtasks: job.subtasks } : {}) };
      found = loadDataset(job.data, options).then((d) => (k > 1 ? d.duplicateModels(k) : d));
      this.cache.set(key, found);
    }
    return found;
  }
}

/** Runs one job in this thread. */
export async function runRlJob(job: RlJob, datasets: JobDatasets = new JobDatasets()): Promise<RlJobOutcome> {
  const data = await datasets.get(job);
  const started = performance.now();
  let warmStartEnd = started;
  const run = trainRlFocal(data, job.config, {
    onProgress: (p) => {
      if (p.turn !== 'test') warmStartEnd = performance.now();
    },
  });
  const totalSeconds = (performance.now() - started) / 1000;
  const inference = job.measureInference ? frozenTestPassSeconds(data, run) : null;
  const cost = run.test.cost;
  return {
    tags: { ...job.tags },
    data: job.data,
    provenance: describeProvenance(data),
    duplicate: Math.max(1, job.duplicate ?? 1),
    seed: run.config.seed,
    algorithm: run.config.algorithm,
    nModels: data.nModels,
    trainQueries: data.splitIndices('train').length,
    testQueries: run.test.correct.length,
    accuracy: run.test.accuracy,
    accuracyMacro: run.test.accuracyMacro ?? NaN,
    callsPerQuery: cost.callsPerQuery,
    costPer1000: cost.costPer1000,
    totalCalls: cost.callsPerModel.reduce((s, c) => s + c, 0),
    meanTeamSize: run.testEpisode.meanTeamSize,
    modelIds: data.models.map((m) => m.id),
    selectionFrequency: run.testEpisode.selectionFrequency,
    deciderCurve: run.curves.decider.map((e) => e.accuracy),
    fusionCurve: run.curves.fusion.map((e) => e.accuracy),
    trainSteps: [...run.curves.decider, ...run.curves.fusion].reduce((sum, e) => sum + e.steps, 0),
    warmStartSeconds: (warmStartEnd - started) / 1000,
    totalSeconds,
    inferenceSecondsPerQuery: inference,
    parameters: policyParameterCount(run.agents),
  };
}

export function describeProvenance(data: Dataset): string {
  const p = data.provenance;
  const label = p.kind === 'real' ? 'real recorded outputs' : p.kind === 'simulated' ? 'simulated pool' : 'synthetic data';
  return p.source.toLowerCase().startsWith(label) ? p.source : `${label}: ${p.source}`;
}

/**
 * Seconds per query of a pass over the test stream with the trained agents frozen (no updates): building the Decider
 * observation (window metrics), the Decider's team, the Fusion observation and the Fusion answer. The window is
 * filled with the last train queries first, as in the test pass of `trainRlFocal`.
 */
export function frozenTestPassSeconds(data: Dataset, run: RlFocalRun): number {
  const cfg = run.config;
  const trainIdx = data.splitIndices('train');
  const testIdx = data.splitIndices('test');
  const w = cfg.window;
  const prefix = cfg.testWindow === 'same' ? Array.from(trainIdx.subarray(Math.max(0, trainIdx.length - w))) : [];
  const stream = data.selectQueries([...prefix, ...testIdx]);
  const env = new EnsembleEnv(stream, {
    window: cfg.testWindow === 'same' ? w : 0,
    start: prefix.length,
    ...envOptionsFor(cfg, data.nModels, data.maxChoices),
  });
  const rng = new Rng(cfg.seed).fork('inference-timing');
  const trainer = cfg.algorithm === 'mappo' ? new MappoTrainer(run.agents, cfg, rng) : new ReinforceParityTrainer(run.agents, cfg, rng);
  const started = performance.now();
  const stats = trainer.runEpisode(env, { decider: 'act', fusion: 'act', deciderAction: cfg.testDeciderAction, fusionAction: 'argmax' });
  return (performance.now() - started) / 1000 / Math.max(1, stats.steps);
}

export interface RunJobsOptions {
  /** Worker threads; <= 1 runs in this thread. Default: 2 (the CI machine's cores). */
  workers?: number;
  /** Called as each job finishes (in completion order). */
  onDone?: (outcome: RlJobOutcome, done: number, total: number) => void;
}

/**
 * Runs the jobs, in parallel on worker threads when the compiled worker is available (`dist/`), else one after the
 * other in this thread (e.g. under tsx in the unit tests). Outcomes come back in job order.
 */
export async function runRlJobs(jobs: readonly RlJob[], options: RunJobsOptions = {}): Promise<RlJobOutcome[]> {
  const workerFile = path.join(__dirname, 'sweeps-worker.js');
  const workers = Math.min(options.workers ?? 2, jobs.length);
  const outcomes = new Array<RlJobOutcome>(jobs.length);
  let done = 0;
  const finish = (k: number, outcome: RlJobOutcome) => {
    outcomes[k] = outcome;
    done += 1;
    options.onDone?.(outcome, done, jobs.length);
  };
  if (workers <= 1 || !existsSync(workerFile)) {
    const datasets = new JobDatasets();
    for (let k = 0; k < jobs.length; k++) finish(k, await runRlJob(jobs[k], datasets));
    return outcomes;
  }
  let next = 0;
  // After a failure no worker takes new jobs; the ones running finish their current job and stop.
  let failed = false;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerFile);
      let current = -1;
      const fail = (error: Error) => {
        failed = true;
        void worker.terminate();
        reject(error);
      };
      const send = () => {
        if (failed || next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        current = next++;
        worker.postMessage({ index: current, job: jobs[current] });
      };
      worker.on('message', (reply: { index: number; outcome?: RlJobOutcome; error?: string }) => {
        if (reply.error !== undefined) {
          fail(new Error(`job ${reply.index} (${JSON.stringify(jobs[reply.index].tags)}): ${reply.error}`));
          return;
        }
        finish(reply.index, reply.outcome!);
        send();
      });
      worker.on('error', (error) => fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !failed && current >= 0 && outcomes[current] === undefined) fail(new Error(`worker exited with code ${code} during job ${current}`));
      });
      send();
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  return outcomes;
}
