import { axesLayout, sized, toArray, type AxesOptions, type Numbers } from './axes';
import { checkFigureName, seriesColor, type FigureSpec } from './spec';

export interface ScatterSeries {
  name: string;
  x: Numbers;
  y: Numbers;
  /** Hover/label text per point. */
  text?: string[];
  mode?: 'markers' | 'lines' | 'lines+markers';
  /** A plotly marker symbol and size for this series (default: circles of size 7), to single out one series. */
  symbol?: string;
  size?: number;
}

/** Points (or lines) per series. */
export function scatterFigure(name: string, series: ScatterSeries[], options: AxesOptions = {}): FigureSpec {
  const data = series.map((s, i) => ({
    type: 'scatter',
    name: s.name,
    mode: s.mode ?? 'markers',
    x: toArray(s.x, `series "${s.name}" x`),
    y: toArray(s.y, `series "${s.name}" y`, s.x.length),
    ...(s.text !== undefined ? { text: checkedText(s.text, s.x.length, s.name) } : {}),
    marker: { color: seriesColor(i), size: s.size ?? 7, ...(s.symbol !== undefined ? { symbol: s.symbol } : {}) },
    line: { color: seriesColor(i) },
  }));
  return { name: checkFigureName(name), data, layout: axesLayout(options), ...sized(options) };
}

function checkedText(text: string[], n: number, series: string): string[] {
  if (text.length !== n) throw new RangeError(`series "${series}" text has ${text.length} labels, expected ${n}`);
  return text.slice();
}
