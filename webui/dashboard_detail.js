// The selected pipeline in detail: its stages in the order they happened
// (the ones it skipped look skipped), per-stage times and durations, what
// it deployed where, commits, the SLO gate's measured values against
// targets per site, and why it failed. Text only, never HTML.
import { authHeaders } from '/static/links.js';
import { el, fmtNumber, fmtTime } from '/static/dashboard_util.js';

// The way a deployment goes; failed and rollback show only when they happen.
const FLOW = ['input_received', 'intent_parsing', 'intent_parsed', 'krm_generating',
  'krm_generated', 'gitops_pushing', 'gitops_pushed', 'edge_deploying', 'edge_deployed',
  'slo_validating', 'completed'];
const BAD = new Set(['failed', 'rollback']);

/// The last metadata a stage carried.
export function meta(p, stage) {
  const s = p ? [...p.stages].reverse().find((x) => x.stage === stage) : null;
  return (s && s.metadata) || null;
}

export function kindOf(p) {
  for (const s of p.stages) if (s.metadata && s.metadata.kind) return s.metadata.kind;
  return 'deploy';
}

export function sitesOf(p) {
  const m = meta(p, 'intent_parsed');
  return (m && Array.isArray(m.targetSites)) ? m.targetSites : [];
}

export function finished(p) {
  return p.status !== 'running' && p.status !== 'stale';
}

function strip(p) {
  const list = document.getElementById('stages');
  list.replaceChildren();
  if (!p) return;
  const seen = new Set();
  p.stages.forEach((s, i) => {
    seen.add(s.stage);
    const last = i === p.stages.length - 1;
    let st = 'done';
    if (BAD.has(s.stage)) st = 'bad';
    else if (last && !finished(p)) st = 'current';
    list.append(el('li', { 'data-stage': s.stage, 'data-state': st, title: fmtTime(s.timestamp) }, s.stage));
  });
  for (const name of FLOW) {
    if (seen.has(name)) continue;
    const st = finished(p) ? 'skipped' : 'todo';
    list.append(el('li', { 'data-stage': name, 'data-state': st, title: st }, name));
  }
}

function row(dl, label, value) {
  if (value === undefined || value === null || value === '') return;
  dl.append(el('dt', {}, label), el('dd', {}, value));
}

function timeline(p) {
  const table = el('table', { class: 'timeline' });
  table.append(el('caption', {}, 'Stages'));
  const head = el('tr');
  head.append(el('th', {}, 'stage'), el('th', {}, 'at'), el('th', {}, 'took'));
  table.append(head);
  let prev = null;
  for (const s of p.stages) {
    const t = Date.parse(s.timestamp);
    const tr = el('tr', { 'data-stage': s.stage });
    const took = prev === null || Number.isNaN(t) ? '' : `${fmtNumber((t - prev) / 1000)} s`;
    tr.append(el('td', {}, s.stage), el('td', {}, fmtTime(s.timestamp)), el('td', {}, took));
    table.append(tr);
    if (!Number.isNaN(t)) prev = t;
  }
  return table;
}

function sloTable(results) {
  const table = el('table', { class: 'slo' });
  table.append(el('caption', {}, 'SLO gate'));
  const head = el('tr');
  head.append(el('th', {}, 'site'), el('th', {}, 'metric'), el('th', {}, 'measured'),
    el('th', {}, 'target'), el('th', {}, ''));
  table.append(head);
  for (const [site, metrics] of Object.entries(results)) {
    for (const [metric, r] of Object.entries(metrics || {})) {
      const tr = el('tr', { 'data-site': site, 'data-metric': metric, 'data-pass': String(!!r.pass) });
      tr.append(el('td', {}, site), el('td', {}, metric),
        el('td', {}, r.value === null || r.value === undefined ? 'no value' : fmtNumber(r.value)),
        el('td', {}, `${r.op ?? ''} ${fmtNumber(r.target)}`),
        el('td', {}, r.pass ? 'pass' : 'FAIL'));
      table.append(tr);
    }
  }
  return table;
}

export function renderDetail(p) {
  document.getElementById('sel-id').textContent = p ? p.intent_id : '(none yet)';
  document.getElementById('sel-text').textContent = p ? p.intent_text : '';
  strip(p);
  const box = document.getElementById('detail');
  box.replaceChildren();
  if (!p) return;
  const dl = el('dl', { class: 'facts' });
  const parsed = meta(p, 'intent_parsed') || {};
  row(dl, 'kind', kindOf(p));
  row(dl, 'type', parsed.intentType);
  row(dl, 'sites', sitesOf(p).join(', '));
  row(dl, 'status', p.status);
  row(dl, 'started', fmtTime(p.start_time));
  if (p.duration !== null && p.duration !== undefined) row(dl, 'took', `${fmtNumber(p.duration)} s`);
  const krm = meta(p, 'krm_generated');
  if (krm && Array.isArray(krm.packages)) row(dl, 'KRM packages', krm.packages.join(', '));
  const pushed = meta(p, 'gitops_pushed');
  if (pushed && pushed.commits) {
    row(dl, 'commits', Object.entries(pushed.commits).map(([r, c]) => `${r} ${String(c).slice(0, 12)}`).join(', '));
  }
  const back = meta(p, 'rollback');
  if (back && back.reverts) {
    row(dl, 'reverts', Object.entries(back.reverts).map(([r, c]) => `${r} ${String(c).slice(0, 12)}`).join(', '));
  }
  const failed = meta(p, 'failed');
  const reason = (back && back.reason) || (failed && failed.reason);
  if (reason) {
    dl.append(el('dt', {}, 'why'), el('dd', { class: 'reason' }, reason));
  }
  box.append(dl);
  if (p.status === 'stale') {
    // Nothing has reported for monitor.stale_after_s: an operator may end it.
    const b = el('button', { type: 'button', id: 'cancel' }, 'Cancel this pipeline');
    b.addEventListener('click', async () => {
      b.disabled = true;
      const res = await fetch(`/api/v1/pipelines/${encodeURIComponent(p.intent_id)}/cancel`,
        { method: 'POST', headers: authHeaders() });
      if (!res.ok) { b.disabled = false; b.textContent = `Cancel failed (${res.status})`; }
    });
    box.append(b);
  }
  box.append(timeline(p));
  const results = (meta(p, 'completed') || {}).results || (back && back.results);
  if (results && Object.keys(results).length) box.append(sloTable(results));
}
