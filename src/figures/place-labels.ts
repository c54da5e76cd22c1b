interface LabelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const overlaps = (a: LabelBox, b: LabelBox): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Places point labels (plotly annotations) so that they overlap neither each other nor the markers and stay inside the
 * plot area: each label tries right, left, above and below its point (then further out) in pixels of the plot area,
 * and takes the first free spot. Text width is estimated from the character count, which is close enough for 10-12 px sans-serif.
 */
export function placeLabels(
  points: ReadonlyArray<{ px: number; py: number; text: string; fontSize: number }>,
  markers: ReadonlyArray<{ px: number; py: number }>,
  area: { width: number; height: number } = { width: Infinity, height: Infinity },
): Array<{ xshift: number; yshift: number; xanchor: 'left' | 'right' | 'center' }> {
  const taken: LabelBox[] = markers.map((m) => ({ x0: m.px - 6, x1: m.px + 6, y0: m.py - 6, y1: m.py + 6 }));
  return points.map((p) => {
    const w = 0.58 * p.fontSize * p.text.length;
    const h = 1.3 * p.fontSize;
    const candidates: Array<{ xshift: number; yshift: number; xanchor: 'left' | 'right' | 'center' }> = [];
    for (const gap of [9, 20, 34]) {
      candidates.push(
        { xshift: gap, yshift: 0, xanchor: 'left' },
        { xshift: -gap, yshift: 0, xanchor: 'right' },
        { xshift: 0, yshift: gap, xanchor: 'center' },
        { xshift: 0, yshift: -gap, xanchor: 'center' },
        { xshift: gap, yshift: gap, xanchor: 'left' },
        { xshift: gap, yshift: -gap, xanchor: 'left' },
        { xshift: -gap, yshift: gap, xanchor: 'right' },
        { xshift: -gap, yshift: -gap, xanchor: 'right' },
      );
    }
    const boxOf = (c: (typeof candidates)[number]): LabelBox => {
      const cx = p.px + c.xshift;
      const cy = p.py - c.yshift; // pixel y grows downwards, plotly's yshift upwards
      const x0 = c.xanchor === 'left' ? cx : c.xanchor === 'right' ? cx - w : cx - w / 2;
      return { x0, x1: x0 + w, y0: cy - h / 2, y1: cy + h / 2 };
    };
    const inside = (b: LabelBox) => b.x0 >= 0 && b.x1 <= area.width && b.y0 >= 0 && b.y1 <= area.height;
    const chosen =
      candidates.find((c) => inside(boxOf(c)) && !taken.some((t) => overlaps(t, boxOf(c)))) ??
      candidates.find((c) => inside(boxOf(c))) ??
      candidates[0];
    taken.push(boxOf(chosen));
    return chosen;
  });
}
