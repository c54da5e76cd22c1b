/**
 * One RL-Focal training run as a plain-data job (`RlJob` -> `RlJobOutcome`), so that `runRlJobs` can run it on a child
 * process and get back plain data. A job names its dataset by a `loadDataset` spec string (e.g.
 * `sim:gsm8k?n=2000&seed=0`), which is what lets a worker rebuild the exact same pool without copying it.
 * Paper Table 8 prices are always applied, so every cost is in the paper's units.
 */
import type { Dataset } from '../data/dataset';
import { EnsembleEnv } from '../env/ensemble-env';
import { policyParameterCount } from '../train/agents';
import { resolveConfig, type RlFocalConfig } from '../train/config';
import { MappoTrainer } from '../train/mappo';
import { ReinforceParityTrainer } from '../train/reinforce';
import { progressPosition, stepsPerSeed } from '../train/progress-plan';
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

/**
 * Runs one job in this process. `onFraction` hears how far it is (episodes done / episodes planned, early stopping
 * can skip some), for a live ETA.
 */
export async function runRlJob(
  job: RlJob,
  datasets: JobDatasets = new JobDatasets(),
  onFraction?: (fraction: number) => void,
): Promise<RlJobOutcome> {
  const data = await datasets.get(job);
  const started = performance.now();
  let warmStartEnd = started;
  const resolved = resolveConfig(job.config);
  const planned = stepsPerSeed(resolved, 1);
  const run = trainRlFocal(data, job.config, {
    onProgress: (p) => {
      if ((p.turn === 'decider' || p.turn === 'fusion') && !p.refit) warmStartEnd = performance.now();
      onFraction?.(Math.min(1, progressPosition(resolved, p) / planned));
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
