// Browser test harness: starts the real o2hub on free ports and drives
// Debian's headless Chromium through playwright-core (from webui/node_modules).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = path.resolve(here, '../..');
const require = createRequire(path.join(sourceDir, 'webui', 'package.json'));
const { chromium } = require('playwright-core');

export const binary = process.env.O2HUB_BINARY ?? path.join(sourceDir, 'build', 'o2hub');

/// `n` distinct free ports: all are held open until every one is chosen.
/// They come from below the kernel's ephemeral range (32768-60999): a port
/// from listen(0) is an ephemeral one, which any outgoing connection on the
/// machine may take before o2hub binds it.
export async function freePorts(n) {
  const servers = [];
  const tryPort = (port) => new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(null));
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
  for (let attempt = 0; servers.length < n && attempt < 1000; attempt += 1) {
    const srv = await tryPort(20000 + Math.floor(Math.random() * 12000));
    if (srv) servers.push(srv);
  }
  if (servers.length < n) throw new Error('no free ports in 20000-31999');
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function waitHealthy(port, proc, ms = 20000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`o2hub exited with ${proc.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no /health on port ${port}`);
}

/// Starts `o2hub serve` on free ports; returns { ports, stop(), output() }.
/// `dataDir`: a data directory of the caller's (removed at stop too).
export async function startO2hub(extraArgs = [], env = {}, dataDir = null) {
  const [intent, monitor, bridge] = await freePorts(3);
  const ports = { intent, monitor, bridge };
  let output = '';
  dataDir ??= mkdtempSync(path.join(tmpdir(), 'o2hub-browser-'));
  const tmuxSocket = `o2hub-browser-${process.pid}-${bridge}`;
  const proc = spawn(binary, ['serve', '--data-dir', dataDir, '--tmux-socket', tmuxSocket,
    '--intent-port', String(ports.intent),
    '--monitor-port', String(ports.monitor),
    '--bridge-port', String(ports.bridge), ...extraArgs],
  { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  try {
    for (const port of Object.values(ports)) await waitHealthy(port, proc);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`${err.message}\n${output}`);
  }
  return {
    ports,
    output: () => output,
    // o2hub must exit 0 on SIGTERM, promptly: one that hangs is killed after
    // 15 s and reported with its output (never a test run that never ends).
    stop: () => new Promise((resolve) => {
      let timer = null;
      // Always resolves: a throw here (rmSync meeting a file another
      // process of the test still writes: ENOTEMPTY) once left the after
      // hook waiting forever, and the whole browser run timed out.
      const done = (code) => {
        clearTimeout(timer);
        try {
          rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
        } catch (err) {
          console.error(`could not remove ${dataDir}: ${err.message}`);
        }
        spawnSync('tmux', ['-L', tmuxSocket, 'kill-server'], { stdio: 'ignore', timeout: 10000 });
        resolve(code);
      };
      if (proc.exitCode !== null) return done(proc.exitCode);
      proc.on('exit', (code) => done(code));
      timer = setTimeout(() => {
        proc.removeAllListeners('exit');
        proc.kill('SIGKILL');
        done(`hung after SIGTERM; its output:\n${output.slice(-4000)}`);
      }, 15000);
      proc.kill('SIGTERM');
    }),
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/// Registers before/after hooks that start o2hub and Chromium for a test
/// file and stop both (o2hub must exit 0). Returns a getter for both.
export function useHubAndBrowser(hooks, args = []) {
  const ctx = { hub: null, browser: null };
  hooks.before(async () => {
    ctx.hub = await startO2hub(args);
    ctx.browser = await launchBrowser();
  });
  hooks.after(async () => {
    await ctx.browser?.close();
    const code = await ctx.hub?.stop();
    if (code !== 0) throw new Error(`o2hub exited with ${code}`);
  });
  return ctx;
}
