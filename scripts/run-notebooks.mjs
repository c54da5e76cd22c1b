#!/usr/bin/env node
// Executes the notebooks headlessly, in name order, stopping at the first cell that fails.
//
//   node scripts/run-notebooks.mjs                 every notebooks/*.ipynb, full size (npm run reproduce)
//   node scripts/run-notebooks.mjs --fast          same with RL_FOCAL_FAST=1 (npm test)
//   node scripts/run-notebooks.mjs --only 3 --only smoke   numeric prefix or substring of the file name
//   node scripts/run-notebooks.mjs --dir test/fixtures/notebooks
//
// Notebooks run with cwd = their folder, the project-local tslab kernel, and are written executed to build/notebooks/.
// RL_FOCAL_FIGURES is <repo>/figures for full runs of notebooks/ (npm run reproduce), build/figures-fast with --fast,
// and build/scratch-figures for full runs of another --dir (unless RL_FOCAL_WRITE_FIGURES=1). RL_FOCAL_REPRODUCTION=1
// marks a notebook's summary as the reproduction only in a full run of a notebook that has no uncommitted changes.
// The cell-by-cell execution and failure detection live in execute_notebook.py.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  findPython,
  formatSeconds,
  installKernelSpec,
  jupyterEnv,
  kernelName,
  repoRoot,
  runnerModules,
} from './lib/environment.mjs';

const usage = `usage: node scripts/run-notebooks.mjs [--fast] [--only NAME]... [--dir DIR] [--out DIR]
                                    [--cell-timeout SECONDS] [--show-stderr] [--list]`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      fast: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true, default: [] },
      dir: { type: 'string', default: path.join(repoRoot, 'notebooks') },
      out: { type: 'string', default: path.join(repoRoot, 'build', 'notebooks') },
      'cell-timeout': { type: 'string', default: '0' },
      'show-stderr': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const cellTimeout = Number(values['cell-timeout']);
  if (!Number.isInteger(cellTimeout) || cellTimeout < 0) {
    throw new Error(`--cell-timeout must be a whole number of seconds, got "${values['cell-timeout']}"`);
  }
  return { ...values, dir: path.resolve(values.dir), out: path.resolve(values.out), cellTimeout };
}

/**
 * `--only 3` matches a numeric prefix (03-x.ipynb), an exact file name (with or without .ipynb) matches only itself,
 * anything else matches as a substring of the file name.
 */
function selectNotebooks(names, only) {
  if (only.length === 0) return names;
  const wanted = only.flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const matches = (name, w) => {
    if (/^\d+$/.test(w)) {
      const prefix = /^(\d+)/.exec(name);
      return prefix !== null && Number(prefix[1]) === Number(w);
    }
    const exact = names.some((n) => n === w || n === `${w}.ipynb`);
    return exact ? name === w || name === `${w}.ipynb` : name.includes(w);
  };
  return names.filter((name) => wanted.some((w) => matches(name, w)));
}

function runDriver(python, notebook, options, env) {
  const args = [
    path.join(repoRoot, 'scripts', 'execute_notebook.py'),
    notebook,
    '--output',
    path.join(options.out, path.basename(notebook)),
    '--cwd',
    path.dirname(notebook),
    '--kernel',
    kernelName,
    '--cell-timeout',
    String(options.cellTimeout),
  ];
  if (options['show-stderr']) args.push('--show-stderr');
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Whether `notebook` is tracked and identical to the committed version: only then can its full run be the reproduction.
 * Returns the reason when it is not (no git, untracked, modified).
 */
function uncommittedReason(notebook) {
  const tracked = spawnSync('git', ['ls-files', '--error-unmatch', notebook], { cwd: repoRoot, encoding: 'utf8' });
  if (tracked.error) return 'git is not available to check it against the committed version';
  if (tracked.status !== 0) return 'it is not a committed notebook';
  const diff = spawnSync('git', ['diff', '--quiet', 'HEAD', '--', notebook], { cwd: repoRoot });
  return diff.status === 0 ? null : 'it has uncommitted changes';
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`${e.message}\n${usage}`);
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }

  const all = fs.existsSync(options.dir)
    ? fs.readdirSync(options.dir).filter((f) => f.endsWith('.ipynb')).sort()
    : [];
  const names = selectNotebooks(all, options.only);
  if (options.list) {
    for (const n of names) console.log(n);
    return 0;
  }
  if (names.length === 0) {
    const what = options.only.length ? ` matching ${options.only.join(', ')}` : '';
    console.error(`no notebooks${what} in ${path.relative(process.cwd(), options.dir) || '.'}`);
    return 2;
  }

  const found = findPython();
  const lacking = found ? runnerModules.filter((m) => found.missing.includes(m)) : runnerModules;
  if (!found || lacking.length > 0) {
    console.error(
      `No Python with ${lacking.join(', ')} found (tried RL_FOCAL_PYTHON, /usr/bin/python3, python3).\n` +
        'Run `node scripts/bootstrap.mjs` (it installs Debian\'s python3-nbclient) or set RL_FOCAL_PYTHON.',
    );
    return 2;
  }
  installKernelSpec();
  if (options.dir === path.join(repoRoot, 'notebooks') && !fs.existsSync(path.join(repoRoot, 'dist', 'index.js'))) {
    console.error('warning: dist/index.js is missing; the notebooks import the built library (run `npm run build`)');
  }

  // Only full runs of the project's notebooks (or an explicit opt-in) write figures/: fast runs (the test suite) and
  // runs of other notebooks never overwrite the committed results a write-up links to.
  const projectNotebooks = options.dir === path.join(repoRoot, 'notebooks');
  const writeFigures = !options.fast && (projectNotebooks || process.env.RL_FOCAL_WRITE_FIGURES === '1');
  const figures = options.fast
    ? path.join(repoRoot, 'build', 'figures-fast')
    : path.join(repoRoot, ...(writeFigures ? ['figures'] : ['build', 'scratch-figures']));
  fs.mkdirSync(figures, { recursive: true });
  // No run cache: the reproduction and CI train everything and time what they measure.
  const baseEnv = jupyterEnv({ RL_FOCAL_FAST: options.fast ? '1' : '0', RL_FOCAL_FIGURES: figures, RL_FOCAL_REPRODUCTION: '0', RL_FOCAL_RUN_CACHE: '' });
  const mode = options.fast ? 'fast mode (RL_FOCAL_FAST=1)' : 'full mode';
  console.log(`Executing ${names.length} notebook(s) from ${path.relative(repoRoot, options.dir) || '.'}, ${mode}`);

  const timings = [];
  const started = Date.now();
  for (const [i, name] of names.entries()) {
    const notebook = path.join(options.dir, name);
    console.log(`\n▶ [${i + 1}/${names.length}] ${name}`);
    let env = baseEnv;
    if (!options.fast && projectNotebooks) {
      const reason = uncommittedReason(notebook);
      if (reason === null) env = { ...baseEnv, RL_FOCAL_REPRODUCTION: '1' };
      else console.log(`  not recorded as the reproduction: ${reason}`);
    }
    const t0 = Date.now();
    const code = await runDriver(found.python, notebook, options, env);
    const elapsed = Date.now() - t0;
    timings.push({ name, elapsed, ok: code === 0 });
    if (code !== 0) {
      console.error(`\n✖ ${name} failed after ${formatSeconds(elapsed)}; later notebooks were not run.`);
      const skipped = names.slice(i + 1);
      if (skipped.length) console.error(`  not run: ${skipped.join(', ')}`);
      return 1;
    }
    console.log(`✔ ${name} ${formatSeconds(elapsed)}`);
  }
  console.log(`\nAll ${names.length} notebook(s) ran in ${formatSeconds(Date.now() - started)}:`);
  for (const t of timings) console.log(`  ${t.name.padEnd(40)} ${formatSeconds(t.elapsed)}`);
  console.log(`Executed notebooks: ${path.relative(repoRoot, options.out)}/   figures: ${path.relative(repoRoot, figures)}/`);
  return 0;
}

process.exitCode = await main();
