import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAgents } from '../../src/train/checkpoint';
import { ensureBuilt, runCli, sleep, startCli, tempDir, writeJson, writeRecordedFolder } from './helpers';

/** `rl-focal train` and the shipped (RL-Focal training) sweep through the built binary, on small data. */

const QUICK = ['--set', 'deciderEpisodes=2', '--set', 'fusionEpisodes=2', '--set', 'window=10', '--set', 'updatePeriod=20'];

function csvRows(file: string): Array<Record<string, string>> {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, k) => [columns[k], v])));
}

describe('cli: train and real-training sweep (built binary)', function () {
  this.timeout(60000);
  let dir: string;
  let data: string;
  before(() => {
    ensureBuilt();
    dir = tempDir();
    data = writeRecordedFolder(path.join(dir, 'data'), { models: 3, perSubtask: 50, subtasks: 2, seed: 4 });
  });

  it('trains two seeds, writes results.json and per-episode curves, and summarises mean and standard error', async () => {
    const out = path.join(dir, 'run');
    const run = await runCli(['train', '--data', data, ...QUICK, '--seed', '3', '--seeds', '2', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    const s = run.summary;
    assert.equal(s.command, 'train');
    assert.deepEqual(s.seeds, [3, 4]);
    assert.deepEqual(s.per_seed.map((p: any) => p.seed), [3, 4]);
    const accs = s.per_seed.map((p: any) => p.test_accuracy);
    for (const a of accs) assert.ok(a >= 0 && a <= 1);
    assert.ok(Math.abs(s.test_accuracy - (accs[0] + accs[1]) / 2) < 1e-12);
    assert.ok(Math.abs(s.test_accuracy_se - Math.abs(accs[0] - accs[1]) / 2) < 1e-12); // SE of two values = |a - b| / 2
    assert.ok(s.calls_per_query >= 0 && s.calls_per_query <= 3);
    assert.ok(s.cost_per_1000 > 0);
    assert.ok(s.wall_seconds > 0);
    for (const key of ['test_accuracy_macro', 'test_accuracy_macro_se']) assert.equal(typeof s[key], 'number');
    // Files: results.json repeats the summary with the resolved config; curves have every episode of both turns + test.
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    assert.equal(results.test_accuracy, s.test_accuracy);
    assert.equal(results.config.window, 10);
    assert.equal(results.dataset.queries, 100);
    for (const seed of [3, 4]) {
      const curves = csvRows(path.join(out, `seed-${seed}`, 'curves.csv'));
      assert.deepEqual(curves.map((r) => `${r.turn}${r.episode}`), ['decider0', 'decider1', 'fusion0', 'fusion1', 'test0']);
      const test = curves[curves.length - 1];
      assert.equal(Number(test.accuracy), s.per_seed.find((p: any) => p.seed === seed).test_accuracy);
      // PPO diagnostics of the agent that learns in each turn; empty for the one that does not.
      for (const r of curves.filter((c) => c.turn !== 'test')) {
        const learner = r.turn === 'decider' ? 'decider' : 'fusion';
        const idle = r.turn === 'decider' ? 'fusion' : 'decider';
        if (Number(r.updates) === 0) continue;
        assert.ok(Number(r[`${learner}_approx_kl`]) > -1e-9 && Number.isFinite(Number(r[`${learner}_approx_kl`])), JSON.stringify(r));
        const clip = Number(r[`${learner}_clip_fraction`]);
        assert.ok(clip >= 0 && clip <= 1);
        assert.ok(Number(r[`${learner}_entropy`]) >= 0);
        assert.ok(Number(r[`${learner}_explained_variance`]) <= 1);
        assert.equal(r[`${idle}_approx_kl`], '');
      }
      // The checkpoint loads back with the library, with the seed's config and the pool's model ids.
      const checkpoint = loadAgents(path.join(out, `seed-${seed}`, 'agents.json'));
      assert.equal(checkpoint.config.seed, seed);
      assert.equal(checkpoint.config.window, 10);
      assert.deepEqual(checkpoint.models, ['model-0', 'model-1', 'model-2']);
      assert.equal(checkpoint.agents.decider.nModels, 3);
    }
    // Progress went to stderr, not stdout: stdout is exactly the summary line.
    assert.equal(run.stdout.trim().split('\n').length, 1);
    assert.match(run.stderr, /train {2}12\/12 steps \(100%\)/);
  });

  it('is deterministic: the same seed gives the same result, in train and in a sweep cell', async () => {
    const a = await runCli(['train', '--data', data, ...QUICK, '--set', 'alpha=0.6', '--seed', '7', '--out', path.join(dir, 'det-a'), '-q']);
    const b = await runCli(['train', '--data', data, ...QUICK, '--set', 'alpha=0.6', '--seed', '7', '--out', path.join(dir, 'det-b'), '-q']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stderr, '');
    assert.deepEqual(
      a.summary.per_seed.map((p: any) => ({ ...p, wall_seconds: 0 })),
      b.summary.per_seed.map((p: any) => ({ ...p, wall_seconds: 0 })),
    );
    const grid = writeJson(path.join(dir, 'grid-det.json'), { grid: { alpha: [0.6, 1] }, seeds: [7] });
    const out = path.join(dir, 'det-sweep');
    const sweep = await runCli(['sweep', '--data', data, '--grid', grid, ...QUICK, '--out', out, '--workers', '2']);
    assert.equal(sweep.code, 0, sweep.stderr);
    const cells = fs.readdirSync(path.join(out, 'cells')).map((f) => JSON.parse(fs.readFileSync(path.join(out, 'cells', f), 'utf8')));
    const cell = cells.find((c) => c.cell.overrides.alpha === 0.6);
    assert.equal(cell.metrics.test_accuracy, a.summary.test_accuracy);
    assert.equal(cell.metrics.calls_per_query, a.summary.calls_per_query);
  });

  it('--per-subtask trains one agent set per subtask; macro accuracy is the mean over subtasks', async () => {
    const out = path.join(dir, 'per-subtask');
    const run = await runCli(['train', '--data', data, ...QUICK, '--per-subtask', '--out', out, '-q']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.summary.per_subtask, true);
    const seed = JSON.parse(fs.readFileSync(path.join(out, 'seed-0', 'result.json'), 'utf8'));
    assert.deepEqual(seed.per_subtask.map((p: any) => p.subtask), ['sub0', 'sub1']);
    const mean = (seed.per_subtask[0].test_accuracy + seed.per_subtask[1].test_accuracy) / 2;
    assert.ok(Math.abs(run.summary.test_accuracy_macro - mean) < 1e-12);
    // The guard's one decision for all subtasks, as the checkpoints record it, and the learned agents' own pass.
    assert.equal(typeof seed.served, 'string');
    for (const file of seed.checkpoints) assert.equal(loadAgents(path.join(out, 'seed-0', file)).metrics.served, seed.served);
    assert.ok(seed.learned_test_accuracy >= 0 && seed.learned_test_accuracy <= 1);
    if (seed.served === 'learned') assert.equal(seed.learned_test_accuracy, seed.test_accuracy);
    const curves = csvRows(path.join(out, 'seed-0', 'curves.csv'));
    assert.deepEqual([...new Set(curves.map((r) => r.subtask))], ['sub0', 'sub1']);
  });

  it('--per-subtask on a pool with a subtask too short to train: the others train, the short one is named and served by the best model', async () => {
    const folder = writeRecordedFolder(path.join(dir, 'data-tiny'), { models: 3, perSubtask: 50, subtasks: 2, seed: 4 });
    const rows = [0, 1, 2].map((q) =>
      JSON.stringify({ task: 'toy', subtask: 'tiny', split: q < 2 ? 'train' : 'test', index: q < 2 ? q : 0, label: 0, choices: 2, scores: { 'model-0': [-0.2, -2], 'model-1': [-2, -0.2], 'model-2': [-0.2, -2] } }),
    );
    fs.appendFileSync(path.join(folder, 'outputs.jsonl'), rows.join('\n') + '\n');
    const out = path.join(dir, 'per-subtask-tiny');
    const run = await runCli(['train', '--data', folder, ...QUICK, '--per-subtask', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /1 subtask\(s\) too short to train on, served by best single of the whole pool \(model-\d\): tiny \(2 train\)/);
    const seed = JSON.parse(fs.readFileSync(path.join(out, 'seed-0', 'result.json'), 'utf8'));
    assert.deepEqual(seed.per_subtask.map((p: any) => p.subtask), ['sub0', 'sub1']);
    assert.deepEqual(seed.untrained_subtasks.map((u: any) => [u.subtask, u.trainQueries, u.testQueries]), [['tiny', 2, 1]]);
    assert.equal(seed.calls_per_model.reduce((a: number, b: number) => a + b, 0) >= 21, true, 'the short subtask\'s test query is served and counted');
  });

  it('--preset starts from a named configuration that --set overrides', async () => {
    const out = path.join(dir, 'preset');
    const run = await runCli(['train', '--data', data, '--preset', 'authorsCodeBbh', '--set', 'deciderEpisodes=1', '--set', 'fusionEpisodes=1', '--out', out, '-q']);
    assert.equal(run.code, 0, run.stderr);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).config;
    assert.deepEqual([config.algorithm, config.window, config.alpha, config.deciderEpisodes], ['reference-parity', 10, 0.6, 1]);
    const unknown = await runCli(['train', '--data', data, '--preset', 'fastest', '--out', out]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /field "--preset": unknown preset "fastest" \(known: paper, authorsCode, authorsCodeBbh/);
  });

  it('accepts a simulated pool (sim:<benchmark>)', async () => {
    const run = await runCli(['train', '--data', 'sim:bbh?n=400&seed=2', ...QUICK, '--out', path.join(dir, 'sim'), '-q']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.summary.data, 'sim:bbh?n=400&seed=2');
    assert.ok(run.summary.test_accuracy > 0);
  });

  it('a real-training sweep killed mid-run resumes without re-running finished cells', async () => {
    const grid = writeJson(path.join(dir, 'grid-kill.json'), { grid: { alpha: [0.3, 0.6, 1] }, seeds: 2 });
    const out = path.join(dir, 'kill');
    const args = ['sweep', '--data', data, '--grid', grid, ...QUICK, '--out', out, '--workers', '2'];
    const done = (): string[] => (fs.existsSync(path.join(out, 'cells')) ? fs.readdirSync(path.join(out, 'cells')).filter((f) => f.endsWith('.json') && !f.startsWith('.')) : []);
    const first = startCli(args);
    while (done().length < 2) await sleep(10);
    first.child.kill('SIGKILL');
    await first.done;
    const before = new Set(done().map((f) => f.replace(/\.json$/, '')));
    assert.ok(before.size >= 2 && before.size < 6, `finished before the kill: ${before.size}`);
    const second = await runCli(args);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(done().length, 6);
    assert.equal(second.summary.skipped, before.size);
    const events = fs.readFileSync(path.join(out, 'sweep-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const starts = (id: string): number => events.filter((e) => e.event === 'start' && e.cell === id).length;
    for (const id of before) assert.equal(starts(id), 1, `${id} ran again`);
    // Same numbers as an uninterrupted run of the same sweep.
    const clean = path.join(dir, 'clean');
    assert.equal((await runCli(['sweep', '--data', data, '--grid', grid, ...QUICK, '--out', clean, '--workers', '2'])).code, 0);
    const reports = await Promise.all([runCli(['report', out]), runCli(['report', clean])]);
    assert.equal(fs.readFileSync(path.join(out, 'report.csv'), 'utf8'), fs.readFileSync(path.join(clean, 'report.csv'), 'utf8'));
    assert.equal(reports[0].summary.cells_found, 6);
  });

  describe('bad input: exit 2, one line naming file, line and field', () => {
    it('an unknown key in the --config file, with its line', async () => {
      const config = path.join(dir, 'config.json');
      fs.writeFileSync(config, '{\n  "alpha": 0.6,\n  "windw": 100\n}\n');
      const run = await runCli(['train', '--data', data, '--config', config, '--out', path.join(dir, 'x')]);
      assert.equal(run.code, 2);
      assert.equal(run.stderr.trim().split('\n').length, 1);
      assert.match(run.stderr, /config\.json:3: field "windw": RlFocalConfig: unknown field "windw"/);
    });

    it('a bad --set value names the option', async () => {
      const run = await runCli(['train', '--data', data, '--set', 'window=ten', '--out', path.join(dir, 'x')]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /field "--set window": RlFocalConfig\.window: expected an integer/);
    });

    it('a window longer than the train split, with adaptWindow off (checked against the data)', async () => {
      const run = await runCli(['train', '--data', data, '--set', 'window=500', '--set', 'adaptWindow=false', '--out', path.join(dir, 'x'), '-q']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /field "--set window": RlFocalConfig\.window: w = 500 leaves too few/);
    });

    it('a sweep grid value the trainer rejects, before any cell runs', async () => {
      const grid = path.join(dir, 'bad-grid.json');
      fs.writeFileSync(grid, '{"grid": {\n  "alpha": [0.6,\n    -1]\n}}\n');
      const out = path.join(dir, 'bad-grid-out');
      const run = await runCli(['sweep', '--data', data, '--grid', grid, '--out', out]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /bad-grid\.json:3: field "grid\.alpha\[1\]": RlFocalConfig\.alpha: must be a finite number >= 0, got -1/);
      assert.ok(!fs.existsSync(path.join(out, 'cells')));
    });

    it('a data folder that does not exist, an unknown subtask', async () => {
      const missing = await runCli(['train', '--data', path.join(dir, 'nope'), '--out', path.join(dir, 'x')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nope: no such folder/);
      const subtask = await runCli(['train', '--data', data, '--subtasks', 'sub9', '--out', path.join(dir, 'x')]);
      assert.equal(subtask.code, 2);
      assert.match(subtask.stderr, /field "subtasks"\): unknown subtask "sub9" \(known: sub0, sub1\)/);
    });
  });
});
