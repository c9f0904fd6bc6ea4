import type { Chart, Plugin } from 'chart.js';

/** A vertical line at a fractional category position (a decision's effective date). */
export interface ChartMarker {
  position: number;
  label: string;
}

/** A shaded span between two fractional category positions (a before/after window). */
export interface ChartBand {
  start: number;
  end: number;
  label: string;
  tone: 'before' | 'after';
}

const LABEL_WIDTH = 140;
const LABEL_LINE = 13;

interface OverlayOptions {
  markers: ChartMarker[];
  bands: ChartBand[];
  colors: { marker: string; text: string; before: string; after: string };
}

const overlayOptions = (chart: Chart): OverlayOptions | undefined =>
  (chart.options.plugins as Record<string, unknown> | undefined)?.lastmileOverlays as
    OverlayOptions | undefined;

// Drawn on the canvas itself so exported screenshots and the chart agree; the same facts are in
// each card's table and CSV for screen readers.
export const overlaysPlugin: Plugin = {
  id: 'lastmileOverlays',
  beforeDatasetsDraw(chart) {
    const options = overlayOptions(chart);
    if (!options?.bands.length) return;
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    for (const band of options.bands) {
      const left = Math.max(chartArea.left, scales.x.getPixelForValue(band.start));
      const right = Math.min(chartArea.right, scales.x.getPixelForValue(band.end));
      if (right <= left) continue;
      ctx.fillStyle = band.tone === 'before' ? options.colors.before : options.colors.after;
      ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
      ctx.fillStyle = options.colors.text;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillText(band.label, left + 4, chartArea.top + 4, right - left - 8);
    }
    ctx.restore();
  },
  afterDatasetsDraw(chart) {
    const options = overlayOptions(chart);
    if (!options?.markers.length) return;
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.strokeStyle = options.colors.marker;
    ctx.fillStyle = options.colors.marker;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([4, 3]);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    // Labels that would overlap are stacked one line lower; a label with no free line left is
    // not drawn (the table and the legend still name it).
    const lines: { left: number; right: number }[][] = [];
    const maxLines = Math.max(
      1,
      Math.floor((chartArea.bottom - chartArea.top - 8) / LABEL_LINE / 2),
    );
    const sorted = [...options.markers].sort((a, b) => a.position - b.position);
    for (const marker of sorted) {
      const x = scales.x.getPixelForValue(marker.position);
      if (x < chartArea.left || x > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(x, chartArea.top + 3, 3, 0, Math.PI * 2);
      ctx.fill();
      const width = Math.min(ctx.measureText(marker.label).width, LABEL_WIDTH);
      const textX = x + 6 + width > chartArea.right ? x - 6 - width : x + 6;
      const box = { left: textX - 2, right: textX + width + 2 };
      let line = lines.findIndex((boxes) =>
        boxes.every((other) => box.right <= other.left || box.left >= other.right),
      );
      if (line < 0 && lines.length < maxLines) line = lines.push([]) - 1;
      if (line < 0) continue;
      lines[line].push(box);
      ctx.fillText(marker.label, textX, chartArea.top + 8 + line * LABEL_LINE, LABEL_WIDTH);
    }
    ctx.restore();
  },
};
