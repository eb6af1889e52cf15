// What the browser tests share: the iotawatt daemon on the simulator with seeded history, on a
// free loopback port, and Debian's chromium through playwright-core (from web/node_modules). Environment: IOTAWATT_BINARY (the iotawatt program),
// IOTAWATT_SOURCE_DIR (the repository: its web/ is served).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SOURCE_DIR = resolve(process.env.IOTAWATT_SOURCE_DIR || new URL('../..', import.meta.url).pathname);
export const BINARY = process.env.IOTAWATT_BINARY || join(SOURCE_DIR, 'build/iotawatt');

const require = createRequire(join(SOURCE_DIR, 'web/package.json'));

export const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } };
export const ARTIFACTS = process.env.IOTAWATT_WEB_ARTIFACTS || join(SOURCE_DIR, 'build/web-artifacts');

// Headless, no sandbox (the tests run as root).
export function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'], headless: true });
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => ok(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The daemon's HTTP API as a client calls it (no Origin): writes send JSON, as the daemon's
// cross-site guard asks; an answer that is not 2xx throws with its text.
export function apiClient(base) {
  const api = async (path, init = {}) => {
    const write = init.method && init.method !== 'GET';
    const headers = write ? { 'Content-Type': 'application/json', ...(init.headers || {}) } : init.headers;
    const r = await fetch(base + path, { ...init, headers });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r;
  };
  const apiJSON = async (path) => (await api(path)).json();
  return { api, apiJSON };
}

// Calls `read` every 100 ms from before `during` starts until one read began after it ended,
// so that what a page showed during it lies within what the reads saw (the simulated loads
// move in between). Resolves to [what during gave, the reads].
export async function readingAround(read, during) {
  const reads = [];
  let reading = true, failed = null;
  const reader = (async () => {
    while (reading) { reads.push(await read()); await sleep(100); }
  })().catch((err) => { failed = err; });
  const next = async () => {
    const count = reads.length;
    while (reads.length === count && !failed) await sleep(20);
    if (failed) throw failed;
  };
  try {
    await next();
    const result = await during();
    await next();
    return [result, reads];
  } finally {
    reading = false;
    await reader;
  }
}

// Waits for `n` more live updates of an app page (its <main> data-updated changes each time).
export async function pageUpdates(page, n = 1, timeout = 10000) {
  for (let i = 0; i < n; i++) {
    const seen = await page.$eval('#page', (m) => m.dataset.updated);
    await page.waitForFunction((old) => document.getElementById('page').dataset.updated !== old, seen, { timeout });
  }
}

// days of seeded history; currentDays: of them with 5 s records (0: all).
export async function startDaemon({ days = 7, currentDays = 0, prefix = 'iotawatt-web-', https = false } = {}) {
  const data = mkdtempSync(join(tmpdir(), prefix));
  const seeded = spawnSync(BINARY, ['seed', '--days', String(days), '--current-days', String(currentDays), '--data', data], { encoding: 'utf8', timeout: 300000 });
  if (seeded.status !== 0) throw new Error(`iotawatt seed failed: ${seeded.stderr || seeded.error}`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // https: a second listener with the daemon's self-signed certificate, at `secureBase`.
  const securePort = https ? await freePort() : 0;
  const out = openSync(join(data, 'daemon.out'), 'w');
  const args = ['run', '--data', data, '--http', `127.0.0.1:${port}`, '--web', join(SOURCE_DIR, 'web')];
  if (https) args.push('--https', `127.0.0.1:${securePort}`);
  const child = spawn(BINARY, args, { stdio: ['ignore', out, out] });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const deadline = Date.now() + 30000;
  for (;;) {
    if (exited !== null) throw new Error(`the daemon exited (${exited}): ${readFileSync(join(data, 'daemon.out'), 'utf8')}`);
    try {
      const r = await fetch(`${base}/status?inputs`);
      if (r.ok && (await r.json()).inputs.length) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error('the daemon did not answer within 30 s');
    await sleep(100);
  }
  return {
    base, data, port,
    secureBase: https ? `https://127.0.0.1:${securePort}` : '',
    log: () => readFileSync(join(data, 'daemon.out'), 'utf8'),
    async stop() {
      if (exited === null) {
        child.kill('SIGTERM');
        for (let i = 0; i < 150 && exited === null; i++) await sleep(100);
        if (exited === null) child.kill('SIGKILL');
      }
      rmSync(data, { recursive: true, force: true });
      return exited;
    },
  };
}

// A real Debian mosquitto on a free loopback port with a temp config (never the system
// service), anonymous clients allowed. Resolves once it accepts connections.
export async function startBroker() {
  const dir = mkdtempSync(join(tmpdir(), 'iotawatt-web-mqtt-'));
  const port = await freePort();
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\nuser root\n`);
  const out = openSync(join(dir, 'mosquitto.log'), 'w');
  const child = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', out, out] });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const deadline = Date.now() + 10000;
  while (!(await accepts(port))) {
    if (exited !== null || Date.now() > deadline) throw new Error(`mosquitto did not start: ${readFileSync(join(dir, 'mosquitto.log'), 'utf8')}`);
    await sleep(50);
  }
  return {
    port,
    async stop() {
      if (exited === null) child.kill('SIGTERM');
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port) {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => { socket.destroy(); ok(true); });
    socket.on('error', () => ok(false));
  });
}

// Debian's influxd (InfluxDB 1.x) with every listener on a free loopback port and its meta,
// data and WAL in a temp directory: never the system's service on 8086. Its config is the one
// tests/upload/influxd.py writes for the Python tests. `query` is influxd's own HTTP API
// (POST /query), answering epoch seconds.
export async function startInfluxd() {
  const dir = mkdtempSync(join(tmpdir(), 'iotawatt-web-influxd-'));
  const written = spawnSync('python3', ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); from influxd import Influxd; print(Influxd(sys.argv[2]).port)',
    join(SOURCE_DIR, 'tests/upload'), dir], { encoding: 'utf8', timeout: 30000 });
  if (written.status !== 0) throw new Error(`influxd config: ${written.stderr || written.error}`);
  const port = Number(written.stdout.trim());
  const out = openSync(join(dir, 'influxd.log'), 'w');
  const child = spawn('influxd', ['run', '-config', join(dir, 'influxdb.conf')], { stdio: ['ignore', out, out] });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    try { if ((await fetch(`${url}/ping`)).status === 204) break; } catch { /* not yet */ }
    if (exited !== null || Date.now() > deadline) throw new Error(`influxd did not start: ${readFileSync(join(dir, 'influxd.log'), 'utf8')}`);
    await sleep(100);
  }
  return {
    url,
    async query(q, db = '') {
      const r = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q, db, epoch: 's' }) });
      if (!r.ok) throw new Error(`influxd ${q}: ${r.status} ${await r.text()}`);
      return r.json();
    },
    async stop() {
      if (exited === null) child.kill('SIGTERM');
      for (let i = 0; i < 150 && exited === null; i++) await sleep(100);
      if (exited === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
