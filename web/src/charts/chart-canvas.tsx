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
  stepped?: boolean;
}

export interface ChartCanvasProps {
  type: 'line' | 'bar';
  labels: string[];
  series: ChartSeries[];
  format: ValueFormat;
  stacked?: boolean;
  markers?: ChartMarker[];
  bands?: ChartBand[];
  /** Per label: the period is cut by the range (labelled "(partial)", drawn lighter). */
  partial?: boolean[];
  /** A click on a period, by its index. */
  onSelect?: (index: number) => void;
  /** What a click lists ("the deployments behind it"), for the hint under the chart. */
  selectHint?: string;
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
  partial = [],
  onSelect,
  ariaLabel,
}: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // The latest handler, so a new closure does not redraw the chart.
  const select = useRef(onSelect);
  select.current = onSelect;
  const clickable = onSelect !== undefined;
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
    partial,
    clickable,
    theme,
  });

  useEffect(() => {
    if (!canvas.current) return;
    const { divisor, tick } = scaleFor(format, series);
    const grid = cssVar('--chart-grid');
    const text = cssVar('--text-muted');
    const datasets = series.map((item): ChartDataset<'bar' | 'line', (number | null)[]> => {
      const color = cssVar(`--series-${item.color}`);
      const bar = (item.kind ?? type) === 'bar';
      return {
        type: item.kind ?? type,
        label: item.label,
        data: item.values.map((value) => (value === null ? null : value / divisor)),
        // A partial period's bar is drawn pale: it holds only part of its time.
        backgroundColor: bar
          ? item.values.map((_value, index) => (partial[index] ? `${color}66` : color))
          : `${color}22`,
        borderColor: color,
        borderWidth: bar ? 0 : 2,
        borderDash: item.dashed ? [5, 4] : undefined,
        pointRadius: labels.length > 40 ? 0 : 2.5,
        pointHoverRadius: 4,
        // Straight segments between points (or steps for a level): a curve would show values the
        // data never had. Gaps stay gaps (a period with no data is not zero).
        tension: 0,
        stepped: item.stepped ? 'after' : false,
        spanGaps: false,
        stack: item.stack,
        borderRadius: (item.kind ?? type) === 'bar' ? 3 : 0,
        maxBarThickness: 36,
      };
    });
    const shownLabels = labels.map((label, index) =>
      partial[index] ? `${label} (partial)` : label,
    );
    const config: ChartConfiguration<'bar' | 'line', (number | null)[], string> = {
      type,
      data: { labels: shownLabels, datasets },
      options: {
        animation: false,
        onClick: (_event, elements) => {
          const index = elements[0]?.index;
          if (index !== undefined) select.current?.(index);
        },
        onHover: (event, elements) => {
          const target = event.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = clickable && elements.length ? 'pointer' : 'default';
        },
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
            ticks: {
              color: text,
              maxTicksLimit: 6,
              // Counts have whole-number ticks only: there is no half a deployment.
              precision: format === 'count' ? 0 : undefined,
              callback: (value) => tick(Number(value)),
            },
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
    // What was drawn, for the browser tests: the y axis' ticks and where each period sits.
    canvas.current.dataset.yTicks = JSON.stringify(
      chart.scales.y.ticks.map((item) => item.value * divisor),
    );
    canvas.current.dataset.periods = JSON.stringify(
      chart.getDatasetMeta(0).data.map((element) => [Math.round(element.x), Math.round(element.y)]),
    );
    return () => chart.destroy();
    // The signature stands for every input of the drawing.
  }, [signature]);

  return (
    <div className="chart-canvas">
      <canvas ref={canvas} role="img" aria-label={ariaLabel} />
    </div>
  );
}
