import { axesLayout, sized, toArray, type AxesOptions, type Numbers } from './axes';
import { checkFigureName, seriesColor, type FigureSpec } from './spec';

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
