#!/usr/bin/env node
// Makes the machine able to execute the notebooks and render figures, then registers the project-local tslab kernel.
//
// Needs: a Python with Debian's Jupyter stack (nbclient, nbformat, jupyter_client, ipykernel, nbconvert, notebook) and
// Chromium. When something is missing and we are root with apt-get, it installs the Debian packages; otherwise it
// stops and names exactly what to install. It never uses pip (PyPI is unreachable) and never downloads a browser.
// Runs before every `npm test` / `npm run reproduce`, so the common case (all present) only probes and returns.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  aptPackages,
  findChromium,
  findPython,
  formatSeconds,
  installKernelSpec,
  pythonModules,
  repoRoot,
} from './lib/environment.mjs';

const started = Date.now();
const log = (line) => console.log(`[bootstrap] ${line}`);

function inspect() {
  const python = findPython();
  const missingModules = python ? python.missing : pythonModules.map((m) => m.module);
  return { python, missingModules, chromium: findChromium() };
}

function describeMissing({ python, missingModules, chromium }) {
  const lines = [];
  if (!python) lines.push('no working python3 interpreter (tried RL_FOCAL_PYTHON, /usr/bin/python3, python3)');
  for (const name of missingModules) {
    const m = pythonModules.find((p) => p.module === name);
    lines.push(`python module ${name} (Debian package ${m.pkg}; ${m.neededFor})`);
  }
  if (!chromium) lines.push('Chromium (Debian package chromium; renders figures to PNG/SVG)');
  return lines;
}

function onPath(command) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, command)));
}

// The notebook server is only for interactive use; running and testing notebooks works without it.
function blocking(missing) {
  return missing.filter((line) => !line.startsWith('python module notebook '));
}

function canUseApt() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot && onPath('apt-get');
}

function apt(args) {
  log(`apt-get ${args.join(' ')}`);
  const r = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed with status ${r.status ?? r.signal}`);
}

function main() {
  if (!fs.existsSync(path.join(repoRoot, 'node_modules', 'tslab'))) {
    console.error('[bootstrap] node_modules/tslab is missing: run `npm install` (or `npm ci`) first.');
    return 1;
  }

  let state = inspect();
  let missing = describeMissing(state);
  if (missing.length > 0) {
    log(`missing:\n  - ${missing.join('\n  - ')}`);
    if (canUseApt()) {
      apt(['update']);
      apt(['install', '-y', ...aptPackages]);
      state = inspect();
      missing = describeMissing(state);
      if (blocking(missing).length > 0) {
        console.error(`[bootstrap] still missing after installing:\n  - ${blocking(missing).join('\n  - ')}`);
        return 1;
      }
    } else if (blocking(missing).length > 0) {
      console.error(
        '[bootstrap] Not root or no apt-get, so nothing was installed. On Debian/Ubuntu, as root:\n' +
          `  apt-get update && apt-get install -y ${aptPackages.join(' ')}\n` +
          'Elsewhere install the equivalents (Jupyter with nbclient + ipykernel, and a Chromium/Chrome); set\n' +
          'RL_FOCAL_PYTHON to the interpreter that has nbclient and RL_FOCAL_CHROMIUM to the browser binary.',
      );
      return 1;
    }
  }
  for (const line of missing) log(`warning: continuing without ${line}`);

  const { file, changed } = installKernelSpec();
  log(
    `python ${state.python.python}, chromium ${state.chromium}, kernel ${path.relative(repoRoot, file)}` +
      `${changed ? ' (written)' : ''}; ready in ${formatSeconds(Date.now() - started)}`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`[bootstrap] ${e.message}`);
  process.exitCode = 1;
}
