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
    for (const marker of options.markers) {
      const x = scales.x.getPixelForValue(marker.position);
      if (x < chartArea.left || x > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(x, chartArea.top + 3, 3, 0, Math.PI * 2);
      ctx.fill();
      const width = Math.min(ctx.measureText(marker.label).width, 140);
      const textX = x + 6 + width > chartArea.right ? x - 6 - width : x + 6;
      ctx.fillText(marker.label, textX, chartArea.top + 8, 140);
    }
    ctx.restore();
  },
};
