import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, ensureBuilt, lastJsonLine, REPO, runCli, tempDir, writeJson, type CliRun } from './helpers';

/**
 * docs/cluster.md's Slurm scripts, run as Slurm would run them: one process per array task with the task's
 * SLURM_* variables, then the merge script. The built binary stands in for `npx rl-focal` (same program, without
 * npx's start-up); an injected cell function stands in for training.
 */

const CELL_MODULE = `
exports.runCell = async (cell) => ({ metrics: { test_accuracy: 0.5 + cell.overrides.alpha / 10 + cell.seed / 100, calls_per_query: cell.overrides.window / 100 } });
`;

/** The first bash block after `heading` in docs/cluster.md, with `npx rl-focal` replaced by the built binary. */
function documentedScript(heading: string): string {
  const doc = fs.readFileSync(path.join(REPO, 'docs/cluster.md'), 'utf8');
  const from = doc.indexOf(heading);
  assert.ok(from >= 0, `docs/cluster.md has no "${heading}"`);
  const block = /```bash\n([\s\S]*?)```/.exec(doc.slice(from));
  assert.ok(block, `no bash block after "${heading}"`);
  assert.match(block[1], /npx rl-focal/);
  return block[1].replace(/npx rl-focal/g, `"${process.execPath}" "${BIN}"`);
}

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const child = spawn('bash', [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, summary: lastJsonLine(stdout) })));
}

describe('docs/cluster.md: the Slurm array recipe', function () {
  this.timeout(60000);
  before(ensureBuilt);

  it('three array tasks of the shard script and the merge script give the table of one unsharded run', async () => {
    const dir = tempDir();
    const shards = path.join(dir, 'shards.sbatch');
    const report = path.join(dir, 'report.sbatch');
    fs.writeFileSync(shards, documentedScript('## The shard script'));
    fs.writeFileSync(report, documentedScript('## The merge script'));
    fs.writeFileSync(path.join(dir, 'cell.js'), CELL_MODULE);
    const grid = writeJson(path.join(dir, 'grid.json'), { grid: { alpha: [0.6, 1.0], window: [100, 500] }, seeds: 2 });
    const options = ['--data', 'unused', '--grid', grid, '--cell-module', path.join(dir, 'cell.js')];
    const out = path.join(dir, 'runs');
    const slurm = (task: number): NodeJS.ProcessEnv => ({ SLURM_ARRAY_TASK_ID: String(task), SLURM_CPUS_PER_TASK: '1', SLURM_SUBMIT_DIR: REPO, SHARDS: '3' });

    const tasks = await Promise.all([1, 2, 3].map((task) => runScript(shards, ['sweep', out, ...options], slurm(task))));
    tasks.forEach((run, k) => {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.summary.shard, `${k + 1}/3`);
      assert.ok(fs.existsSync(path.join(out, `shard-${k + 1}`, 'sweep.json')));
    });
    assert.deepEqual(tasks.map((r) => r.summary.cells_in_shard), [3, 3, 2]);

    const merged = await runScript(report, [out], { SLURM_SUBMIT_DIR: REPO });
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(merged.summary.cells_found, 8);
    assert.equal(merged.summary.missing, 0);

    const whole = path.join(dir, 'whole');
    assert.equal((await runCli(['sweep', ...options, '--workers', '1', '--out', whole])).code, 0);
    assert.equal((await runCli(['report', whole])).code, 0);
    const csv = (d: string): string => fs.readFileSync(path.join(d, 'report.csv'), 'utf8');
    assert.equal(csv(out), csv(whole));

    // Resubmitting a finished shard (as after a time-out) skips its cells.
    const again = await runScript(shards, ['sweep', out, ...options], slurm(2));
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual([again.summary.skipped, again.summary.ran], [3, 0]);
  });
});
