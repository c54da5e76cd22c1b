#!/usr/bin/env node
// Keeps the tracked notebooks free of run state, so saving in Jupyter never commits outputs (≈250 kB of PNG each).
//
//   node scripts/clean-notebooks.mjs            strip outputs and execution counts of notebooks/*.ipynb, set the kernelspec
//   node scripts/clean-notebooks.mjs --check    change nothing; exit 1 naming every notebook that is not clean (a test runs this)
//   node scripts/clean-notebooks.mjs a.ipynb …  only these files
//
// Clean means: no outputs, no execution counts, cell metadata reduced to `tags`, notebook metadata = the project's
// kernelspec and tslab's language_info (what Jupyter writes when the kernel starts, so an opened notebook is not
// "modified"), written as nbformat writes (1-space indent, sorted keys, trailing newline).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kernelSpecMetadata, languageInfoMetadata, repoRoot } from './lib/environment.mjs';

const usage = 'usage: node scripts/clean-notebooks.mjs [--check] [NOTEBOOK.ipynb ...]';
const keptCellMetadata = ['tags'];

/** JSON with keys sorted at every level, as nbformat's writer (json.dumps(sort_keys=True, indent=1)) lays it out. */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

/** The clean form of a parsed notebook and the list of what had to change (empty when it was clean). */
export function cleanNotebook(nb) {
  const changes = new Set();
  const cells = nb.cells.map((cell) => {
    const out = { ...cell };
    const metadata = Object.fromEntries(Object.entries(cell.metadata ?? {}).filter(([k]) => keptCellMetadata.includes(k)));
    if (JSON.stringify(metadata) !== JSON.stringify(cell.metadata ?? {})) changes.add('cell metadata');
    out.metadata = metadata;
    if (cell.cell_type === 'code') {
      if ((cell.outputs ?? []).length > 0) changes.add('outputs');
      if (cell.execution_count !== null && cell.execution_count !== undefined) changes.add('execution counts');
      out.outputs = [];
      out.execution_count = null;
    }
    return out;
  });
  const metadata = { ...nb.metadata, kernelspec: kernelSpecMetadata, language_info: languageInfoMetadata };
  if (JSON.stringify(sortKeys(metadata)) !== JSON.stringify(sortKeys(nb.metadata ?? {}))) changes.add('kernel metadata');
  return { notebook: sortKeys({ ...nb, cells, metadata }), changes: [...changes] };
}

function main() {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ options: { check: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, allowPositionals: true }));
  } catch (e) {
    console.error(`${e.message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const dir = path.join(repoRoot, 'notebooks');
  const files = positionals.length > 0 ? positionals.map((p) => path.resolve(p)) : fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
  const dirty = [];
  for (const file of files) {
    const rel = path.relative(process.cwd(), file);
    let text;
    let parsed;
    try {
      text = fs.readFileSync(file, 'utf8');
      parsed = JSON.parse(text);
      if (!Array.isArray(parsed.cells)) throw new Error('no "cells" array');
    } catch (e) {
      console.error(`${rel}: not a notebook (${e.code === 'ENOENT' ? 'no such file' : e.message})`);
      return 2;
    }
    const { notebook, changes } = cleanNotebook(parsed);
    const cleanText = `${JSON.stringify(notebook, null, 1)}\n`;
    if (cleanText === text) continue;
    dirty.push(rel);
    const what = changes.length > 0 ? changes.join(', ') : 'layout';
    if (values.check) {
      console.error(`${rel}: not clean (${what})`);
    } else {
      fs.writeFileSync(`${file}.tmp`, cleanText);
      fs.renameSync(`${file}.tmp`, file); // a complete new file or the old one, never half of it
      console.log(`${rel}: cleaned (${what})`);
    }
  }
  if (values.check && dirty.length > 0) {
    console.error(`${dirty.length} notebook(s) not clean: run \`node scripts/clean-notebooks.mjs\``);
    return 1;
  }
  if (!values.check && dirty.length === 0) console.log(`${files.length} notebook(s) already clean`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
