import { checkFigureName, type FigureSpec } from './spec';

export interface HeatmapOptions {
  title: string;
  /** Title of the colour bar (what a cell's value is). */
  colorbar: string;
  /** Values mapped to the ends of the colour scale. */
  zRange: [number, number];
  /** 'RdBu' (default) for signed values, high = red; 'Blues' for fractions. */
  colorscale?: 'RdBu' | 'Blues';
}

/** Plotly heatmap of a row-major matrix (rows x columns) with the values printed in the cells. */
export function matrixHeatmap(
  name: string,
  rowLabels: string[],
  columnLabels: string[],
  matrix: ArrayLike<number>,
  options: HeatmapOptions,
): FigureSpec {
  const R = rowLabels.length;
  const C = columnLabels.length;
  if (matrix.length !== R * C) throw new RangeError(`matrixHeatmap: ${matrix.length} values for ${R} x ${C} cells`);
  const z: Array<Array<number | null>> = [];
  const text: string[][] = [];
  for (let i = 0; i < R; i++) {
    z.push([]);
    text.push([]);
    for (let j = 0; j < C; j++) {
      const v = matrix[i * C + j];
      z[i].push(Number.isFinite(v) ? v : null);
      text[i].push(Number.isFinite(v) ? v.toFixed(2) : '');
    }
  }
  const diverging = (options.colorscale ?? 'RdBu') === 'RdBu';
  return {
    name: checkFigureName(name),
    data: [
      {
        type: 'heatmap',
        x: columnLabels,
        y: rowLabels,
        z,
        text,
        texttemplate: '%{text}',
        textfont: { size: C > 10 || R > 16 ? 9 : 12 },
        colorscale: options.colorscale ?? 'RdBu',
        // RdBu runs red -> blue; reversed, high values are red (strongly correlated errors).
        reversescale: diverging,
        zmin: options.zRange[0],
        zmax: options.zRange[1],
        colorbar: { title: { text: options.colorbar } },
      },
    ],
    layout: {
      title: { text: options.title },
      template: 'plotly_white',
      xaxis: { tickangle: -40, automargin: true },
      yaxis: { autorange: 'reversed', automargin: true },
      margin: { l: 40, r: 20, t: 80, b: 40 },
    },
    width: Math.max(420, 60 + 56 * C) + 260,
    height: Math.max(420, 60 + (R > 16 ? 28 : 48) * R) + 80,
  };
}
