// Terminal bridge benchmarks (issue 5); prints figures, asserts nothing.
//   node --experimental-websocket bench/bridge_bench.mjs <o2hub> [viewers] [seconds]
// 1. Keystroke -> output: a `command` "<marker>" typed into a pane running
//    `cat -u`, timed until the marker comes back at the WebSocket client;
//    300 rounds, median and p99.
// 2. Flood: a pane printing as fast as it can (`yes`), <viewers> reading
//    viewers (default 100) and one that never reads (a raw socket that
//    stops reading after the upgrade); the readers' throughput and o2hub's
//    RSS over <seconds> (default 10).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import readline from 'node:readline';
import path from 'node:path';

const [binary, viewersArg, secondsArg] = process.argv.slice(2);
const viewers = Number(viewersArg ?? 100);
const seconds = Number(secondsArg ?? 10);
const dir = mkdtempSync(path.join(tmpdir(), 'o2hub-bridge-bench-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function start(name, command, port) {
  const cfg = path.join(dir, `${name}.yaml`);
  writeFileSync(cfg, `services:\n  bridge:\n    command: ${JSON.stringify(command)}\n    max_viewers: 1000\n`);
  const socket = `o2hub-bench-${process.pid}-${name}`;
  const proc = spawn(binary, ['bridge', '--port', String(port), '-c', cfg, '--tmux-socket', socket,
    '--data-dir', path.join(dir, name), '--log-level', 'warn'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break; } catch { /* not yet */ }
    await sleep(100);
  }
  return {
    proc,
    rss: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))[1]),
    stop: () => { proc.kill('SIGTERM'); spawnSync('tmux', ['-L', socket, 'kill-server']); },
  };
}

function open(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    ws.onopen = () => resolve(ws);
    ws.onerror = reject;
  });
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

// -- 1. latency --------------------------------------------------------------
// Alone, then with <viewers> other viewers attached (each reads every
// output message, as a browser does; bridge_viewers.mjs): issue 16's
// figure is the second.
{
  const hub = await start('latency', ['cat', '-u'], 18704);
  const ws = await open(18704);
  await sleep(500);
  let waiting = null;
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (waiting && m.type === 'output' && m.content.includes(waiting.marker)) {
      const w = waiting; waiting = null; w.resolve(performance.now() - w.t0);
    }
  };
  const rounds = async () => {
    const times = [];
    for (let i = 0; i < 300; i += 1) {
      const marker = `mk${i}x${Math.random().toString(36).slice(2, 8)}`;
      const done = new Promise((resolve) => { waiting = { marker, resolve, t0: performance.now() }; });
      ws.send(JSON.stringify({ type: 'command', content: marker }));
      times.push(await done);
    }
    return `median ${percentile(times, 0.5).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms`;
  };
  console.log('== keystroke -> output (command typed into `cat -u`, 300 rounds) ==');
  console.log(`1 viewer: ${await rounds()}`);
  // The others in their own process (bridge_viewers.mjs), reading everything.
  const others = spawn(process.execPath, ['--experimental-websocket', '--no-warnings',
    new URL('./bridge_viewers.mjs', import.meta.url).pathname, '18704', String(viewers)],
  { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: others.stdout });
  const next = () => new Promise((resolve) => lines.once('line', resolve));
  await next(); // ready
  await sleep(1000);
  others.stdin.write('count\n');
  await next();
  const figure = await rounds();
  others.stdin.write('count\n');
  const received = await next();
  console.log(`${viewers + 1} viewers: ${figure} (the others, in a process of their own, received ${received} messages)`);
  others.stdin.write('quit\n');
  ws.close();
  hub.stop();
}

// -- 2. flood ----------------------------------------------------------------
{
  const hub = await start('flood', ['yes', 'o2hub bridge flood line: the quick brown fox jumps over the lazy dog'], 18705);
  await sleep(300);
  // The viewer that never reads: upgrade, then stop reading.
  const stuck = net.connect(18705, '127.0.0.1');
  stuck.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
    + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  stuck.once('data', () => stuck.pause());
  let stuckClosed = false;
  stuck.on('close', () => { stuckClosed = true; });
  const bytes = new Array(viewers).fill(0);
  const sockets = [];
  const closes = {};
  for (let i = 0; i < viewers; i += 1) {
    const ws = await open(18705);
    ws.onmessage = (ev) => { bytes[i] += ev.data.length; };
    ws.onclose = (ev) => { const k = `${ev.code} ${ev.reason}`; closes[k] = (closes[k] ?? 0) + 1; };
    sockets.push(ws);
  }
  const rss = [];
  const t0 = performance.now();
  const startBytes = [...bytes];
  for (let s = 0; s < seconds; s += 1) {
    await sleep(1000);
    rss.push(hub.rss());
  }
  const elapsed = (performance.now() - t0) / 1000;
  const rates = bytes.map((b, i) => (b - startBytes[i]) / elapsed / 1024 / 1024);
  console.log(`== flood: \`yes\` in the pane, ${viewers} reading viewers + 1 that never reads, ${seconds} s ==`);
  console.log(`per-viewer throughput MiB/s: min ${Math.min(...rates).toFixed(2)}, median ${percentile(rates, 0.5).toFixed(2)}, max ${Math.max(...rates).toFixed(2)}`);
  console.log(`all viewers together: ${rates.reduce((a, b) => a + b, 0).toFixed(1)} MiB/s`);
  console.log(`o2hub RSS MiB per second: ${rss.map((k) => (k / 1024).toFixed(0)).join(' ')}`);
  console.log(`the non-reading viewer was ${stuckClosed ? 'closed by the server' : 'still open'} at the end`);
  const closed = Object.entries(closes).map(([k, n]) => `${n}x "${k}"`).join(', ');
  console.log(`reading viewers closed by the server during the run: ${closed || 'none'}`);
  for (const ws of sockets) ws.close();
  stuck.destroy();
  hub.stop();
}
rmSync(dir, { recursive: true, force: true });
process.exit(0);
