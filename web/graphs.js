// Graphs (the original's Graph+): pick series and units, a period, line/stacked/bars or
// energy per day/month; drag to zoom, buttons to pan and zoom out, each view re-queried at
// about one point per pixel; statistics, CSV of the view from /query, saved graphs (/graph/*).
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { el, explain, fmt, getJSON, notice, request } from './api.js';
import { deviceZone, fromLocalInput, shiftedDate, toLocalInput } from './devicetime.js';
import { barSlots, drawsBars, isTotal, limitInputs, TRACE_STYLES, yRange } from './graphstyle.js';
import { groupFor, groupSeconds, PRESETS, preset, queryUrl, shownDecimals, unitsFor } from './timerange.js';

const COLORS = ['#0b6bcb', '#d9480f', '#2b8a3e', '#ae3ec9', '#f08c00', '#1098ad', '#c2255c', '#5c940d', '#495057', '#364fc7'];

// The graph being shown: what a saved graph stores.
function defaultState() {
  return { name: '', traces: [], period: 'last24h', begin: null, end: null, mode: 'line', energy: 'none', limits: {} };
}

function rowsToColumns(answer, count) {
  const columns = Array.from({ length: count + 1 }, () => []);
  for (const row of answer.data || []) for (let i = 0; i <= count; i++) columns[i].push(row[i] ?? null);
  return columns;
}

// Running sums of the series that share a unit, for a stacked chart (nulls count as 0).
// `stacks[s]` false: column s (a total) is drawn as it is, not added to the others.
export function stack(columns, units, stacks = []) {
  const out = columns.map((c) => c.slice());
  const sums = {};
  for (let s = 1; s < columns.length; s++) {
    if (stacks[s] === false) continue;
    const prev = sums[units[s]];
    if (prev) out[s] = columns[s].map((v, i) => (v ?? 0) + prev[i]);
    sums[units[s]] = out[s].map((v) => v ?? 0);
  }
  return out;
}

// min, max, mean, share of non-null groups, and kWh for power over the groups' lengths.
// The share counts the groups from `from` on: those before the log's first record are not
// missing data, they are before the monitor's history began.
export function statistics(times, values, unit, endTime, from = 0) {
  let n = 0, sum = 0, min = Infinity, max = -Infinity, wh = 0;
  for (let i = from; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    n++; sum += v; min = Math.min(min, v); max = Math.max(max, v);
    const next = i + 1 < times.length ? times[i + 1] : endTime;
    if (unit === 'Watts') wh += v * (next - times[i]) / 3600;
    if (unit === 'Wh') wh += v;
  }
  const groups = values.length - from;
  return { quality: groups > 0 ? 100 * n / groups : 0, min: n ? min : null, max: n ? max : null, mean: n ? sum / n : null,
    kwh: unit === 'Watts' || unit === 'Wh' ? wh / 1000 : null };
}

// Unit symbols of the CSV header.
const SYMBOLS = { Watts: 'W', Volts: 'V', Amps: 'A', VA: 'VA', VAR: 'VAR', VARh: 'VARh', Wh: 'Wh', PF: 'PF', Hz: 'Hz' };

// /query's CSV with its header line replaced by one that names each column with its unit
// ("Time, Mains (W), Mains (A)"): the API's header repeats a series' name for every unit.
export function csvWithUnits(text, traces) {
  const eol = text.indexOf('\r\n');
  const body = eol < 0 ? '' : text.slice(eol);
  return ['Time', ...traces.map((t) => `${t.name} (${SYMBOLS[t.unit] || t.unit})`)].join(', ') + body;
}

// The CSV's time steps: the view's, or one chosen ('' is the view's).
const CSV_STEPS = [['', 'step as shown'], ['5s', '5 s'], ['1m', '1 min'], ['5m', '5 min'], ['15m', '15 min'], ['1h', '1 h'], ['1d', '1 day']];

function fmtOffset(seconds) {
  const a = Math.abs(seconds);
  return `${seconds < 0 ? '−' : '+'}${String(Math.floor(a / 3600)).padStart(2, '0')}:${String(Math.floor(a / 60) % 60).padStart(2, '0')}`;
}

export async function mount(main) {
  const state = defaultState();
  let series = [];
  let plot = null;
  let slots = [];  // barSlots() of what is drawn
  let view = null;  // {begin, end, group} of what is drawn, in unix seconds
  let requestNo = 0;
  let zone = { name: '', offset: -new Date().getTimezoneOffset() * 60 };  // until /status says
  const message = el('div', { id: 'graph-message' });
  const zoneNote = el('small', { class: 'muted', id: 'graph-zone' });
  const limitsBox = el('div', { class: 'row', id: 'graph-limits' });
  const chartBox = el('div', { class: 'chart', id: 'graph-chart' });
  const statsBox = el('div', { id: 'graph-stats' });
  const timing = el('small', { class: 'muted', id: 'graph-timing' });
  const seriesList = el('div', { class: 'series-list', id: 'series-list' });
  const traceList = el('div', { id: 'trace-list' });
  const periodSelect = el('select', { id: 'graph-period' }, PRESETS.map((p) => el('option', { value: p.id }, p.label)), el('option', { value: 'custom' }, 'Custom…'));
  const beginInput = el('input', { type: 'datetime-local', id: 'graph-begin' });
  const endInput = el('input', { type: 'datetime-local', id: 'graph-end' });
  const custom = el('div', { class: 'row', hidden: true }, el('label', { class: 'field' }, 'From', beginInput), el('label', { class: 'field' }, 'To', endInput),
    el('button', { type: 'button', onclick: () => applyCustom() }, 'Show'));
  const modeSelect = el('select', { id: 'graph-mode' }, ['line', 'stacked', 'bars'].map((m) => el('option', { value: m }, m)));
  const energySelect = el('select', { id: 'graph-energy' }, [['none', 'as measured'], ['day', 'kWh per day'], ['month', 'kWh per month']].map(([v, t]) => el('option', { value: v }, t)));
  const savedSelect = el('select', { id: 'graph-saved' }, el('option', { value: '' }, 'saved graphs…'));
  const follow = el('input', { type: 'checkbox', id: 'graph-follow', checked: true });
  const csvStep = el('select', { id: 'graph-csv-step', 'aria-label': 'CSV time step' }, CSV_STEPS.map(([v, t]) => el('option', { value: v }, t)));

  const button = (text, onclick, attrs = {}) => el('button', { type: 'button', class: 'secondary', onclick, ...attrs }, text);
  // "Save…" opens this inline form for the name (not a prompt dialog: it blocks the page and phones hide it).
  const saveName = el('input', { type: 'text', id: 'graph-save-name', maxlength: 64, placeholder: 'name of this graph', 'aria-label': 'name of this graph' });
  const saveRow = el('form', { class: 'row', id: 'graph-save-form', hidden: true },
    saveName, el('button', { type: 'submit', id: 'graph-save-confirm' }, 'Save'),
    el('button', { type: 'button', class: 'secondary', onclick: () => { saveRow.hidden = true; } }, 'Cancel'));
  saveRow.addEventListener('submit', (e) => { e.preventDefault(); saveGraph(saveName.value.trim()); });
  main.append(
    el('div', { class: 'row' }, el('h1', {}, 'Graphs'), el('span', { class: 'spacer' }), timing),
    message,
    el('div', { class: 'graph-layout' },
      el('aside', { class: 'graph-side' },
        el('section', { class: 'card graph-series' }, el('h2', {}, 'Series'), el('p', { class: 'muted' }, 'Click a unit to add a trace.'), seriesList),
        el('section', { class: 'card graph-traces' }, el('h2', {}, 'Traces'), traceList),
        el('section', { class: 'card graph-saved' }, el('h2', {}, 'Saved'), el('div', { class: 'row' }, savedSelect),
          el('div', { class: 'row' }, button('Save…', () => askName(), { id: 'graph-save' }), button('Delete', () => deleteGraph(), { id: 'graph-delete' })),
          saveRow)),
      el('section', { class: 'graph-main' },
        el('div', { class: 'card' },
          el('div', { class: 'row' }, el('label', { class: 'field' }, 'Period', periodSelect), el('label', { class: 'field' }, 'Chart', modeSelect),
            el('label', { class: 'field' }, 'Energy', energySelect),
            el('label', { class: 'check', title: 'redraw every minute while the period ends now' }, follow, 'follow'),
            button('◀', () => pan(-0.5), { id: 'graph-pan-left', title: 'back half a view' }),
            button('▶', () => pan(0.5), { id: 'graph-pan-right', title: 'forward half a view' }),
            button('+', () => zoomIn(), { id: 'graph-zoom-in', title: 'zoom in on the middle half (a touch screen cannot drag)' }),
            button('−', () => zoomOut(), { id: 'graph-zoom-out', title: 'zoom out' }),
            el('span', { class: 'row csv-export' }, button('CSV', () => downloadCsv(), { id: 'graph-csv' }), csvStep)),
          custom, chartBox, limitsBox, el('p', { class: 'muted' }, 'Drag across the chart, or press +, to zoom in. ', zoneNote)),
        el('div', { class: 'card' }, el('h2', {}, 'Statistics'), statsBox))));

  // Exposed for the browser tests and for the console: what the chart shows now.
  window.iotawattGraph = { state, get view() { return view; }, get plot() { return plot; }, get zone() { return zone; }, get slots() { return slots; } };

  function renderSeries() {
    seriesList.replaceChildren(...series.map((s) => el('div', { class: 'trace', dataset: { series: s.name } },
      el('span', { class: 'name' }, s.name),
      unitsFor(s).map((u) => el('button', { type: 'button', dataset: { unit: u }, title: `add ${s.name} in ${u}`, onclick: () => addTrace(s.name, u) }, u)))));
  }

  function renderTraces() {
    traceList.replaceChildren(...(state.traces.length ? state.traces.map((t, i) => el('div', { class: 'trace', dataset: { trace: `${t.name}.${t.unit}` } },
      el('input', { type: 'color', class: 'swatch-pick', value: t.color, title: 'colour', onchange: (e) => { t.color = e.target.value; draw(); } }),
      el('span', { class: 'name' }, `${t.name} (${t.unit})`),
      traceStyle(t),
      button('✕', () => { state.traces.splice(i, 1); renderTraces(); draw(); }, { title: 'remove' })))
      : [el('p', { class: 'muted' }, 'No traces yet.')]));
  }

  function traceStyle(t) {
    const select = el('select', { class: 'trace-style', 'aria-label': `${t.name} drawn as` },
      TRACE_STYLES.map(([v, text]) => el('option', { value: v }, text)));
    select.value = t.style || 'chart';
    select.addEventListener('change', () => { t.style = select.value; draw(); });
    return select;
  }

  function addTrace(name, unit, redraw = true) {
    if (state.traces.some((t) => t.name === name && t.unit === unit)) return;
    const used = new Set(state.traces.map((t) => t.color));
    state.traces.push({ name, unit, color: COLORS.find((c) => !used.has(c)) || COLORS[state.traces.length % COLORS.length] });
    renderTraces();
    if (redraw) draw();
  }

  const width = () => Math.max(280, chartBox.clientWidth || 600);

  // The traces as queried: energy modes ask for Wh per day or month and show kWh.
  function queried() {
    if (state.energy === 'none') return state.traces;
    return state.traces.filter((t) => t.unit === 'Watts' || t.unit === 'Wh').map((t) => ({ ...t, unit: 'Wh' }));
  }

  function range() {
    if (view && state.begin !== null) return { begin: state.begin, end: state.end };
    if (state.period === 'custom' && state.begin !== null) return { begin: state.begin, end: state.end };
    const p = preset(state.period) || preset('last24h');
    return { begin: p.begin, end: p.end };
  }

  function groupOf(begin, end) {
    if (state.energy === 'day') return '1d';
    if (state.energy === 'month') return '1M';
    if (typeof begin === 'number' && typeof end === 'number') return groupFor(end - begin, width()).spec;
    return null;  // known after the first answer gives the range
  }

  async function fetchView(traces, begin, end) {
    let group = groupOf(begin, end);
    if (!group) {
      // A relative period: resolve it with a cheap time-only query, then group for its span.
      const probe = await getJSON(queryUrl([], begin, end, 'all'));
      [begin, end] = probe.range;
      group = groupOf(begin, end);
    }
    const answer = await getJSON(queryUrl(traces, begin, end, group));
    return { answer, begin: answer.range[0], end: answer.range[1], group };
  }

  // The address describes the graph (series, period, chart), so it can be bookmarked or shared.
  function remember() {
    const params = new URLSearchParams();
    if (state.traces.length) params.set('series', state.traces.map((t) => `${t.name}.${t.unit}`).join(','));
    if (state.period !== 'custom') params.set('period', state.period);
    if (state.mode !== 'line') params.set('mode', state.mode);
    if (state.energy !== 'none') params.set('energy', state.energy);
    history.replaceState(null, '', `#graphs?${params.toString().replace(/%2C/g, ',')}`);
  }

  async function draw() {
    const mine = ++requestNo;
    remember();
    const traces = queried();
    if (!traces.length) {
      plot?.destroy(); plot = null; view = null;
      chartBox.replaceChildren(el('p', { class: 'muted' }, state.traces.length ? 'Energy modes show Watts or Wh traces only.' : 'Pick a series on the left to draw it.'));
      statsBox.replaceChildren();
      return;
    }
    const { begin, end } = range();
    const started = performance.now();
    let result;
    try {
      result = await fetchView(traces, begin, end);
    } catch (err) {
      if (mine === requestNo) message.replaceChildren(notice('error', explain(err, 'The query')));
      return;
    }
    if (mine !== requestNo) return;
    message.replaceChildren();
    const fetched = performance.now();
    view = { begin: result.begin, end: result.end, group: result.group };
    render(traces, result.answer);
    const drawn = performance.now();
    const rows = (result.answer.data || []).length;
    timing.textContent = `${rows} points × ${traces.length} · group ${result.group} · ${Math.round(drawn - started)} ms (query ${Math.round(fetched - started)} ms)`;
    main.dataset.drawMs = String(drawn - started);
    main.dataset.queryMs = String(fetched - started);
    main.dataset.rows = String(rows);
    main.dataset.view = `${view.begin},${view.end},${view.group}`;
  }

  function render(traces, answer) {
    const kwh = state.energy !== 'none';
    let columns = rowsToColumns(answer, traces.length);
    if (kwh) columns = [columns[0], ...columns.slice(1).map((c) => c.map((v) => (v === null ? null : v / 1000)))];
    const raw = columns;
    const units = [null, ...traces.map((t) => (kwh ? 'kWh' : t.unit))];
    const stacked = state.mode === 'stacked';
    const stacks = [false, ...traces.map((t) => !isTotal(t))];
    const shown = stacked ? stack(columns, units, stacks) : columns;
    const bars = traces.map((t) => drawsBars(t, state.mode, state.energy));
    // One group's length: the query's group, else (a single answer row) the median step.
    const step = groupSeconds(view.group) || barStep(columns[0]);
    const layout = barSlots(traces, bars, stacked, step);
    slots = layout;
    const unitList = [...new Set(units.slice(1))];
    const seriesOpts = [{ label: 'time' }, ...traces.map((t, i) => ({
      label: `${t.name} (${units[i + 1]})`, scale: units[i + 1], stroke: t.color, width: 1.5,
      fill: (stacked && stacks[i + 1]) || bars[i] ? `${t.color}55` : undefined,
      // A bar lies in its group [t, t + step), beside the other bar traces of the group.
      paths: bars[i] ? uPlot.paths.bars({ gap: 1, disp: {
        x0: { unit: 1, values: (u) => u.data[0].map((x) => x + layout[i].offset) },
        size: { unit: 1, values: () => [layout[i].size] } } }) : undefined,
      points: bars[i] ? { show: false } : undefined,
      value: (u, v, si, idx) => (idx === null || raw[i + 1][idx] === null ? '–' : fmt(raw[i + 1][idx], shownDecimals(units[i + 1]))),
    }))];
    // Stacked: draw the top of each stack first so lower series paint over it; totals last.
    const order = stacked ? [0, ...traces.map((_, i) => i + 1).filter((s) => stacks[s]).reverse(),
      ...traces.map((_, i) => i + 1).filter((s) => !stacks[s])] : null;
    // The x axis is the view (a bar chart's last group in full), from the rows themselves: with
    // one row (today in kWh per day) uPlot passes a max 86400 / ms "seconds" (1000 days) on.
    const times = columns[0];
    const xRange = () => {
      const lo = Math.min(view.begin, times.length ? times[0] : view.begin);
      const last = (times.length ? times[times.length - 1] : view.begin) + (bars.some(Boolean) ? step : 0);
      return [lo, Math.max(view.end, last, lo + 60)];
    };
    const opts = {
      width: width(), height: Math.max(260, Math.min(480, Math.round(width() * 0.45))),
      tzDate: (ts) => shiftedDate(zone, ts),  // axis and legend on the device's clock
      cursor: { drag: { x: true, y: false, setScale: false } },
      scales: Object.fromEntries([['x', { time: true, range: xRange }], ...unitList.map((u) => [u, { auto: true, range: yRange(state.limits, u) }])]),
      series: order ? order.map((i) => seriesOpts[i]) : seriesOpts,
      axes: [{}, ...unitList.map((u, i) => ({ scale: u, label: u, side: i % 2 ? 1 : 3, grid: { show: i === 0 } }))],
      hooks: { setSelect: [(u) => { if (u.select.width > 4) zoomTo(u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x')); u.setSelect({ width: 0, height: 0 }, false); }] },
    };
    const data = order ? order.map((i) => shown[i]) : shown;
    plot?.destroy();
    chartBox.replaceChildren();
    plot = new uPlot(opts, data, chartBox);
    limitsBox.replaceChildren(...limitInputs(unitList, state.limits, () => draw()));
    main.dataset.drawnAs = bars.map((b) => (b ? 'bars' : 'line')).join(',');
    const endTime = view.end;
    // The first group any trace has a value in: where the history shown begins.
    const first = Math.max(0, raw[0].findIndex((_, r) => raw.slice(1).some((c) => c[r] !== null && c[r] !== undefined)));
    // A mean of months of unequal length, or of energy per group of whatever length the view
    // picked, means nothing: left empty.
    const meanless = (t) => state.energy === 'month' || (!kwh && (t.unit === 'Wh' || t.unit === 'VARh'));
    statsBox.replaceChildren(el('table', { id: 'stats-table' },
      el('thead', {}, el('tr', {}, ['Trace', 'Quality', 'Min', 'Max', 'Mean', 'kWh'].map((h, i) => el('th', { class: i ? 'num' : '' }, h)))),
      el('tbody', {}, traces.map((t, i) => {
        const s = statistics(raw[0], raw[i + 1], kwh ? 'Wh' : t.unit, endTime, first);
        const kwhValue = kwh ? raw[i + 1].reduce((a, v) => a + (v ?? 0), 0) : s.kwh;
        const d = shownDecimals(units[i + 1]);
        return el('tr', {}, el('td', {}, `${t.name} (${units[i + 1]})`), el('td', { class: 'num' }, `${fmt(s.quality, 0)} %`),
          el('td', { class: 'num' }, fmt(s.min, d)), el('td', { class: 'num' }, fmt(s.max, d)), el('td', { class: 'num' }, meanless(t) ? '' : fmt(s.mean, d)),
          el('td', { class: 'num' }, kwhValue === null ? '' : fmt(kwhValue, 2)));
      }))));
  }

  // How far the last bar reaches: one group (the median step, so a short first group does
  // not count).
  function barStep(times) {
    if (times.length < 2) return 3600;
    const steps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    return steps[Math.floor(steps.length / 2)];
  }

  function zoomTo(begin, end) {
    if (!(end > begin)) return;
    state.begin = Math.floor(begin / 5) * 5;
    state.end = Math.ceil(end / 5) * 5;
    if (state.end - state.begin < 60) state.end = state.begin + 60;
    draw();
  }

  function pan(fraction) {
    if (!view) return;
    const shift = Math.round((view.end - view.begin) * fraction);
    const now = Math.floor(Date.now() / 1000);
    const end = Math.min(view.end + shift, now + 5);
    zoomTo(end - (view.end - view.begin), end);
  }

  function zoomIn() {
    if (!view) return;
    const quarter = (view.end - view.begin) / 4;
    zoomTo(view.begin + quarter, view.end - quarter);
  }

  function zoomOut() {
    if (!view) return;
    const span = view.end - view.begin, now = Math.floor(Date.now() / 1000);
    const end = Math.min(view.end + span / 2, now + 5);
    zoomTo(end - 2 * span, end);
  }

  // datetime-local text of a unix time, on the device's clock.
  const localInput = (unix) => toLocalInput(zone, unix);

  function choosePeriod(id) {
    if (id === 'custom' && view) {
      beginInput.value = localInput(view.begin);
      endInput.value = localInput(view.end);
    }
    state.period = id;
    state.begin = state.end = null;
    view = null;
    custom.hidden = id !== 'custom';
    if (id !== 'custom') draw();
  }

  function applyCustom() {
    const b = fromLocalInput(zone, beginInput.value), e = fromLocalInput(zone, endInput.value);
    if (!(e > b)) { message.replaceChildren(notice('error', 'Choose a "From" before the "To".')); return; }
    state.period = 'custom';
    zoomTo(b, e);
  }

  async function downloadCsv() {
    if (!view) return;
    const traces = queried();
    const group = csvStep.value || view.group;
    const url = queryUrl(traces, view.begin, view.end, group, { format: 'csv', time: 'time.local.iso' });
    try {
      const blob = new Blob([csvWithUnits(await (await request(url)).text(), traces)], { type: 'text/csv' });
      const link = el('a', { href: URL.createObjectURL(blob), download: `iotawatt_${toLocalInput(zone, Date.now() / 1000).replace(/[T:]/g, (c) => (c === 'T' ? '_' : ''))}.csv` });
      main.dataset.csvUrl = url;
      document.body.append(link);
      link.click();
      setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'The CSV download')));
    }
  }

  // The device's time zone: presets are resolved by the daemon in it, and so is what we show.
  async function readZone() {
    try {
      zone = deviceZone(await getJSON('/status?device'));
      zoneNote.textContent = `Times are the monitor's local time (${zone.name || `UTC${fmtOffset(zone.offset)}`}).`;
    } catch (err) {
      zoneNote.textContent = 'The monitor\'s time zone is unknown (/status); times are this browser\'s.';
    }
  }

  async function loadSavedList() {
    try {
      const list = await getJSON('/graph/getallplus');
      savedSelect.replaceChildren(el('option', { value: '' }, list.length ? 'saved graphs…' : 'no saved graphs'),
        ...list.map((g) => el('option', { value: g.id }, g.name)));
    } catch (err) {
      savedSelect.replaceChildren(el('option', { value: '' }, 'saved graphs unavailable'));
    }
  }

  function apply(saved) {
    Object.assign(state, defaultState(), saved);
    periodSelect.value = state.period;
    modeSelect.value = state.mode;
    energySelect.value = state.energy;
    custom.hidden = state.period !== 'custom';
    view = null;
    renderTraces();
    draw();
  }

  savedSelect.addEventListener('change', async () => {
    if (!savedSelect.value) return;
    try {
      apply(await getJSON(`/graphs/${savedSelect.value}`));
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'Loading the saved graph')));
    }
  });

  function askName() {
    saveName.value = state.name || '';
    saveRow.hidden = false;
    saveName.focus();
  }

  async function saveGraph(name) {
    if (!name) { saveName.focus(); return; }
    const graph = { name, traces: state.traces, period: state.period, mode: state.mode, energy: state.energy, limits: state.limits,
      begin: state.period === 'custom' ? state.begin : null, end: state.period === 'custom' ? state.end : null };
    try {
      await request('/graph/create', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ data: JSON.stringify(graph) }) });
      state.name = name;
      saveRow.hidden = true;
      message.replaceChildren(notice('ok', `Saved "${name}".`));
      await loadSavedList();
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'Saving a graph')));
    }
  }

  async function deleteGraph() {
    const id = savedSelect.value;
    if (!id) { message.replaceChildren(notice('info', 'Pick a saved graph to delete.')); return; }
    if (!confirm(`Delete the saved graph "${savedSelect.selectedOptions[0].textContent}"?`)) return;
    try {
      await request('/graph/delete', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ id }) });
      await loadSavedList();
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'Deleting a graph')));
    }
  }

  periodSelect.addEventListener('change', () => choosePeriod(periodSelect.value));
  modeSelect.addEventListener('change', () => { state.mode = modeSelect.value; draw(); });
  energySelect.addEventListener('change', () => {
    state.energy = energySelect.value;
    if (state.energy === 'day' && !['last7', 'last30', 'thismonth', 'lastmonth'].includes(state.period)) { periodSelect.value = 'last30'; state.period = 'last30'; }
    if (state.energy === 'month' && !['last12m', 'last365', 'thisyear', 'lastyear'].includes(state.period)) { periodSelect.value = 'last12m'; state.period = 'last12m'; }
    state.begin = state.end = null; view = null;
    draw();
  });
  // Graph+'s refresh: a period that ends now is redrawn every minute, unless zoomed or frozen.
  const refresh = setInterval(() => {
    const p = preset(state.period);
    if (follow.checked && p && p.end === 's' && state.begin === null && !document.hidden) draw();
  }, 60000);
  const onResize = () => { if (plot && Math.abs(plot.width - width()) > 20) plot.setSize({ width: width(), height: plot.height }); };
  window.addEventListener('resize', onResize);

  await readZone();
  try {
    series = (await getJSON('/query?show=series&derived=yes')).series || [];
  } catch (err) {
    message.replaceChildren(notice('error', explain(err, 'Reading the series (/query?show=series)')));
  }
  renderSeries();
  renderTraces();
  await loadSavedList();
  // #graphs?series=Mains.Watts,Solar.Watts&period=last7&mode=stacked
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  if (params.get('period') && (preset(params.get('period')))) state.period = params.get('period');
  if (params.get('mode')) state.mode = params.get('mode');
  if (params.get('energy')) state.energy = params.get('energy');
  periodSelect.value = state.period; modeSelect.value = state.mode; energySelect.value = state.energy;
  const wanted = (params.get('series') || '').split(',').filter(Boolean);
  if (wanted.length) {
    for (const w of wanted) { const dot = w.lastIndexOf('.'); if (dot > 0) addTrace(w.slice(0, dot), w.slice(dot + 1), false); }
    draw();
  } else if (params.get('graph')) {
    const id = [...savedSelect.options].find((o) => o.textContent === params.get('graph'))?.value;
    if (id) apply(await getJSON(`/graphs/${id}`));
  } else {
    const first = series.find((s) => s.unit === 'Watts');
    if (first) addTrace(first.name, 'Watts');
  }
  return () => { clearInterval(refresh); window.removeEventListener('resize', onResize); plot?.destroy(); delete window.iotawattGraph; };
}
