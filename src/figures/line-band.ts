import { axesLayout, sized, toArray, type AxesOptions, type Numbers } from './axes';
import { checkFigureName, seriesColor, withAlpha, type FigureSpec } from './spec';

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
