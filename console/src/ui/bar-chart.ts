/**
 * Bar charts with uPlot (a small canvas chart library), in a chunk of its own: the console loads
 * it only when the analytics tab draws its first chart.
 */
import uPlot from 'uplot';

/** Draws bars of `values` named by `labels` into `host`; returns how to remove them. */
export function drawBarChart(host: HTMLElement, labels: string[], values: number[]): () => void {
  const xs = labels.map((_, i) => i);
  const width = Math.max(240, host.clientWidth || 320);
  const chart = new uPlot(
    {
      width,
      height: 180,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.6, labels.length - 0.4] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { values: (_u, splits) => splits.map((i) => labels[i] ?? ''), splits: () => xs, gap: 4, size: 28 },
        { size: 36, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10_000] },
      ],
      series: [{}, { stroke: '#1f5fd1', fill: 'rgba(31, 95, 209, 0.55)', paths: uPlot.paths.bars!({ size: [0.7, 48] }), points: { show: false } }],
    },
    [xs, values],
    host,
  );
  return () => chart.destroy();
}
