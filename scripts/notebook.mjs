#!/usr/bin/env node
// Starts the classic Jupyter Notebook server on notebooks/ with the project-local tslab kernel (npm run notebook).
// Extra arguments go to Jupyter, e.g. `npm run notebook -- --port 8890 --ip 0.0.0.0`.
// Interactive runs write to build/scratch-figures (RL_FOCAL_WRITE_FIGURES=1: figures/, RL_FOCAL_FIGURES: any folder)
// and are never recorded as the reproduction; export RL_FOCAL_FAST=1 for the fast sizes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findPython, installKernelSpec, jupyterEnv, repoRoot } from './lib/environment.mjs';

const found = findPython();
if (!found || found.missing.includes('notebook')) {
  console.error(
    'The Jupyter Notebook server (Debian package jupyter-notebook) is not installed for /usr/bin/python3.\n' +
      'Run `node scripts/bootstrap.mjs` as root, or `apt-get install -y jupyter-notebook`.',
  );
  process.exit(1);
}
installKernelSpec();
const figures = process.env.RL_FOCAL_FIGURES
  ? path.resolve(process.env.RL_FOCAL_FIGURES)
  : path.join(repoRoot, ...(process.env.RL_FOCAL_WRITE_FIGURES === '1' ? ['figures'] : ['build', 'scratch-figures']));
fs.mkdirSync(figures, { recursive: true });

const args = [
  '-m',
  'notebook',
  '--no-browser',
  // notebooks/ unless the caller names another folder (the browser test serves a temporary one).
  ...(process.argv.slice(2).some((a) => a.startsWith('--notebook-dir')) ? [] : [`--notebook-dir=${path.join(repoRoot, 'notebooks')}`]),
  // Root in a container is the common case here; Jupyter refuses to start as root without this flag.
  ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ...process.argv.slice(2),
];
// Finished training runs of this session are kept here, so re-running a sweep cell recomputes only what changed.
const runCache = process.env.RL_FOCAL_RUN_CACHE || path.join(repoRoot, 'build', 'run-cache');
const env = jupyterEnv({ RL_FOCAL_FIGURES: figures, RL_FOCAL_REPRODUCTION: '0', RL_FOCAL_RUN_CACHE: runCache });
console.log(`${found.python} ${args.join(' ')}`);
console.log(`figures, tables and summaries of this session go to ${path.relative(repoRoot, figures) || '.'}/`);
console.log(`finished training runs are kept in ${path.relative(repoRoot, runCache) || '.'}/ (delete it to retrain)`);
const child = spawn(found.python, args, { env, stdio: 'inherit' });
// Ctrl-C reaches Jupyter through the terminal's process group; Jupyter asks for confirmation and shuts kernels down.
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
