// Issue 13: TMF921 v5 conformance. Every request body the test sends and
// o2hub accepts, every response body o2hub answers and every event it POSTs
// to a hub subscriber is validated against the spec's schemas
// (tests/specs/tmf921-v5.0.0-openapi.yaml, with ajv). The outer resources
// are validated strictly; `expressionValue` is treated as JSON-LD (an
// object), since the spec's own JSON-LD schema rejects TMF's example.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary, freePorts, sourceDir, startO2hub } from './harness.mjs';

const require = createRequire(path.join(sourceDir, 'webui', 'package.json'));
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const yaml = require('js-yaml');

const api = '/tmf-api/intentManagement/v5';
const spec = yaml.load(readFileSync(path.join(sourceDir, 'tests/specs/tmf921-v5.0.0-openapi.yaml'), 'utf8'));
for (const name of ['JsonLdExpressionValue', 'JsonLdExpressionValue_FVO', 'JsonLdExpressionValue_MVO']) {
  spec.components.schemas[name] = { type: 'object', description: 'JSON-LD (see tests/specs/README.md)' };
}
/// OpenAPI's discriminator picks one of a oneOf by `@type` (an IntentRef is
/// also a valid Intent, so a plain oneOf fails): as if/then per mapping.
function applyDiscriminators(node) {
  if (Array.isArray(node)) { node.forEach(applyDiscriminators); return; }
  if (!node || typeof node !== 'object') return;
  if (node.oneOf && node.discriminator?.mapping) {
    const prop = node.discriminator.propertyName;
    const { mapping } = node.discriminator;
    node.allOf = [...(node.allOf ?? []),
      { properties: { [prop]: { enum: Object.keys(mapping) } }, required: [prop] },
      ...Object.entries(mapping).map(([value, ref]) => ({
        if: { properties: { [prop]: { const: value } } }, then: { $ref: ref } }))];
    delete node.oneOf;
  }
  Object.values(node).forEach(applyDiscriminators);
}
applyDiscriminators(spec.components);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('base64', /^[A-Za-z0-9+\/]*={0,2}$/);
ajv.addSchema({ $id: 'tmf921', components: spec.components });

/// Validates `body` against the schema `name`; `@type` as the spec's
/// discriminator says (ajv does not read OpenAPI discriminators).
function conforms(name, body, type = name) {
  const validate = ajv.getSchema(`tmf921#/components/schemas/${name}`);
  assert.ok(validate, `no schema ${name}`);
  const ok = validate(body);
  assert.ok(ok, `${name}: ${JSON.stringify(validate.errors, null, 1)}\n${JSON.stringify(body)}`);
  if (type) assert.equal(body['@type'], type, `${name} @type`);
  if (body.expression?.expressionValue !== undefined) {
    assert.equal(typeof body.expression.expressionValue, 'object', 'expressionValue is JSON-LD');
  }
}

const events = [];
let listener;
let sim;
let hub;
let base;

async function waitHealthy(port) {
  for (let i = 0; i < 600; i += 1) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no /health on ${port}`);
}

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'o2hub-tmf-'));
  const p = await freePorts(10);
  let sites = 'edge_sites:\n';
  for (let i = 0; i < 3; i += 1) {
    sites += `  edge${i + 1}:\n    ip: 127.0.0.1\n    ports: {o2ims: ${p[i * 3]}, prometheus: ${p[i * 3 + 1]}, k8s_api: ${p[i * 3 + 2]}}\n    k8s_scheme: http\n`;
  }
  const cfg = path.join(dir, 'o2hub.yaml');
  writeFileSync(cfg, 'edge_sim: {provisioning_delay_ms: 200, sync_interval_ms: 100}\n'
    + 'pipeline: {poll_interval_ms: 100, deploy_timeout_s: 120}\ntmf: {poll_ms: 100}\n' + sites);
  sim = spawn(binary, ['edge-sim', '-c', cfg, '--data-dir', dir, '--control-port', String(p[9])],
    { stdio: 'ignore' });
  await waitHealthy(p[9]);
  listener = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { events.push(JSON.parse(body)); res.writeHead(201).end(); });
  });
  await new Promise((r) => listener.listen(0, '127.0.0.1', r));
  hub = await startO2hub(['-c', cfg], {}, dir);
  base = `http://127.0.0.1:${hub.ports.intent}${api}`;
});

after(async () => {
  listener?.closeAllConnections();
  listener?.close();
  // The simulator goes first: it shares the data directory that the hub's
  // stop removes, and its config sync re-created a clone there while the
  // directory was being removed (ENOTEMPTY; once the run waited 300 s).
  // SIGTERM, then SIGKILL after 10 s, said.
  if (sim && sim.exitCode === null && sim.signalCode === null) {
    const gone = new Promise((resolve) => sim.once('exit', resolve));
    sim.kill('SIGTERM');
    const timer = setTimeout(() => {
      console.error('edge-sim still running 10 s after SIGTERM; killed');
      sim.kill('SIGKILL');
    }, 10000);
    await gone;
    clearTimeout(timer);
  }
  const code = await hub?.stop();
  assert.equal(code, 0, `o2hub exits 0; its output:\n${hub?.output().slice(-8000)}`);
});

async function call(method, route, body, type = 'application/json') {
  const res = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': type },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function waitFor(check, what, ms = 60000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('requests, responses and events conform to TMF921 v5', async () => {
  const hubBody = { '@type': 'Hub', callback: `http://127.0.0.1:${listener.address().port}/listener` };
  conforms('Hub_FVO', hubBody, 'Hub');
  const sub = await call('POST', '/hub', hubBody);
  assert.equal(sub.status, 201);
  conforms('Hub', sub.body);

  const create = JSON.parse(readFileSync(path.join(sourceDir, 'tests/fixtures/tmf921-v5-intent-example.json'), 'utf8'));
  conforms('Intent_FVO', create, 'Intent');
  const created = await call('POST', '/intent', create);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  conforms('Intent', created.body);
  const { id } = created.body;

  const active = await waitFor(async () => {
    const r = await call('GET', `/intent/${id}`);
    return r.body.lifecycleStatus === 'active' && r;
  }, 'active');
  conforms('Intent', active.body);

  const patch = { '@type': 'Intent', description: 'more bandwidth', characteristic: [
    { '@type': 'StringCharacteristic', name: 'sliceType', value: 'eMBB', valueType: 'string' },
    { '@type': 'StringCharacteristic', name: 'targetSite', value: 'edge01', valueType: 'string' },
    { '@type': 'NumberCharacteristic', name: 'minDownlinkThroughputMbps', value: 250, valueType: 'number' },
    { '@type': 'NumberCharacteristic', name: 'maxLatencyMs', value: 10, valueType: 'number' }] };
  conforms('Intent_MVO', patch, 'Intent');
  const patched = await call('PATCH', `/intent/${id}`, patch, 'application/merge-patch+json');
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  conforms('Intent', patched.body);
  await waitFor(async () => (await call('GET', `/intent/${id}/intentReport`)).body.length >= 2, 'two reports');

  const list = await call('GET', '/intent?limit=5');
  assert.equal(list.status, 200);
  assert.equal(list.headers.get('x-result-count'), String(list.body.length));
  assert.ok(Number(list.headers.get('x-total-count')) >= list.body.length);
  list.body.forEach((i) => conforms('Intent', i));

  const reports = await call('GET', `/intent/${id}/intentReport`);
  reports.body.forEach((r) => conforms('IntentReport', r));
  const one = await call('GET', `/intent/${id}/intentReport/${reports.body[0].id}`);
  conforms('IntentReport', one.body);

  const deleted = await call('DELETE', `/intent/${id}`);
  assert.equal(deleted.status, 202);
  conforms('Intent', deleted.body);
  await waitFor(async () => (await call('GET', `/intent/${id}`)).body.lifecycleStatus === 'removed', 'removed');

  for (const [status, res] of [
    [400, await call('POST', '/intent', { name: 'no type', expression: {} })],
    [404, await call('GET', '/intent/intent-0-none')],
    [415, await call('POST', '/intent', create, 'text/plain')],
    [422, await call('POST', '/intent', { '@type': 'Intent', name: 'x', description: 'hello there', expression: { '@type': 'JsonLdExpression', iri: 'urn:x', expressionValue: {} } })],
  ]) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    conforms('Error', res.body, 'Error');
    assert.equal(res.body.status, String(status));
  }

  await waitFor(() => events.some((e) => e['@type'] === 'IntentDeleteEvent'), 'IntentDeleteEvent', 20000);
  const kinds = new Set();
  for (const e of events) {
    kinds.add(e['@type']);
    conforms(e['@type'], e);
    if (e.event.intent) conforms('Intent', e.event.intent);
    if (e.event.intentReport) conforms('IntentReport', e.event.intentReport);
  }
  for (const k of ['IntentCreateEvent', 'IntentAttributeValueChangeEvent', 'IntentStatusChangeEvent',
    'IntentDeleteEvent', 'IntentReportCreateEvent']) {
    assert.ok(kinds.has(k), `an ${k} came`);
  }
  assert.equal((await call('DELETE', `/hub/${sub.body.id}`)).status, 204);
});
