import { inflateSync } from 'node:zlib';
import type { HeadlineMetric } from '../report.model.js';
import { renderTrendPng } from './chart-png.renderer.js';
import { trendBars } from './chart.renderer.js';

/** Width, height and RGB pixels of a PNG written by encodePng (RGB, 8 bits, filter None). */
function decode(png: Buffer): {
  width: number;
  height: number;
  pixel(x: number, y: number): string;
} {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('ascii', offset + 4, offset + 8) === 'IDAT')
      idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3 + 1;
  return {
    width,
    height,
    pixel: (x, y) => {
      const at = y * stride + 1 + x * 3;
      return `#${[raw[at], raw[at + 1], raw[at + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    },
  };
}

const metric: HeadlineMetric = {
  metric: 'deployment_frequency',
  label: 'Production deployments',
  kind: 'count',
  better: 'higher',
  value: 6,
  sample: null,
  previous: 3,
  median_12w: 3,
  change_vs_previous_pct: 100,
  change_vs_median_pct: 100,
  band: null,
  trend: Array.from({ length: 13 }, (_, i) => ({
    period_start: new Date(Date.UTC(2025, 11, 1) + i * 7 * 86_400_000).toISOString(),
    value: i === 12 ? 6 : i === 5 ? null : 3,
  })),
};

describe('trend chart as PNG', () => {
  it('fills the bars at twice the chart size, the report week dark', () => {
    const png = decode(renderTrendPng(metric));
    expect([png.width, png.height]).toEqual([560, 160]); // 280 x 80 at scale 2
    const bars = trendBars(metric);
    const middle = (i: number) => Math.round((bars[i].x + bars[i].width / 2) * 2);
    // The report week (6, the maximum) fills the plot: 4 px padding to 76, so rows 8..151 at scale 2.
    expect(png.pixel(middle(12), 10)).toBe('#1f4e79');
    expect(png.pixel(middle(12), 150)).toBe('#1f4e79');
    // A week of 3 is half as tall: from y = 4 + 36 = 40 (80 at scale 2) down.
    expect(png.pixel(middle(0), 78)).toBe('#ffffff');
    expect(png.pixel(middle(0), 82)).toBe('#9dbbd8');
    // The week without data has no bar; the baseline runs under every week.
    expect(png.pixel(middle(5), 150)).toBe('#ffffff');
    expect(png.pixel(middle(5), 152)).toBe('#8c8c8c');
    expect(png.pixel(2, 2)).toBe('#ffffff');
  });
});
