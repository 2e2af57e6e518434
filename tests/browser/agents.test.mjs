// Edge agents on the dashboard (issue 11): a site served by its agent says
// so on its card (with the agent's version); when the agent goes away, the
// card says the agent was lost and why.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary, freePorts, launchBrowser, startO2hub } from './harness.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'o2hub-browser-agents-'));
const ctx = { hub: null, browser: null, nodes: 0 };

before(async () => {
  const [nodes, o2ims, prometheus, k8s] = await freePorts(4);
  ctx.nodes = nodes;
  const probing = 'probing: {interval_s: 1, timeout_ms: 300, k8s_scheme: http, failures_before_unreachable: 1}\n';
  // The hub cannot reach edge3 (nothing listens on its ports); the agent
  // probes "its" edge3, which is down too: what matters is who reports.
  const site = `  edge3: {ip: 127.0.0.1, ports: {o2ims: ${o2ims}, prometheus: ${prometheus}, k8s_api: ${k8s}}}\n`;
  writeFileSync(path.join(dir, 'hub.yaml'), `nodes: {port: ${nodes}, heartbeat_s: 1}\n${probing}edge_sites:\n${site}`);
  writeFileSync(path.join(dir, 'agent.yaml'), `${probing}edge_sites:\n${site}`);
  ctx.hub = await startO2hub(['-c', path.join(dir, 'hub.yaml')]);
  ctx.browser = await launchBrowser();
});

after(async () => {
  await ctx.browser?.close();
  const code = await ctx.hub?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`o2hub exited with ${code}`);
});

test('an edge card shows its agent, and the agent lost', async () => {
  const page = await ctx.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.monitor}/`);
  await page.waitForSelector('#conn[data-state="open"]', { timeout: 10000 });
  let agentOutput = '';
  const agent = spawn(binary, ['agent', '-c', path.join(dir, 'agent.yaml'), '--site', 'edge3',
    '--hub', `127.0.0.1:${ctx.nodes}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  agent.stdout.on('data', (d) => { agentOutput += d; });
  agent.stderr.on('data', (d) => { agentOutput += d; });
  try {
    await page.waitForSelector('.edge[data-edge="edge3"] .via[data-via="agent"]', { timeout: 15000 });
  } catch (err) {
    agent.kill('SIGKILL');
    throw new Error(`${err.message}\nagent:\n${agentOutput}\nhub:\n${ctx.hub.output()}`);
  }
  assert.match(await page.textContent('.edge[data-edge="edge3"] .via'), /^via agent \(o2hub \d+\.\d+\.\d+\)$/);
  agent.kill('SIGKILL');
  await page.waitForFunction(() => /agent of edge3 .* lost: /.test(
    document.querySelector('.edge[data-edge="edge3"]')?.textContent ?? ''), null, { timeout: 10000 });
  assert.equal(await page.textContent('.edge[data-edge="edge3"] .status'), 'unreachable');
  assert.deepEqual(errors, []);
  await page.close();
});
