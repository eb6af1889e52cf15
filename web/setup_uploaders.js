// Setup ▸ Uploaders: one form per protocol (config keys emoncms, influxdb, influxdb2,
// pvoutput, mqtt; firmware reference 7 and the uploader issue), each with its measurements
// list and a "test connection" button (POST /upload/test with the form's object).
import { el, notice } from './api.js';
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
  mqtt: { title: 'MQTT', fields: [['host', 'Broker host', 'text'], ['port', 'Port', 'number', '1883, TLS 8883'],
    ['user', 'User', 'text'], ['pwd', 'Password', 'secret'], ['tls', 'TLS', 'bool'], ['prefix', 'Topic prefix', 'text', 'iotawatt'],
    ['discovery', 'Home Assistant discovery', 'bool'], ['postInterval', 'Interval (s)', 'number'], ['stop', 'Stopped', 'bool']] },
};

function dateValue(unix) {
  if (!unix) return '';
  const d = new Date(Number(unix) * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function makeInput(kind, value) {
  switch (kind) {
    case 'secret': return el('input', { type: 'password', value: value ?? '', autocomplete: 'off' });
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
  // Local midnight of the chosen day, as the original's UI sets it.
  if (kind === 'date') return Math.floor(new Date(`${v}T00:00:00`).getTime() / 1000);
  if (kind === 'tags') {
    return v.split('\n').map((line) => line.split('=')).filter((kv) => kv[0].trim())
      .map(([k, ...rest]) => ({ key: k.trim(), value: rest.join('=').trim() }));
  }
  return v;
}

function protocolForm(ctx, key) {
  const spec = PROTOCOLS[key];
  const config = ctx.state.config;
  const existing = config[key] && typeof config[key] === 'object' ? config[key] : null;
  const current = existing || { type: key, outputs: [] };
  const general = el('div');
  const result = el('div', { class: 'test-result' });
  const inputs = {};
  const rows = [];
  for (const [name, label, kind, hint] of spec.fields) {
    const path = `${key}.${name}`;
    if (kind === 'bool') {
      inputs[name] = checkbox(path, label, current[name]);
      rows.push(inputs[name]);
    } else {
      inputs[name] = makeInput(kind, current[name]);
      rows.push(field(path, label, inputs[name], hint));
    }
  }
  const measurements = scriptList(config, `${key}.outputs`, Array.isArray(current.outputs) ? current.outputs : [], { addLabel: 'Add measurement' });
  const read = () => {
    const out = { ...current, type: key };
    for (const [name, , kind] of spec.fields) {
      const v = readInput(kind, inputs[name]);
      if (v === undefined) delete out[name]; else out[name] = v;
    }
    out.outputs = measurements.collect();
    out.revision = (Number(current.revision) || 0) + 1;
    return out;
  };
  const test = el('button', { type: 'button', class: 'secondary', dataset: { test: key } }, 'Test connection');
  test.addEventListener('click', async () => {
    test.disabled = true;
    result.replaceChildren(notice('info', 'Testing…'));
    try {
      const response = await fetch('/upload/test', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(read()), cache: 'no-store' });
      const text = await response.text();
      if (response.status === 404) result.replaceChildren(notice('warn', 'Test connection is not available on this daemon (no /upload/test).'));
      else if (response.status === 401 || response.status === 403) result.replaceChildren(notice('warn', 'Testing a connection needs the admin login.'));
      else {
        let answer = {};
        try { answer = JSON.parse(text); } catch { answer = { ok: false, message: text }; }
        const last = answer.last_point ? `; last point on the server: ${new Date(answer.last_point * 1000).toLocaleString()}` : '';
        result.replaceChildren(notice(answer.ok ? 'ok' : 'error', `${answer.ok ? 'Connected' : 'Failed'}: ${answer.message || ''}${last}`));
      }
    } catch (err) {
      result.replaceChildren(notice('error', `Test connection: ${err.message}`));
    } finally {
      test.disabled = false;
    }
  });
  const form = el('form', { class: 'card', id: `uploader-${key}` }, el('h2', {}, spec.title, existing ? '' : el('span', { class: 'badge' }, ' not configured')),
    general, el('div', { class: 'row' }, rows), el('h2', {}, 'Measurements'), measurements.element,
    el('div', { class: 'row' }, el('button', { type: 'submit' }, 'Save'), test,
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
