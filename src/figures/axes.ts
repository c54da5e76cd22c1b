/** Axis options and layout shared by the scatter, band and bar builders. */
import type { FigureSpec } from './spec';

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

/** Numbers as the builders accept them: plain or typed arrays. */
export type Numbers = ArrayLike<number>;

/** A copy as a plain array (plotly specs are JSON), checked against the expected length. */
export function toArray(values: Numbers, what: string, expectedLength?: number): number[] {
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

/** The shared layout of the axis builders: titles, ranges (log axes with explicit ticks), white template, legend below. */
export function axesLayout(options: AxesOptions): Record<string, unknown> {
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

/** The spec's width and height when the options set them. */
export function sized(options: AxesOptions): Pick<FigureSpec, 'width' | 'height'> {
  return {
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
  };
}
