/**
 * Notebook helpers: save a figure/table under its stable name AND show it inline in tslab.
 *
 * Outside a tslab kernel (CLI, tests) they only save and print the paths, so experiment code can call them anywhere.
 */
import type { Display } from 'tslab';
import { FigureRenderer, asTable, figuresDir, writeRendered, writeTable, type ImageFormat, type TableInput } from './export';
import type { FigureSpec } from './spec';
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
 * A status line for a long cell (`runRlJobs`'s `onStatus`): in a tslab kernel one output line redrawn in place,
 * elsewhere (CLI, tests) a line on stderr at most every 5 s, and always the final one.
 */
export function statusLine(): (line: string, final?: boolean) => void {
  if (isTslabKernel()) {
    const shown = (require('tslab') as typeof import('tslab')).newDisplay();
    return (line) => shown.text(line);
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

/** Renders `spec`, writes `<outDir>/<name>.png|.svg`, and displays the PNG inline. Returns the written paths. */
export async function showFigure(spec: FigureSpec, options: ShowFigureOptions = {}): Promise<string[]> {
  const formats = options.formats ?? ['png', 'svg'];
  const renderer = await sharedRenderer();
  try {
    // The PNG is always rendered because it is what gets displayed; only the requested formats are written.
    const rendered = await renderer.render(spec, formats.includes('png') ? formats : [...formats, 'png']);
    const toWrite = { name: rendered.name, png: formats.includes('png') ? rendered.png : undefined, svg: rendered.svg };
    const written = writeRendered(toWrite, options.outDir ?? figuresDir());
    const display = tslabDisplay();
    if (display !== null && rendered.png !== undefined) display.png(rendered.png);
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
