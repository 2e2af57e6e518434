// The realtime monitor's dashboard. Data from the WebSocket (URL derived
// from location), reconnecting with backoff; every value is inserted as
// text, never as HTML. The selected pipeline is the operator's: a new one
// shows a notice instead of taking over; its address is /#/pipelines/<id>.
import { authHeaders, linkServices, token } from '/static/links.js';
import { addFinished, resetChart } from '/static/dashboard_chart.js';
import { finished, renderDetail } from '/static/dashboard_detail.js';
import { renderEdges, noteEdge } from '/static/dashboard_edges.js';
import { renderList, renderSiteOptions, wireList } from '/static/dashboard_list.js';
import { el, fmtNumber, fmtTime } from '/static/dashboard_util.js';

const state = { pipelines: new Map(), selected: null, edges: {}, loaded: 0, total: 0 };
const $ = (id) => document.getElementById(id);

function log(text, when) {
  const li = el('li', {}, `${when ? fmtTime(when) : fmtTime(new Date().toISOString())}  ${text}`);
  const list = $('log');
  list.prepend(li);
  while (list.children.length > 200) list.lastChild.remove();
}

/// The live log starts with the latest stages of the pipelines known.
function prefillLog() {
  const events = [];
  for (const p of state.pipelines.values()) {
    for (const s of p.stages) events.push([s.timestamp, `${p.intent_id}: ${s.stage}`]);
  }
  events.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  $('log').replaceChildren();
  for (const [when, text] of events.slice(-100)) log(text, when);
}

function renderMetrics(m) {
  if (!m) return;
  $('m-total').textContent = m.total_intents;
  $('m-ok').textContent = m.successful_intents;
  $('m-failed').textContent = m.failed_intents;
  const done = m.successful_intents + m.failed_intents;
  $('m-rate').textContent = done ? `${fmtNumber(m.success_rate * 100)}%` : '–';
  $('m-avg').textContent = done ? `${fmtNumber(m.avg_processing_time)} s` : '–';
  $('m-active').textContent = m.active_pipelines;
  $('m-stale').textContent = m.stale_pipelines ?? 0;
}

function render() {
  renderDetail(state.pipelines.get(state.selected));
  renderList(state, select);
}

function select(id, fromHash = false) {
  state.selected = id;
  $('new-pipeline').hidden = true;
  if (!fromHash && location.hash !== `#/pipelines/${encodeURIComponent(id)}`) {
    history.replaceState(null, '', `#/pipelines/${encodeURIComponent(id)}`);
  }
  render();
}

function hashId() {
  const m = location.hash.match(/^#\/pipelines\/(.+)$/);
  return m ? decodeURIComponent(m[1]) : null;
}

function newest() {
  let best = null;
  for (const p of state.pipelines.values()) if (!best || p.start_time > best.start_time) best = p;
  return best;
}

function upsert(p) {
  state.pipelines.set(p.intent_id, p);
  if (finished(p)) addFinished(p);
}

function renderServices(services) {
  if (services) state.services = services;
  const list = $('services');
  list.replaceChildren();
  for (const [name, s] of Object.entries(state.services || {})) {
    if (typeof s !== 'object' || s === null) continue; // the original's flat keys
    const li = el('li', { 'data-service': name, title: s.url ?? '' });
    li.append(el('span', {}, name), el('span', { class: 'status', 'data-status': s.status }, s.status ?? 'unknown'));
    list.append(li);
  }
}

function noticeNew(p) {
  const box = $('new-pipeline');
  box.hidden = false;
  $('new-pipeline-text').textContent = `New pipeline ${p.intent_id}: ${p.intent_text}`;
  box.dataset.id = p.intent_id;
}

function handle(msg) {
  switch (msg.type) {
    case 'initial_state': {
      const d = msg.data;
      state.pipelines.clear();
      resetChart();
      for (const p of [...(d.pipelines || [])].reverse()) upsert(p);
      state.loaded = state.pipelines.size;
      state.total = Math.max(state.total, state.loaded);
      state.edges = d.edge_status || {};
      const wanted = hashId();
      if (wanted && state.pipelines.has(wanted)) state.selected = wanted;
      else if (!state.selected || !state.pipelines.has(state.selected)) state.selected = newest()?.intent_id ?? null;
      renderMetrics(d.metrics); renderServices(d.services);
      renderEdges(state.edges); renderSiteOptions(Object.entries(state.edges).map(([k, e]) => e.site ?? k));
      render(); prefillLog();
      log('connected: initial state');
      fetchTotal();
      break;
    }
    case 'pipeline_started':
      upsert(msg.data);
      state.total += 1;
      if (!state.selected) select(msg.data.intent_id);
      else { noticeNew(msg.data); renderList(state, select); }
      log(`pipeline ${msg.data.intent_id} started: ${msg.data.intent_text}`);
      break;
    case 'stage_update':
      upsert(msg.data.pipeline);
      if (!state.selected) state.selected = msg.data.pipeline.intent_id;
      render();
      log(`${msg.data.pipeline.intent_id}: ${msg.data.stage.stage}`);
      break;
    case 'pipeline_update': // e.g. marked stale
      upsert(msg.data);
      render();
      log(`${msg.data.intent_id}: ${msg.data.status}`);
      break;
    case 'edge_update':
      state.edges[msg.data.edge] = msg.data.status;
      noteEdge(msg.data.edge, msg.data.status);
      renderEdges(state.edges);
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

async function fetchPage(limit, offset) {
  const res = await fetch(`/api/v1/pipelines?limit=${limit}&offset=${offset}`, { headers: authHeaders() });
  return res.ok ? res.json() : null;
}

async function fetchTotal() {
  const page = await fetchPage(1, 0).catch(() => null);
  if (page) { state.total = page.total; renderList(state, select); }
}

async function fetchOlder(n) {
  const page = await fetchPage(n, state.loaded).catch(() => null);
  if (!page) return;
  for (const p of page.pipelines) if (!state.pipelines.has(p.intent_id)) upsert(p);
  state.loaded += page.pipelines.length;
  state.total = page.total;
}

let delay = 500;
function connect() {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
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

$('new-pipeline-show').addEventListener('click', () => select($('new-pipeline').dataset.id));
window.addEventListener('hashchange', () => {
  const id = hashId();
  if (id && id !== state.selected) select(id, true);
});
wireList(state, () => renderList(state, select), fetchOlder);
linkServices();
render();
connect();
document.body.dataset.ready = 'true';
