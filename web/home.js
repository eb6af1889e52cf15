// Home: what the house uses now, from the grid and the sun; the circuits that use it; today's
// energy (and cost once the daemon prices it); a day, week, month or year beside the one
// before, with the flow of energy through the house. Data from /status, /query and /energy;
// mains, solar and circuits are told apart by roles.js.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { el, every, explain, getJSON, notice } from './api.js';
import { dayBefore, energyFlows, energyQuery, kwhText, liveFigures, PERIODS, periodColumns, periodTotals, powerText, standbyOf, usePerRow } from './energy.js';
import { sankeySvg } from './sankey.js';

const LIVE_MS = 2000;
const ENERGY_MS = 60000;

function figure(id, label) {
  return el('div', { class: 'figure', id }, el('span', { class: 'figure-label' }, label),
    el('span', { class: 'figure-value', dataset: { watts: '' } }, '–'));
}

function setFigure(node, label, watts, hidden = false) {
  node.hidden = hidden;
  node.querySelector('.figure-label').textContent = label;
  const value = node.querySelector('.figure-value');
  value.textContent = powerText(watts);
  value.dataset.watts = String(Math.round(watts));
}

// One bar per circuit and "Other", longest first; `value` and `text` read a row.
// A circuit's standby (energy.js standbyOf) is shown on a line of its own under its name and
// power when it is 1 W or more (the name keeps only the name: tests and screen readers read it).
function bars(rows, value, text) {
  const top = Math.max(1e-9, ...rows.map(value));
  return rows.map((r) => el('li', { class: `circuit${r.other ? ' other' : ''}`, dataset: { name: r.name, value: String(value(r)) } },
    el('span', { class: 'circuit-name' }, r.name), el('span', { class: 'circuit-value' }, text(r)),
    r.standby >= 1 ? el('small', { class: 'circuit-standby muted', dataset: { watts: String(Math.round(r.standby)) } }, `always on ${powerText(r.standby)}`) : null,
    el('span', { class: 'circuit-bar', style: `width: ${Math.max(0, (100 * value(r)) / top).toFixed(1)}%` })));
}

function circuitRowsNow(f, standby) {
  const rows = f.circuits.map((c) => ({ name: c.name, watts: c.watts, standby: standby?.circuits[c.name] ?? null }));
  if (f.hasMains) rows.push({ name: 'Other', watts: f.other, other: true });
  return rows.sort((a, b) => b.watts - a.watts);
}

function circuitRowsToday(t) {
  const rows = t.circuits.map((c) => ({ name: c.name, wh: c.wh }));
  if (t.other > 0) rows.push({ name: 'Other', wh: t.other, other: true });
  return rows.sort((a, b) => b.wh - a.wh);
}

function percent(x) {
  return x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`;
}

// The rows of [begin, end) in Wh by `group` (energyQuery), every mains, solar and circuit column.
async function energyRows(columns, begin, end, group) {
  const names = [...columns.mains, ...columns.solar, ...columns.circuits];
  return (await getJSON(energyQuery(names, begin, end, group))).data || [];
}

// The totals of [begin, end) from 5-minute (day), hourly (week, month) or daily (year) rows.
async function totalsOf(columns, begin, end, group) {
  return periodTotals(await energyRows(columns, begin, end, group), columns);
}

async function useRows(columns, begin, end, group) {
  return usePerRow(await energyRows(columns, begin, end, group), columns);
}

// A period's cost when the daemon prices energy (GET /energy: the config's first tariff, the
// meter's whole cost with tiers, export credit, standing and demand charges): {cost, currency,
// begin}, or null. Without a tariff /energy is a 404: `priced` becomes false and the page stops
// asking until it is opened again, so the cost stays hidden. `date` is any day of the period
// (YYYY-MM-DD on the monitor's calendar); none: the period now.
async function periodCost(period, date, state) {
  if (state.priced === false) return null;
  try {
    const answer = await getJSON(`/energy?period=${period}${date ? `&date=${date}` : ''}`);
    state.priced = true;
    return Number.isFinite(answer.cost) ? { cost: answer.cost, currency: answer.currency, begin: answer.begin } : null;
  } catch (err) {
    if (err.status === 404) state.priced = false;
    return null;
  }
}

const costText = (c) => (c ? `${c.cost.toFixed(2)} ${c.currency}` : '');

function todayCard() {
  const item = (id, label) => el('div', { class: 'stat', id }, el('span', { class: 'figure-label' }, label), el('span', { class: 'stat-value' }, '–'));
  return el('section', { class: 'card', id: 'today' }, el('h2', {}, 'Today'),
    el('div', { class: 'stats' }, item('today-use', 'Used'), item('today-import', 'From grid'), item('today-export', 'To grid'),
      item('today-solar', 'Solar'), item('today-cost', 'Cost'), item('self-consumption', 'Self-consumption'),
      item('self-sufficiency', 'Self-sufficiency')));
}

function showToday(card, t, cost) {
  const set = (id, text, hidden = false) => {
    const node = card.querySelector(`#${id}`);
    node.hidden = hidden;
    node.querySelector('.stat-value').textContent = text;
  };
  const solar = t.solar > 0;
  set('today-use', kwhText(t.use));
  set('today-import', kwhText(t.import));
  set('today-export', kwhText(t.export), !(t.export > 0));
  set('today-solar', kwhText(t.solar), !solar);
  set('today-cost', costText(cost), !cost);
  set('self-consumption', percent(t.selfConsumption), !solar);
  set('self-sufficiency', percent(t.selfSufficiency), !solar);
}

// The period card: Day/Week/Month/Year, this period beside the previous one, a chart of use
// per hour/day/month of both, and the energy flow of the period.
function periodCard() {
  const tabs = el('div', { class: 'tabs', role: 'tablist', id: 'period-tabs' },
    Object.keys(PERIODS).map((id) => el('button', { type: 'button', dataset: { period: id }, role: 'tab' }, id[0].toUpperCase() + id.slice(1))));
  return el('section', { class: 'card', id: 'period' }, el('h2', {}, 'Energy'), tabs,
    el('div', { class: 'compare' },
      ...['period-current', 'period-previous'].map((id) => el('div', { class: 'stat', id },
        el('span', { class: 'figure-label' }, ''), el('span', { class: 'stat-value' }, '–'), el('span', { class: 'stat-cost', hidden: true }, '')))),
    el('div', { class: 'period-chart', id: 'period-chart' }),
    el('h3', {}, 'Energy flow'),
    el('div', { class: 'sankey-box', id: 'sankey' }));
}

function drawChart(box, period, current, previous, old) {
  old?.destroy();
  const n = Math.max(current.length, previous.length);
  const x = Array.from({ length: n }, (_, i) => i + (period.chart === 'h' ? 0 : 1));
  const kwh = (list) => x.map((_, i) => (list[i] === null || list[i] === undefined ? null : list[i] / 1000));
  const width = Math.max(280, box.clientWidth || 600);
  const bars = uPlot.paths.bars({ size: [0.4, 40], align: 0 });
  const barsPrev = uPlot.paths.bars({ size: [0.4, 40], align: -1 });
  const opts = {
    width, height: 200, legend: { show: true },
    scales: { x: { time: false } },
    axes: [{ label: { h: 'hour', d: 'day', M: 'month' }[period.chart] }, { label: 'kWh', size: 50 }],
    series: [{ label: { h: 'hour', d: 'day', M: 'month' }[period.chart] },
      { label: period.previous, stroke: '#8a96a3', fill: '#8a96a380', paths: barsPrev, points: { show: false } },
      { label: period.label, stroke: '#0b6bcb', fill: '#0b6bcbb0', paths: bars, points: { show: false } }],
  };
  return new uPlot(opts, [x, kwh(previous), kwh(current)], box);
}

export async function mount(main) {
  main.append(el('h1', { class: 'visually-hidden' }, 'Home'));
  const message = el('div', { id: 'home-message' });
  const use = figure('fig-use', 'Using now');
  const grid = figure('fig-grid', 'From grid');
  const solar = figure('fig-solar', 'Solar');
  const standby = figure('fig-standby', 'Always on');
  standby.title = 'The lowest 10-minute average of the last 24 hours: what the house never stops using';
  standby.hidden = true;
  const list = el('ol', { class: 'circuits', id: 'circuit-bars' });
  const sortTabs = el('div', { class: 'tabs', id: 'circuit-sort' },
    el('button', { type: 'button', dataset: { sort: 'now' }, class: 'active' }, 'Now'),
    el('button', { type: 'button', dataset: { sort: 'today' } }, 'Today'));
  const today = todayCard();
  const period = periodCard();
  main.append(message, el('section', { class: 'figures', id: 'live' }, use, grid, solar, standby),
    el('div', { class: 'home-grid' },
      el('section', { class: 'card', id: 'circuits' }, el('div', { class: 'row' }, el('h2', {}, 'Circuits'), el('span', { class: 'spacer' }), sortTabs), list),
      today),
    period);

  const state = { columns: null, figures: null, today: null, sort: 'now', period: 'day', chart: null, status: null, priced: null };
  window.iotawattHome = state;  // for the browser tests: what the page computed from what

  const showCircuits = () => {
    sortTabs.querySelectorAll('button').forEach((b) => b.classList.toggle('active', b.dataset.sort === state.sort));
    if (state.sort === 'today' && state.today) {
      list.replaceChildren(...bars(circuitRowsToday(state.today), (r) => r.wh, (r) => kwhText(r.wh)));
    } else if (state.figures) {
      list.replaceChildren(...bars(circuitRowsNow(state.figures, state.standby), (r) => r.watts, (r) => powerText(r.watts)));
    }
  };
  sortTabs.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (b) { state.sort = b.dataset.sort; showCircuits(); }
  });

  const live = async () => {
    try {
      const status = await getJSON('/status?inputs');
      state.status = status;
      state.columns ??= periodColumns(status.inputs);
      const f = liveFigures(status);
      state.figures = f;
      setFigure(use, 'Using now', f.use);
      setFigure(grid, f.grid < 0 ? 'To grid' : 'From grid', Math.abs(f.grid), !f.hasMains);
      setFigure(solar, 'Solar', f.solar, !f.hasSolar);
      showCircuits();
      message.replaceChildren();
      main.dataset.updated = String(Date.now());
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'Reading /status')));
    }
  };

  // Baselines from the last day's 10-minute rows, read with today's energy (once a minute).
  const baselines = async () => {
    state.standby = standbyOf(await energyRows(state.columns, 's-24h', 's', '10m'), state.columns);
    if (state.standby.house !== null) setFigure(standby, 'Always on', state.standby.house);
    showCircuits();
  };

  const energy = async () => {
    if (!state.columns) return;
    baselines().catch((err) => message.replaceChildren(notice('error', explain(err, 'Reading the last day (/query)'))));
    try {
      const [t, cost] = await Promise.all([totalsOf(state.columns, PERIODS.day.begin, 's', PERIODS.day.fine), periodCost('day', null, state)]);
      state.today = t;
      state.cost = cost;
      showToday(today, t, cost);
      if (state.sort === 'today') showCircuits();
      today.dataset.loaded = 'true';
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'Reading today\'s energy (/query)')));
    }
  };

  let shown = 0;
  const showPeriod = async () => {
    if (!state.columns) return;
    const mine = ++shown;
    const p = PERIODS[state.period];
    period.querySelectorAll('#period-tabs button').forEach((b) => b.classList.toggle('active', b.dataset.period === state.period));
    // Today's totals are the Today card's, read by the same query just before: not read again.
    const todayTotals = state.period === 'day' ? state.today : null;
    try {
      const [now, before, nowRows, beforeRows] = await Promise.all([
        todayTotals ?? totalsOf(state.columns, p.begin, 's', p.fine), totalsOf(state.columns, p.prevBegin, p.prevEnd, p.fine),
        useRows(state.columns, p.begin, 's', p.chart), useRows(state.columns, p.prevBegin, p.prevEnd, p.chart)]);
      if (mine !== shown) return;
      const setStat = (id, label, wh) => {
        const node = period.querySelector(`#${id}`);
        node.querySelector('.figure-label').textContent = label;
        node.querySelector('.stat-value').textContent = kwhText(wh);
        node.dataset.wh = String(wh);
      };
      setStat('period-current', p.label, now.use);
      setStat('period-previous', p.previous, before.use);
      await showPeriodCosts(mine);
      state.chart = drawChart(period.querySelector('#period-chart'), p, nowRows, beforeRows, state.chart);
      state.flows = energyFlows(now);
      drawFlows();
      period.dataset.shown = state.period;
      state.periodTotals = { now, before };
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, `Reading ${p.label.toLowerCase()} (/query)`)));
    }
  };
  // The cost of the period and of the one before, under their kWh, when the daemon prices energy.
  const showPeriodCosts = async (mine) => {
    const current = state.period === 'day' && state.cost ? state.cost : await periodCost(state.period, null, state);  // the Today card's
    const previous = current ? await periodCost(state.period, dayBefore(current.begin), state) : null;
    if (mine !== shown) return;
    for (const [id, c] of [['period-current', current], ['period-previous', previous]]) {
      const node = period.querySelector(`#${id} .stat-cost`);
      node.textContent = costText(c);
      node.hidden = !c;
    }
    state.periodCosts = { now: current, before: previous };
  };
  // The picture is drawn at its box's width (its text stays 12 px), again when that changes.
  const drawFlows = () => {
    const box = period.querySelector('#sankey');
    if (!state.flows) return;
    const width = Math.min(900, Math.max(300, box.clientWidth || 600));
    box.replaceChildren(sankeySvg(state.flows, { width, labels: Math.round(width * 0.27), labelsRight: Math.round(width * 0.37),
      height: width < 500 ? 220 : 300 }));
  };
  let resizing = 0, lastWidth = 0;
  const resize = new ResizeObserver(() => {
    if (period.clientWidth === lastWidth) return;  // its height follows what is drawn: no loop
    lastWidth = period.clientWidth;
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(() => {
      const box = period.querySelector('#period-chart');
      if (state.chart && box.clientWidth) state.chart.setSize({ width: box.clientWidth, height: 200 });
      drawFlows();
    });
  });
  resize.observe(period);
  period.querySelector('#period-tabs').addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (b) { state.period = b.dataset.period; showPeriod(); }
  });

  const stopLive = every(LIVE_MS, live);
  const stopEnergy = every(ENERGY_MS, async () => {
    for (let i = 0; i < 50 && !state.columns; i++) await new Promise((r) => setTimeout(r, 100));
    await energy();
    await showPeriod();
  });
  return () => {
    stopLive();
    stopEnergy();
    resize.disconnect();
    state.chart?.destroy();
  };
}
