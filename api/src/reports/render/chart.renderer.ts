import type { HeadlineMetric } from '../report.model.js';
import { formatValue } from '../report-format.js';
import { escapeXml } from './escape.js';

// Small bar charts drawn on the server as SVG: email clients run no scripts, so the picture must
// arrive finished. The report week's bar is the dark one.

const WIDTH = 280;
const HEIGHT = 110;
const PAD_TOP = 22;
const PAD_BOTTOM = 14;
const PAD_X = 6;

export function renderTrendChart(metric: HeadlineMetric): string {
  const points = metric.trend;
  const values = points.map((p) => p.value ?? 0);
  const max = Math.max(...values, 0);
  const slot = (WIDTH - 2 * PAD_X) / Math.max(points.length, 1);
  const barWidth = Math.max(slot - 4, 2);
  const plotHeight = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const bars = points
    .map((point, i) => {
      const value = point.value ?? 0;
      const height = max > 0 ? Math.max((value / max) * plotHeight, point.value ? 1 : 0) : 0;
      const x = PAD_X + i * slot + (slot - barWidth) / 2;
      const y = PAD_TOP + plotHeight - height;
      const fill = i === points.length - 1 ? '#1f4e79' : '#9dbbd8';
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${fill}"><title>${escapeXml(point.period_start.slice(0, 10))}: ${escapeXml(formatValue(metric.kind, point.value))}</title></rect>`;
    })
    .join('');
  const baseline = `<line x1="${PAD_X}" y1="${PAD_TOP + plotHeight}" x2="${WIDTH - PAD_X}" y2="${PAD_TOP + plotHeight}" stroke="#8c8c8c" stroke-width="1"/>`;
  const title = `<text x="${PAD_X}" y="14" font-family="Helvetica,Arial,sans-serif" font-size="12" fill="#222">${escapeXml(metric.label)}: ${escapeXml(formatValue(metric.kind, metric.value))}</text>`;
  const caption = `<text x="${WIDTH - PAD_X}" y="${HEIGHT - 2}" text-anchor="end" font-family="Helvetica,Arial,sans-serif" font-size="9" fill="#777">last 13 weeks</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(metric.label)}">${title}${bars}${baseline}${caption}</svg>`;
}

/** An image data URI, which email clients show where they would drop inline SVG. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
