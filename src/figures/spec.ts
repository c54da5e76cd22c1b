/**
 * Figures as data: a plotly.js figure plus the stable file stem it is saved under.
 *
 * Experiments return specs; rendering to PNG/SVG happens once, in a browser (export.ts), so the library itself never
 * depends on a display. The builders cover the plots the paper uses; anything else can be written as a raw spec.
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

export interface AxesOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  xRange?: [number, number];
  yRange?: [number, number];
  xLog?: boolean;
  yLog?: boolean;
  width?: number;
  height?: number;
}

type Numbers = ArrayLike<number>;

function toArray(values: Numbers, what: string, expectedLength?: number): number[] {
  if (expectedLength !== undefined && values.length !== expectedLength) {
    throw new RangeError(`${what} has ${values.length} values, expected ${expectedLength}`);
  }
  return Array.from(values);
}

/**
 * Tick values for a log axis over [min, max]: 1, 2 and 5 per decade when the range spans at most two decades, else
 * the decades only, labelled in full ("200", "1000"), never plotly's minor-digit labels ("7 8 9 100 2 3").
 */
export function logAxisTicks(min: number, max: number): { tickvals: number[]; ticktext: string[] } {
  if (!(min > 0) || !(max >= min)) return { tickvals: [], ticktext: [] };
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const steps = Math.log10(max / min) <= 2 ? [1, 2, 5] : [1];
  const tickvals: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of steps) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= min / 1.0001 && v <= max * 1.0001) tickvals.push(v);
    }
  }
  // A narrow range may hold fewer than two 1-2-5 values: its ends instead, rounded inwards to the fewest digits
  // that keep them apart.
  if (tickvals.length < 2) {
    const inward = (x: number, digits: number, up: boolean) => {
      const unit = 10 ** (Math.floor(Math.log10(x)) - digits + 1);
      return Number(((up ? Math.ceil(x / unit) : Math.floor(x / unit)) * unit).toPrecision(digits));
    };
    let digits = 2;
    while (digits < 12 && !(inward(min, digits, true) < inward(max, digits, false))) digits++;
    tickvals.splice(0, tickvals.length, inward(min, digits, true), inward(max, digits, false));
  }
  return { tickvals, ticktext: tickvals.map((v) => (v >= 1 ? v.toLocaleString('en-US').replace(/,/g, ' ') : String(v))) };
}

function axesLayout(options: AxesOptions): Record<string, unknown> {
  const axis = (title: string | undefined, range: [number, number] | undefined, log: boolean | undefined) => ({
    ...(title !== undefined ? { title: { text: title } } : {}),
    ...(range !== undefined ? { range: log ? range.map(Math.log10) : range } : {}),
    // Without a range the data decide it: one labelled tick per decade.
    ...(log ? { type: 'log', ...(range !== undefined ? { tickmode: 'array', ...logAxisTicks(range[0], range[1]) } : { dtick: 1 }) } : {}),
    zeroline: false,
  });
  return {
    ...(options.title !== undefined ? { title: { text: options.title } } : {}),
    xaxis: axis(options.xTitle, options.xRange, options.xLog),
    yaxis: axis(options.yTitle, options.yRange, options.yLog),
    template: 'plotly_white',
    margin: { l: 70, r: 20, t: options.title !== undefined ? 60 : 20, b: 60 },
    legend: { orientation: 'h', y: -0.2 },
  };
}

function sized(options: AxesOptions): Pick<FigureSpec, 'width' | 'height'> {
  return {
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
  };
}

export interface ScatterSeries {
  name: string;
  x: Numbers;
  y: Numbers;
  /** Hover/label text per point. */
  text?: string[];
  mode?: 'markers' | 'lines' | 'lines+markers';
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
    marker: { color: seriesColor(i), size: 7 },
    line: { color: seriesColor(i) },
  }));
  return { name: checkFigureName(name), data, layout: axesLayout(options), ...sized(options) };
}

function checkedText(text: string[], n: number, series: string): string[] {
  if (text.length !== n) throw new RangeError(`series "${series}" text has ${text.length} labels, expected ${n}`);
  return text.slice();
}

export interface BandSeries {
  name: string;
  x: Numbers;
  mean: Numbers;
  /** Lower and upper edge of the shaded band (e.g. mean ± std over seeds). */
  lower: Numbers;
  upper: Numbers;
}

/** One line per series with a translucent band around it; the band is one closed polygon so it needs no ordering. */
export function lineWithBandFigure(name: string, series: BandSeries[], options: AxesOptions = {}): FigureSpec {
  const data: object[] = [];
  series.forEach((s, i) => {
    const n = s.x.length;
    const x = toArray(s.x, `series "${s.name}" x`);
    const mean = toArray(s.mean, `series "${s.name}" mean`, n);
    const lower = toArray(s.lower, `series "${s.name}" lower`, n);
    const upper = toArray(s.upper, `series "${s.name}" upper`, n);
    for (let k = 0; k < n; k++) {
      if (lower[k] > upper[k]) {
        throw new RangeError(`series "${s.name}" point ${k}: lower ${lower[k]} exceeds upper ${upper[k]}`);
      }
    }
    const color = seriesColor(i);
    data.push({
      type: 'scatter',
      name: `${s.name} band`,
      x: [...x, ...x.slice().reverse()],
      y: [...upper, ...lower.slice().reverse()],
      fill: 'toself',
      fillcolor: withAlpha(color, 0.2),
      line: { width: 0 },
      hoverinfo: 'skip',
      showlegend: false,
    });
    data.push({ type: 'scatter', mode: 'lines', name: s.name, x, y: mean, line: { color, width: 2 } });
  });
  return { name: checkFigureName(name), data, layout: axesLayout(options), ...sized(options) };
}

export interface BarSeries {
  name: string;
  values: Numbers;
  /** Symmetric error bar per category. */
  error?: Numbers;
}

/** Grouped bars: one group per category, one bar per series. */
export function barFigure(
  name: string,
  categories: string[],
  series: BarSeries[],
  options: AxesOptions = {},
): FigureSpec {
  const data = series.map((s, i) => ({
    type: 'bar',
    name: s.name,
    x: [...categories],
    y: toArray(s.values, `series "${s.name}" values`, categories.length),
    ...(s.error !== undefined
      ? { error_y: { type: 'data', array: toArray(s.error, `series "${s.name}" error`, categories.length) } }
      : {}),
    marker: { color: seriesColor(i) },
  }));
  const layout = { ...axesLayout(options), barmode: 'group' };
  return { name: checkFigureName(name), data, layout, ...sized(options) };
}

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
