import type { Numbers } from './axes';
import { toArray } from './axes';
import { checkFigureName, seriesColor, type FigureSpec } from './spec';

/** One router's operating curve (accuracy vs cost as its threshold sweeps) and the point chosen on it. */
export interface RouterCurveSeries {
  name: string;
  x: Numbers;
  y: Numbers;
  /** The operating point chosen (on train), drawn as a diamond in the curve's colour. */
  chosen: { x: number; y: number };
}

/** Reference points beside the curves (single models, each seed of a learned method...). */
export interface PointGroup {
  name: string;
  x: Numbers;
  y: Numbers;
  /** Hover text per point. */
  text?: string[];
  /** Palette index. */
  color: number;
  size: number;
  /** plotly marker symbol; plain circles when absent. */
  symbol?: string;
  /** 'dark': a thin dark outline (filled symbols); 'own': a thick outline in the group's colour (open symbols). */
  outline?: 'dark' | 'own';
}

export interface RouterCurvesOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Legend entry of the chosen points (shown once, for the first curve). */
  chosenName: string;
  width?: number;
  height?: number;
}

/** Operating curves, one colour each with its chosen point, then the point groups on top, one legend entry each. */
export function routerCurvesFigure(name: string, curves: RouterCurveSeries[], points: PointGroup[], options: RouterCurvesOptions): FigureSpec {
  const data: object[] = [];
  curves.forEach((c, k) => {
    const color = seriesColor(k);
    data.push({ type: 'scatter', mode: 'lines', name: c.name, x: toArray(c.x, `curve "${c.name}" x`), y: toArray(c.y, `curve "${c.name}" y`, c.x.length), line: { color, width: 2 } });
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: options.chosenName,
      showlegend: k === 0,
      x: [c.chosen.x],
      y: [c.chosen.y],
      marker: { color, size: 11, symbol: 'diamond', line: { width: 1, color: '#333' } },
    });
  });
  for (const p of points) {
    const color = seriesColor(p.color);
    if (p.text !== undefined && p.text.length !== p.x.length) throw new RangeError(`points "${p.name}" text has ${p.text.length} labels, expected ${p.x.length}`);
    const outline = p.outline === 'dark' ? { line: { width: 1, color: '#333' } } : p.outline === 'own' ? { line: { width: 2, color } } : {};
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: p.name,
      x: toArray(p.x, `points "${p.name}" x`),
      y: toArray(p.y, `points "${p.name}" y`, p.x.length),
      ...(p.text !== undefined ? { text: p.text.slice() } : {}),
      marker: { color, size: p.size, ...(p.symbol !== undefined ? { symbol: p.symbol } : {}), ...outline },
    });
  }
  return {
    name: checkFigureName(name),
    data,
    layout: {
      title: { text: options.title },
      template: 'plotly_white',
      xaxis: { title: { text: options.xTitle } },
      yaxis: { title: { text: options.yTitle } },
      legend: { orientation: 'h', y: -0.22 },
      margin: { l: 70, r: 30, t: 95, b: 60 },
    },
    width: options.width ?? 900,
    height: options.height ?? 600,
  };
}
