import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networksOf } from '../../src/train/agents';
import { agentsToCheckpoint, loadAgents, saveAgents } from '../../src/train/checkpoint';
import { evaluateRlFocal, trainRlFocal } from '../../src/train/train-rl-focal';
import { syntheticPool } from './synthetic-pool';

describe('train/checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-focal-ckpt-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('saves agents with config and metrics as JSON and restores every weight bit for bit', () => {
    const data = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 100 }], nModels: 3, nChoices: 3, seed: 2, expertAccuracy: 0.8 });
    const run = trainRlFocal(data, { window: 5, updatePeriod: 20, deciderEpisodes: 2, fusionEpisodes: 2, seed: 4 });
    // A weight of -0 and one awkward decimal must survive too.
    run.agents.decider.net.params[0] = -0;
    run.agents.fusion.net.params[0] = 0.1 + 0.2;
    const path = join(dir, 'agents.json');
    saveAgents(path, run.agents, run.config, { models: data.models.map((m) => m.id), metrics: { testAccuracy: run.test.accuracy } });
    const loaded = loadAgents(path);
    assert.deepEqual(loaded.models, ['m0', 'm1', 'm2']);
    assert.equal(loaded.metrics.testAccuracy, run.test.accuracy);
    assert.deepEqual(loaded.config, run.config);
    const before = networksOf(run.agents);
    const after = networksOf(loaded.agents);
    assert.deepEqual(Object.keys(after), Object.keys(before));
    for (const name of Object.keys(before)) {
      const a = before[name].params;
      const b = after[name].params;
      assert.equal(b.length, a.length);
      for (let k = 0; k < a.length; k++) assert.ok(Object.is(a[k], b[k]), `${name}[${k}]: ${a[k]} vs ${b[k]}`);
    }
    // Same weights, same answers (frozen evaluation, deterministic team choice).
    const frozen = { ...run.config, onlineUpdates: false, testDeciderAction: 'mode' as const };
    assert.deepEqual(evaluateRlFocal(loaded.agents, data, frozen).predictions, evaluateRlFocal(run.agents, data, frozen).predictions);
  });

  it('rejects a checkpoint of another format, or whose weights do not fit the configured networks', () => {
    const data = syntheticPool({ topics: [{ name: 'A', expert: 0, queries: 60 }], nModels: 3, nChoices: 3, seed: 2 });
    const run = trainRlFocal(data, { window: 5, updatePeriod: 20, deciderEpisodes: 1, fusionEpisodes: 1 });
    const ckpt = agentsToCheckpoint(run.agents, run.config);
    const wrongFormat = join(dir, 'wrong-format.json');
    writeFileSync(wrongFormat, JSON.stringify({ ...ckpt, format: 'other' }));
    assert.throws(() => loadAgents(wrongFormat), /format is "other"/);
    const wrongShape = join(dir, 'wrong-shape.json');
    writeFileSync(wrongShape, JSON.stringify({ ...ckpt, config: { ...ckpt.config, fusionHidden: [3] } }));
    assert.throws(() => loadAgents(wrongShape), /weights\.fusion has \d+ values, the configured network needs \d+/);
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{');
    assert.throws(() => loadAgents(notJson), /not a readable JSON checkpoint/);
  });
});
