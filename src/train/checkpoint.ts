import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalJson } from '../util/canonical-json';
import { writeFileAtomic } from '../util/atomic';
import { createAgents, networksOf, snapshotWeights, type RlFocalAgents, type WeightSnapshot } from './agents';
import { resolveConfig, type ResolvedConfig, type RlFocalConfig } from './config';
import type { RlFocalRun } from './train-rl-focal';

export const CHECKPOINT_FORMAT = 'rl-focal-agents';
export const CHECKPOINT_VERSION = 2;

/**
 * 'post-warm-start': the weights the test pass started from (after warm start, and the validation pass when a guard
 * ran); `evaluateRlFocal` with the stored config reproduces the run's test accuracy from them. 'post-online': the
 * agents after the test pass, which kept learning from the test stream.
 */
export type CheckpointStage = 'post-warm-start' | 'post-online';

/**
 * Trained agents as one JSON document that proves what it holds: which agents (`stage`), the full configuration
 * that built them, the pool's model ids in column order, any metrics the caller wants to keep, every network's
 * weights, and a sha256 of all of it. Weights are stored as base64 of their little-endian float64 bytes, so loading
 * restores them bit for bit (a decimal list would lose -0). Loading refuses a document whose hash does not match
 * (a flipped byte), whose weights are not finite, that lacks its config, or (given the pool it is used on) whose
 * model ids differ from that pool's, in order. Optimizer moments are not saved: a loaded system serves and keeps
 * learning with fresh Adam state, as the test pass of a run does.
 */
export interface AgentsCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  stage: CheckpointStage;
  config: RlFocalConfig;
  nModels: number;
  maxChoices: number;
  /** Model ids of the pool, in column order. */
  models: string[];
  metrics: Record<string, unknown>;
  weights: Record<string, { length: number; float64Base64: string }>;
  /** sha256 (hex) of the canonical JSON of every other member. */
  sha256: string;
}

export interface CheckpointOptions {
  models: string[];
  stage?: CheckpointStage;
  metrics?: Record<string, unknown>;
}

export interface LoadedAgents {
  agents: RlFocalAgents;
  config: ResolvedConfig;
  stage: CheckpointStage;
  models: string[];
  metrics: Record<string, unknown>;
}

/** The checkpoint of `agents` (or, given `weights`, of those weights in networks shaped like `agents`). */
export function agentsToCheckpoint(agents: RlFocalAgents, config: RlFocalConfig, options: CheckpointOptions, weights: WeightSnapshot = snapshotWeights(agents)): AgentsCheckpoint {
  if (options.models.length !== agents.decider.nModels) {
    throw new RangeError(`agentsToCheckpoint: ${options.models.length} model ids for agents of ${agents.decider.nModels} models`);
  }
  const stored: AgentsCheckpoint['weights'] = {};
  for (const [name, net] of Object.entries(networksOf(agents))) {
    const values = weights[name];
    if (!values || values.length !== net.nParams) throw new RangeError(`agentsToCheckpoint: weights of "${name}" do not fit the network`);
    stored[name] = { length: net.nParams, float64Base64: encodeFloat64(values) };
  }
  const { minibatchSize: _derived, ...plain } = config as ResolvedConfig;
  const body = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    stage: options.stage ?? ('post-online' as CheckpointStage),
    config: plain,
    nModels: agents.decider.nModels,
    maxChoices: agents.fusionLayout.maxChoices,
    models: [...options.models],
    metrics: options.metrics ?? {},
    weights: stored,
  };
  // Hashed as it will read back (JSON drops undefined members), so that the hash checks on load.
  const plainBody = JSON.parse(JSON.stringify(body)) as Omit<AgentsCheckpoint, 'sha256'>;
  return { ...plainBody, sha256: checkpointHash(plainBody) };
}

/** sha256 of a checkpoint's canonical JSON, its own `sha256` member left out. */
export function checkpointHash(checkpoint: Omit<AgentsCheckpoint, 'sha256'> | AgentsCheckpoint): string {
  const { sha256: _own, ...body } = checkpoint as AgentsCheckpoint;
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/**
 * Agents from a parsed checkpoint, checked: format and version, the content hash, a config, finite weights that fit
 * the configured networks, and (with `options.models`) the same model ids in the same order as the pool it will be
 * used on. Every refusal is a RangeError starting with `source`.
 */
export function agentsFromCheckpoint(checkpoint: AgentsCheckpoint, source = 'checkpoint', options: { models?: readonly string[] } = {}): LoadedAgents {
  if (typeof checkpoint !== 'object' || checkpoint === null || Array.isArray(checkpoint)) throw new RangeError(`${source}: a checkpoint is a JSON object`);
  if (checkpoint.format !== CHECKPOINT_FORMAT) throw new RangeError(`${source}: format is "${String(checkpoint.format)}", expected "${CHECKPOINT_FORMAT}"`);
  if (checkpoint.version !== CHECKPOINT_VERSION) {
    throw new RangeError(`${source}: version ${String(checkpoint.version)} is not supported (expected ${CHECKPOINT_VERSION}; older checkpoints carry no content hash: train again)`);
  }
  if (typeof checkpoint.sha256 !== 'string') throw new RangeError(`${source}: sha256 is missing`);
  const actual = checkpointHash(checkpoint);
  if (actual !== checkpoint.sha256) throw new RangeError(`${source}: content does not match its sha256 (the file was changed or corrupted)`);
  if (typeof checkpoint.config !== 'object' || checkpoint.config === null) throw new RangeError(`${source}: config is missing`);
  if (checkpoint.stage !== 'post-warm-start' && checkpoint.stage !== 'post-online') throw new RangeError(`${source}: stage is "${String(checkpoint.stage)}"`);
  const models = checkpoint.models;
  if (!Array.isArray(models) || models.length !== checkpoint.nModels || models.some((m) => typeof m !== 'string')) {
    throw new RangeError(`${source}: models must list the ${String(checkpoint.nModels)} model ids of the pool`);
  }
  if (options.models !== undefined) checkPool(models, options.models, source);
  let config: ResolvedConfig;
  try {
    config = resolveConfig(checkpoint.config);
  } catch (error) {
    throw new RangeError(`${source}: ${(error as Error).message}`);
  }
  const agents = createAgents(config, checkpoint.nModels, checkpoint.maxChoices);
  for (const [name, net] of Object.entries(networksOf(agents))) {
    const stored = Object.hasOwn(checkpoint.weights ?? {}, name) ? checkpoint.weights[name] : undefined;
    if (!stored) throw new RangeError(`${source}: weights.${name} is missing`);
    const values = decodeFloat64(stored.float64Base64, `${source}: weights.${name}`);
    if (values.length !== net.nParams || stored.length !== net.nParams) {
      throw new RangeError(`${source}: weights.${name} has ${values.length} values, the configured network needs ${net.nParams}`);
    }
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new RangeError(`${source}: weights.${name}[${bad}] is ${values[bad]}, not a finite number`);
    net.params.set(values);
  }
  return { agents, config, stage: checkpoint.stage, models: [...models], metrics: checkpoint.metrics ?? {} };
}

/** The agents were trained on `stored` (ids in column order); they may only be used on a pool with the same ids in the same order. */
function checkPool(stored: readonly string[], pool: readonly string[], source: string): void {
  const same = stored.length === pool.length && stored.every((id, i) => id === pool[i]);
  if (same) return;
  const sorted = (ids: readonly string[]) => [...ids].sort().join('\u0000');
  const what = sorted(stored) === sorted(pool) ? 'the same models in another order' : 'other models';
  throw new RangeError(`${source}: trained on [${stored.join(', ')}], the data has ${what} [${pool.join(', ')}]`);
}

export function saveAgents(path: string, agents: RlFocalAgents, config: RlFocalConfig, options: CheckpointOptions): void {
  writeFileAtomic(path, JSON.stringify(agentsToCheckpoint(agents, config, options), null, 1) + '\n');
}

/**
 * Both checkpoints of a run: `postWarmStart` (the weights its test pass started from; they reproduce the reported
 * test accuracy) and `postOnline` (the agents after the test pass).
 */
export function saveRunCheckpoints(paths: { postWarmStart: string; postOnline: string }, run: RlFocalRun, options: Omit<CheckpointOptions, 'stage'>): void {
  const warm = agentsToCheckpoint(run.agents, run.config, { ...options, stage: 'post-warm-start' }, run.preTestWeights);
  writeFileAtomic(paths.postWarmStart, JSON.stringify(warm, null, 1) + '\n');
  saveAgents(paths.postOnline, run.agents, run.config, { ...options, stage: 'post-online' });
}

/** Reads and checks a checkpoint file (see `agentsFromCheckpoint`); `options.models` = the pool it will be used on. */
export function loadAgents(path: string, options: { models?: readonly string[] } = {}): LoadedAgents {
  let parsed: AgentsCheckpoint;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as AgentsCheckpoint;
  } catch (err) {
    throw new RangeError(`${path}: not a readable JSON checkpoint (${(err as Error).message})`);
  }
  return agentsFromCheckpoint(parsed, path, options);
}

function encodeFloat64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < values.length; k++) view.setFloat64(8 * k, values[k], true);
  return Buffer.from(bytes).toString('base64');
}

function decodeFloat64(text: unknown, where: string): Float64Array {
  if (typeof text !== 'string') throw new RangeError(`${where}: float64Base64 is missing`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) throw new RangeError(`${where}: ${bytes.length} bytes is not a whole number of float64 values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(bytes.length / 8);
  for (let k = 0; k < out.length; k++) out[k] = view.getFloat64(8 * k, true);
  return out;
}
