import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../src/util/rng';

/**
 * The CLI tests drive the real built binary (`node dist/cli/main.js`) in child processes, as a user would, so
 * they also test the build, the shebang entry, worker processes loading built JS, exit codes and stdout/stderr.
 */

export const REPO = path.resolve(__dirname, '../..');
export const BIN = path.join(REPO, 'dist/cli/main.js');
export const BBH_DIR = path.resolve(REPO, '../shared/data/bbh-leaderboard');

let built = false;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than any source file (type errors elsewhere do not block emit). */
export function ensureBuilt(): void {
  if (built) return;
  const stale = !fs.existsSync(BIN) || fs.statSync(BIN).mtimeMs < newestMtime(path.join(REPO, 'src'));
  if (stale) {
    spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'ignore' });
    if (!fs.existsSync(BIN)) throw new Error('build failed: dist/cli/main.js missing after tsc');
  }
  built = true;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (the summary), undefined when absent or not JSON. */
  summary: any;
}

export function lastJsonLine(stdout: string): any {
  const lines = stdout.trimEnd().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    return undefined;
  }
}

/** Starts the binary; `done` resolves when it exits. */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, summary: lastJsonLine(stdout) }));
  });
  return { child, done };
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

export function tempDir(prefix = 'rl-focal-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeJson(file: string, value: unknown): string {
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
  return file;
}

/**
 * A small recorded-outputs folder (shared/data/FORMAT.md) with models of different skill: model i answers right
 * with probability 0.35 + 0.1 * i; `loglik` scores. Subtasks alternate in runs; the first 80% of each is train.
 */
export function writeRecordedFolder(
  dir: string,
  options: { models?: number; perSubtask?: number; subtasks?: number; seed?: number; prices?: boolean } = {},
): string {
  const nModels = options.models ?? 3;
  const perSubtask = options.perSubtask ?? 40;
  const nSubtasks = options.subtasks ?? 2;
  const rng = new Rng(options.seed ?? 1);
  fs.mkdirSync(dir, { recursive: true });
  const ids = Array.from({ length: nModels }, (_, i) => `model-${i}`);
  writeJson(path.join(dir, 'models.json'), {
    score_kind: 'loglik',
    models: ids.map((id, i) => ({ column: i, id, ...(options.prices === false ? {} : { price_cents: 0.01 * (i + 1) }) })),
  });
  const lines: string[] = [];
  for (let s = 0; s < nSubtasks; s++) {
    const choices = 2 + (s % 3);
    const nTrain = Math.floor(0.8 * perSubtask);
    for (let q = 0; q < perSubtask; q++) {
      const label = rng.int(choices);
      const scores: Record<string, number[]> = {};
      ids.forEach((id, i) => {
        const answer = rng.next() < 0.35 + 0.1 * i ? label : rng.int(choices);
        scores[id] = Array.from({ length: choices }, (_, k) => (k === answer ? -0.2 : -2 - rng.next()));
      });
      const split = q < nTrain ? 'train' : 'test';
      lines.push(JSON.stringify({ task: 'toy', subtask: `sub${s}`, split, index: q < nTrain ? q : q - nTrain, label, choices, scores }));
    }
  }
  fs.writeFileSync(path.join(dir, 'outputs.jsonl'), lines.join('\n') + '\n');
  return dir;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
