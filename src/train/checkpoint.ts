import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic';
import { createAgents, networksOf, type RlFocalAgents } from './agents';
import { resolveConfig, type ResolvedConfig, type RlFocalConfig } from './config';

/**
 * Trained agents as one JSON document: the configuration that built them, the pool they were trained for, any
 * metrics the caller wants to keep, and every network's weights. Weights are stored as base64 of their
 * little-endian float64 bytes, so loading restores them bit for bit (a decimal list would lose -0 and cannot hold
 * NaN). Optimizer moments are not saved: a loaded system serves and keeps learning with fresh Adam state.
 */
export const CHECKPOINT_FORMAT = 'rl-focal-agents';
export const CHECKPOINT_VERSION = 1;

export interface AgentsCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  config: RlFocalConfig;
  nModels: number;
  maxChoices: number;
  /** Model ids of the pool, in column order (checked on use by the caller). */
  models: string[];
  metrics: Record<string, unknown>;
  weights: Record<string, { length: number; float64Base64: string }>;
}

export function agentsToCheckpoint(agents: RlFocalAgents, config: RlFocalConfig, options: { models?: string[]; metrics?: Record<string, unknown> } = {}): AgentsCheckpoint {
  const weights: AgentsCheckpoint['weights'] = {};
  for (const [name, net] of Object.entries(networksOf(agents))) {
    weights[name] = { length: net.nParams, float64Base64: encodeFloat64(net.params) };
  }
  const { minibatchSize: _derived, ...plain } = config as ResolvedConfig;
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: plain,
    nModels: agents.decider.nModels,
    maxChoices: agents.fusionLayout.maxChoices,
    models: options.models ?? [],
    metrics: options.metrics ?? {},
    weights,
  };
}

export function agentsFromCheckpoint(checkpoint: AgentsCheckpoint, source = 'checkpoint'): { agents: RlFocalAgents; config: ResolvedConfig; models: string[]; metrics: Record<string, unknown> } {
  if (checkpoint.format !== CHECKPOINT_FORMAT) throw new RangeError(`${source}: format is "${String(checkpoint.format)}", expected "${CHECKPOINT_FORMAT}"`);
  if (checkpoint.version !== CHECKPOINT_VERSION) throw new RangeError(`${source}: version ${String(checkpoint.version)} is not supported (expected ${CHECKPOINT_VERSION})`);
  const config = resolveConfig(checkpoint.config);
  const agents = createAgents(config, checkpoint.nModels, checkpoint.maxChoices);
  for (const [name, net] of Object.entries(networksOf(agents))) {
    const stored = checkpoint.weights?.[name];
    if (!stored) throw new RangeError(`${source}: weights.${name} is missing`);
    const values = decodeFloat64(stored.float64Base64);
    if (values.length !== net.nParams || stored.length !== net.nParams) {
      throw new RangeError(`${source}: weights.${name} has ${values.length} values, the configured network needs ${net.nParams}`);
    }
    net.params.set(values);
  }
  return { agents, config, models: checkpoint.models ?? [], metrics: checkpoint.metrics ?? {} };
}

export function saveAgents(path: string, agents: RlFocalAgents, config: RlFocalConfig, options: { models?: string[]; metrics?: Record<string, unknown> } = {}): void {
  writeFileAtomic(path, JSON.stringify(agentsToCheckpoint(agents, config, options), null, 1) + '\n');
}

export function loadAgents(path: string): ReturnType<typeof agentsFromCheckpoint> {
  let parsed: AgentsCheckpoint;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as AgentsCheckpoint;
  } catch (err) {
    throw new RangeError(`${path}: not a readable JSON checkpoint (${(err as Error).message})`);
  }
  return agentsFromCheckpoint(parsed, path);
}

function encodeFloat64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < values.length; k++) view.setFloat64(8 * k, values[k], true);
  return Buffer.from(bytes).toString('base64');
}

function decodeFloat64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) throw new RangeError(`checkpoint weights: ${bytes.length} bytes is not a whole number of float64 values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(bytes.length / 8);
  for (let k = 0; k < out.length; k++) out[k] = view.getFloat64(8 * k, true);
  return out;
}
