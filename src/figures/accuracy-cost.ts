import { logAxisTicks } from './axes';
import { placeLabels } from './place-labels';
import { checkFigureName, type FigureSpec } from './spec';

/** One method's point: cost on a log axis, accuracy, and its label when it gets one. */
export interface AccuracyCostPoint {
  /** Hover text. */
  name: string;
  /** Cents per 1,000 queries; a free method (0) is drawn at the cheapest priced one. */
  cost: number;
  /** In [0, 1]; drawn in %. */
  accuracy: number;
  /** Index into the groups (one marker style and legend entry each). */
  group: number;
  /** Text of the point's label, when it is labelled. */
  label: string;
  /** Labelled even off the Pareto front. */
  alwaysLabelled?: boolean;
  /** Labelled first (nearest spot), larger, in its group's colour. */
  highlight?: boolean;
}

export interface AccuracyCostGroup {
  name: string;
  color: string;
  size: number;
}

export interface AccuracyCostOptions {
  title: string;
  xTitle: string;
}

/**
 * The points on the cost-accuracy Pareto front: no other point is at most as expensive and at least as accurate, one
 * of the two strictly (equal points are all on it).
 */
export function paretoFront<P extends { cost: number; accuracy: number }>(points: readonly P[]): Set<P> {
  const front = new Set<P>();
  for (const m of points) {
    const dominated = points.some((o) => o !== m && o.cost <= m.cost && o.accuracy >= m.accuracy && (o.cost < m.cost || o.accuracy > m.accuracy));
    if (!dominated) front.add(m);
  }
  return front;
}

/**
 * Accuracy against cost (log axis), one marker trace per group in the given group order. Labels go to the points on
 * the Pareto front and to those `alwaysLabelled`, placed so that they do not overlap (highlighted first, then by
 * accuracy); every other point is named in its hover text.
 */
export function accuracyCostFigure(name: string, groups: readonly AccuracyCostGroup[], points: readonly AccuracyCostPoint[], options: AccuracyCostOptions): FigureSpec {
  // Plot-area geometry (figure size minus margins), to place labels in pixels.
  const width = 980;
  const height = 600;
  const margin = { l: 70, r: 40, t: 80, b: 110 };
  const costs = points.map((m) => m.cost).filter((c) => c > 0);
  const accs = points.map((m) => 100 * m.accuracy);
  const [cMin, cMax] = [Math.min(...costs), Math.max(...costs)];
  const [aMin, aMax] = [Math.min(...accs), Math.max(...accs)];
  // Room around the points for markers and labels (plotly's autorange adds a little; these ranges are explicit).
  const lx = [Math.log10(cMin) - 0.08, Math.log10(cMax) + 0.08 + 0.12 * Math.max(0.3, Math.log10(cMax / cMin))];
  const padY = Math.max(1, 0.06 * (aMax - aMin));
  const ly = [aMin - padY, aMax + padY];
  const pw = width - margin.l - margin.r;
  const ph = height - margin.t - margin.b;
  const logCost = (m: AccuracyCostPoint) => Math.log10(Math.max(cMin, m.cost));
  const toPx = (m: AccuracyCostPoint) => ({
    px: ((logCost(m) - lx[0]) / (lx[1] - lx[0])) * pw,
    py: ph - ((100 * m.accuracy - ly[0]) / (ly[1] - ly[0])) * ph,
  });
  const data = groups.map((g, k) => {
    const subset = points.filter((m) => m.group === k);
    return {
      type: 'scatter',
      mode: 'markers',
      name: g.name,
      x: subset.map((m) => Math.max(cMin, m.cost)),
      y: subset.map((m) => 100 * m.accuracy),
      text: subset.map((m) => m.name),
      customdata: subset.map((m) => m.cost),
      hovertemplate: '%{text}<br>%{y:.2f} %, %{customdata:.0f} ¢ per 1,000 queries<extra></extra>',
      marker: { color: g.color, size: g.size, line: { width: 1, color: '#333' } },
    };
  });

  const front = paretoFront(points);
  const labelled = points
    .filter((m) => front.has(m) || m.alwaysLabelled === true)
    // Highlighted first, then by accuracy: the most important labels get the nearest spots.
    .sort((a, b) => Number(b.highlight === true) - Number(a.highlight === true) || b.accuracy - a.accuracy);
  const fontSize = (m: AccuracyCostPoint) => (m.highlight ? 12 : 10);
  const places = placeLabels(
    labelled.map((m) => ({ ...toPx(m), text: m.label, fontSize: fontSize(m) })),
    points.map(toPx),
    { width: pw, height: ph },
  );
  const annotations = labelled.map((m, k) => ({
    x: logCost(m),
    y: 100 * m.accuracy,
    text: m.label,
    showarrow: false,
    ...places[k],
    font: { size: fontSize(m), color: m.highlight ? groups[m.group].color : '#333' },
  }));
  return {
    name: checkFigureName(name),
    data,
    layout: {
      title: { text: options.title },
      template: 'plotly_white',
      xaxis: {
        title: { text: options.xTitle },
        type: 'log',
        range: lx,
        tickmode: 'array',
        ...logAxisTicks(10 ** lx[0], 10 ** lx[1]),
      },
      yaxis: { title: { text: 'test accuracy (%)' }, range: ly },
      annotations,
      legend: { orientation: 'h', y: -0.22 },
      margin,
    },
    width,
    height,
  };
}
