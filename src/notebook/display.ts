/**
 * Notebook helpers: save a figure/table under its stable name AND show it inline in tslab.
 *
 * Outside a tslab kernel (CLI, tests) they only save and print the paths, so experiment code can call them anywhere.
 */
import type { Display } from 'tslab';
import { randomBytes } from 'node:crypto';
import { FigureRenderer, asTable, figuresDir, plainFigure, writeRendered, writeTable, type ImageFormat, type TableInput } from '../figures/export';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, type FigureSpec } from '../figures/spec';
import { displayTableHtml, displayTableMarkdown, formatTableForDisplay } from './table-display';

// Launching Chromium and loading plotly costs ~2 s; consecutive notebook cells share one renderer, which closes after
// this much idle time. (If the kernel dies, Chromium exits with it: playwright talks to it over a pipe.)
const IDLE_CLOSE_MS = 15_000;

let shared: { renderer: Promise<FigureRenderer>; timer?: NodeJS.Timeout } | null = null;

async function sharedRenderer(): Promise<FigureRenderer> {
  if (shared === null) {
    const renderer = FigureRenderer.launch();
    shared = { renderer };
    renderer.catch(() => {
      shared = null;
    });
  }
  if (shared.timer !== undefined) clearTimeout(shared.timer);
  return shared.renderer;
}

function scheduleClose(): void {
  const current = shared;
  if (current === null) return;
  // Outside a kernel nobody will call again soon, and an open browser would keep the process alive.
  current.timer = setTimeout(() => {
    if (shared === current) shared = null;
    void current.renderer.then((r) => r.close()).catch(() => undefined);
  }, isTslabKernel() ? IDLE_CLOSE_MS : 0);
  current.timer.unref();
}

/** Closes the shared browser now (the idle timer would otherwise do it). */
export async function closeFigureRenderer(): Promise<void> {
  const current = shared;
  shared = null;
  if (current === null) return;
  if (current.timer !== undefined) clearTimeout(current.timer);
  await (await current.renderer).close();
}

function isTslabKernel(): boolean {
  const [, script, command] = process.argv;
  return command === 'kernel' && script !== undefined && /tslab/.test(script);
}

/** The tslab display API when running inside a tslab kernel, else null. */
function tslabDisplay(): Display | null {
  // Required lazily: loading tslab pulls in its TypeScript compiler, pointless outside a kernel.
  return isTslabKernel() ? (require('tslab') as typeof import('tslab')).display : null;
}

/**
 * `show` that skips a line tslab refuses to send. tslab publishes each display update on its ZeroMQ socket without
 * waiting for the previous send; when a cell computes synchronously between two updates and the first is still
 * pending, zeromq throws "Socket is busy writing" from the second, inside the computation that reported progress
 * (notebook 17 lost a 9-minute cell to it, session 8). A status line is replaced by the next one anyway, so that
 * line is skipped; any other error still throws.
 */
export function skipWhileSocketBusy(show: (line: string) => void): (line: string) => void {
  return (line) => {
    try {
      show(line);
    } catch (error) {
      if (!(error instanceof Error && /busy writing/.test(error.message))) throw error;
    }
  };
}

/**
 * A status line for a long cell (`runRlJobs`'s `onStatus`): in a tslab kernel one output line redrawn in place,
 * elsewhere (CLI, tests) a line on stderr at most every 5 s, and always the final one.
 */
export function statusLine(): (line: string, final?: boolean) => void {
  if (isTslabKernel()) {
    const shown = (require('tslab') as typeof import('tslab')).newDisplay();
    return skipWhileSocketBusy((line) => shown.text(line));
  }
  let last = -Infinity;
  return (line, final = false) => {
    const now = Date.now();
    if (!final && now - last < 5000) return;
    last = now;
    process.stderr.write(line + '\n');
  };
}

export interface ShowFigureOptions {
  outDir?: string;
  formats?: readonly ImageFormat[];
}

/**
 * Where the notebook page finds plotly.js: scripts/lib/environment.mjs copies the bundled plotly.js-dist into the
 * project's Jupyter data folder, which the Notebook serves under /nbextensions/ (require.js path `nbextensions`).
 */
const PLOTLY_MODULE = 'nbextensions/rl-focal-plotly/plotly';

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * One output with two representations: `image/png` (files, nbconvert, viewers without scripts) and `text/html`, which
 * the Notebook shows: the same PNG inside a box that a script replaces by the live plotly figure (hover, zoom, legend
 * toggles) once plotly.js has loaded from the local server. Where scripts do not run, or plotly cannot load, the PNG
 * stays. Nothing is fetched from the internet.
 */
export function figureMimeBundle(spec: FigureSpec, png: Buffer): Record<string, string> {
  const width = spec.width ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const id = `rl-focal-figure-${spec.name}-${randomBytes(4).toString('hex')}`;
  const figure = plainFigure(spec) as { data: unknown; layout: Record<string, unknown> };
  const base64 = png.toString('base64');
  const html =
    `<div id="${id}" class="rl-focal-figure" style="width:${width}px;height:${height}px">` +
    `<img src="data:image/png;base64,${base64}" width="${width}" height="${height}" alt="${spec.name}"></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var el = document.getElementById(${scriptJson(id)});\n` +
    `  if (!el || typeof window.require !== 'function') return;\n` +
    // plotly.js-dist is not an AMD module: require.js loads it as a script, which sets window.Plotly.
    `  window.require([${scriptJson(PLOTLY_MODULE)}], function (amd) {\n` +
    `    var Plotly = amd || window.Plotly;\n` +
    `    if (!Plotly) return;\n` +
    `    el.innerHTML = '';\n` +
    `    Plotly.newPlot(el, ${scriptJson(figure.data)}, ${scriptJson({ ...figure.layout, width, height })}, { displaylogo: false });\n` +
    `  }, function () {});\n` +
    `})();</script>`;
  return { 'text/html': html, 'image/png': base64, 'text/plain': `figure ${spec.name}` };
}

/** Sends one display_data message with several representations (tslab's `display` sends one type each). */
function displayBundle(bundle: Record<string, string>): void {
  const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData?: (data: unknown, update: boolean) => void };
  jupyter.lastWriteDisplayData?.({ data: bundle, metadata: {}, transient: {} }, false);
}

/**
 * Renders `spec`, writes `<outDir>/<name>.png|.svg`, and displays it inline: interactive in the Notebook, the PNG
 * elsewhere. Returns the written paths.
 */
export async function showFigure(spec: FigureSpec, options: ShowFigureOptions = {}): Promise<string[]> {
  const formats = options.formats ?? ['png', 'svg'];
  const renderer = await sharedRenderer();
  try {
    // The PNG is always rendered because it is what gets displayed; only the requested formats are written.
    const rendered = await renderer.render(spec, formats.includes('png') ? formats : [...formats, 'png']);
    const toWrite = { name: rendered.name, png: formats.includes('png') ? rendered.png : undefined, svg: rendered.svg };
    const written = writeRendered(toWrite, options.outDir ?? figuresDir());
    if (isTslabKernel() && rendered.png !== undefined) displayBundle(figureMimeBundle(spec, rendered.png));
    else console.log(`figure ${spec.name}: ${written.join(', ')}`);
    return written;
  } finally {
    scheduleClose();
  }
}

export interface ShowTableOptions {
  /** When given, also writes `<outDir>/<name>.csv|.md`. */
  name?: string;
  outDir?: string;
  /** Rows shown inline (files always get every row). */
  limit?: number;
}

/** Displays rows (or an arquero table) as an HTML table; with `name`, also writes CSV + Markdown and returns paths. */
export function showTable(rows: TableInput, options: ShowTableOptions & { name: string }): { csv: string; md: string };
export function showTable(rows: TableInput, options?: ShowTableOptions): { csv: string; md: string } | null;
export function showTable(rows: TableInput, options: ShowTableOptions = {}): { csv: string; md: string } | null {
  const table = asTable(rows, options.name ?? 'table');
  const files = options.name !== undefined ? writeTable(table, options.name, options.outDir ?? figuresDir()) : null;
  const display = tslabDisplay();
  const limit = options.limit ?? 50;
  const shown = formatTableForDisplay(table, limit);
  if (display !== null) display.html(displayTableHtml(shown));
  else console.log(displayTableMarkdown(shown));
  if (table.numRows() > limit) console.log(`(${limit} of ${table.numRows()} rows shown)`);
  return files;
}
