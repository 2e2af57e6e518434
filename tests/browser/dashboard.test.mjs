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
  await page.waitForFunction((id) => document.getElementById('sel-id').textContent === id, evil);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0);
  await page.close();
});
