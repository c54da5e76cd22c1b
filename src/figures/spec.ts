/**
 * Figures as data: a plotly.js figure plus the stable file stem it is saved under.
 *
 * Experiments return specs; rendering to PNG/SVG happens once, in a browser (export.ts), so the library itself never
 * depends on a display. The builders (one per file beside this one: scatter, line-band, bar, panels, heatmap,
 * router-curves, accuracy-cost; each a typed input in, a spec out, snapshot-tested in test/figures) cover the plots
 * the paper uses; a one-off figure can be written as a raw spec.
 */
export interface FigureSpec {
  /** plotly.js traces. */
  data: object[];
  /** plotly.js layout. */
  layout: object;
  /** File stem: `figures/<name>.png`, `.svg`. Letters, digits, `.`, `_`, `-` only, so paths stay stable. */
  name: string;
  /** Pixels (CSS); PNGs are rendered at twice this size. */
  width?: number;
  height?: number;
}

export const DEFAULT_WIDTH = 720;
export const DEFAULT_HEIGHT = 450;

/** d3's category10: distinguishable, colour-blind tolerable, and what readers of plotly figures expect. */
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

export function checkFigureName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new RangeError(`figure name "${name}" must match ${NAME_PATTERN} (it becomes a file name)`);
  }
  return name;
}

/** A palette colour (`#rrggbb`) as `rgba(...)` with the given opacity (bands, shaded areas). */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
