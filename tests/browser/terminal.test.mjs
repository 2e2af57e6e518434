// The bridge's page (8004 /): xterm.js on the shared tmux session. Typing in
// the terminal reaches the pane; a shortcut button sends a whole command.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useHubAndBrowser } from './harness.mjs';

// The pane runs `cat`: what is typed comes back twice (tty echo + cat).
const cfgDir = mkdtempSync(path.join(tmpdir(), 'o2hub-term-'));
const cfg = path.join(cfgDir, 'o2hub.yaml');
writeFileSync(cfg, 'services:\n  bridge:\n    command: ["cat", "-u"]\n');
const ctx = useHubAndBrowser({ before, after }, ['-c', cfg]);
after(() => rmSync(cfgDir, { recursive: true, force: true }));

const screen = (page) => page.evaluate(() => {
  const buf = window.o2term.buffer.active;
  const lines = [];
  for (let i = 0; i < buf.length; i += 1) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
  return lines.join('\n');
});

async function waitForText(page, text, times = 1, ms = 10000) {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    last = await screen(page);
    if (last.split(text).length - 1 >= times) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`"${text}" not on the screen ${times}x:\n${last}`);
}

test('typing in the terminal reaches the session and its output comes back', async () => {
  const page = await ctx.browser.newPage();
  const hosts = new Set();
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.bridge}/`);
  await page.waitForSelector('#conn[data-state="open"]', { timeout: 10000 });
  await page.waitForSelector('.shortcuts button:not([disabled])', { timeout: 10000 });
  await page.click('#terminal');
  await page.keyboard.type('typed-in-browser-42');
  await page.keyboard.press('Enter');
  await waitForText(page, 'typed-in-browser-42', 2);
  // A shortcut sends a whole command; its line comes back the same way.
  await page.click('button[data-command="status"]');
  await waitForText(page, 'status', 2);
  await page.waitForFunction((port) => document.getElementById('link-monitor').href
    === `http://127.0.0.1:${port}/`, ctx.hub.ports.monitor, { timeout: 5000 });
  assert.deepEqual(errors, []);
  assert.deepEqual([...hosts], [`127.0.0.1:${ctx.hub.ports.bridge}`]);
  // A second viewer (late joiner) sees the same screen.
  const late = await ctx.browser.newPage();
  await late.goto(`http://127.0.0.1:${ctx.hub.ports.bridge}/`);
  await late.waitForSelector('#conn[data-state="open"]', { timeout: 10000 });
  await waitForText(late, 'typed-in-browser-42', 2);
  await late.close();
  await page.close();
});

// Issue 14: an operator's browser sends its size on connect; the shared
// session takes it.
test('the operator\'s terminal size reaches the session on connect', async () => {
  const { spawnSync } = await import('node:child_process');
  const page = await ctx.browser.newPage({ viewport: { width: 700, height: 500 } });
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.bridge}/`);
  await page.waitForSelector('.shortcuts button:not([disabled])', { timeout: 10000 });
  const cols = await page.evaluate(() => window.o2term.cols);
  const socket = `o2hub-browser-${process.pid}-${ctx.hub.ports.bridge}`;
  let width = '';
  for (let i = 0; i < 50 && width !== String(cols); i += 1) {
    width = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '-t', 'claude-intent',
      '#{window_width}']).stdout.toString().trim();
    if (width !== String(cols)) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(width, String(cols));
  await page.close();
});

// Issue 14: the strip follows the pipeline the console follows (the console
// says so in the terminal's title, as `o2hub console` does), links its
// dashboard detail; links in the output open (loopback rewritten to the
// page's host); every viewer sees who watches.
test('stage strip, clickable links and presence', async () => {
  const page = await ctx.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${ctx.hub.ports.bridge}/`);
  await page.waitForSelector('.shortcuts button:not([disabled])', { timeout: 10000 });
  await page.waitForSelector('#presence[data-watching="1"]', { timeout: 5000 });
  assert.equal(await page.textContent('#presence'), '1 watching (1 operator)');
  const other = await ctx.browser.newPage();
  await other.goto(`http://127.0.0.1:${ctx.hub.ports.bridge}/`);
  await page.waitForSelector('#presence[data-watching="2"]', { timeout: 5000 });
  await other.close();
  await page.waitForSelector('#presence[data-watching="1"]', { timeout: 5000 });
  // What the console writes while it follows a pipeline (cat echoes it).
  const say = (data) => page.evaluate((d) => new Promise((resolve) => {
    const url = new URL('/ws', location.href);
    url.protocol = 'ws:';
    const ws = new WebSocket(url);
    ws.onopen = () => { ws.send(JSON.stringify({ type: 'input', data: d })); setTimeout(() => { ws.close(); resolve(); }, 200); };
  }), data);
  // A line that merely mentions a stage does not light the strip.
  await say('deployment completed successfully\r');
  await waitForText(page, 'deployment completed successfully', 2);
  assert.equal(await page.$$eval('#stages li[data-event]', (l) => l.filter((x) => x.dataset.state).length), 0);
  await say('\x1b]2;o2hub pipeline intent-strip-1 krm_generated\x07\r');
  await page.waitForSelector('#stages li[data-event="deployment"][data-state="active"]', { timeout: 5000 });
  assert.equal(await page.getAttribute('#stages li[data-event="intent"]', 'data-state'), 'done');
  assert.equal(await page.getAttribute('#stages li[data-event="result"]', 'data-state'), '');
  assert.equal(await page.textContent('#stage-pipeline'), 'intent-strip-1');
  assert.equal(await page.getAttribute('#stage-pipeline', 'href'),
    `http://127.0.0.1:${ctx.hub.ports.monitor}/#/pipelines/intent-strip-1`);
  await say('\x1b]2;o2hub pipeline intent-strip-1 failed\x07\r');
  await page.waitForSelector('#stages li[data-event="result"][data-state="bad"]', { timeout: 5000 });
  // A link in the output opens on click (the page's window.open is watched).
  await page.evaluate(() => { window.opened = []; window.open = (u) => { window.opened.push(u); }; });
  const target = `http://localhost:${ctx.hub.ports.monitor}/#/pipelines/intent-link-7`;
  await say(`${target}\r`);
  await waitForText(page, target, 2);
  const pos = await page.evaluate((t) => {
    const term = window.o2term;
    const buf = term.buffer.active;
    for (let y = buf.length - 1; y >= 0; y -= 1) {
      const x = (buf.getLine(y)?.translateToString(true) ?? '').indexOf(t);
      if (x >= 0) {
        const box = term.element.querySelector('.xterm-screen').getBoundingClientRect();
        const w = box.width / term.cols;
        const h = box.height / term.rows;
        return { x: box.left + (x + 5) * w, y: box.top + (y - buf.viewportY + 0.5) * h };
      }
    }
    return null;
  }, target);
  assert.ok(pos, 'link on screen');
  await page.mouse.move(pos.x, pos.y);
  await page.waitForTimeout(300);
  await page.mouse.click(pos.x, pos.y);
  await page.waitForFunction(() => window.opened.length > 0, null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => window.opened[0]), target); // loopback page: kept
  assert.deepEqual(errors, []);
  await page.close();
});
