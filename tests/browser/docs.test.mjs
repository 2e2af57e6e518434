// The intent service's /docs: Swagger UI from the vendored swagger-ui-dist
// renders the OpenAPI document offline, and "Try it out" reaches the API.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { useHubAndBrowser } from './harness.mjs';

const ctx = useHubAndBrowser({ before, after });

test('Swagger UI renders every route from local assets only', async () => {
  const page = await ctx.browser.newPage();
  const hosts = new Set();
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.intent}/docs`);
  await page.waitForSelector('.opblock-summary-path', { timeout: 15000 });
  const title = await page.textContent('.title');
  assert.match(title, /o2hub intent service/);
  const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.textContent.trim()));
  for (const p of ['/api/v1/intent', '/api/v1/intent/batch', '/health', '/metrics',
    '/tmf-api/intentManagement/v5/intent', '/tmf-api/intentManagement/v5/hub']) {
    assert.ok(paths.includes(p), `${p} listed in ${paths}`);
  }
  // Placeholders in the description stay text; phones get a viewport.
  assert.match(await page.textContent('.info .description'), /ws:\/\/HOST:8002\/ws/);
  assert.equal(await page.$$eval('meta[name="viewport"]', (m) => m.length), 1);
  assert.deepEqual([...hosts], [`127.0.0.1:${ctx.hub.ports.intent}`]);
  await page.close();
});

test('the page can call the API it documents', async () => {
  const page = await ctx.browser.newPage();
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.intent}/docs`);
  const body = await page.evaluate(async () => {
    const res = await fetch('/api/v1/intent', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'Deploy URLLC with 1ms latency on edge02' }),
    });
    return res.json();
  });
  assert.equal(body.status, 'success');
  assert.equal(body.intent.intentType, 'URLLC');
  assert.deepEqual(body.intent.targetSites, ['edge2']);
  await page.close();
});

// Issue 14: the monitor's API has its own /docs on its port.
test('the monitor documents its own API', async () => {
  const page = await ctx.browser.newPage();
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.monitor}/docs`);
  await page.waitForSelector('.opblock-summary-path', { timeout: 15000 });
  assert.match(await page.textContent('.title'), /o2hub realtime monitor/);
  const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.textContent.trim()));
  for (const p of ['/api/v1/pipeline/start', '/api/v1/pipeline/update', '/api/v1/edge/update',
    '/api/v1/pipelines/{id}/cancel', '/api/v1/edges']) {
    assert.ok(paths.includes(p), `${p} listed in ${paths}`);
  }
  await page.close();
});
