import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, REPO, runCli, tempDir } from './helpers';

/** The command as a whole: help on every command, version, usage errors, --debug. */

const COMMANDS = ['import', 'metrics', 'baselines', 'train', 'sweep', 'report'];

describe('cli: program (built binary)', function () {
  this.timeout(60000);
  before(ensureBuilt);

  it('lists every command in --help and has --help on each', async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    for (const name of COMMANDS) assert.match(top.stdout, new RegExp(`^  ${name} `, 'm'));
    const helps = await Promise.all(COMMANDS.map((name) => runCli([name, '--help'])));
    helps.forEach((run, k) => {
      assert.equal(run.code, 0, COMMANDS[k]);
      assert.match(run.stdout, new RegExp(`^Usage: rl-focal ${COMMANDS[k]} `, 'm'));
      assert.equal(run.stderr, '');
    });
  });

  it('prints the package version', async () => {
    const run = await runCli(['--version']);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.equal(run.stdout.trim(), pkg.version);
  });

  it('the package bin entry is the built main with a node shebang', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const bin = path.join(REPO, pkg.bin['rl-focal']);
    assert.ok(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('usage errors exit 2 with one line, and suggest the command meant', async () => {
    const typo = await runCli(['trian']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /rl-focal: error: unknown command 'trian'/);
    assert.match(typo.stderr, /Did you mean train\?/);
    const missing = await runCli(['train']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /required option '--data <spec>' not specified/);
  });

  it('shows a stack trace only with --debug', async () => {
    const file = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(file, '{"predictions": [[0]], "labels": [7, 1]}');
    const plain = await runCli(['metrics', file]);
    const debug = await runCli(['metrics', file, '--debug']);
    assert.equal(plain.code, 2);
    assert.equal(debug.code, 2);
    assert.equal(plain.stderr.trim().split('\n').length, 1);
    assert.match(debug.stderr, /\n\s+at .+\(.+\.js:\d+:\d+\)/);
  });
});
