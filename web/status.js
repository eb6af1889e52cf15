// Status: every input and output with live values, once a second from one /status request;
// the daemon's health, datalogs, uploaders and the warnings a user should act on.
import { el, every, explain, fmt, fmtBytes, fmtDate, fmtDuration, getJSON, notice } from './api.js';
import { deviceZone, shiftedDate } from './devicetime.js';

const STATUS_URL = '/status?device&inputs&outputs&stats&datalogs&uploaders';

// Below this a voltage reference is taken as absent (a VT unplugged reads a few volts of noise).
const NO_VOLTAGE_VOLTS = 50;

export function warnings(status) {
  const out = [];
  for (const input of status.inputs || []) {
    if (input.reversed) out.push(`${input.name} (input ${input.channel}): the CT reads reversed power; turn it around or set "reverse".`);
    if ('Vrms' in input && input.Vrms < NO_VOLTAGE_VOLTS) out.push(`${input.name} (input ${input.channel}): no voltage (${fmt(input.Vrms)} V); check the VT.`);
    if (input.clipped > 0) {
      const sensor = 'Vrms' in input ? 'VT' : 'CT';
      out.push(`${input.name} (input ${input.channel}): ${input.clipped} samples at the ADC's limit in the last second; the ${sensor} is overdriven `
        + `(check its model, burden or rating) and reads low.`);
    }
  }
  const s = status.stats?.sampling;
  // The ADC could not be opened: the daemon serves and tries again; the message says what to do.
  if (s?.error) out.push(`Not measuring: ${s.error}. Trying again${s.retry_in_s > 0 ? ` in ${fmt(s.retry_in_s, 0)} s` : ''}.`);
  if (s?.dropped_cycles > 0) out.push(`Sampling dropped ${s.dropped_cycles} AC cycles since start.`);
  if (s?.lag_ms > 200) out.push(`The sampling thread is ${fmt(s.lag_ms, 0)} ms late.`);
  for (const log of status.datalogs || []) if (log.error) out.push(`${log.id} log: ${log.error}`);
  for (const u of list(status.uploaders)) if (u.last_error || u.error) out.push(`Uploader ${u.name || u.type}: ${u.last_error || u.error}`);
  return out;
}

// A section as an array: the original answers some as objects keyed by name.
function list(section) {
  if (Array.isArray(section)) return section;
  if (section && typeof section === 'object') return Object.entries(section).map(([name, v]) => ({ name, ...v }));
  return [];
}

function cell(field, value, text, cls = 'num') {
  return el('td', { class: cls, dataset: { field, value: value ?? '' } }, text);
}

// A CT's volts: its VA over its amps while current flows; with none, the voltage reference's
// (the VT's: with several, the first), not "–" for a circuit that is merely off.
export function ctVolts(input, vtVolts) {
  if (input.Amps > 0 && Number.isFinite(input.VA)) return input.VA / input.Amps;
  return vtVolts ?? null;
}

// The line frequency is the VT's: shown on its row, not repeated on every CT.
function inputRow(input, vtVolts) {
  if ('Vrms' in input) {
    return el('tr', { dataset: { channel: input.channel, kind: 'VT' } },
      el('td', {}, input.channel), el('td', { class: 'name' }, input.name),
      cell('watts', null, ''), cell('volts', input.Vrms, fmt(input.Vrms, 1)), cell('amps', null, ''),
      cell('pf', null, '', 'num hide-phone'), cell('hz', input.Hz, fmt(input.Hz, 2), 'num hide-phone'), el('td', {}, badges(input)));
  }
  const watts = Number(input.Watts);
  const volts = ctVolts(input, vtVolts);
  return el('tr', { dataset: { channel: input.channel, kind: 'CT' } },
    el('td', {}, input.channel), el('td', { class: 'name' }, input.name),
    cell('watts', watts, `${watts}`, watts < 0 ? 'num neg' : 'num'),
    cell('volts', volts, fmt(volts, 1)), cell('amps', input.Amps, fmt(input.Amps, 2)),
    cell('pf', input.Pf, fmt(input.Pf, 2), 'num hide-phone'), cell('hz', null, '', 'num hide-phone'),
    el('td', {}, badges(input)));
}

// The row's warnings in short; warnings() says what to do about them.
function badges(input) {
  return [input.reversed ? el('span', { class: 'badge warn', title: 'reversed' }, '↺ reversed') : null,
    input.clipped > 0 ? el('span', { class: 'badge warn clipping', title: `${input.clipped} samples at the ADC's limit in the last second` }, '⚠ clipping') : null];
}

function inputsCard(status) {
  const vtVolts = (status.inputs || []).find((i) => 'Vrms' in i)?.Vrms;
  return el('section', { class: 'card', id: 'inputs' }, el('h2', {}, 'Inputs'),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Name'), el('th', { class: 'num' }, 'Watts'),
        el('th', { class: 'num' }, 'Volts'), el('th', { class: 'num' }, 'Amps'), el('th', { class: 'num hide-phone' }, 'PF'),
        el('th', { class: 'num hide-phone' }, 'Hz'), el('th'))),
      el('tbody', {}, (status.inputs || []).map((i) => inputRow(i, vtVolts)))));
}

function outputsCard(status) {
  const outputs = list(status.outputs);
  return el('section', { class: 'card', id: 'outputs' }, el('h2', {}, 'Outputs'),
    outputs.length === 0 ? el('p', { class: 'muted' }, 'No outputs configured (Setup ▸ Outputs).')
      : el('table', {}, el('tbody', {}, outputs.map((o) => el('tr', { dataset: { output: o.name } },
        el('td', { class: 'name' }, o.name), cell('value', o.value, outputText(o)))))));
}

// Unit symbols and decimals of an output's value ("1234.5 W", "0.98 PF").
const UNIT_SHOWN = { watts: ['W', 1], volts: ['V', 1], amps: ['A', 2], va: ['VA', 1], var: ['VAR', 1], varh: ['VARh', 1],
  wh: ['Wh', 1], kwh: ['kWh', 3], pf: ['PF', 2], hz: ['Hz', 2] };
export function outputText(o) {
  const [symbol, decimals] = UNIT_SHOWN[String(o.units || 'watts').toLowerCase()] || [o.units || '', 2];
  return `${fmt(o.value, decimals)} ${symbol}`.trim();
}

function healthCard(status) {
  const st = status.stats || {};
  const s = st.sampling || {};
  const rows = [
    ['Version', st.version], ['Running', st.runseconds !== undefined ? fmtDuration(st.runseconds) : '–'],
    ['Sampling', `${s.mode || '–'} · ${s.source || ''}`],
    ['Conversions/s', s.conversions_per_second?.toLocaleString()],
    ['Samples per cycle', fmt(st.cyclerate, 0)],
    ['Cycles/s per channel', fmt(s.channel_cycles_per_second, 1)],
    ['Channel-cycles/s', fmt(st.chanrate, 0)],
    ['Frequency', `${fmt(st.frequency, 2)} Hz`],
    ['CPU (daemon / sampler)', `${fmt(s.cpu_percent, 1)} % / ${fmt(s.sampler_cpu_percent, 1)} %`],
    ['Sampling lag (now / peak)', `${fmt(s.lag_ms, 1)} / ${fmt(s.lag_peak_ms, 1)} ms`],
    ['Dropped cycles', s.dropped_cycles],
  ];
  return el('section', { class: 'card', id: 'health' }, el('h2', {}, 'Daemon'),
    el('dl', { class: 'kv' }, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '–')])));
}

function datalogCard(status) {
  const logs = status.datalogs || [];
  const zone = deviceZone(status);
  return el('section', { class: 'card', id: 'datalogs' }, el('h2', {}, 'Data logs'),
    el('table', {}, el('tbody', {}, logs.map((d) => el('tr', {},
      el('td', {}, d.id), el('td', { class: 'wrap' }, `${fmtDate(d.firstkey, zone)} – ${fmtDate(d.lastkey, zone)}`),
      el('td', { class: 'num hide-phone' }, `${d.interval} s`), el('td', { class: 'num' }, fmtBytes(d.size)))))));
}

// live and bulk (catching up) are working states; starting, retrying, rejected, stopped and
// invalid want a look.
export function uploaderHealthy(u) {
  return /^(live|bulk|running)$/i.test(u.state || u.status || '');
}

// "backlog 12 (2 min 0 s)": intervals not yet acknowledged and the logged time they span.
export function backlogText(u) {
  if (u.backlog_intervals === undefined && u.backlog_s === undefined) return '';
  const n = u.backlog_intervals || 0, s = u.backlog_s || 0;
  return s > 0 ? `backlog ${n} (${fmtDuration(s)})` : `backlog ${n}`;
}

function uploaderCard(status) {
  const ups = list(status.uploaders);
  const zone = deviceZone(status);
  return el('section', { class: 'card', id: 'uploaders' }, el('h2', {}, 'Uploaders'),
    ups.length === 0 ? el('p', { class: 'muted' }, 'No uploaders running.')
      : el('table', {}, el('tbody', {}, ups.map((u) => {
        const error = u.last_error || u.message || '';
        // The error on a row of its own, across the table: a long one (a host name, a URL)
        // wraps there instead of pushing the table out of its card.
        return [el('tr', {},
          el('td', {}, u.name || u.type || u.id || '?'),
          el('td', {}, el('span', { class: `badge ${uploaderHealthy(u) ? 'good' : 'warn'}` }, u.state || u.status || '–')),
          el('td', { class: 'num' }, backlogText(u)),
          el('td', {}, u.last_point || u.lastpost ? fmtDate(u.last_point || u.lastpost, zone) : '')),
        error ? el('tr', {}, el('td', { class: 'muted wrap uploader-error', colspan: 4 }, error)) : null];
      }).flat().filter(Boolean))));
}

export function render(status) {
  const warn = warnings(status);
  return [
    el('section', { id: 'warnings' }, warn.map((w) => notice('warn', w))),
    el('div', { class: 'grid' }, inputsCard(status), outputsCard(status)),
    el('div', { class: 'grid' }, healthCard(status), datalogCard(status), uploaderCard(status)),
  ];
}

export function mount(main) {
  const head = el('div', { class: 'row' }, el('h1', {}, 'Details'), el('span', { class: 'spacer' }),
    el('span', { class: 'muted', id: 'updated' }, ''));
  const body = el('div', { id: 'status-body' });
  main.append(head, body);
  return every(1000, async () => {
    try {
      const status = await getJSON(STATUS_URL);
      body.replaceChildren(...render(status));
      // The header follows a rename made anywhere (Setup, another browser, the config file).
      const name = status.device?.name;
      const shownName = document.getElementById('device-name');
      if (name && shownName && shownName.textContent !== name) {
        shownName.textContent = name;
        document.title = `${name} · IoTaWatt`;
      }
      const t = status.stats?.currenttime;
      head.querySelector('#updated').textContent = t ? `updated ${shiftedDate(deviceZone(status), t).toLocaleTimeString()}` : '';
      main.dataset.updated = String(Date.now());
    } catch (err) {
      body.replaceChildren(notice('error', explain(err, 'Reading /status')));
    }
  });
}
