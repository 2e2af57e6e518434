// The bridge's page: the shared tmux session in xterm.js, live over the
// WebSocket (URL derived from location, reconnecting with backoff). Keys go
// to the session as raw input; shortcut buttons send whole commands.
import { Terminal } from '/vendor/xterm/lib/xterm.mjs';
import { FitAddon } from '/vendor/xterm-addon-fit/lib/addon-fit.mjs';
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
term.open($('terminal'));
fit.fit();

let ws = null;
let role = 'viewer';
let delay = 500;

function send(msg) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function setStage(event) {
  const items = [...document.querySelectorAll('#stages li')];
  const order = ['processing', 'intent', 'deployment', 'result'];
  let target = event === 'success' || event === 'error' ? 'result' : event;
  const idx = order.indexOf(target);
  if (idx < 0) return;
  if (target === 'processing') items.forEach((li) => { li.dataset.state = ''; });
  items.forEach((li, i) => {
    if (i < idx && li.dataset.state !== 'bad') li.dataset.state = 'done';
    if (i === idx) li.dataset.state = event === 'error' ? 'bad' : event === 'success' ? 'done' : 'active';
  });
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
    case 'event':
      setStage(msg.event);
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
