import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const bootstrap = path.join(repo, 'scripts', 'bootstrap.mjs');
const isRoot = process.getuid?.() === 0;

function runBootstrap(env: Record<string, string>): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [bootstrap], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A PATH holding only a fake apt-get that logs its arguments and succeeds without installing anything. */
function fakeApt(): { dir: string; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-focal-fake-apt-'));
  tempDirs.push(dir);
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(path.join(dir, 'apt-get'), `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> ${log}\n`, { mode: 0o755 });
  return { dir, log };
}

describe('scripts/bootstrap (a browser that does not exist stands in for a missing package)', () => {
  it('as root with apt-get: runs apt-get update, then install of the Debian packages, non-interactively', function () {
    if (!isRoot) this.skip();
    const apt = fakeApt();
    const r = runBootstrap({ RL_FOCAL_CHROMIUM: '/nonexistent/chromium', PATH: apt.dir });
    assert.equal(r.status, 1, r.output);
    assert.deepEqual(fs.readFileSync(apt.log, 'utf8').trim().split('\n'), [
      'noninteractive update',
      'noninteractive install -y jupyter-nbconvert python3-nbclient python3-ipykernel chromium jupyter-notebook',
    ]);
    // The fake installed nothing, so the bootstrap must say so rather than carry on.
    assert.match(r.output, /still missing after installing:[\s\S]*- Chromium/);
  });

  it('without apt-get (or not root): installs nothing and names what to install', () => {
    const r = runBootstrap({ RL_FOCAL_CHROMIUM: '/nonexistent/chromium', PATH: '/nonexistent' });
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /missing:[\s\S]*- Chromium \(Debian package chromium/);
    assert.match(r.output, /apt-get install -y jupyter-nbconvert python3-nbclient python3-ipykernel chromium jupyter-notebook/);
  });
});
