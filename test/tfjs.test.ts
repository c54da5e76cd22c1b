import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(__dirname, '..');

/** stderr of a fresh Node process that loads `module` and computes with tfjs (the banner is printed once per process). */
function stderrOf(load: string): string {
  const script = `${load}; tf.tensor([1, 2]).add(1).dataSync(); console.warn('other warning kept');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

describe('tfjs (the tests\' gradient oracle)', () => {
  it('silences the node-backend banner that plain tfjs prints, and nothing else', function () {
    this.timeout(120_000);
    assert.match(stderrOf("const tf = require('@tensorflow/tfjs')"), /install our node backend/, 'control: plain tfjs prints it');
    const quiet = stderrOf("const { tf } = require('./test/tfjs')");
    assert.doesNotMatch(quiet, /install our node backend/);
    assert.match(quiet, /other warning kept/);
  });
});
