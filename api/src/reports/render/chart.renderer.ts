import type { HeadlineMetric } from '../report.model.js';
import { formatValue } from '../report-format.js';
import { escapeXml } from './escape.js';

// Small bar charts of a metric's 13 weeks, drawn on the server: email clients run no scripts, so
// the picture must arrive finished. The report week's bar is the dark one. The same bars are drawn
// as SVG (HTML) and as PNG (email, where many clients show no SVG); the caption is HTML text.

export const CHART_WIDTH = 280;
export const CHART_HEIGHT = 80;
const PAD_Y = 4;
export const CHART_PAD_X = 6;
export const BAR_COLOUR = '#9dbbd8';
export const CURRENT_BAR_COLOUR = '#1f4e79';
export const BASELINE_COLOUR = '#8c8c8c';

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  current: boolean;
  title: string;
}

/** Bars in chart coordinates (CHART_WIDTH x CHART_HEIGHT); the tallest reaches the top padding. */
export function trendBars(metric: HeadlineMetric): Bar[] {
  const points = metric.trend;
  const max = Math.max(...points.map((p) => p.value ?? 0), 0);
  const slot = (CHART_WIDTH - 2 * CHART_PAD_X) / Math.max(points.length, 1);
  const width = Math.max(slot - 4, 2);
  const plotHeight = CHART_HEIGHT - 2 * PAD_Y;
  return points.map((point, i) => {
    const value = point.value ?? 0;
    // A week with a small but real value still shows a sliver.
    const height = max > 0 ? Math.max((value / max) * plotHeight, value > 0 ? 1 : 0) : 0;
    return {
      x: CHART_PAD_X + i * slot + (slot - width) / 2,
      y: PAD_Y + plotHeight - height,
      width,
      height,
      current: i === points.length - 1,
      title: `${point.period_start.slice(0, 10)}: ${formatValue(metric.kind, point.value)}`,
    };
  });
}

export const BASELINE_Y = CHART_HEIGHT - PAD_Y;

export function renderTrendChart(metric: HeadlineMetric): string {
  const bars = trendBars(metric)
    .map(
      (bar) =>
        `<rect x="${bar.x.toFixed(1)}" y="${bar.y.toFixed(1)}" width="${bar.width.toFixed(1)}" height="${bar.height.toFixed(1)}" fill="${bar.current ? CURRENT_BAR_COLOUR : BAR_COLOUR}"><title>${escapeXml(bar.title)}</title></rect>`,
    )
    .join('');
  const baseline = `<line x1="${CHART_PAD_X}" y1="${BASELINE_Y}" x2="${CHART_WIDTH - CHART_PAD_X}" y2="${BASELINE_Y}" stroke="${BASELINE_COLOUR}" stroke-width="1"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-label="${escapeXml(metric.label)}">${bars}${baseline}</svg>`;
}

/** An image data URI, which browsers show where an email client would drop inline SVG. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
