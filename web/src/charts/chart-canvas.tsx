import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import { useEffect, useRef } from 'react';
import { durationAxisUnit, formatCount, formatDuration, formatRatio } from '../lib/format';
import { useResolvedTheme } from '../lib/settings';
import { type ChartBand, type ChartMarker, overlaysPlugin } from './chart-plugins';
import { Chart } from './chart-setup';

export type ValueFormat = 'duration' | 'count' | 'ratio';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** A palette slot, 1 to 6 (CSS variables --series-N). */
  color: number;
  kind?: 'line' | 'bar';
  stack?: string;
  dashed?: boolean;
}

export interface ChartCanvasProps {
  type: 'line' | 'bar';
  labels: string[];
  series: ChartSeries[];
  format: ValueFormat;
  stacked?: boolean;
  markers?: ChartMarker[];
  bands?: ChartBand[];
  ariaLabel: string;
}

const cssVar = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim();

declare global {
  interface Window {
    /** performance.now() when the first chart was drawn (read by the browser tests). */
    __lastmileFirstChartAt?: number;
  }
}

function scaleFor(format: ValueFormat, series: ChartSeries[]) {
  if (format === 'duration') {
    const { divisor, suffix } = durationAxisUnit(series.flatMap((item) => item.values));
    return { divisor, tick: (value: number) => `${formatCount(value)} ${suffix}` };
  }
  if (format === 'ratio')
    return { divisor: 0.01, tick: (value: number) => `${formatCount(value)}%` };
  return { divisor: 1, tick: (value: number) => formatCount(value) };
}

const formatValue = (format: ValueFormat, raw: number | null) =>
  format === 'duration'
    ? formatDuration(raw)
    : format === 'ratio'
      ? formatRatio(raw)
      : formatCount(raw);

/** The one chart.js wrapper: values arrive in API units and are scaled here for the axis only. */
export function ChartCanvas({
  type,
  labels,
  series,
  format,
  stacked,
  markers = [],
  bands = [],
  ariaLabel,
}: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const theme = useResolvedTheme();
  // Parents rebuild arrays on each render; redraw only when what is drawn changes.
  const signature = JSON.stringify({
    type,
    labels,
    series,
    format,
    stacked,
    markers,
    bands,
    theme,
  });

  useEffect(() => {
    if (!canvas.current) return;
    const { divisor, tick } = scaleFor(format, series);
    const grid = cssVar('--chart-grid');
    const text = cssVar('--text-muted');
    const datasets = series.map((item): ChartDataset<'bar' | 'line', (number | null)[]> => {
      const color = cssVar(`--series-${item.color}`);
      return {
        type: item.kind ?? type,
        label: item.label,
        data: item.values.map((value) => (value === null ? null : value / divisor)),
        backgroundColor: (item.kind ?? type) === 'bar' ? color : `${color}22`,
        borderColor: color,
        borderWidth: (item.kind ?? type) === 'bar' ? 0 : 2,
        borderDash: item.dashed ? [5, 4] : undefined,
        pointRadius: labels.length > 40 ? 0 : 2.5,
        pointHoverRadius: 4,
        // Monotone curves never overshoot a point; gaps stay gaps (a period with no data is not zero).
        cubicInterpolationMode: 'monotone',
        spanGaps: false,
        stack: item.stack,
        borderRadius: (item.kind ?? type) === 'bar' ? 3 : 0,
        maxBarThickness: 36,
      };
    });
    const config: ChartConfiguration<'bar' | 'line', (number | null)[], string> = {
      type,
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: {
            offset: true,
            stacked,
            grid: { display: false },
            border: { color: grid },
            ticks: { color: text, maxRotation: 0, autoSkip: true, autoSkipPadding: 12 },
          },
          y: {
            stacked,
            beginAtZero: true,
            grid: { color: grid },
            border: { display: false },
            ticks: { color: text, maxTicksLimit: 6, callback: (value) => tick(Number(value)) },
          },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<'bar' | 'line'>) =>
                `${item.dataset.label}: ${formatValue(format, item.raw === null ? null : Number(item.raw) * divisor)}`,
            },
          },
          ...({
            lastmileOverlays: {
              markers,
              bands,
              colors: {
                marker: cssVar('--marker'),
                text: text,
                before: cssVar('--band-before'),
                after: cssVar('--band-after'),
              },
            },
          } as object),
        },
      },
      plugins: [overlaysPlugin],
    };
    const chart = new Chart(canvas.current, config);
    window.__lastmileFirstChartAt ??= performance.now();
    canvas.current.dataset.rendered = 'true';
    return () => chart.destroy();
    // The signature stands for every input of the drawing.
  }, [signature]);

  return (
    <div className="chart-canvas">
      <canvas ref={canvas} role="img" aria-label={ariaLabel} />
    </div>
  );
}
