/**
 * Figures and tables to files under stable names: `<name>.png`, `<name>.svg`, `<name>.csv`, `<name>.md`.
 *
 * Figures are drawn by plotly.js inside the system Chromium (driven by playwright-core), so the PNG/SVG are exactly
 * what plotly renders interactively. Nothing touches the network: plotly is served to the page from node_modules and
 * every other request is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './chromium';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, checkFigureName, type FigureSpec } from './spec';
import { writeFileAtomic } from '../util/atomic';

export type ImageFormat = 'png' | 'svg';
export const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'svg'];

/** Where figures go: RL_FOCAL_FIGURES (set by the notebook runner and server) or `figures/` under the cwd. */
export function figuresDir(): string {
  return process.env.RL_FOCAL_FIGURES ?? 'figures';
}

export interface RenderedFigure {
  name: string;
  png?: Buffer;
  svg?: string;
}

// The page asks for plotly at this made-up origin; the route handler answers from disk. `.invalid` never resolves.
const PLOTLY_URL = 'http://rl-focal.invalid/plotly.js';
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script src="${PLOTLY_URL}"></script></head><body></body></html>`;
// PNGs at twice the CSS size stay sharp on high-density screens and in print.
const PNG_SCALE = 2;

/** One browser page with plotly loaded; reuse it for a batch, then `close()`. */
export class FigureRenderer {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  static async launch(executablePath: string | null = findChromium()): Promise<FigureRenderer> {
    if (executablePath === null) {
      throw new Error(
        'No Chromium found (looked at RL_FOCAL_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser, ' +
          '/usr/bin/google-chrome*). Run `node scripts/bootstrap.mjs` as root or set RL_FOCAL_CHROMIUM.',
      );
    }
    // No signal handlers: playwright's default SIGINT handler closes the browser and exits the process, which inside a
    // tslab kernel turns Kernel ▸ Interrupt into a dead kernel. The browser exits with us anyway (pipe transport).
    const browser = await chromium.launch({
      executablePath,
      args: CHROMIUM_ARGS,
      headless: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    try {
      const page = await browser.newPage();
      const plotlyPath = require.resolve('plotly.js-dist/plotly.js');
      await page.route('**/*', (route) =>
        route.request().url() === PLOTLY_URL
          ? route.fulfill({ path: plotlyPath, contentType: 'text/javascript; charset=utf-8' })
          : route.abort('blockedbyclient'),
      );
      await page.setContent(PAGE, { waitUntil: 'load' });
      const loaded = await page.evaluate(() => typeof (globalThis as { Plotly?: unknown }).Plotly === 'object');
      if (!loaded) throw new Error(`plotly.js did not load from ${plotlyPath}`);
      return new FigureRenderer(browser, page);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  async render(spec: FigureSpec, formats: readonly ImageFormat[] = IMAGE_FORMATS): Promise<RenderedFigure> {
    checkFigureName(spec.name);
    const figure = plainFigure(spec);
    const size = { width: spec.width ?? DEFAULT_WIDTH, height: spec.height ?? DEFAULT_HEIGHT };
    const out: RenderedFigure = { name: spec.name };
    for (const format of checkFormats(formats)) {
      let url: string;
      try {
        url = await this.page.evaluate(
          ([fig, opts]) =>
            (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly.toImage(
              fig,
              opts,
            ),
          [figure, { format, ...size, scale: format === 'png' ? PNG_SCALE : 1 }] as const,
        );
      } catch (e) {
        throw new Error(`figure "${spec.name}": plotly could not render ${format}: ${(e as Error).message}`);
      }
      if (format === 'png') out.png = decodeDataUrl(url, 'image/png', spec.name) as Buffer;
      else out.svg = decodeDataUrl(url, 'image/svg+xml', spec.name) as string;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Renders every spec with one browser and writes `<outDir>/<name>.<format>`; returns the written paths. */
export async function renderFigures(
  specs: FigureSpec[],
  outDir: string = figuresDir(),
  formats: readonly ImageFormat[] = IMAGE_FORMATS,
): Promise<string[]> {
  const seen = new Set<string>();
  for (const spec of specs) {
    checkFigureName(spec.name);
    if (seen.has(spec.name)) throw new Error(`renderFigures: two figures are named "${spec.name}"`);
    seen.add(spec.name);
  }
  checkFormats(formats);
  if (specs.length === 0) return [];
  const renderer = await FigureRenderer.launch();
  try {
    const written: string[] = [];
    for (const spec of specs) written.push(...writeRendered(await renderer.render(spec, formats), outDir));
    return written;
  } finally {
    await renderer.close();
  }
}

/** Writes whatever formats `figure` holds; returns the paths. */
export function writeRendered(figure: RenderedFigure, outDir: string = figuresDir()): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  if (figure.png !== undefined) {
    const file = path.join(outDir, `${figure.name}.png`);
    writeFileAtomic(file, figure.png);
    written.push(file);
  }
  if (figure.svg !== undefined) {
    const file = path.join(outDir, `${figure.name}.svg`);
    writeFileAtomic(file, figure.svg);
    written.push(file);
  }
  return written;
}

export type TableInput = readonly object[] | ColumnTable;

/** An arquero table from rows (or the table itself). Rows must share their keys; the first row fixes the columns. */
export function asTable(rows: TableInput, name: string): ColumnTable {
  if (isColumnTable(rows)) return rows;
  if (rows.length === 0) throw new RangeError(`table "${name}": no rows to write`);
  const columns = Object.keys(rows[0]);
  rows.forEach((row, i) => {
    const keys = Object.keys(row);
    if (keys.length !== columns.length || keys.some((k) => !columns.includes(k))) {
      throw new RangeError(
        `table "${name}" row ${i}: columns [${keys.join(', ')}] differ from row 0's [${columns.join(', ')}]`,
      );
    }
  });
  return aq.from(rows as object[]) as ColumnTable;
}

/**
 * Writes `<outDir>/<name>.csv` (full precision, for machines) and `<outDir>/<name>.md` (numbers to 4 decimals, for
 * the README/REPORT). Returns both paths.
 */
export function writeTable(
  rows: TableInput,
  name: string,
  outDir: string = figuresDir(),
): { csv: string; md: string } {
  checkFigureName(name);
  const table = asTable(rows, name);
  fs.mkdirSync(outDir, { recursive: true });
  const csv = path.join(outDir, `${name}.csv`);
  const md = path.join(outDir, `${name}.md`);
  writeFileAtomic(csv, table.toCSV());
  // arquero stops at 100 rows unless told otherwise; a written table keeps every row.
  writeFileAtomic(md, `${table.toMarkdown({ maxdigits: 4, limit: Infinity })}\n`);
  return { csv, md };
}

function isColumnTable(x: TableInput): x is ColumnTable {
  return !Array.isArray(x) && typeof (x as ColumnTable).toCSV === 'function';
}

function checkFormats(formats: readonly ImageFormat[]): readonly ImageFormat[] {
  for (const f of formats) {
    if (!IMAGE_FORMATS.includes(f)) throw new RangeError(`unknown image format "${f}" (use ${IMAGE_FORMATS})`);
  }
  return formats;
}

/**
 * The spec as plain JSON for the page: typed arrays become arrays (plotly and the CDP bridge both want plain ones),
 * non-finite numbers become null, which plotly draws as gaps.
 */
/** The spec as plain JSON (typed arrays as arrays), what plotly.js takes. */
export function plainFigure(spec: FigureSpec): { data: unknown; layout: unknown } {
  const replacer = (_key: string, value: unknown): unknown => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as number[]);
    return value;
  };
  return JSON.parse(JSON.stringify({ data: spec.data, layout: spec.layout }, replacer));
}

function decodeDataUrl(url: string, mime: string, name: string): Buffer | string {
  const base64 = `data:${mime};base64,`;
  const plain = `data:${mime},`;
  if (url.startsWith(base64)) return Buffer.from(url.slice(base64.length), 'base64');
  if (url.startsWith(plain)) return decodeURIComponent(url.slice(plain.length));
  throw new Error(`figure "${name}": plotly returned "${url.slice(0, 40)}…", expected a ${mime} data URL`);
}
