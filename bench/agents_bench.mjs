// Edge agent benchmarks (issue 11); prints figures, asserts nothing.
//   node --experimental-websocket bench/agents_bench.mjs <o2hub> [agents] [idle-seconds]
// One hub (o2hub serve) and <agents> agent processes (one scheduler thread
// each) on loopback, every agent's site served by one simulated edge.
// 1. Idle: the hub's CPU while only heartbeats (every 2 s) flow, and the
//    hub's RSS per agent (RSS with the agents minus RSS before them).
// 2. Change -> dashboard: the edge stops, every agent's prober sees it
//    (probe interval 1 s) and reports; for each site, the time from the
//    agent's log line of the change to the edge_update at a WebSocket client
//    of the hub's monitor (same clock): p50 / p99 / max. Then the edge
//    comes back, measured the same way.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [binary, agentsArg, idleArg] = process.argv.slice(2);
const agents = Number(agentsArg ?? 200);
const idle = Number(idleArg ?? 20);
const dir = mkdtempSync(path.join(tmpdir(), 'o2hub-agents-bench-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const monitorPort = 18803;
const nodesPort = 18842;
const simPorts = { o2ims: 18811, prometheus: 18812, k8s_api: 18813 };
const procs = [];

function run(name, args) {
  const out = openSync(path.join(dir, `${name}.log`), 'w');
  const p = spawn(binary, args, { stdio: ['ignore', out, out] });
  p.label = name;
  procs.push(p);
  return p;
}
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const cpuTicks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
async function edges() {
  try { return await (await fetch(`http://127.0.0.1:${monitorPort}/api/v1/edges`)).json(); } catch { return {}; }
}
const tmuxSocket = `o2hub-agents-bench-${process.pid}`;
function cleanup() {
  for (const p of procs) { try { p.kill('SIGTERM'); } catch { /* gone */ } }
  // The hub's terminal session outlives it by design: end it too.
  spawnSync('tmux', ['-L', tmuxSocket, 'kill-server'], { stdio: 'ignore' });
}
process.on('exit', cleanup);

const ports = `{o2ims: ${simPorts.o2ims}, prometheus: ${simPorts.prometheus}, k8s_api: ${simPorts.k8s_api}}`;
const probing = 'probing: {interval_s: 1, timeout_ms: 500, k8s_scheme: http, failures_before_unreachable: 1}\n';
let hubSites = 'edge_sites:\n';
for (let i = 1; i <= agents; i += 1) hubSites += `  edge${i}: {ip: 127.0.0.1, ports: {o2ims: 1, prometheus: 1, k8s_api: 1}, agent: required}\n`;
writeFileSync(path.join(dir, 'hub.yaml'), `nodes: {port: ${nodesPort}, heartbeat_s: 2}\n${probing}${hubSites}`);
writeFileSync(path.join(dir, 'sim.yaml'), `${probing}edge_sites:\n  edge1: {ip: 127.0.0.1, ports: ${ports}, k8s_scheme: http}\n`);
for (let i = 1; i <= agents; i += 1) {
  writeFileSync(path.join(dir, `agent${i}.yaml`), `${probing}edge_sites:\n  edge${i}: {ip: 127.0.0.1, ports: ${ports}, k8s_scheme: http}\n`);
}

const startSim = () => run('sim', ['edge-sim', '-c', path.join(dir, 'sim.yaml'), '--data-dir', path.join(dir, 'sim'),
  '--control-port', '0', '--log-level', 'warn']);
// A hub of an earlier run still stopping would answer for this one.
if (await fetch(`http://127.0.0.1:${monitorPort}/health`).then(() => true, () => false)) {
  console.error(`port ${monitorPort} already answers (a hub of an earlier run still stopping?)`);
  process.exit(1);
}
let sim = startSim();
const hub = run('hub', ['serve', '-c', path.join(dir, 'hub.yaml'), '--data-dir', path.join(dir, 'hub'),
  '--intent-port', '18802', '--monitor-port', String(monitorPort), '--bridge-port', '18804',
  '--tmux-socket', tmuxSocket, '--log-level', 'warn']);
for (let i = 0; i < 100 && Object.keys(await edges()).length === 0; i += 1) await sleep(100);
await sleep(2000);
const rssBefore = rss(hub.pid);
const t0 = Date.now();
for (let i = 1; i <= agents; i += 1) {
  run(`agent${i}`, ['agent', '-c', path.join(dir, `agent${i}.yaml`), '--site', `edge${i}`,
    '--hub', `127.0.0.1:${nodesPort}`, '--data-dir', path.join(dir, `a${i}`)]);
}
const viaAgent = (e) => Object.values(e).filter((x) => x.via === 'agent' && x.status === 'healthy').length;
let registered = 0;
for (let i = 0; i < 600; i += 1) {
  registered = viaAgent(await edges());
  if (registered === agents) break;
  await sleep(200);
}
console.log(`== ${agents} agents: ${registered} registered and healthy after ${((Date.now() - t0) / 1000).toFixed(1)} s ==`);
if (registered < agents) {
  // Which, and what their agents said last.
  const e = await edges();
  for (let i = 1; i <= agents; i += 1) {
    const x = e[`edge${String(i).padStart(2, '0')}`] ?? e[`edge${i}`];
    if (x && x.via === 'agent' && x.status === 'healthy') continue;
    const p = procs.find((q) => q.label === `agent${i}`);
    const log = readFileSync(path.join(dir, `agent${i}.log`), 'utf8').trim().split('\n').slice(-3);
    console.log(`edge${i} (agent pid ${p.pid}): ${JSON.stringify(x ?? null)}\n  ${log.join('\n  ')}`);
  }
}
await sleep(3000);

// -- 1. idle -----------------------------------------------------------------
const ticks = 100;
const c0 = cpuTicks(hub.pid);
await sleep(idle * 1000);
const c1 = cpuTicks(hub.pid);
const rssAfter = rss(hub.pid);
console.log(`hub CPU with idle agents (heartbeats every 2 s): ${(100 * (c1 - c0) / ticks / idle).toFixed(2)}% of one core over ${idle} s`);
console.log(`hub RSS: ${rssBefore} KiB before the agents, ${rssAfter} KiB with them: ${((rssAfter - rssBefore) / agents).toFixed(1)} KiB per agent`);

// -- 2. change -> dashboard --------------------------------------------------
const ws = new WebSocket(`ws://127.0.0.1:${monitorPort}/ws`);
await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
const seen = new Map(); // "site status" -> receive time (ms since epoch)
ws.onmessage = (ev) => {
  const m = JSON.parse(ev.data);
  if (m.type === 'edge_update') {
    // Events name sites in the seed's spelling (edge01 for edge1).
    const site = m.data.edge.replace(/^edge0+(?=\d)/, 'edge');
    const key = `${site} ${m.data.status.status}`;
    if (!seen.has(key)) seen.set(key, Date.now());
  }
};
function agentChangeTimes(status) {
  const out = new Map();
  for (let i = 1; i <= agents; i += 1) {
    const lines = readFileSync(path.join(dir, `agent${i}.log`), 'utf8').split('\n');
    for (const l of lines) {
      if (!l.includes('"site status"') || !l.includes(`"status":"${status}"`)) continue;
      out.set(`edge${i}`, Date.parse(JSON.parse(l).ts));
    }
  }
  return out;
}
async function measure(status, label) {
  for (let i = 0; i < 100; i += 1) {
    const n = [...seen.keys()].filter((k) => k.endsWith(` ${status}`)).length;
    if (n === agents) break;
    await sleep(100);
  }
  const changed = agentChangeTimes(status);
  const lat = [];
  for (const [site, t] of changed) {
    const got = seen.get(`${site} ${status}`);
    if (got !== undefined) lat.push(got - t);
  }
  console.log(`${label}: ${lat.length} of ${agents} sites; agent change -> dashboard p50 ${percentile(lat, 0.5)} ms, p99 ${percentile(lat, 0.99)} ms, max ${Math.max(...lat)} ms`);
}
sim.kill('SIGTERM');
await measure('unreachable', 'edge down');
seen.clear();
sim = startSim();
await measure('healthy', 'edge back');
ws.close();

// -- 3. stop -------------------------------------------------------------------
// Every process gets SIGTERM; each should be gone within a few seconds (an
// agent's stop is bounded at 5 s even while CAF's connect to the stopping hub
// waits). Whatever is left after 15 s is named and killed.
const exited = (p) => p.exitCode !== null || p.signalCode !== null;
const t1 = Date.now();
cleanup();
while (Date.now() - t1 < 15000 && procs.some((p) => !exited(p))) await sleep(100);
const left = procs.filter((p) => !exited(p));
const names = left.map((p) => `${p.label} (pid ${p.pid})`).join(', ');
console.log(`stop: ${procs.length - left.length} of ${procs.length} processes gone after ${((Date.now() - t1) / 1000).toFixed(1)} s${left.length ? `; still running, killed: ${names}` : ''}`);
for (const p of left) p.kill('SIGKILL');
// Logs of a run where something went wrong are kept for a look.
if (registered === agents && left.length === 0) rmSync(dir, { recursive: true, force: true });
else console.log(`logs kept in ${dir}`);
process.exit(0);
