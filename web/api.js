// The small helpers every page shares: HTTP calls with errors as values a page can show, the
// config round trip with its conflict check, DOM building and number formatting.
import { shiftedDate } from './devicetime.js';

export class HttpError extends Error {
  constructor(status, body, url) {
    super(`${url}: HTTP ${status}${body ? ': ' + body.slice(0, 300) : ''}`);
    this.status = status;
    this.body = body;
    this.url = url;
  }
  // 403 from the daemon's cross-site guard (its body says why), not from the login: e.g. a
  // proxy that changes the Host header, so the page's Origin no longer matches.
  get guarded() { return this.status === 403 && /^[A-Z]+ '.*' refused: /.test(this.body || ''); }
  // 401/403: the login lacks the level this request needs (the browser asked for it already).
  get refused() { return (this.status === 401 || this.status === 403) && !this.guarded; }
  // 404 of an API route: the daemon does not have this feature (yet).
  get missing() { return this.status === 404; }
}

// Every write (any method but GET and HEAD) carries X-Requested-With: the daemon refuses a
// write that a page on another site could send without a CORS preflight, and this header needs
// one (src/server/request_guard.h; README, HTTP API).
function withWriteHeader(options) {
  const method = (options.method || 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return options;
  return { ...options, headers: { 'X-Requested-With': 'iotawatt-web', ...(options.headers || {}) } };
}

// fetch() as the app makes every call: never cached, writes with the header above. The
// response as is, whatever its status.
export function send(url, options = {}) {
  return fetch(url, { cache: 'no-store', ...withWriteHeader(options) });
}

export async function request(url, options = {}) {
  const response = await send(url, options);
  if (!response.ok) throw new HttpError(response.status, await response.text(), url);
  return response;
}

export async function getJSON(url) {
  return (await request(url)).json();
}

export async function postJSON(url, body) {
  const response = await request(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return response.json();
}

// What to tell the user about a failed call: the reason in words, not a stack.
export function explain(err, what) {
  if (!(err instanceof HttpError)) return `${what}: ${err.message}`;
  if (err.guarded) return `${what} was refused: ${err.body.trim()}`;
  if (err.refused) return `${what} needs the admin login (the daemon answered ${err.status}); log in as admin to change things.`;
  if (err.missing) return `${what} is not available on this daemon (404).`;
  return `${what} failed: HTTP ${err.status} ${err.body}`;
}

// ---- config round trip ----------------------------------------------------------------

export class ConfigConflict extends Error {}
// 409 with X-Config-Confirm: the config would stop measuring (no inputs left) or switch the
// sample source; the message says what it would do, `confirm` what to send to do it anyway.
export class ConfigNeedsConfirmation extends Error {
  constructor(confirm, text) {
    super(text.replace(/^config not applied[^\n]*\n/, ''));
    this.confirm = confirm;
  }
}
export class ConfigInvalid extends Error {
  constructor(problems, text) {
    super(text);
    this.problems = problems;
  }
}

// The daemon keeps the text it was given; the original's files may carry comments.
function parseConfigText(text) {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''));
  }
}

// GET /config: the config and the X-configSHA256 hash it must be saved against.
export async function loadConfig() {
  const response = await request('/config');
  return { config: parseConfigText(await response.text()), sha: response.headers.get('X-configSHA256') };
}

// The 400 body of POST /config lists problems as `key.path: problem` lines after a heading.
export function parseProblems(text) {
  const problems = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_][\w]*)*): (.+)$/.exec(line.trim());
    if (m) problems.push({ path: m[1], message: m[2] });
    else if (line.trim() && !/^config not applied/.test(line)) problems.push({ path: '', message: line.trim() });
  }
  return problems;
}

// POST /config with the hash it was based on, and `confirm` ("inputs", "source") once the
// user has agreed to what the daemon said the config would do. Returns the new hash; throws
// ConfigNeedsConfirmation or ConfigConflict on 409 and ConfigInvalid (with the problems) on 400.
export async function saveConfig(config, sha, confirm = '') {
  const headers = { 'Content-Type': 'application/json' };
  if (sha) headers['X-configSHA256'] = sha;
  const url = confirm ? `/config?confirm=${encodeURIComponent(confirm)}` : '/config';
  const response = await send(url, { method: 'POST', headers, body: JSON.stringify(config, null, 2) });
  const text = await response.text();
  const needed = response.headers.get('X-Config-Confirm');
  if (response.status === 409 && needed) throw new ConfigNeedsConfirmation(needed, text);
  if (response.status === 409) throw new ConfigConflict(text);
  if (response.status === 400) throw new ConfigInvalid(parseProblems(text), text);
  if (!response.ok) throw new HttpError(response.status, text, '/config');
  return response.headers.get('X-configSHA256');
}

// ---- DOM -----------------------------------------------------------------------------

// el('div', {class: 'x', onclick: f, style: 'height: 5px'}, 'text', child...)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    // Through the CSSOM: the Content-Security-Policy refuses style attributes.
    else if (key === 'style') node.style.cssText = value;
    else if (key === 'value') node.value = value;
    else if (key === 'checked') node.checked = !!value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function notice(kind, text) {
  return el('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

// A number with `decimals` places, or an en dash when there is none.
export function fmt(value, decimals = 1) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '–';
  return Number(value).toFixed(decimals);
}

// `unix` as a short date and time; on the monitor's clock when `zone` (devicetime.js) is given.
export function fmtDate(unix, zone) {
  if (!unix) return '–';
  const d = zone ? shiftedDate(zone, unix) : new Date(unix * 1000);
  return d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

export function fmtBytes(bytes) {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

export function fmtDuration(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
  return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min ${Math.floor(seconds % 60)} s`;
}

// Runs `tick` now and every `ms` until the returned stop() is called; a tick never overlaps
// the previous one (a slow daemon gets fewer requests, not a pile of them).
export function every(ms, tick) {
  let stopped = false, timer = null;
  const run = async () => {
    if (stopped) return;
    const started = performance.now();
    try { await tick(); } catch (err) { console.error(err); }
    if (!stopped) timer = setTimeout(run, Math.max(0, ms - (performance.now() - started)));
  };
  run();
  return () => { stopped = true; clearTimeout(timer); };
}
