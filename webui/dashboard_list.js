// Recent pipelines: intent text, sites, status, start and duration; filters
// by status, site and kind, search by id or text, 50 rows a page and older
// ones from the REST API. Rows are buttons for the keyboard too.
import { el, fmtDate, fmtNumber } from '/static/dashboard_util.js';
import { kindOf, sitesOf } from '/static/dashboard_detail.js';

const PAGE = 50;
let shown = PAGE;

function filters() {
  const v = (id) => document.getElementById(id).value;
  return { status: v('f-status'), site: v('f-site'), kind: v('f-kind'), q: v('f-q').trim().toLowerCase() };
}

function matches(p, f) {
  if (f.status && p.status !== f.status) return false;
  if (f.kind && kindOf(p) !== f.kind) return false;
  if (f.site && !sitesOf(p).includes(f.site)) return false;
  if (f.q && !p.intent_id.toLowerCase().includes(f.q) && !(p.intent_text || '').toLowerCase().includes(f.q)) return false;
  return true;
}

/// Renders the list; `select(id)` is called when an operator picks a row.
export function renderList(state, select) {
  const list = document.getElementById('pipelines');
  list.replaceChildren();
  const f = filters();
  const all = [...state.pipelines.values()]
    .filter((p) => matches(p, f))
    .sort((a, b) => (a.start_time < b.start_time ? 1 : -1));
  for (const p of all.slice(0, shown)) {
    const li = el('li', { 'data-id': p.intent_id, 'data-status': p.status, tabindex: '0', role: 'button',
      'aria-selected': String(p.intent_id === state.selected) });
    const top = el('div', { class: 'row-top' });
    top.append(el('span', { class: 'mono' }, p.intent_id), el('span', { class: 'status', 'data-status': p.status }, p.status));
    const text = el('div', { class: 'row-text' }, p.intent_text || '');
    const dur = p.duration === null || p.duration === undefined ? 'running' : `${fmtNumber(p.duration)} s`;
    const sub = el('div', { class: 'muted row-sub' }, `${kindOf(p)} · ${sitesOf(p).join(', ') || '–'} · ${fmtDate(p.start_time)} · ${dur}`);
    li.append(top, text, sub);
    const pick = () => select(p.intent_id);
    li.addEventListener('click', pick);
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
    list.append(li);
  }
  const more = document.getElementById('more');
  more.hidden = all.length <= shown && state.loaded >= state.total;
  document.getElementById('list-count').textContent = `${Math.min(all.length, shown)} of ${f.status || f.site || f.kind || f.q ? all.length : Math.max(state.total, all.length)}`;
}

/// Site filter options from the edges known.
export function renderSiteOptions(sites) {
  const sel = document.getElementById('f-site');
  const current = sel.value;
  sel.replaceChildren(el('option', { value: '' }, 'all sites'));
  for (const s of sites) sel.append(el('option', { value: s }, s));
  sel.value = sites.includes(current) ? current : '';
}

/// Wires the controls: changes re-render; "older" shows another page,
/// fetching older pipelines from /api/v1/pipelines when needed.
export function wireList(state, rerender, fetchOlder) {
  for (const id of ['f-status', 'f-site', 'f-kind', 'f-q']) {
    document.getElementById(id).addEventListener('input', () => { shown = PAGE; rerender(); });
  }
  document.getElementById('more').addEventListener('click', async () => {
    shown += PAGE;
    if (state.pipelines.size < shown && state.loaded < state.total) await fetchOlder(PAGE);
    rerender();
  });
}
