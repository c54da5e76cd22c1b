// What the notebook scripts need from the machine, found once and shared by bootstrap, runner and notebook server.
//
// Everything project-specific stays inside the repository: the tslab kernelspec lives in `.kernels/` (put first on
// JUPYTER_PATH) and Jupyter's runtime files in `build/jupyter-runtime/`, so no global Jupyter state is touched.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const kernelsRoot = path.join(repoRoot, '.kernels');
export const kernelName = 'tslab';
/** The kernelspec every tracked notebook carries, so Jupyter does not mark a notebook modified when it opens. */
export const kernelSpecMetadata = { display_name: 'TypeScript (tslab, rl-focal-ts)', language: 'typescript', name: kernelName };
/** What the tslab kernel reports as language_info (node_modules/tslab/dist/jupyter.js); Jupyter writes it on save. */
export const languageInfoMetadata = {
  codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
  file_extension: '.ts',
  mimetype: 'text/typescript',
  name: 'typescript',
  version: '3.7.2',
};
export const tslabBin = path.join(repoRoot, 'node_modules', 'tslab', 'bin', 'tslab');

// Debian's Jupyter stack (python3-nbclient etc.) lives in the system interpreter. A pyenv/conda `python3` earlier on
// PATH usually lacks it, so the system one is tried first; RL_FOCAL_PYTHON overrides both.
const pythonCandidates = () =>
  [process.env.RL_FOCAL_PYTHON, '/usr/bin/python3', 'python3'].filter((p) => typeof p === 'string' && p !== '');

// Python modules the scripts import, and the Debian package that provides each.
export const pythonModules = [
  { module: 'nbformat', pkg: 'python3-nbformat', neededFor: 'reading/writing notebooks' },
  { module: 'nbclient', pkg: 'python3-nbclient', neededFor: 'executing notebooks headlessly' },
  { module: 'jupyter_client', pkg: 'python3-jupyter-client', neededFor: 'talking to the tslab kernel' },
  { module: 'ipykernel', pkg: 'python3-ipykernel', neededFor: 'the Jupyter kernel machinery' },
  { module: 'nbconvert', pkg: 'jupyter-nbconvert', neededFor: 'jupyter nbconvert' },
  { module: 'notebook', pkg: 'jupyter-notebook', neededFor: 'npm run notebook (interactive use only)' },
];

// The packages bootstrap installs when it may (root + apt-get). One list so the message and the command agree.
export const aptPackages = ['jupyter-nbconvert', 'python3-nbclient', 'python3-ipykernel', 'chromium', 'jupyter-notebook'];

/** For each candidate interpreter, which of `pythonModules` it lacks (null if the interpreter does not run). */
function missingModules(python) {
  const probe = [
    'import importlib.util, json',
    `mods = ${JSON.stringify(pythonModules.map((m) => m.module))}`,
    'print(json.dumps([m for m in mods if importlib.util.find_spec(m) is None]))',
  ].join('\n');
  const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim());
  } catch {
    return null;
  }
}

/**
 * The interpreter with the most complete Jupyter stack. `missing` lists modules it still lacks; the notebook runner
 * needs only nbformat/nbclient/jupyter_client (see `runnerModules`).
 */
export function findPython() {
  let best = null;
  for (const python of pythonCandidates()) {
    const missing = missingModules(python);
    if (missing === null) continue;
    if (best === null || missing.length < best.missing.length) best = { python, missing };
    if (missing.length === 0) break;
  }
  return best;
}

export const runnerModules = ['nbformat', 'nbclient', 'jupyter_client'];

// Kept in step with src/figures/chromium.ts (the library cannot import a script, the bootstrap runs before the build).
export function findChromium() {
  const candidates = process.env.RL_FOCAL_CHROMIUM
    ? [process.env.RL_FOCAL_CHROMIUM]
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

/** Writes `.kernels/kernels/tslab/kernel.json` (only when its content changes) and returns its path. */
export function installKernelSpec() {
  if (!fs.existsSync(tslabBin)) {
    throw new Error(`tslab is not installed at ${path.relative(repoRoot, tslabBin)}: run \`npm install\` first`);
  }
  const spec = {
    // Absolute paths: the kernel must be this project's tslab under the node that ran npm install, whatever the
    // PATH of the process that later launches Jupyter.
    argv: [process.execPath, tslabBin, 'kernel', '--config-path', '{connection_file}'],
    display_name: kernelSpecMetadata.display_name,
    language: kernelSpecMetadata.language,
  };
  const dir = path.join(kernelsRoot, 'kernels', kernelName);
  const file = path.join(dir, 'kernel.json');
  const text = JSON.stringify(spec, null, 2) + '\n';
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current !== text) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text);
  }
  installPlotlyExtension();
  return { file, changed: current !== text };
}

/**
 * The Jupyter Notebook serves `<JUPYTER_PATH entry>/nbextensions/*` at `/nbextensions/`; figures displayed in a
 * notebook load plotly.js from there (src/notebook/display.ts), so interactive figures need no network.
 */
export const plotlyExtension = { dir: path.join(kernelsRoot, 'nbextensions', 'rl-focal-plotly'), module: 'nbextensions/rl-focal-plotly/plotly' };

function installPlotlyExtension() {
  const source = path.join(repoRoot, 'node_modules', 'plotly.js-dist', 'plotly.js');
  const target = path.join(plotlyExtension.dir, 'plotly.js');
  if (!fs.existsSync(source)) return;
  const same = fs.existsSync(target) && fs.statSync(target).size === fs.statSync(source).size && fs.statSync(target).mtimeMs >= fs.statSync(source).mtimeMs;
  if (same) return;
  fs.mkdirSync(plotlyExtension.dir, { recursive: true });
  fs.copyFileSync(source, target);
}

/** Environment for any Jupyter process: project kernels first on JUPYTER_PATH, runtime files inside build/. */
export function jupyterEnv(extra = {}) {
  const runtimeDir = path.join(repoRoot, 'build', 'jupyter-runtime');
  fs.mkdirSync(runtimeDir, { recursive: true });
  const jupyterPath = [kernelsRoot, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  return {
    ...process.env,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_RUNTIME_DIR: runtimeDir,
    PYTHONUNBUFFERED: '1',
    ...extra,
  };
}

export function formatSeconds(ms) {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
