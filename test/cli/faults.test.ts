import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expandGrid } from '../../src/runs/grid';
import { checkpointHash } from '../../src/train/checkpoint';
import { BIN, ensureBuilt, lastJsonLine, runCli, startCli, tempDir, writeJson, writeRecordedFolder, type CliRun } from './helpers';

/**
 * Fault injection through the built binary (issue 14): interruptions mid-write, corrupt inputs and checkpoints,
 * closed pipes and full disks, missing permissions, prototype keys, and the values that used to pass silently.
 * Every case asserts the exact outcome: the exit code, the one line on stderr (naming file, line and field, or the
 * flag) and what is left in --out.
 */

const QUICK = ['--set', 'deciderEpisodes=1', '--set', 'fusionEpisodes=1', '--set', 'window=5', '--set', 'updatePeriod=10', '-q'];

/** Exit 2 and exactly one line on stderr, no stack trace; returns the line. */
function badInput(run: CliRun): string {
  assert.equal(run.code, 2, `exit code ${run.code}; stderr: ${run.stderr}`);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /^\s+at /m);
  assert.equal(run.stdout, '');
  return lines[0];
}

/** Runs the binary through a shell (pipes, redirections); `rc` is the binary's own exit code. */
function shell(script: string): Promise<{ rc: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `${script}; echo "rc=\${PIPESTATUS[0]}" >&2`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', () => {
      const rc = Number(/rc=(\d+)\n$/.exec(stderr)?.[1]);
      resolve({ rc, stdout, stderr: stderr.replace(/rc=\d+\n$/, '') });
    });
  });
}

/** The binary as an unprivileged user (uid/gid 65534): root reads and writes whatever the file modes say. */
function runAsNobody(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, summary: lastJsonLine(stdout) }));
  });
}

const isRoot = process.getuid?.() === 0;

/** Files under `dir`, relative, sorted (the state of an --out folder). */
function listing(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)))
    .sort();
}

describe('cli: fault injection (built binary)', function () {
  this.timeout(180_000);
  const dir = tempDir('rl-focal-faults-');
  const data = path.join(dir, 'data');
  before(() => {
    ensureBuilt();
    // Readable by the unprivileged user of the permission cases.
    fs.chmodSync(dir, 0o755);
    writeRecordedFolder(data, { models: 3, perSubtask: 40, subtasks: 2 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('interruptions leave the old state or nothing (point 1)', () => {
    it('import killed (SIGKILL, SIGINT) at any moment: --out is absent, the old copy, or the complete new one', async () => {
      const big = writeRecordedFolder(path.join(dir, 'big'), { models: 3, perSubtask: 15_000, subtasks: 2, seed: 3 });
      const out = path.join(dir, 'import-kill');
      let interrupted = 0;
      for (const [delay, signal] of [[250, 'SIGKILL'], [600, 'SIGINT'], [900, 'SIGKILL'], [1300, 'SIGINT']] as const) {
        fs.rmSync(out, { recursive: true, force: true });
        const run = startCli(['import', big, '--format', 'jsonl', '--out', out]);
        await new Promise((r) => setTimeout(r, delay));
        run.child.kill(signal);
        const result = await run.done;
        if (result.signal !== null) interrupted++;
        // Nothing, or everything: a folder that reads back is the whole dataset.
        if (fs.existsSync(path.join(out, 'outputs.jsonl'))) {
          const check = await runCli(['baselines', '--data', out, '--no-fusion', '-q']);
          assert.equal(check.code, 0, check.stderr);
          assert.equal(check.summary.queries, 6_000);
        }
      }
      assert.ok(interrupted >= 2, `only ${interrupted} of 4 runs were interrupted before they finished`);
      // --force over a good copy: killed mid-way, the old copy or the new one remains (16 or 6,000 test queries).
      fs.rmSync(out, { recursive: true, force: true });
      assert.equal((await runCli(['import', data, '--format', 'jsonl', '--out', out, '-q'])).code, 0);
      const run = startCli(['import', big, '--format', 'jsonl', '--out', out, '--force']);
      await new Promise((r) => setTimeout(r, 700));
      run.child.kill('SIGKILL');
      const killed = (await run.done).signal !== null;
      const check = await runCli(['baselines', '--data', out, '--no-fusion', '-q']);
      assert.equal(check.code, 0, check.stderr);
      assert.ok([16, 6_000].includes(check.summary.queries), `read back ${check.summary.queries} test queries`);
      // A kill -9 can leave the temporary folder (hidden, next to --out); a finished import never does.
      if (!killed) assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.import-kill')), []);
    });

    it('train killed mid-run: no --out at all, and with --force the previous run stays whole', async () => {
      const out = path.join(dir, 'train-kill');
      // Far more episodes than 1.5 s allow, and no early stop.
      const slow = ['--set', 'deciderEpisodes=100000', '--set', 'fusionEpisodes=100000', '--set', 'patience=1000000', '--set', 'window=5', '--set', 'updatePeriod=10', '-q'];
      const first = startCli(['train', '--data', data, ...slow, '--out', out]);
      await new Promise((r) => setTimeout(r, 1500));
      first.child.kill('SIGKILL');
      assert.equal((await first.done).signal, 'SIGKILL');
      assert.equal(fs.existsSync(out), false);
      assert.equal((await runCli(['train', '--data', data, ...QUICK, '--out', out])).code, 0);
      const before = listing(out).map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]);
      const second = startCli(['train', '--data', data, ...slow, '--seed', '5', '--out', out, '--force']);
      await new Promise((r) => setTimeout(r, 1500));
      second.child.kill('SIGINT');
      assert.equal((await second.done).signal, 'SIGINT');
      assert.deepEqual(listing(out).map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]), before);
    });
  });

  describe('checkpoints prove what they hold (points 2, 3, 4)', () => {
    const run0 = path.join(dir, 'run0');
    let trained: CliRun;
    before(async () => {
      // Without the validation guard, so that the learned agents are what served the test split.
      trained = await runCli(['train', '--data', data, ...QUICK, '--set', 'validationFraction=0', '--seed', '3', '--out', run0]);
      assert.equal(trained.code, 0, trained.stderr);
    });
    const checkpoint = (): Record<string, any> => JSON.parse(fs.readFileSync(path.join(run0, 'seed-3', 'agents.json'), 'utf8'));
    const write = (name: string, value: unknown): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
      return file;
    };
    const resealed = (edit: (c: Record<string, any>) => void): Record<string, any> => {
      const c = checkpoint();
      edit(c);
      c.sha256 = checkpointHash(c as any);
      return c;
    };

    it('the post-warm-start checkpoint reproduces the reported accuracy; the post-online one is stored apart and labelled', async () => {
      const run = await runCli(['evaluate', '--checkpoint', path.join(run0, 'seed-3', 'agents.json'), '--data', data]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.summary.stage, 'post-warm-start');
      assert.equal(run.summary.test_accuracy, trained.summary.test_accuracy);
      assert.equal(run.summary.recorded_test_accuracy, trained.summary.test_accuracy);
      const online = JSON.parse(fs.readFileSync(path.join(run0, 'seed-3', 'agents-online.json'), 'utf8'));
      assert.equal(online.stage, 'post-online');
      assert.deepEqual(listing(path.join(run0, 'seed-3')), ['agents-online.json', 'agents.json', 'curves.csv', 'result.json']);
    });

    it('a flipped byte is refused (content hash)', async () => {
      const text = fs.readFileSync(path.join(run0, 'seed-3', 'agents.json'), 'utf8');
      const at = text.indexOf('float64Base64') + 40;
      const file = write('flipped.json', text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
      const line = badInput(await runCli(['evaluate', '--checkpoint', file, '--data', data]));
      assert.equal(line, `rl-focal: error: ${file}: field "--checkpoint": content does not match its sha256 (the file was changed or corrupted)`);
    });

    it('a NaN weight is refused even with a matching hash', async () => {
      const file = write('nan.json', resealed((c) => {
        const bytes = Buffer.from(c.weights.fusion.float64Base64, 'base64');
        bytes.writeDoubleLE(Number.NaN, 0);
        c.weights.fusion.float64Base64 = bytes.toString('base64');
      }));
      const line = badInput(await runCli(['evaluate', '--checkpoint', file, '--data', data]));
      assert.match(line, /field "--checkpoint": weights\.fusion\[0\] is NaN, not a finite number$/);
    });

    it('a checkpoint without config is refused, not filled with defaults', async () => {
      const file = write('no-config.json', resealed((c) => delete c.config));
      assert.match(badInput(await runCli(['evaluate', '--checkpoint', file, '--data', data])), /no-config\.json: field "--checkpoint": config is missing$/);
    });

    it('other pool ids, or the same models in another order, are refused', async () => {
      const file = path.join(run0, 'seed-3', 'agents.json');
      const reordered = badInput(await runCli(['evaluate', '--checkpoint', file, '--data', data, '--models', 'model-1,model-0,model-2']));
      assert.match(reordered, /trained on \[model-0, model-1, model-2\], the data has the same models in another order \[model-1, model-0, model-2\]$/);
      const renamed = write('renamed.json', resealed((c) => (c.models = ['x', 'model-1', 'model-2'])));
      assert.match(badInput(await runCli(['evaluate', '--checkpoint', renamed, '--data', data])), /the data has other models \[model-0, model-1, model-2\]$/);
    });

    it('data the agents were not built for (more answer choices than their Fusion observation has) is refused', async () => {
      // sub0 has 2 choices, sub1 has 3: agents trained on sub0 alone cannot read the whole pool's observations.
      const narrow = path.join(dir, 'narrow');
      const trainedNarrow = await runCli(['train', '--data', data, '--subtasks', 'sub0', ...QUICK, '--set', 'validationFraction=0', '--out', narrow]);
      assert.equal(trainedNarrow.code, 0, trainedNarrow.stderr);
      const file = path.join(narrow, 'seed-0', 'agents.json');
      assert.equal((await runCli(['evaluate', '--checkpoint', file, '--data', data, '--subtasks', 'sub0'])).code, 0);
      assert.equal(
        badInput(await runCli(['evaluate', '--checkpoint', file, '--data', data])),
        `rl-focal: error: ${file}: field "--checkpoint": the data does not fit the checkpoint's agents: the agents read a Fusion observation of 14 entries built with maxChoices 2, the environment writes 18 with maxChoices 3`,
      );
    });

    it('per-subtask checkpoints of subtasks that sanitise alike (代数, 几何, 概率) do not overwrite each other', async () => {
      const cjk = path.join(dir, 'cjk');
      writeRecordedFolder(cjk, { models: 3, perSubtask: 40, subtasks: 3 });
      const file = path.join(cjk, 'outputs.jsonl');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"sub0"/g, '"代数"').replace(/"sub1"/g, '"几何"').replace(/"sub2"/g, '"概率"'));
      const out = path.join(dir, 'cjk-run');
      const run = await runCli(['train', '--data', cjk, ...QUICK, '--per-subtask', '--out', out]);
      assert.equal(run.code, 0, run.stderr);
      const names = listing(path.join(out, 'seed-0')).filter((f) => f.startsWith('agents-'));
      assert.equal(names.length, 6, names.join(', '));
      assert.equal(names.filter((f) => f.endsWith('-online.json')).length, 3);
    });
  });

  describe('stream and permission failures: exit 2, one line (point 6, point 9)', () => {
    it('a truncated outputs.jsonl.gz', async () => {
      const gz = path.join(dir, 'gz-truncated');
      fs.cpSync(data, gz, { recursive: true });
      const whole = gzipSync(fs.readFileSync(path.join(gz, 'outputs.jsonl')));
      fs.rmSync(path.join(gz, 'outputs.jsonl'));
      fs.writeFileSync(path.join(gz, 'outputs.jsonl.gz'), whole.subarray(0, whole.length - 40));
      const out = path.join(dir, 'gz-out');
      const line = badInput(await runCli(['import', gz, '--format', 'jsonl', '--out', out]));
      assert.equal(line, `rl-focal: error: ${path.join(gz, 'outputs.jsonl.gz')}: cannot decompress: unexpected end of file`);
      assert.equal(fs.existsSync(out), false);
    });

    it('a corrupt outputs.jsonl.gz (bytes overwritten in the middle)', async () => {
      const gz = path.join(dir, 'gz-corrupt');
      fs.cpSync(data, gz, { recursive: true });
      const bytes = gzipSync(fs.readFileSync(path.join(gz, 'outputs.jsonl')));
      bytes.fill(0xff, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64);
      fs.rmSync(path.join(gz, 'outputs.jsonl'));
      fs.writeFileSync(path.join(gz, 'outputs.jsonl.gz'), bytes);
      const line = badInput(await runCli(['baselines', '--data', gz, '--no-fusion']));
      assert.equal(line, `rl-focal: error: ${path.join(gz, 'outputs.jsonl.gz')}: cannot decompress: incorrect data check`);
    });

    it('a data folder, or an outputs.jsonl, this user may not read: "permission denied", not "does not exist"', async function () {
      const locked = path.join(dir, 'locked');
      fs.cpSync(data, locked, { recursive: true });
      fs.chmodSync(path.join(locked, 'outputs.jsonl'), 0o000);
      fs.chmodSync(locked, 0o755);
      // As root, mode 000 denies nothing: the binary runs as uid 65534 instead (where spawning as another user works).
      const run = isRoot ? runAsNobody : runCli;
      let file: CliRun;
      try {
        file = await run(['baselines', '--data', locked, '--no-fusion']);
      } catch (error) {
        this.skip(); // no permission to switch users in this environment
        throw error;
      }
      assert.equal(badInput(file), `rl-focal: error: ${path.join(locked, 'outputs.jsonl')}: permission denied (cannot read the file or the folder holding it)`);
      fs.chmodSync(locked, 0o000);
      const folder = badInput(await run(['baselines', '--data', locked, '--no-fusion']));
      assert.equal(folder, `rl-focal: error: ${path.join(locked, 'models.json')}: permission denied (cannot read the file or the folder holding it)`);
      fs.chmodSync(locked, 0o755);
      // An --out under a folder this user may not write to: refused before any work.
      const closed = path.join(dir, 'closed');
      fs.mkdirSync(closed, { mode: 0o555 });
      fs.chmodSync(closed, 0o555);
      const out = path.join(closed, 'run');
      const write = badInput(await run(['train', '--data', data, ...QUICK, '--out', out]));
      assert.equal(write, `rl-focal: error: ${out}: field "--out": cannot write into ${closed} (permission denied)`);
    });

    it('stdout closed by its reader (train --help | head -1): exit 0, nothing on stderr', async () => {
      const run = await shell(`"${process.execPath}" "${BIN}" train --help | head -1`);
      assert.equal(run.stdout, 'Usage: rl-focal train [options]\n');
      assert.equal(run.stderr, '');
      assert.equal(run.rc, 0);
    });

    it('stdout on a full disk (/dev/full): exit 1, one line', async function () {
      if (!fs.existsSync('/dev/full')) this.skip();
      const run = await shell(`"${process.execPath}" "${BIN}" --help > /dev/full`);
      assert.equal(run.rc, 1);
      assert.equal(run.stderr, 'rl-focal: error: cannot write to stdout: no space left on device\n');
    });

    it('Node.js older than 20.19: one line and exit 2, before any ES module is required', async () => {
      const shim = writeFileIn(dir, 'node18.cjs', "Object.defineProperty(process.versions, 'node', { value: '18.19.0' });\n");
      const run = spawnSync(process.execPath, ['--require', shim, BIN, '--version'], { encoding: 'utf8' });
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, 'rl-focal: error: Node.js >= 20.19 is required, this is Node.js 18.19.0\n');
    });
  });

  describe('prototype keys (point 7)', () => {
    it('--set __proto__.alpha=0.9 and --set constructor=1 are unknown fields, nothing is written', async () => {
      const out = path.join(dir, 'proto-set');
      assert.equal(badInput(await runCli(['train', '--data', data, ...QUICK, '--set', '__proto__.alpha=0.9', '--out', out])), 'rl-focal: error: field "--set __proto__": RlFocalConfig: unknown field "__proto__"');
      assert.equal(badInput(await runCli(['train', '--data', data, ...QUICK, '--set', 'constructor=1', '--out', out])), 'rl-focal: error: field "--set constructor": RlFocalConfig: unknown field "constructor"');
      assert.equal(fs.existsSync(out), false);
    });

    it('a config file {"__proto__": {...}} is refused at its line', async () => {
      const config = writeFileIn(dir, 'proto.json', '{\n  "__proto__": {"alpha": 0.25}\n}\n');
      const line = badInput(await runCli(['train', '--data', data, ...QUICK, '--config', config, '--out', path.join(dir, 'proto-config')]));
      assert.equal(line, `rl-focal: error: ${config}:2: field "__proto__": RlFocalConfig: unknown field "__proto__"`);
    });

    it('a model id "__proto__" is imported with its scores and reads back', async () => {
      const proto = path.join(dir, 'proto-model');
      fs.mkdirSync(proto);
      writeJson(path.join(proto, 'models.json'), { score_kind: 'prob', models: [{ column: 0, id: '__proto__' }, { column: 1, id: 'b' }] });
      const lines = Array.from({ length: 20 }, (_, q) => `{"task":"t","subtask":"s","split":"${q < 15 ? 'train' : 'test'}","index":${q},"label":0,"choices":2,"scores":{"__proto__":[0.9,0.1],"b":[0.2,0.8]}}`);
      fs.writeFileSync(path.join(proto, 'outputs.jsonl'), lines.join('\n') + '\n');
      const out = path.join(dir, 'proto-import');
      const run = await runCli(['import', proto, '--format', 'jsonl', '--out', out]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.summary.models, ['__proto__', 'b']);
      const first = JSON.parse(fs.readFileSync(path.join(out, 'outputs.jsonl'), 'utf8').split('\n')[0]);
      assert.ok(Object.hasOwn(first.scores, '__proto__'));
      const single = await runCli(['baselines', '--data', out, '--no-fusion', '-q']);
      assert.equal(single.code, 0, single.stderr);
      assert.equal(single.summary.baselines.find((b: any) => b.method === 'single: __proto__').accuracy, 1);
    });
  });

  describe('values that used to pass silently (point 5, point 8)', () => {
    it('prob rows whose sum overflows are rescaled, not imported as abstentions', async () => {
      const big = path.join(dir, 'overflow');
      fs.mkdirSync(big);
      writeJson(path.join(big, 'models.json'), { score_kind: 'prob', models: [{ column: 0, id: 'a' }, { column: 1, id: 'b' }] });
      const lines = Array.from({ length: 10 }, (_, q) => `{"task":"t","subtask":"s","split":"${q < 8 ? 'train' : 'test'}","index":${q},"label":1,"choices":3,"scores":{"a":[1e308,1e308,1e308],"b":[1e308,1.5e308,0]}}`);
      fs.writeFileSync(path.join(big, 'outputs.jsonl'), lines.join('\n') + '\n');
      const out = path.join(dir, 'overflow-import');
      const run = await runCli(['import', big, '--format', 'jsonl', '--out', out]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.summary.abstentions, 0);
      const first = JSON.parse(fs.readFileSync(path.join(out, 'outputs.jsonl'), 'utf8').split('\n')[0]);
      assert.deepEqual(first.scores.a, [1 / 3, 1 / 3, 1 / 3]);
      assert.deepEqual(first.scores.b.map((p: number) => Math.round(p * 1e12) / 1e12), [0.4, 0.6, 0]);
    });

    it('bbh?label=rlfocal (a typo of labels=) is an error, not the other label set', async () => {
      assert.equal(badInput(await runCli(['baselines', '--data', 'bbh?label=rlfocal'])), 'rl-focal: error: bbh?label=rlfocal (field "label"): unknown parameter "label" (known: labels, k, slotOrder)');
    });

    it('--models m1,m1 is refused for folder data', async () => {
      const line = badInput(await runCli(['baselines', '--data', data, '--models', 'model-1,model-1']));
      assert.equal(line, `rl-focal: error: option '--models <ids>' argument 'model-1,model-1' is invalid. "model-1" is listed twice`);
    });

    it('train --out <folder with files> is refused unless --force, and --force replaces the folder as a whole', async () => {
      const out = path.join(dir, 'reuse');
      assert.equal((await runCli(['train', '--data', data, ...QUICK, '--seeds', '2', '--out', out])).code, 0);
      const before = listing(out);
      const line = badInput(await runCli(['train', '--data', data, ...QUICK, '--seed', '7', '--out', out]));
      assert.equal(line, `rl-focal: error: ${out}: field "--out": already holds files (of an earlier run?); pass --force to replace the folder, or choose another`);
      assert.deepEqual(listing(out), before);
      assert.equal((await runCli(['train', '--data', data, ...QUICK, '--seed', '7', '--out', out, '--force'])).code, 0);
      assert.deepEqual(listing(out), ['results.json', 'seed-7/agents-online.json', 'seed-7/agents.json', 'seed-7/curves.csv', 'seed-7/result.json']);
    });

    it('seeds outside [0, 2^32) are refused, on the command line and in a grid', async () => {
      assert.equal(
        badInput(await runCli(['train', '--data', data, ...QUICK, '--seed', '4294967296'])),
        `rl-focal: error: option '--seed <n>' argument '4294967296' is invalid. must be between 0 and 4294967295`,
      );
      assert.equal(
        badInput(await runCli(['train', '--data', data, ...QUICK, '--seed', '4294967295', '--seeds', '2', '--out', path.join(dir, 'seeds-x')])),
        'rl-focal: error: field "--seeds": seeds 4294967295..4294967296 go beyond 4294967295 (seeds are taken modulo 2^32)',
      );
      const grid = writeFileIn(dir, 'grid-seeds.json', '{\n  "grid": {"alpha": [1]},\n  "seeds": [0, 4294967296]\n}\n');
      const line = badInput(await runCli(['sweep', '--data', data, '--grid', grid, '--out', path.join(dir, 'seeds-sweep')]));
      assert.equal(line, `rl-focal: error: ${grid}:3: field "seeds[1]": seeds[1] must be an integer in [0, 4294967295], got 4294967296`);
    });

    it('report on an incomplete sweep warns and counts the seeds of each row', async () => {
      const { grid, cell } = sweepSetup(dir, 'incomplete', { grid: { alpha: [0.2, 0.4] }, seeds: 2 });
      const out = path.join(dir, 'incomplete-out');
      assert.equal((await runCli(['sweep', '--data', 'x', '--grid', grid, '--out', out, '--cell-module', cell, '--shard', '1/3', '-q'])).code, 0);
      const report = await runCli(['report', out]);
      assert.equal(report.code, 0);
      assert.equal(report.stderr, 'rl-focal report: warning: 2 of 4 cells have no result (unfinished or failed); rows hold 1-1 of 2 seeds each\n');
      assert.deepEqual(report.summary.rows.map((r: any) => r.seeds), [1, 1]);
      assert.match(fs.readFileSync(path.join(out, 'report.md'), 'utf8'), /Incomplete: 2 of 4 cells have no result yet\./);
    });

    it('two sweeps on one --out compute each cell once; a stale claim (dead process) is taken over, a live one respected', async () => {
      const { dir: sweepDir, grid, cell } = sweepSetup(dir, 'shared', { grid: { alpha: [0.1, 0.2, 0.3, 0.4] }, seeds: 2 });
      const out = path.join(dir, 'shared-out');
      const args = ['sweep', '--data', 'x', '--grid', grid, '--out', out, '--cell-module', cell, '--workers', '2', '-q'];
      const env = { CELL_MS: '150' };
      const [a, b] = await Promise.all([runCli(args, { env }), runCli(args, { env })]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const executions = fs.readFileSync(path.join(sweepDir, 'executions.log'), 'utf8').trim().split('\n');
      assert.equal(executions.length, 8, executions.join(' '));
      assert.equal(new Set(executions).size, 8);
      assert.equal(a.summary.ran + b.summary.ran, 8);
      assert.deepEqual(listing(path.join(out, 'cells')).filter((f) => f.endsWith('.claim')), []);

      const ids = expandGrid({ grid: [['alpha', [0.5, 0.6]]], base: {}, seeds: [0] }).map((c) => c.id);
      const grid2 = writeJson(path.join(sweepDir, 'grid2.json'), { grid: { alpha: [0.5, 0.6] } });
      const out2 = path.join(dir, 'claims-out');
      fs.mkdirSync(path.join(out2, 'cells'), { recursive: true });
      const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
      const host = require('node:os').hostname();
      writeJson(path.join(out2, 'cells', `${ids[0]}.claim`), { pid: deadPid, host, time: 'then' });
      writeJson(path.join(out2, 'cells', `${ids[1]}.claim`), { pid: process.pid, host, time: 'now' });
      const run = await runCli(['sweep', '--data', 'x', '--grid', grid2, '--out', out2, '--cell-module', cell]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.summary.ran, 1);
      assert.equal(run.summary.claimed_elsewhere, 1);
      assert.deepEqual(listing(path.join(out2, 'cells')), [`${ids[0]}.json`, `${ids[1]}.claim`].sort());
    });
  });

  describe('exit codes and messages (point 9)', () => {
    it('--out naming an existing file: exit 2 naming the file and --out, for every command that writes', async () => {
      const file = writeFileIn(dir, 'a-file', 'x\n');
      const expected = `rl-focal: error: ${file}: field "--out": is a file; it must be a folder (or a path that does not exist yet)`;
      assert.equal(badInput(await runCli(['train', '--data', data, ...QUICK, '--out', file])), expected);
      assert.equal(badInput(await runCli(['import', data, '--format', 'jsonl', '--out', file])), expected);
      const { grid, cell } = sweepSetup(dir, 'outfile', { grid: { alpha: [1] } });
      assert.equal(badInput(await runCli(['sweep', '--data', 'x', '--grid', grid, '--cell-module', cell, '--out', file])), expected);
    });

    it('baselines checks --out before computing anything', async () => {
      const file = writeFileIn(dir, 'b-file', 'x\n');
      const run = await runCli(['baselines', '--data', data, '--out', file]);
      // No progress line: it stopped before the first method.
      assert.equal(badInput(run), `rl-focal: error: ${file}: field "--out": is a file; it must be a folder (or a path that does not exist yet)`);
    });

    it('sim:mmlu?n=1e12 and sim:mmlu?n=3: exit 2, one line naming the spec', async () => {
      assert.equal(badInput(await runCli(['train', '--data', 'sim:mmlu?n=1e12', ...QUICK])), 'rl-focal: error: sim:mmlu?n=1e12: simulatePool: nQueries must be an integer in [1, 1000000], got 1000000000000');
      assert.equal(badInput(await runCli(['train', '--data', 'sim:mmlu?n=3', ...QUICK, '--out', path.join(dir, 'n3')])), 'rl-focal: error: sim:mmlu?n=3: trainRlFocal: the dataset has no train queries (split column)');
      assert.equal(fs.existsSync(path.join(dir, 'n3')), false);
    });

    it('a per-subtask training error names the subtask and leaves no --out', async () => {
      const out = path.join(dir, 'subtask-error');
      const line = badInput(await runCli(['train', '--data', data, ...QUICK, '--per-subtask', '--set', 'window=60', '--set', 'adaptWindow=false', '--out', out]));
      assert.equal(line, 'rl-focal: error: field "--set window": subtask "sub0": RlFocalConfig.window: w = 60 leaves too few of the 32 train queries to train on (need >= 62)');
      assert.equal(fs.existsSync(out), false);
    });

    it('--set alpha="0.5" says it got a string; a layer width of 100000000 is refused before allocating', async () => {
      assert.equal(badInput(await runCli(['train', '--data', data, ...QUICK, '--set', 'alpha="0.5"'])), 'rl-focal: error: field "--set alpha": RlFocalConfig.alpha: must be a finite number >= 0, got the string "0.5"');
      assert.equal(
        badInput(await runCli(['train', '--data', data, ...QUICK, '--set', 'deciderHidden=[100000000]'])),
        'rl-focal: error: field "--set deciderHidden": RlFocalConfig.deciderHidden[0]: layer width must be an integer in [1, 4096], got 100000000',
      );
    });

    it('--subtasks: progress totals and results.json count the chosen subtasks only', async () => {
      const out = path.join(dir, 'one-subtask');
      const run = await runCli(['train', '--data', data, ...QUICK.filter((a) => a !== '-q'), '--per-subtask', '--subtasks', 'sub1', '--out', out]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /train {2}4\/4 steps \(100%\)/);
      assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).dataset.subtasks, 1);
    });

    it('a CSV with a byte-order mark and a trailing blank line imports', async () => {
      const csv = writeFileIn(dir, 'excel.csv', '\uFEFFquery_id,task,subtask,split,label,model,choice,score\r\nq1,t,s,train,1,a,0,0.2\r\nq1,t,s,train,1,a,1,0.8\r\nq2,t,s,test,0,a,0,0.7\r\nq2,t,s,test,0,a,1,0.3\r\n\r\n');
      const run = await runCli(['import', csv, '--format', 'csv', '--out', path.join(dir, 'excel-out')]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.summary.queries, 2);
    });
  });
});

function writeFileIn(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A deterministic cell function that logs every execution (to count them) and can be slowed down (CELL_MS). */
const CELL_MODULE = `
const fs = require('node:fs');
const path = require('node:path');
exports.runCell = async (cell) => {
  fs.appendFileSync(path.join(__dirname, 'executions.log'), cell.id + '\\n');
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.CELL_MS ?? 0)));
  return { metrics: { test_accuracy: 0.5 + cell.overrides.alpha / 10 + cell.seed / 100 } };
};
`;

function sweepSetup(parent: string, name: string, grid: unknown): { dir: string; grid: string; cell: string } {
  const dir = path.join(parent, `sweep-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cell.js'), CELL_MODULE);
  return { dir, grid: writeJson(path.join(dir, 'grid.json'), grid), cell: path.join(dir, 'cell.js') };
}
