// The landing page at 8003 / renders the three services with working links.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { useHubAndBrowser } from './harness.mjs';

const ctx = useHubAndBrowser({ before, after });

test('landing page (/home) lists the three services with links to their ports', async () => {
  const page = await ctx.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.monitor}/home`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
  assert.equal(await page.textContent('h1'), 'o2hub');
  const cards = await page.$$eval('.card', (els) => els.map((el) => ({
    service: el.dataset.service,
    href: el.querySelector('a').href,
    status: el.querySelector('.status').textContent,
  })));
  assert.deepEqual(cards.map((c) => c.service), ['intent', 'monitor', 'bridge']);
  assert.equal(cards[0].href, `http://127.0.0.1:${ctx.hub.ports.intent}/docs`);
  assert.equal(cards[2].href, `http://127.0.0.1:${ctx.hub.ports.bridge}/`);
  // Each card says what that service's own /health says.
  for (const c of cards) {
    const h = await (await fetch(`http://127.0.0.1:${ctx.hub.ports[c.service]}/health`)).json();
    assert.equal(c.status, h.status, c.service);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('static assets come from o2hub itself (no CDN)', async () => {
  const page = await ctx.browser.newPage();
  const hosts = new Set();
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.monitor}/home`);
  await page.waitForSelector('body[data-ready="true"]');
  const own = new Set(Object.values(ctx.hub.ports).map((p) => `127.0.0.1:${p}`));
  for (const h of hosts) assert.ok(own.has(h), `request to ${h}`);
  // The other services' health comes from themselves.
  assert.ok(hosts.has(`127.0.0.1:${ctx.hub.ports.intent}`));
  await page.close();
});
