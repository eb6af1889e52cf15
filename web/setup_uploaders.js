// Setup ▸ Uploaders: one form per protocol (config keys emoncms, influxdb, influxdb2,
// pvoutput, mqtt, webhook; firmware reference 7 and the uploader issue), each with its measurements
// list and a "test connection" button (POST /upload/test with the form's object).
import { el, notice, send } from './api.js';
import { checkbox, field, numberInput, textInput } from './form.js';
import { scriptList } from './setup_scripts.js';

// [key, label, kind, hint]; kind: text, secret, number, bool, date, tags.
const COMMON_TAIL = [['postInterval', 'Interval (s)', 'number', 'multiple of 5'], ['bulksend', 'Intervals per request', 'number', '1–10'],
  ['begdate', 'Upload history from', 'date'], ['stop', 'Stopped', 'bool']];
export const PROTOCOLS = {
  emoncms: { title: 'Emoncms', fields: [['url', 'Server URL', 'text', 'http://emoncms.org'], ['node', 'Node', 'text'],
    ['apikey', 'Write API key', 'secret', '32 hex digits'], ['userid', 'User id (encrypted mode)', 'text'], ...COMMON_TAIL] },
  influxdb: { title: 'InfluxDB 1.x', fields: [['url', 'Server URL', 'text', 'http://host:8086'], ['database', 'Database', 'text'],
    ['retp', 'Retention policy', 'text'], ['user', 'User', 'text'], ['pwd', 'Password', 'secret'],
    ['measurement', 'Measurement', 'text', 'default $name'], ['fieldkey', 'Field key', 'text', 'default value'],
    ['tagset', 'Tags', 'tags', 'key=value, one per line'], ...COMMON_TAIL] },
  influxdb2: { title: 'InfluxDB 2.x', fields: [['url', 'Server URL', 'text'], ['bucket', 'Bucket', 'text'],
    ['orgid', 'Organisation id', 'text', '16 characters'], ['authtoken', 'Token', 'secret'],
    ['measurement', 'Measurement', 'text'], ['fieldkey', 'Field key', 'text'], ['tagset', 'Tags', 'tags', 'key=value, one per line'], ...COMMON_TAIL] },
  pvoutput: { title: 'PVOutput', fields: [['apikey', 'API key', 'secret', '40 hex digits'], ['systemid', 'System id', 'text'],
    ['begdate', 'Upload history from', 'date'], ['reload', 'Reload history', 'bool'], ['stop', 'Stopped', 'bool']] },
  // The daemon's own "mqtt" section (src/config/mqtt_config.h): no type, revision or
  // measurement scripts; inputs and outputs are lists of names.
  mqtt: { title: 'MQTT', plain: true, fields: [['enabled', 'Enabled', 'bool', '', true], ['host', 'Broker host', 'text', 'required'],
    ['port', 'Port', 'number', '1883, TLS 8883'], ['username', 'User name', 'text', 'empty: anonymous'], ['password', 'Password', 'secret'],
    ['tls', 'TLS', 'tls'], ['client_id', 'Client id', 'text', 'default iotawatt-<device name>'],
    ['base_topic', 'Base topic', 'text', 'default iotawatt/<device name>'], ['discovery', 'Home Assistant discovery', 'bool', '', true],
    ['discovery_prefix', 'Discovery prefix', 'text', 'default homeassistant'], ['node_id', 'Node id', 'text', 'default iotawatt_<device name>'],
    ['live_interval', 'Live values every (s)', 'number', '1–3600, default 5'], ['inputs', 'Inputs published', 'names', 'names, comma separated; empty: all'],
    ['outputs', 'Outputs published', 'names', 'names, comma separated; empty: all'], ['qos', 'QoS', 'number', '0–2, default 1'],
    ['retain', 'Retain live values', 'bool'], ['events', 'Appliance switch events', 'bool', '', true], ['keepalive', 'Keepalive (s)', 'number', '5–3600, default 30'],
    ['reconnect_max', 'Longest reconnect wait (s)', 'number', '1–3600, default 60']] },
  // The daemon's "webhook" section (src/config/webhook_config.h): appliance events POSTed to a
  // URL. It has no last point to ask for, so no "test connection".
  webhook: { title: 'Webhook', plain: true, noTest: true, fields: [['enabled', 'Enabled', 'bool', '', true],
    ['url', 'URL', 'text', 'required: http(s)://host/path'], ['secret', 'Signing secret', 'secret', 'optional: signs each request'],
    ['ca_file', 'CA file', 'text', 'optional: PEM of a private CA'], ['timeout_s', 'Timeout (s)', 'number', '1–60, default 10']] },
};

function dateValue(unix) {
  if (!unix) return '';
  const d = new Date(Number(unix) * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// A stored secret is never put back into the page: the field stays empty and an empty field
// keeps what is stored (readInput gives undefined, read() keeps the stored value).
function secretInput(stored) {
  return el('input', { type: 'password', value: '', autocomplete: 'new-password', placeholder: stored ? 'stored; type to replace' : '' });
}

function makeInput(kind, value) {
  switch (kind) {
    case 'secret': return secretInput(!!value);
    case 'names': return textInput(Array.isArray(value) ? value.join(', ') : '');
    case 'number': return numberInput(value);
    case 'date': return el('input', { type: 'date', value: dateValue(value) });
    case 'tags': return el('textarea', { rows: 3 }, (value || []).map((t) => `${t.key}=${t.value}`).join('\n'));
    default: return textInput(value);
  }
}

function readInput(kind, node) {
  if (kind === 'bool') return node.querySelector('input').checked;
  const v = node.value.trim();
  if (v === '') return undefined;
  if (kind === 'number') return Number(v);
  if (kind === 'names') return v.split(',').map((n) => n.trim()).filter(Boolean);
  // Local midnight of the chosen day, as the original's UI sets it.
  if (kind === 'date') return Math.floor(new Date(`${v}T00:00:00`).getTime() / 1000);
  if (kind === 'tags') {
    return v.split('\n').map((line) => line.split('=')).filter((kv) => kv[0].trim())
      .map(([k, ...rest]) => ({ key: k.trim(), value: rest.join('=').trim() }));
  }
  return v;
}

// "tls" is a checkbox; an object form ({"enabled", "ca_file", ...}) written by hand keeps its files.
function tlsValue(stored, on) {
  return stored && typeof stored === 'object' ? { ...stored, enabled: on } : on;
}

// One labelled input per spec field, each carrying its config path for the daemon's problems.
function fieldInputs(key, spec, current) {
  const inputs = {};
  const rows = [];
  for (const [name, label, kind, hint, byDefault] of spec.fields) {
    const path = `${key}.${name}`;
    if (kind === 'bool' || kind === 'tls') {
      const on = kind === 'tls' && typeof current[name] === 'object' ? current[name].enabled !== false : current[name];
      inputs[name] = checkbox(path, label, on ?? byDefault);
      rows.push(inputs[name]);
    } else {
      inputs[name] = makeInput(kind, current[name]);
      rows.push(field(path, label, inputs[name], hint));
    }
  }
  return { inputs, rows };
}

// The section as the daemon will read it: the stored object with the form's fields over it.
function readSection(key, spec, current, inputs, measurements) {
  const out = spec.plain ? { ...current } : { ...current, type: key };
  for (const [name, , kind] of spec.fields) {
    const v = readInput(kind === 'tls' ? 'bool' : kind, inputs[name]);
    if (kind === 'tls') out[name] = tlsValue(current[name], v);
    else if (v !== undefined) out[name] = v;
    else if (kind !== 'secret') delete out[name];
  }
  if (measurements) {
    out.outputs = measurements.collect();
    out.revision = (Number(current.revision) || 0) + 1;
  }
  return out;
}

function testAnswer(response, text) {
  if (response.status === 404) return notice('warn', 'Test connection is not available on this daemon (no /upload/test).');
  if (response.status === 401 || response.status === 403) return notice('warn', 'Testing a connection needs the admin login.');
  let answer = {};
  try { answer = JSON.parse(text); } catch { answer = { ok: false, message: text }; }
  const last = answer.last_point ? `; last point on the server: ${new Date(answer.last_point * 1000).toLocaleString()}` : '';
  return notice(answer.ok ? 'ok' : 'error', `${answer.ok ? 'Connected' : 'Failed'}: ${answer.message || ''}${last}`);
}

// "Test connection": POST /upload/test with the form's uploader object, whatever its type.
function testButton(key, read, result) {
  const test = el('button', { type: 'button', class: 'secondary', dataset: { test: key } }, 'Test connection');
  test.addEventListener('click', async () => {
    test.disabled = true;
    result.replaceChildren(notice('info', 'Testing…'));
    try {
      const body = JSON.stringify({ type: key, ...read() });
      const response = await send('/upload/test', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      result.replaceChildren(testAnswer(response, await response.text()));
    } catch (err) {
      result.replaceChildren(notice('error', `Test connection: ${err.message}`));
    } finally {
      test.disabled = false;
    }
  });
  return test;
}

function protocolForm(ctx, key) {
  const spec = PROTOCOLS[key];
  const config = ctx.state.config;
  const existing = config[key] && typeof config[key] === 'object' ? config[key] : null;
  const current = existing || (spec.plain ? {} : { type: key, outputs: [] });
  const general = el('div');
  const result = el('div', { class: 'test-result' });
  const { inputs, rows } = fieldInputs(key, spec, current);
  const measurements = spec.plain ? null
    : scriptList(config, `${key}.outputs`, Array.isArray(current.outputs) ? current.outputs : [], { addLabel: 'Add measurement' });
  const read = () => readSection(key, spec, current, inputs, measurements);
  const form = el('form', { class: 'card', id: `uploader-${key}` }, el('h2', {}, spec.title, existing ? '' : el('span', { class: 'badge' }, ' not configured')),
    general, el('div', { class: 'row' }, rows), measurements ? [el('h2', {}, 'Measurements'), measurements.element] : null,
    el('div', { class: 'row' }, el('button', { type: 'submit' }, 'Save'), spec.noTest ? null : testButton(key, read, result),
      existing ? el('button', { type: 'button', class: 'danger', onclick: () => {
        if (confirm(`Remove the ${spec.title} uploader?`)) ctx.save((next) => { delete next[key]; }, form, general, `${spec.title} removed.`);
      } }, 'Remove') : null), result);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = read();
    ctx.save((next) => { next[key] = value; }, form, general, `${spec.title} saved.`);
  });
  return form;
}

export function render(ctx, root) {
  const bar = el('div', { class: 'tabs' });
  const slot = el('div');
  const open = (key) => {
    bar.querySelectorAll('button').forEach((b) => b.classList.toggle('active', b.dataset.protocol === key));
    slot.replaceChildren(protocolForm(ctx, key));
  };
  for (const [key, spec] of Object.entries(PROTOCOLS)) {
    const on = ctx.state.config[key] ? ' ✓' : '';
    bar.append(el('button', { type: 'button', dataset: { protocol: key }, onclick: () => open(key) }, spec.title + on));
  }
  root.append(bar, slot);
  open(Object.keys(PROTOCOLS).find((k) => ctx.state.config[k]) || 'emoncms');
}
