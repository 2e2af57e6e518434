// Landing page: one card per service with its UI link and live health.
// Everything is inserted as text, never as HTML.
import { authHeaders, token } from '/static/links.js';

const titles = {
  intent: ['Intent service', 'Natural language → TMF921 intent (API docs)'],
  monitor: ['Realtime monitor', 'Pipelines, edge sites, metrics'],
  bridge: ['TMux bridge', 'The shared operator terminal'],
};

function card(svc) {
  const li = document.createElement('li');
  li.className = 'card';
  li.dataset.service = svc.name;
  const a = document.createElement('a');
  const url = new URL(location.href);
  url.port = String(svc.port);
  url.pathname = svc.ui;
  url.search = '';
  url.hash = '';
  if (token()) url.searchParams.set('token', token());
  a.href = url.toString();
  a.textContent = titles[svc.name]?.[0] ?? svc.name;
  const p = document.createElement('p');
  p.textContent = titles[svc.name]?.[1] ?? '';
  const status = document.createElement('span');
  status.className = 'status';
  status.textContent = svc.enabled ? 'checking…' : 'not in this process';
  li.append(a, p, status);
  return [li, status];
}

/// The service's own /health (on its port; it answers any origin).
async function check(svc, status) {
  const url = new URL('/health', location.href);
  url.port = String(svc.port);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    const h = await res.json();
    status.textContent = h.status;
    status.dataset.state = h.status;
  } catch {
    status.textContent = 'unreachable';
    status.dataset.state = 'unreachable';
  }
}

async function main() {
  const list = document.getElementById('services');
  try {
    const res = await fetch('/api/v1/services', { headers: authHeaders() });
    const { services } = await res.json();
    const checks = [];
    for (const svc of services) {
      const [li, status] = card(svc);
      list.append(li);
      if (svc.enabled) checks.push(check(svc, status));
    }
    await Promise.all(checks);
    document.body.dataset.ready = 'true';
  } catch (err) {
    const e = document.getElementById('error');
    e.hidden = false;
    e.textContent = `Cannot reach o2hub: ${err}`;
  }
}

main();
