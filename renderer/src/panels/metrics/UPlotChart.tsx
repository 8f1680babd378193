import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axisTime } from '../../format/time';

export interface UPlotChartProps {
  title: string;
  unit: string;
  labels: string[];
  data: Array<Array<number | null>>;
}

export const COLORS = ['#4c8ef7', '#f59e0b', '#ef4444', '#10b981'];

/** One live time-series chart. uPlot redraws with setData, so new samples do not rebuild the chart. */
export default function UPlotChart({ title, unit, labels, data }: UPlotChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axisColor = getComputedStyle(document.documentElement).getPropertyValue('--fg-muted').trim() || '#888';
    const gridColor = getComputedStyle(document.documentElement).getPropertyValue('--border').trim() || '#444';
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: Math.max(60, el.clientHeight),
      // The series names are in the chart's heading (MetricsPanel), which saves the legend's rows.
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 1) * 1.1)] } },
      axes: [
        // A thin time axis leaves the short charts their height for the data.
        { ...axis, size: 26, gap: 2, ticks: { ...axis.ticks, size: 4 }, values: (_u, ticks) => ticks.map((t) => axisTime(t * 1000)) },
        // The y axis always labels its bottom and top: on a chart this short a lone "0" says nothing.
        {
          ...axis,
          size: 48,
          splits: (_u, _i, min, max) => (max > min ? [min, max] : [min]),
          values: (_u, ticks) => ticks.map((t) => (Math.abs(t) >= 10 ? t.toFixed(0) : +t.toFixed(2) + '')),
        },
      ],
      series: [{}, ...labels.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false }))],
    };
    plot.current = new uPlot(opts, data as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: Math.max(60, el.clientHeight) }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the series change; data flows in through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels.join(','), unit]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  // The axis is drawn on a canvas: the chart's name gives its time span, in the same clock time.
  const xs = data[0] ?? [];
  const first = xs[0];
  const last = xs[xs.length - 1];
  const span = first != null && last != null ? `, ${axisTime(first * 1000)} to ${axisTime(last * 1000)}` : ', no samples yet';
  return <div className="chart-host" ref={host} role="img" aria-label={`${title} chart${span}`} />;
}
