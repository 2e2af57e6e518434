// Processing time of finished pipelines over time (uPlot): completed ones
// as a line, failed and rolled-back ones as red points. It fits its panel at
// every width and takes the page's colours (dark mode).
const box = () => document.getElementById('chart');
let plot = null;
let points = []; // [end time (s), duration (s), failed]

function colours() {
  const cs = getComputedStyle(document.body);
  return { text: cs.color, grid: 'rgba(128,128,128,0.25)' };
}

function data() {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  return [sorted.map((p) => p[0]),
    sorted.map((p) => (p[2] ? null : p[1])),
    sorted.map((p) => (p[2] ? p[1] : null))];
}

function width() {
  return Math.max(120, Math.floor(box().clientWidth));
}

function create() {
  if (!window.uPlot) return;
  const c = colours();
  const axis = { stroke: c.text, grid: { stroke: c.grid }, ticks: { stroke: c.grid } };
  plot = new window.uPlot({
    width: width(),
    height: 180,
    scales: { x: { time: true } },
    axes: [axis, { ...axis, label: 'seconds' }],
    series: [
      { label: 'finished at' },
      { label: 'completed (s)', stroke: '#2b6cb0', spanGaps: true, points: { show: true } },
      { label: 'failed (s)', stroke: '#c53030', paths: () => null, points: { show: true, size: 8, fill: '#c53030' } },
    ],
  }, data(), box());
  new ResizeObserver(() => plot && plot.setSize({ width: width(), height: 180 })).observe(box());
}

/// Adds a finished pipeline (once per id).
const seen = new Set();
export function addFinished(p) {
  if (p.duration === null || p.duration === undefined || seen.has(p.intent_id)) return;
  const end = Date.parse(p.end_time || p.start_time);
  if (Number.isNaN(end)) return;
  seen.add(p.intent_id);
  points.push([end / 1000, p.duration, p.status !== 'completed']);
  if (points.length > 500) points = points.slice(-500);
  if (!plot) create();
  else plot.setData(data());
}

export function resetChart() {
  points = [];
  seen.clear();
  if (plot) plot.setData(data());
}
