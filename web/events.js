// Events: a day of appliance events on the monitor's clock. A timeline with one row per
// circuit (its runs from on to off, drawn at their power), then every event of the day with
// its levels, reactive step and inrush (/events). Today's page follows new events every 10 s.
import { el, every, explain, fmt, fmtDuration, getJSON, notice } from './api.js';
import { deviceZone } from './devicetime.js';
import { powerText } from './energy.js';
import { circuitRuns, clockText, dayAround, dutyCycles, onSeconds, runWh } from './timeline.js';

const NS = 'http://www.w3.org/2000/svg';
const ROW = 24, AXIS = 22, LABELS = 110;

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function title(text) {
  const t = document.createElementNS(NS, 'title');
  t.textContent = text;
  return t;
}

// The timeline of `rows` (timeline.js circuitRuns) over [begin, end) in a `width` px box.
function timelineSvg(rows, begin, end, width, zone, onPick) {
  const height = AXIS + rows.length * ROW + 4;
  const plot = Math.max(60, width - LABELS - 8);
  const x = (t) => LABELS + ((t - begin) / (end - begin)) * plot;
  const top = Math.max(1, ...rows.flatMap((r) => r.runs.map((run) => Math.abs(run.watts))));
  const root = svg('svg', { class: 'timeline', id: 'events-timeline', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': `Appliance runs of ${rows.length} circuits` });
  const every = plot < 400 ? 6 : 3;  // hours between labels: about 50 px apart at least
  for (let h = 0; h <= 24; h += every) {
    const t = begin + (h / 24) * (end - begin);
    root.append(svg('line', { class: 'grid', x1: x(t), x2: x(t), y1: AXIS - 4, y2: height }),
      svg('text', { x: x(t), y: 12, 'text-anchor': h === 0 ? 'start' : h === 24 ? 'end' : 'middle' }, `${String(h).padStart(2, '0')}:00`));
  }
  rows.forEach((row, i) => {
    const y = AXIS + i * ROW;
    const g = svg('g', { class: 'circuit', 'data-channel': row.channel });
    g.append(svg('text', { x: 0, y: y + ROW / 2 + 4, class: 'label' }, row.name.length > 14 ? `${row.name.slice(0, 13)}…` : row.name));
    for (const run of row.runs) {
      const h = Math.max(3, (Math.abs(run.watts) / top) * (ROW - 6));
      const rect = svg('rect', { class: `run${run.open ? ' open' : ''}`, x: x(run.begin), width: Math.max(1.5, x(run.end) - x(run.begin)),
        y: y + ROW - 3 - h, height: h });
      rect.append(title(`${row.name}: ${powerText(run.watts)} from ${run.before ? 'before midnight' : clockText(zone, run.begin)}` +
        ` to ${run.open ? 'now' : clockText(zone, run.end)}`));
      g.append(rect);
    }
    for (const e of row.events) {
      const mark = svg('path', { class: `mark ${e.kind}`, d: e.kind === 'off' ? 'M-4,-3 L4,-3 L0,4 Z' : e.kind === 'on' ? 'M-4,3 L4,3 L0,-4 Z' : 'M0,-4 L0,4',
        transform: `translate(${x(e.time)},${y + 7})`, tabindex: 0 });
      mark.append(title(`${clockText(zone, e.time)} ${row.name} ${e.kind}: ${powerText(e.watts_before)} → ${powerText(e.watts_after)}`));
      mark.addEventListener('click', () => onPick(e));
      g.append(mark);
    }
    root.append(g);
  });
  return root;
}

const rowId = (e) => `event-${Math.round(e.time * 1000)}-${e.channel}`;

function eventRow(e, zone, picked) {
  const inrush = e.delta_watts > 0 && e.inrush_peak_amps > 0
    ? `${fmt(e.inrush_peak_amps, 1)} A peak${e.inrush_cycles ? `, ${e.inrush_cycles} cycles` : ''}` : '';
  return el('tr', { id: rowId(e), class: `event ${e.kind}${rowId(e) === picked ? ' picked' : ''}` },
    el('td', {}, clockText(zone, e.time), el('small', { class: 'muted' }, `.${String(Math.round((e.time % 1) * 1000) % 1000).padStart(3, '0')}`)),
    el('td', {}, e.name), el('td', {}, e.kind + (e.settled ? '' : ' (unsettled)')),
    el('td', { class: 'num' }, `${powerText(e.watts_before)} → ${powerText(e.watts_after)}`),
    el('td', { class: 'num' }, `${e.delta_watts > 0 ? '+' : ''}${powerText(e.delta_watts)}`),
    el('td', { class: 'num' }, `${fmt(e.delta_var, 0)} var`),
    el('td', {}, inrush));
}

// The cycling appliances of the last 8 x 24 hours (timeline.js dutyCycles): how much of the
// last day each ran against the days before, a warning where that rose by 15 % or more.
async function cyclingCard(card) {
  const now = Date.now() / 1000, day = 86400;
  const days = await Promise.all(Array.from({ length: 8 }, async (_, k) => {
    const begin = Math.floor(now - (k + 1) * day), end = Math.floor(now - k * day);
    return { begin, end, events: (await getJSON(`/events?begin=${begin}&end=${end}&limit=10000`)).events };
  }));
  const cycles = dutyCycles(days);
  card.hidden = cycles.length === 0;
  const pct = (x) => `${Math.round(x * 100)} %`;
  card.replaceChildren(el('h2', {}, 'Cycling appliances'),
    ...cycles.filter((c) => c.flagged).map((c) => notice('warn', `${c.name} ran ${pct(c.last)} of the last 24 hours, up from `
      + `${pct(c.usual)} in the week before. A fridge or freezer that runs longer may have a worn door seal, dusty coils or `
      + 'a door left ajar.')),
    el('table', { id: 'cycling-table' }, el('thead', {}, el('tr', {}, ['Circuit', 'Last 24 h', 'Week before', 'Runs'].map((h) => el('th', {}, h)))),
      el('tbody', {}, cycles.map((c) => el('tr', { class: c.flagged ? 'flagged' : '', dataset: { channel: c.channel } },
        el('td', {}, c.name), el('td', { class: 'num' }, pct(c.last)), el('td', { class: 'num' }, pct(c.usual)), el('td', { class: 'num' }, c.runs))))));
}

export function mount(main) {
  let zone = { name: '', offset: -new Date().getTimezoneOffset() * 60 };
  let day = null;
  const dateInput = el('input', { type: 'date', id: 'events-date' });
  const prev = el('button', { class: 'secondary', id: 'events-prev', title: 'the day before' }, '◀');
  const next = el('button', { class: 'secondary', id: 'events-next', title: 'the day after' }, '▶');
  const today = el('button', { class: 'secondary', id: 'events-today' }, 'Today');
  const message = el('div');
  const cycling = el('section', { class: 'card', id: 'cycling', hidden: true });
  const summary = el('div', { id: 'events-summary' });
  const picture = el('div', { class: 'card timeline-card' });
  const body = el('tbody');
  const table = el('table', { id: 'events-table' },
    el('thead', {}, el('tr', {}, ['Time', 'Circuit', 'Event', 'Before → after', 'Step', 'Reactive', 'Inrush'].map((h) => el('th', {}, h)))), body);
  main.append(el('div', { class: 'row' }, el('h1', {}, 'Appliance events'), el('span', { class: 'spacer' }), prev, dateInput, next, today),
    message, summary, picture, el('div', { class: 'card' }, table), cycling,
    el('p', { class: 'muted' }, 'Every circuit is measured in every AC cycle: an event is a step in its power of more than the input\'s '
      + '"Events from" threshold (Setup, Inputs; 25 W unless set) that stays. Times are the monitor\'s local time.'));

  let picked = '';  // the id of the row a marker picked; kept across re-reads
  const pick = (e) => {
    picked = rowId(e);
    body.querySelectorAll('tr.picked').forEach((r) => r.classList.remove('picked'));
    const row = document.getElementById(picked);
    if (row) { row.classList.add('picked'); row.scrollIntoView({ block: 'center' }); }
  };

  let drawn = null;  // what the timeline shows, redrawn at the page's width when that changes
  const draw = () => {
    if (!drawn) return;
    const { rows, begin, end } = drawn;
    picture.replaceChildren(rows.length ? timelineSvg(rows, begin, end, Math.max(300, picture.clientWidth - 32), zone, pick) : '');
  };
  let resizing = null;
  const onResize = () => { clearTimeout(resizing); resizing = setTimeout(draw, 150); };
  window.addEventListener('resize', onResize);

  async function load() {
    if (!day) return;
    const shown = day;
    try {
      const answer = await getJSON(`/events?begin=${day.begin}&end=${day.end}&limit=10000`);
      if (shown !== day) return;
      const now = Date.now() / 1000;
      const rows = circuitRuns(answer.events, day.begin, day.end, now);
      message.replaceChildren(answer.more ? notice('warn', 'More than 10 000 events this day: the first 10 000 are shown.') : '');
      summary.replaceChildren(rows.length === 0 ? notice('info', `No events on ${day.date}.`)
        : el('p', {}, `${answer.events.length} events on ${rows.length} circuits. `,
          ...rows.map((r) => el('span', { class: 'chip' }, `${r.name}: on ${fmtDuration(onSeconds(r))}, ~${fmt(runWh(r) / 1000, 2)} kWh`))));
      drawn = { rows, begin: day.begin, end: day.end };
      draw();
      Object.assign(table.dataset, { begin: day.begin, end: day.end });
      body.replaceChildren(...[...answer.events].sort((a, b) => b.time - a.time).map((e) => eventRow(e, zone, picked)));
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'Reading the events')));
    }
  }
  const go = (unix) => {
    day = dayAround(zone, unix);
    dateInput.value = day.date;
    next.disabled = day.end > Date.now() / 1000;
    load();
  };
  prev.addEventListener('click', () => go(day.begin - 3600));
  next.addEventListener('click', () => go(day.end + 3600));
  today.addEventListener('click', () => go(Date.now() / 1000));
  dateInput.addEventListener('change', () => {
    const [y, m, d] = dateInput.value.split('-').map(Number);
    if (y && m && d) go(Date.UTC(y, m - 1, d, 12) / 1000 - zone.offset);
  });
  getJSON('/status?device').then((status) => { zone = deviceZone(status); })
    .catch(() => { /* this browser's zone: the note below the table says times are the monitor's */ })
    .finally(() => go(Date.now() / 1000));
  cyclingCard(cycling).catch((err) => { cycling.hidden = false; cycling.replaceChildren(notice('error', explain(err, 'Reading the last 8 days of events'))); });
  const stop = every(10000, async () => { if (day && day.end > Date.now() / 1000) await load(); });
  return () => { stop(); clearTimeout(resizing); window.removeEventListener('resize', onResize); };
}
