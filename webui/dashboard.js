// The realtime monitor's dashboard. Data from the WebSocket (URL derived
// from location), reconnecting with backoff; every value is inserted as
// text, never as HTML.
import { authHeaders, linkServices, token } from '/static/links.js';

const STAGES = ['input_received', 'intent_parsing', 'intent_parsed', 'krm_generating',
  'krm_generated', 'gitops_pushing', 'gitops_pushed', 'edge_deploying', 'edge_deployed',
  'slo_validating', 'completed', 'failed', 'rollback'];

const state = { pipelines: new Map(), selected: null, edges: {}, durations: [] };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = String(text);
  return e;
}

function log(text) {
  const li = el('li', {}, `${new Date().toLocaleTimeString()}  ${text}`);
  const list = $('log');
  list.prepend(li);
  while (list.children.length > 200) list.lastChild.remove();
}

function renderMetrics(m) {
  if (!m) return;
  $('m-total').textContent = m.total_intents;
  $('m-ok').textContent = m.successful_intents;
  $('m-failed').textContent = m.failed_intents;
  const finished = m.successful_intents + m.failed_intents;
  $('m-rate').textContent = finished ? `${(m.success_rate * 100).toFixed(1)}%` : '–';
  $('m-avg').textContent = finished ? `${m.avg_processing_time.toFixed(2)} s` : '–';
  $('m-active').textContent = m.active_pipelines;
}

function renderStages() {
  const p = state.pipelines.get(state.selected);
  $('sel-id').textContent = p ? p.intent_id : '(none yet)';
  $('sel-text').textContent = p ? p.intent_text : '';
  const seen = new Set(p ? p.stages.map((s) => s.stage) : []);
  const list = $('stages');
  list.replaceChildren();
  for (const name of STAGES) {
    let st = 'todo';
    if (p && p.current_stage === name) st = (name === 'failed' || name === 'rollback') ? 'bad' : 'current';
    else if (seen.has(name)) st = (name === 'failed' || name === 'rollback') ? 'bad' : 'done';
    list.append(el('li', { 'data-stage': name, 'data-state': st }, name));
  }
}

function renderPipelines() {
  const list = $('pipelines');
  list.replaceChildren();
  const all = [...state.pipelines.values()].sort((a, b) => (a.start_time < b.start_time ? 1 : -1));
  for (const p of all.slice(0, 50)) {
    const li = el('li', { 'data-id': p.intent_id, 'aria-selected': String(p.intent_id === state.selected) });
    li.append(el('span', { class: 'mono' }, p.intent_id), el('span', {}, `${p.current_stage} · ${p.status}`));
    li.addEventListener('click', () => { state.selected = p.intent_id; renderStages(); renderPipelines(); });
    list.append(li);
  }
}

function renderEdges() {
  const box = $('edges');
  box.replaceChildren();
  for (const [name, e] of Object.entries(state.edges)) {
    const card = el('div', { class: 'edge', 'data-edge': name });
    card.append(el('strong', {}, name), el('div', { class: 'status', 'data-status': e.status }, e.status));
    card.append(el('div', { class: 'muted' }, `deployments: ${e.deployments ?? 0}`));
    if (e.latency_ms !== null && e.latency_ms !== undefined) card.append(el('div', { class: 'muted' }, `${e.latency_ms} ms`));
    // Who reports the site: its edge agent (issue 11) or the hub's own probes.
    if (e.via === 'agent') card.append(el('div', { class: 'muted via', 'data-via': 'agent' }, `via agent${e.agent_version ? ` (o2hub ${e.agent_version})` : ''}`));
    else if (e.via === 'probe') card.append(el('div', { class: 'muted via', 'data-via': 'probe' }, 'probed from the hub'));
    const lost = e.checks && e.checks.agent && e.checks.agent.error;
    if (lost) card.append(el('div', { class: 'muted' }, lost));
    box.append(card);
  }
}

function renderServices(services) {
  if (services) state.services = services;
  const list = $('services');
  list.replaceChildren();
  for (const [name, s] of Object.entries(state.services || {})) {
    const li = el('li', { 'data-service': name, title: s.url ?? '' });
    li.append(el('span', {}, name), el('span', { class: 'status', 'data-status': s.status }, s.status ?? 'unknown'));
    list.append(li);
  }
}

let plot = null;
function renderChart() {
  const xs = state.durations.map((_, i) => i + 1);
  const data = [xs, state.durations];
  if (!window.uPlot) return;
  if (!plot) {
    plot = new uPlot({ width: 360, height: 160, series: [{}, { label: 'seconds', stroke: '#2b6cb0' }],
      scales: { x: { time: false } } }, data, $('chart'));
  } else {
    plot.setData(data);
  }
}

function upsert(p) {
  const had = state.pipelines.get(p.intent_id);
  state.pipelines.set(p.intent_id, p);
  if (p.duration !== null && p.duration !== undefined && (!had || had.duration === null)) {
    state.durations.push(p.duration);
    renderChart();
  }
}

function handle(msg) {
  switch (msg.type) {
    case 'initial_state': {
      const d = msg.data;
      state.pipelines.clear();
      state.durations = [];
      for (const p of [...(d.pipelines || [])].reverse()) upsert(p);
      if (d.current_pipeline) state.selected = d.current_pipeline.intent_id;
      state.edges = d.edge_status || {};
      renderMetrics(d.metrics); renderServices(d.services); renderEdges(); renderPipelines(); renderStages(); renderChart();
      log('connected: initial state');
      break;
    }
    case 'pipeline_started':
      upsert(msg.data); state.selected = msg.data.intent_id;
      renderPipelines(); renderStages();
      log(`pipeline ${msg.data.intent_id} started: ${msg.data.intent_text}`);
      break;
    case 'stage_update':
      upsert(msg.data.pipeline);
      if (!state.selected || state.selected === msg.data.pipeline.intent_id) state.selected = msg.data.pipeline.intent_id;
      renderPipelines(); renderStages();
      log(`${msg.data.pipeline.intent_id}: ${msg.data.stage.stage}`);
      break;
    case 'edge_update':
      state.edges[msg.data.edge] = msg.data.status; renderEdges();
      log(`edge ${msg.data.edge}: ${msg.data.status.status}`);
      break;
    case 'service_update':
      state.services = state.services || {};
      state.services[msg.data.service] = { ...(state.services[msg.data.service] || {}), status: msg.data.status };
      renderServices();
      break;
    case 'metrics':
      renderMetrics(msg.data.metrics ?? msg.data);
      break;
    default:
      break;
  }
  if (msg.type === 'stage_update' || msg.type === 'pipeline_started') refreshMetrics();
}

async function refreshMetrics() {
  try {
    const res = await fetch('/api/v1/metrics', { headers: authHeaders() });
    if (res.ok) renderMetrics((await res.json()).metrics);
  } catch { /* the socket reports connectivity */ }
}


let delay = 500;
function connect() {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token()) url.searchParams.set('token', token());
  const ws = new WebSocket(url);
  const conn = $('conn');
  conn.dataset.state = 'connecting'; conn.textContent = 'connecting…';
  ws.onopen = () => { delay = 500; conn.dataset.state = 'open'; conn.textContent = 'live'; };
  ws.onmessage = (ev) => {
    try { handle(JSON.parse(ev.data)); } catch { /* "pong" and the like */ }
  };
  ws.onclose = (ev) => {
    conn.dataset.state = 'closed';
    conn.textContent = `disconnected (${ev.code}); retrying`;
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 15000);
  };
}

linkServices();
renderStages();
connect();
document.body.dataset.ready = 'true';
