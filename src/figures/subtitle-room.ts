import type { FigureSpec } from './spec';

/** A figure whose title has a `<br><sub>` line: more room above the plot; `slant` tilts long category labels. */
export function withSubtitleRoom(spec: FigureSpec, options: { slant?: boolean } = {}): FigureSpec {
  const layout = spec.layout as Record<string, any>;
  return {
    ...spec,
    layout: {
      ...layout,
      margin: { ...(layout.margin ?? {}), t: 95 },
      xaxis: { ...(layout.xaxis ?? {}), automargin: true, ...(options.slant ? { tickangle: -30 } : {}) },
    },
  };
}
