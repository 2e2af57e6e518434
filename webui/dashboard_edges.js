// Edge site cards: one status vocabulary with colours, deployments, probe
// latency rounded as an operator writes it and its recent history as a
// sparkline, who reports the site (its agent or the hub's probes), the
// active intents deployed there and the last SLO gate (linking its pipeline).
import { el, fmtNumber } from '/static/dashboard_util.js';

const history = new Map(); // edge -> recent probe latencies (ms)
const SVG = 'http://www.w3.org/2000/svg';

/// Remembers a status update's latency for the sparkline.
export function noteEdge(name, status) {
  if (typeof status.latency_ms !== 'number') return;
  const h = history.get(name) || [];
  h.push(status.latency_ms);
  while (h.length > 30) h.shift();
  history.set(name, h);
}

function sparkline(values) {
  const w = 100;
  const h = 24;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `probe latency, last ${values.length} probes`);
  const max = Math.max(...values, 1);
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  svg.append(line);
  return svg;
}

export function renderEdges(edges) {
  const box = document.getElementById('edges');
  box.replaceChildren();
  for (const [key, e] of Object.entries(edges)) {
    const name = e.site ?? key; // canonical ("edge1"); the wire key is the seed's ("edge01")
    const card = el('div', { class: 'edge', 'data-edge': name });
    card.append(el('strong', {}, name), el('div', { class: 'status', 'data-status': e.status }, e.status));
    const deployed = Array.isArray(e.intents) ? e.intents : [];
    const dep = el('div', { class: 'muted deployments' }, `deployments: ${e.deployments ?? deployed.length}`);
    if (deployed.length) dep.title = deployed.join('\n');
    card.append(dep);
    if (e.slo && typeof e.slo === 'object') {
      // The last SLO gate on the site: why a site the probes find healthy
      // is shown degraded.
      const failedMetrics = Object.entries(e.slo.results || {})
        .filter(([, c]) => c && c.pass === false)
        .map(([m, c]) => `${m} ${c.value === null ? 'unmeasured' : fmtNumber(c.value)} (needs ${c.op} ${fmtNumber(c.target)})`);
      const text = e.slo.passed ? 'last SLO gate passed' : `last SLO gate failed: ${failedMetrics.join(', ') || 'see pipeline'}`;
      const link = el('a', { class: 'slo', 'data-passed': String(!!e.slo.passed), href: `#/pipelines/${encodeURIComponent(e.slo.pipeline || '')}` }, text);
      card.append(link);
    }
    if (typeof e.latency_ms === 'number') {
      card.append(el('div', { class: 'muted latency' }, `${fmtNumber(e.latency_ms)} ms`));
    }
    const h = history.get(key);
    if (h && h.length > 1) card.append(sparkline(h));
    if (e.via === 'agent') card.append(el('div', { class: 'muted via', 'data-via': 'agent' }, `via agent${e.agent_version ? ` (o2hub ${e.agent_version})` : ''}`));
    else if (e.via === 'probe') card.append(el('div', { class: 'muted via', 'data-via': 'probe' }, 'probed from the hub'));
    const lost = e.checks && e.checks.agent && e.checks.agent.error;
    if (lost) card.append(el('div', { class: 'muted' }, lost));
    box.append(card);
  }
}
