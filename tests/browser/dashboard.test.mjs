// The monitor's dashboard (8003 /): live stages, edge cards, text-only
// insertion, offline assets.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { useHubAndBrowser } from './harness.mjs';

const ctx = useHubAndBrowser({ before, after });

async function post(path, body) {
  const res = await fetch(`http://127.0.0.1:${ctx.hub.ports.monitor}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

test('stages and edge cards follow REST updates live', async () => {
  const page = await ctx.browser.newPage();
  const hosts = new Set();
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.monitor}/`);
  await page.waitForSelector('#conn[data-state="open"]', { timeout: 10000 });
  await post('/api/v1/pipeline/start?intent_id=intent-ui-1&intent_text=Deploy%20eMBB%20on%20edge1');
  await post('/api/v1/pipeline/update?stage=krm_generated&intent_id=intent-ui-1', { files_created: 3 });
  await page.waitForSelector('#stages li[data-stage="krm_generated"][data-state="current"]', { timeout: 5000 });
  assert.equal(await page.textContent('#sel-id'), 'intent-ui-1');
  await post('/api/v1/pipeline/update?stage=failed&intent_id=intent-ui-1');
  await page.waitForSelector('#stages li[data-stage="failed"][data-state="bad"]', { timeout: 5000 });
  await page.waitForSelector('#m-failed:text("1")', { timeout: 5000 });
  await post('/api/v1/edge/update', { edge: 'edge02', status: 'healthy', metadata: { deployments: 7 } });
  await page.waitForSelector('.edge[data-edge="edge2"] .status[data-status="healthy"]', { timeout: 5000 });
  const card = await page.textContent('.edge[data-edge="edge2"]');
  assert.match(card, /deployments: 7/);
  assert.deepEqual(errors, []);
  assert.deepEqual([...hosts], [`127.0.0.1:${ctx.hub.ports.monitor}`]);
  await page.close();
});

test('an intent id full of HTML stays text', async () => {
  const page = await ctx.browser.newPage();
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.monitor}/`);
  await page.waitForSelector('#conn[data-state="open"]');
  const evil = '<img src=x onerror="window.pwned=1">';
  await post(`/api/v1/pipeline/start?intent_id=${encodeURIComponent(evil)}&intent_text=x`);
  // A pipeline is already shown: the new one is announced, not forced.
  await page.waitForSelector('#new-pipeline:not([hidden])', { timeout: 5000 });
  await page.click('#new-pipeline-show');
  await page.waitForFunction((id) => document.getElementById('sel-id').textContent === id, evil);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0);
  await page.close();
});

async function update(id, stage, metadata) {
  await post(`/api/v1/pipeline/update?stage=${stage}&intent_id=${encodeURIComponent(id)}`, metadata);
}

// Issue 14: a pipeline explained — stages in the order they happened,
// skipped ones skipped, sites, kind, commits, the SLO gate per site, why
// it failed; its own address; the operator's selection kept.
test('the selected pipeline is explained and keeps its place', async () => {
  const id = 'intent-detail-1';
  await post(`/api/v1/pipeline/start?intent_id=${id}&intent_text=Deploy%20URLLC%20on%20edge2`);
  await update(id, 'intent_parsed', { intentType: 'URLLC', targetSites: ['edge2', 'edge3'], kind: 'modify' });
  await update(id, 'krm_generated', { packages: ['o2hub-gitops:edge2/intent-detail-1'], kind: 'modify' });
  await update(id, 'gitops_pushed', { commits: { 'o2hub-gitops': '0123456789abcdef0123' }, kind: 'modify' });
  await update(id, 'slo_validating', {});
  await update(id, 'rollback', { reason: 'SLO not met: edge2 latency_p95_ms 6.1 (needs <= 1)',
    results: { edge2: { latency_p95_ms: { value: 6.1234, target: 1, op: '<=', pass: false } } } });
  await update(id, 'failed', { reason: 'SLO not met: edge2 latency_p95_ms 6.1 (needs <= 1)' });

  const page = await ctx.browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.monitor}/#/pipelines/${id}`);
  await page.waitForSelector('#conn[data-state="open"]');
  await page.waitForFunction((x) => document.getElementById('sel-id').textContent === x, id);
  const order = await page.$$eval('#stages li', (lis) => lis.map((li) => `${li.dataset.stage}:${li.dataset.state}`));
  assert.ok(order.indexOf('rollback:bad') < order.indexOf('failed:bad'), order.join(' '));
  assert.ok(order.includes('edge_deploying:skipped'), order.join(' '));
  assert.ok(order.includes('completed:skipped'), order.join(' '));
  const facts = await page.textContent('#detail .facts');
  assert.match(facts, /modify/);
  assert.match(facts, /edge2, edge3/);
  assert.match(facts, /0123456789ab/);
  assert.match(facts, /SLO not met/);
  assert.equal(await page.textContent('.slo tr[data-site="edge2"][data-pass="false"] td:nth-child(3)'), '6.12');
  const rows = await page.$$eval('.timeline tr[data-stage]', (trs) => trs.map((t) => t.dataset.stage));
  assert.deepEqual(rows.slice(-2), ['rollback', 'failed']);

  // A new pipeline does not take the operator's place.
  await post('/api/v1/pipeline/start?intent_id=intent-detail-2&intent_text=another');
  await page.waitForSelector('#new-pipeline:not([hidden])');
  assert.equal(await page.textContent('#sel-id'), id);
  // Rows are reachable from the keyboard and filtered by search.
  await page.fill('#f-q', 'another');
  await page.waitForFunction(() => document.querySelectorAll('#pipelines li').length === 1);
  await page.focus('#pipelines li[data-id="intent-detail-2"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('sel-id').textContent === 'intent-detail-2');
  assert.match(page.url(), /#\/pipelines\/intent-detail-2$/);
  // The chart fits its panel.
  const fit = await page.evaluate(() => {
    const panel = document.getElementById('chart').parentElement.getBoundingClientRect();
    const canvas = document.querySelector('#chart canvas');
    return canvas ? canvas.getBoundingClientRect().width <= panel.width : true;
  });
  assert.ok(fit, 'the chart fits its panel');
  await page.close();
});

test('a phone sees everything without scrolling sideways', async () => {
  const page = await ctx.browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.monitor}/`);
  await page.waitForSelector('#conn[data-state="open"]');
  await page.waitForFunction(() => document.querySelectorAll('#pipelines li').length > 0);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `scrollWidth ${scroll} > ${client}`);
  for (const port of Object.values(ctx.hub.ports)) {
    const res = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
    assert.equal(res.status, 200, `favicon on ${port}`);
  }
  await page.close();
});

test('a stale pipeline is shown apart and an operator cancels it', async () => {
  const { startO2hub, launchBrowser } = await import('./harness.mjs');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = (await import('node:path')).default;
  const dir = mkdtempSync(path.join(tmpdir(), 'o2hub-stale-'));
  writeFileSync(path.join(dir, 'c.yaml'), 'monitor:\n  stale_after_s: 1\n');
  const hub = await startO2hub(['-c', path.join(dir, 'c.yaml')]);
  const browser = await launchBrowser();
  try {
    const m = hub.ports.monitor;
    await fetch(`http://127.0.0.1:${m}/api/v1/pipeline/start?intent_id=left-ui&intent_text=forgotten`, { method: 'POST' });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${m}/#/pipelines/left-ui`);
    await page.waitForSelector('#conn[data-state="open"]');
    await page.waitForSelector('#pipelines li[data-id="left-ui"][data-status="stale"]', { timeout: 20000 });
    await page.waitForSelector('#m-stale:text("1")');
    await page.click('#cancel');
    await page.waitForSelector('#pipelines li[data-id="left-ui"][data-status="failed"]', { timeout: 5000 });
    assert.match(await page.textContent('#detail .facts'), /cancelled/);
  } finally {
    await browser.close();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
