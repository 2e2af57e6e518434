// The bridge's page: the shared tmux session in xterm.js, live over the
// WebSocket (URL derived from location, reconnecting with backoff). Keys go
// to the session as raw input; shortcut buttons send whole commands. Links
// in the output are clickable; the stage strip follows the pipeline the
// console follows (it says so in the terminal's title), linking its detail
// on the dashboard; who watches is shown beside the connection state.
import { Terminal } from '/vendor/xterm/lib/xterm.mjs';
import { FitAddon } from '/vendor/xterm-addon-fit/lib/addon-fit.mjs';
import { WebLinksAddon } from '/vendor/xterm-addon-web-links/lib/addon-web-links.mjs';
import { linkServices } from '/static/links.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const token = params.get('token');

const term = new Terminal({
  convertEol: false, cursorBlink: true, scrollback: 5000,
  fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 14,
});
const fit = new FitAddon();
term.loadAddon(fit);
const loopback = (h) => h === '127.0.0.1' || h === 'localhost' || h === '[::1]';
// The console prints the services' loopback addresses; a browser elsewhere
// reaches them on this page's host.
term.loadAddon(new WebLinksAddon((ev, uri) => {
  let u;
  try { u = new URL(uri); } catch { return; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return;
  if (loopback(u.hostname) && !loopback(location.hostname)) u.hostname = location.hostname;
  window.open(u.toString(), '_blank', 'noopener');
}));
term.open($('terminal'));
fit.fit();

let ws = null;
let role = 'viewer';
let delay = 500;

function send(msg) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

// The console sets the title "o2hub pipeline <id> <stage>" while it follows
// a pipeline: the strip shows that pipeline's real stage. Lines that merely
// look like a stage (status or slo output) no longer light it.
const STRIP = {
  started: 0, input_received: 0, intent_parsing: 0, intent_parsed: 1,
  krm_generating: 2, krm_generated: 2, gitops_pushing: 2, gitops_pushed: 2,
  edge_deploying: 2, edge_deployed: 2, slo_validating: 2, completed: 3, failed: 3, rollback: 3,
};
let following = '';

function showStage(id, stage) {
  const idx = STRIP[stage];
  if (idx === undefined) return;
  const items = [...document.querySelectorAll('#stages li[data-event]')];
  if (id !== following) items.forEach((li) => { li.dataset.state = ''; });
  following = id;
  const bad = stage === 'failed' || stage === 'rollback';
  items.forEach((li, i) => {
    if (i < idx) li.dataset.state = 'done';
    else if (i === idx) li.dataset.state = bad ? 'bad' : stage === 'completed' ? 'done' : 'active';
    else li.dataset.state = '';
  });
  const link = $('stage-pipeline');
  link.textContent = id;
  link.dataset.stage = stage;
  const base = new URL($('link-monitor').href, location.href);
  base.hash = `#/pipelines/${encodeURIComponent(id)}`;
  link.href = base.toString();
  link.hidden = false;
}

term.onTitleChange((title) => {
  const m = /^o2hub pipeline (\S+) (\S+)$/.exec(title);
  if (m) showStage(m[1], m[2]);
});

function showPresence(msg) {
  const p = $('presence');
  const n = msg.watching ?? 0;
  const parts = [];
  if (msg.operators) parts.push(`${msg.operators} operator${msg.operators === 1 ? '' : 's'}`);
  if (msg.viewers) parts.push(`${msg.viewers} viewer${msg.viewers === 1 ? '' : 's'}`);
  p.textContent = `${n} watching${parts.length ? ` (${parts.join(', ')})` : ''}`;
  p.dataset.watching = String(n);
}

function setRole(r) {
  role = r;
  $('role').textContent = r === 'operator' ? '' : 'watching (read-only)';
  for (const b of document.querySelectorAll('.shortcuts button')) b.disabled = r !== 'operator';
}

function handle(msg) {
  switch (msg.type) {
    case 'connection':
      setRole(msg.role || 'operator');
      sendSize(); // an operator's terminal sets the session's size on connect
      $('hint').textContent = msg.session_active === false ? 'the tmux session is starting…' : '';
      break;
    case 'output':
      if (msg.snapshot) term.reset();
      term.write(msg.content);
      break;
    case 'presence':
      showPresence(msg);
      break;
    case 'error':
      $('hint').textContent = msg.message || msg.code;
      break;
    default:
      break;
  }
}

function connect() {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) url.searchParams.set('token', token);
  ws = new WebSocket(url);
  const conn = $('conn');
  conn.dataset.state = 'connecting';
  conn.textContent = 'connecting…';
  ws.onopen = () => {
    delay = 500;
    conn.dataset.state = 'open';
    conn.textContent = 'live';
    // xterm wants the terminal's own bytes; the default is plain text lines
    // (what the original bridge's clients read).
    send({ type: 'stream', mode: 'raw' });
    sendSize();
  };
  ws.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch { return; }
    handle(msg);
  };
  ws.onclose = (ev) => {
    conn.dataset.state = 'closed';
    conn.textContent = `disconnected (${ev.code}${ev.reason ? `: ${ev.reason}` : ''}); retrying`;
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 15000);
  };
}

function sendSize() {
  if (role === 'operator') send({ type: 'resize', cols: term.cols, rows: term.rows });
}

term.onData((data) => { if (role === 'operator') send({ type: 'input', data }); });
new ResizeObserver(() => { fit.fit(); }).observe($('terminal'));
term.onResize(() => sendSize());

for (const b of document.querySelectorAll('.shortcuts button[data-command]')) {
  b.addEventListener('click', () => { send({ type: 'command', content: b.dataset.command }); term.focus(); });
}
$('clear').addEventListener('click', () => { send({ type: 'clear' }); term.focus(); });

linkServices();

setRole('viewer');
connect();
window.o2term = term; // for tests: the buffer as the user sees it
document.body.dataset.ready = 'true';
