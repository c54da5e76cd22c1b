import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LayoutMismatchError } from '../../src/env/observations';
import { networksOf } from '../../src/train/agents';
import { agentsToCheckpoint, checkpointHash, loadAgents, saveAgents, saveRunCheckpoints, type AgentsCheckpoint } from '../../src/train/checkpoint';
import { evaluateRlFocal, trainRlFocal } from '../../src/train/train-rl-focal';
import { syntheticPool } from './synthetic-pool';

/** A checkpoint edited and given a matching hash again: what only the content checks (not the hash) must refuse. */
function resealed(checkpoint: AgentsCheckpoint, edit: (c: Record<string, any>) => void): AgentsCheckpoint {
  const copy = JSON.parse(JSON.stringify(checkpoint)) as Record<string, any>;
  edit(copy);
  return { ...copy, sha256: checkpointHash(copy as AgentsCheckpoint) } as AgentsCheckpoint;
}

describe('train/checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-focal-ckpt-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const data = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 150 }], nModels: 3, nChoices: 3, seed: 2, expertAccuracy: 0.8 });
  const models = data.models.map((m) => m.id);
  const run = trainRlFocal(data, { window: 5, updatePeriod: 10, deciderEpisodes: 2, fusionEpisodes: 2, seed: 4 });

  it('saves agents with config, pool and metrics as JSON and restores every weight bit for bit', () => {
    const other = trainRlFocal(data, { window: 5, updatePeriod: 20, deciderEpisodes: 1, fusionEpisodes: 1, seed: 4 });
    // A weight of -0 and one awkward decimal must survive too.
    other.agents.decider.net.params[0] = -0;
    other.agents.fusion.net.params[0] = 0.1 + 0.2;
    const path = join(dir, 'agents.json');
    saveAgents(path, other.agents, other.config, { models, metrics: { testAccuracy: other.test.accuracy } });
    const loaded = loadAgents(path, { models });
    assert.deepEqual(loaded.models, ['m0', 'm1', 'm2']);
    assert.equal(loaded.stage, 'post-online');
    assert.equal(loaded.metrics.testAccuracy, other.test.accuracy);
    assert.deepEqual(loaded.config, other.config);
    const before = networksOf(other.agents);
    const after = networksOf(loaded.agents);
    assert.deepEqual(Object.keys(after), Object.keys(before));
    for (const name of Object.keys(before)) {
      const a = before[name].params;
      const b = after[name].params;
      assert.equal(b.length, a.length);
      for (let k = 0; k < a.length; k++) assert.ok(Object.is(a[k], b[k]), `${name}[${k}]: ${a[k]} vs ${b[k]}`);
    }
  });

  it('the post-warm-start checkpoint reproduces the recorded test accuracy with evaluateRlFocal (online updates as in the run)', () => {
    const files = { postWarmStart: join(dir, 'warm.json'), postOnline: join(dir, 'online.json') };
    saveRunCheckpoints(files, run, { models, metrics: { learned_test_accuracy: run.learned.test.accuracy } });
    const warm = loadAgents(files.postWarmStart, { models });
    assert.equal(warm.stage, 'post-warm-start');
    assert.equal(warm.config.onlineUpdates, true);
    // The learned agents' own test pass (what served, unless the validation guard chose a simple baseline instead).
    const replay = evaluateRlFocal(warm.agents, data, warm.config);
    assert.equal(replay.accuracy, run.learned.test.accuracy);
    assert.deepEqual(Array.from(replay.predictions), Array.from(run.learned.test.predictions));
    // The post-online checkpoint holds the agents after the test pass: the same weights as the run's final agents.
    const online = loadAgents(files.postOnline, { models });
    assert.equal(online.stage, 'post-online');
    const final = networksOf(run.agents);
    for (const [name, net] of Object.entries(networksOf(online.agents))) assert.deepEqual(Array.from(net.params), Array.from(final[name].params));
    // They differ from the warm-start weights (the agents kept learning on the test stream), and the replay above
    // ended in exactly them: evaluateRlFocal updated the loaded agents as the run did.
    assert.notDeepEqual(Array.from(run.preTestWeights.fusion), Array.from(final.fusion.params));
    for (const [name, net] of Object.entries(networksOf(warm.agents))) assert.deepEqual(Array.from(net.params), Array.from(final[name].params));
  });

  it('refuses a flipped byte, non-finite weights, a missing config, other pool ids or order, an old version', () => {
    const ckpt = agentsToCheckpoint(run.agents, run.config, { models });
    const write = (name: string, value: unknown): string => {
      const file = join(dir, name);
      writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
      return file;
    };
    // One character of the Fusion weights changed: the hash no longer matches.
    const text = JSON.stringify(ckpt);
    const at = text.indexOf(ckpt.weights.fusion.float64Base64) + 10;
    const flipped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    assert.throws(() => loadAgents(write('flipped.json', flipped)), /flipped\.json: content does not match its sha256/);
    // NaN in the weights, hash recomputed: still refused, by the finiteness check.
    const nan = resealed(ckpt, (c) => {
      const bytes = Buffer.from(c.weights.decider.float64Base64, 'base64');
      bytes.writeDoubleLE(Number.NaN, 8 * 3);
      c.weights.decider.float64Base64 = bytes.toString('base64');
    });
    assert.throws(() => loadAgents(write('nan.json', nan)), /weights\.decider\[3\] is NaN, not a finite number/);
    // No config: refused, not silently the defaults.
    assert.throws(() => loadAgents(write('no-config.json', resealed(ckpt, (c) => delete c.config))), /config is missing/);
    // Another pool, or the same models in another order.
    const file = write('ok.json', ckpt);
    assert.equal(loadAgents(file, { models }).models.length, 3);
    assert.throws(() => loadAgents(file, { models: ['m1', 'm0', 'm2'] }), /the data has the same models in another order \[m1, m0, m2\]/);
    assert.throws(() => loadAgents(file, { models: ['m0', 'm1', 'x'] }), /the data has other models/);
    assert.throws(() => loadAgents(write('ids.json', resealed(ckpt, (c) => (c.models = ['m0', 'm1'])))), /models must list the 3 model ids/);
    assert.throws(() => loadAgents(write('v1.json', resealed(ckpt, (c) => (c.version = 1)))), /version 1 is not supported/);
    assert.throws(() => loadAgents(write('wrong-format.json', resealed(ckpt, (c) => (c.format = 'other')))), /format is "other"/);
    const wrongShape = resealed(ckpt, (c) => (c.config.fusionHidden = [3]));
    assert.throws(() => loadAgents(write('wrong-shape.json', wrongShape)), /weights\.fusion has \d+ values, the configured network needs \d+/);
    assert.throws(() => loadAgents(write('broken.json', '{')), /not a readable JSON checkpoint/);
    // The file as saved reads back unchanged.
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).sha256, ckpt.sha256);
  });

  it('loaded agents meeting an environment of other observations are refused, naming the field and both widths', () => {
    const file = join(dir, 'layouts.json');
    saveAgents(file, run.agents, run.config, { models });
    const loaded = loadAgents(file, { models });
    // N = 3: o1 = [team (3) | one entry per metric | team size].
    assert.deepEqual(run.config.deciderMetrics, ['focal_diversity', 'plurality_accuracy']);
    const refusal = (config: Record<string, unknown>, dataset = data): RangeError => {
      try {
        evaluateRlFocal(loaded.agents, dataset, { ...loaded.config, ...config });
      } catch (error) {
        assert.ok(error instanceof LayoutMismatchError, String(error));
        return error;
      }
      assert.fail('evaluated agents on observations they were not built for');
    };
    const metrics = refusal({ deciderMetrics: ['focal_diversity'] });
    assert.ok(metrics instanceof RangeError);
    assert.equal(
      metrics.message,
      'the agents read a Decider observation of 6 entries built with deciderMetrics [focal_diversity, plurality_accuracy], the environment writes 5 with deciderMetrics [focal_diversity]',
    );
    // Same width, other meaning: refused all the same.
    assert.match(refusal({ deciderMetrics: ['focal_diversity', 'fleiss_kappa'] }).message, /Decider observation of 6 entries built with deciderMetrics \[focal_diversity, plurality_accuracy\], the environment writes 6 with deciderMetrics \[focal_diversity, fleiss_kappa\]$/);
    assert.match(refusal({ teamSizeScale: 'count' }).message, /built with teamSizeScale fraction, the environment writes 6 with teamSizeScale count$/);
    assert.match(refusal({ fusionRecentRewards: 3 }).message, /Fusion observation of \d+ entries built with fusionRecentRewards 0, the environment writes \d+ with fusionRecentRewards 3$/);
    // Data with more answer choices than the agents' Fusion observation has slots.
    const wider = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 150 }], nModels: 3, nChoices: 4, seed: 2, expertAccuracy: 0.8 });
    assert.match(refusal({}, wider).message, /Fusion observation of 18 entries built with maxChoices 3, the environment writes 22 with maxChoices 4$/);
    // The configuration it was saved with still serves.
    assert.equal(evaluateRlFocal(loaded.agents, data, loaded.config).correct.length, data.splitIndices('test').length);
  });
});
