/**
 * Side-by-side panels sharing an x grid (the paper's sweep figures put accuracy, cost and #calls next to each other),
 * each panel with our series (mean ± standard error over seeds) and, where the paper gives them, its values.
 */
import { checkFigureName, seriesColor, type FigureSpec } from './spec';

export interface PanelSeries {
  name: string;
  x: Array<number | string>;
  y: Array<number | null>;
  /** Symmetric error bar (e.g. standard error over seeds). */
  error?: Array<number | null>;
  /** Paper values are drawn dashed with open markers. */
  style?: 'ours' | 'paper';
  /** Colour index in the shared palette. */
  color?: number;
  /** Draw on a second y axis on the right of the panel. */
  secondary?: boolean;
  /** 'lines' for fitted curves and reference lines (no markers). */
  mode?: 'lines' | 'lines+markers';
}

export interface Panel {
  title: string;
  yTitle: string;
  series: PanelSeries[];
  yRange?: [number, number];
  y2Title?: string;
  y2Range?: [number, number];
}

export interface PanelFigureOptions {
  title?: string;
  xTitle: string;
  /** 'category' spaces grid values evenly (the paper's alpha/window axes); 'linear' keeps distances; 'log' for sizes. */
  xType?: 'category' | 'linear' | 'log';
  /** Explicit x ticks (e.g. the pool sizes on a log axis). */
  xTickValues?: number[];
  width?: number;
  height?: number;
}

/** Panels left to right, each with its own y axis (and an optional right one), sharing the x title and the legend. */
export function panelFigure(name: string, panels: Panel[], options: PanelFigureOptions): FigureSpec {
  if (panels.length === 0) throw new RangeError(`panelFigure "${name}": no panels`);
  const gap = 0.08;
  const secondaries = panels.filter((p) => p.series.some((s) => s.secondary)).length;
  const width = (1 - gap * (panels.length - 1) - 0.04 * secondaries) / panels.length;
  const data: object[] = [];
  const layout: Record<string, unknown> = {
    template: 'plotly_white',
    margin: { l: 60, r: secondaries > 0 ? 70 : 20, t: options.title ? 80 : 50, b: 110 },
    legend: { orientation: 'h', y: -0.28 },
    ...(options.title ? { title: { text: options.title } } : {}),
    annotations: [] as object[],
  };
  const shown = new Set<string>();
  // Category axes list every grid value of every series, in numeric order (else plotly orders them by first sight).
  const categories = [...new Set(panels.flatMap((p) => p.series.flatMap((s) => s.x)))]
    .sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))))
    .map(String);
  let axisCount = 0;
  let left = 0;
  panels.forEach((panel) => {
    const domain: [number, number] = [left, Math.min(1, left + width)];
    const hasSecondary = panel.series.some((s) => s.secondary);
    left = domain[1] + gap + (hasSecondary ? 0.04 : 0);
    axisCount += 1;
    const xa = axisCount;
    const ya = axisCount;
    const suffix = (k: number) => (k === 1 ? '' : String(k));
    layout[`xaxis${suffix(xa)}`] = {
      domain,
      anchor: `y${suffix(ya)}`,
      title: { text: options.xTitle },
      type: options.xType ?? 'linear',
      zeroline: false,
      ...(options.xType === 'category' ? { categoryorder: 'array', categoryarray: categories } : {}),
      ...(options.xTickValues ? { tickvals: options.xTickValues, ticktext: options.xTickValues.map(String) } : {}),
    };
    layout[`yaxis${suffix(ya)}`] = {
      anchor: `x${suffix(xa)}`,
      title: { text: panel.yTitle },
      zeroline: false,
      ...(panel.yRange ? { range: panel.yRange } : {}),
    };
    let y2: number | null = null;
    if (hasSecondary) {
      axisCount += 1;
      y2 = axisCount;
      layout[`yaxis${suffix(y2)}`] = {
        anchor: `x${suffix(xa)}`,
        overlaying: `y${suffix(ya)}`,
        side: 'right',
        title: { text: panel.y2Title ?? '' },
        showgrid: false,
        zeroline: false,
        ...(panel.y2Range ? { range: panel.y2Range } : {}),
      };
    }
    (layout.annotations as object[]).push({
      text: `<b>${panel.title}</b>`,
      x: (domain[0] + domain[1]) / 2,
      y: 1.02,
      xref: 'paper',
      yref: 'paper',
      xanchor: 'center',
      yanchor: 'bottom',
      showarrow: false,
    });
    panel.series.forEach((s, k) => {
      if (s.x.length !== s.y.length) throw new RangeError(`panelFigure "${name}": series "${s.name}" has ${s.x.length} x and ${s.y.length} y values`);
      const color = seriesColor(s.color ?? k);
      const paper = s.style === 'paper';
      data.push({
        type: 'scatter',
        mode: s.mode ?? 'lines+markers',
        name: s.name,
        legendgroup: s.name,
        showlegend: !shown.has(s.name),
        x: s.x.map((v) => (options.xType === 'category' ? String(v) : v)),
        y: s.y,
        xaxis: `x${suffix(xa)}`,
        yaxis: `y${suffix(s.secondary && y2 !== null ? y2 : ya)}`,
        line: { color, dash: paper ? 'dash' : s.mode === 'lines' ? 'dot' : 'solid', width: 2 },
        marker: { color, size: 8, symbol: paper ? 'diamond-open' : 'circle' },
        ...(s.error ? { error_y: { type: 'data', array: s.error.map((e) => e ?? 0), visible: true, color } } : {}),
      });
      shown.add(s.name);
    });
  });
  return { name: checkFigureName(name), data, layout, width: options.width ?? 360 * panels.length + 80, height: options.height ?? 440 };
}
