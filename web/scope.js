// Scope: a few cycles of one input's voltage and current from /command?sample=<ch>&format=json
// (admin), redrawn about once a second, with the harmonics of both computed here.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { el, every, explain, fmt, getJSON, notice } from './api.js';
import { harmonics } from './harmonics.js';

function harmonicsTable(v, a) {
  const rows = [];
  for (let i = 0; i < 15; i++) {
    const hv = v?.harmonics[i], ha = a?.harmonics[i];
    rows.push(el('tr', { dataset: { order: i + 1 } }, el('td', {}, i + 1),
      el('td', { class: 'num' }, hv ? fmt(hv.rms, 2) : '–'), el('td', { class: 'num' }, hv ? fmt(hv.pct, 1) : '–'),
      el('td', { class: 'num' }, ha ? fmt(ha.rms, 3) : '–'), el('td', { class: 'num' }, ha ? fmt(ha.pct, 1) : '–')));
  }
  return el('table', { id: 'harmonics' },
    el('thead', {}, el('tr', {}, el('th', {}, 'n'), el('th', { class: 'num' }, 'V rms'), el('th', { class: 'num' }, 'V %'),
      el('th', { class: 'num' }, 'A rms'), el('th', { class: 'num' }, 'A %'))),
    el('tbody', {}, rows));
}

function barChart(result, label) {
  if (!result) return el('p', { class: 'muted' }, `${label}: not enough samples for one whole cycle.`);
  const max = Math.max(...result.harmonics.slice(1).map((h) => h.pct), 1);
  return el('div', {}, el('p', { class: 'muted' }, `${label}: harmonics 2–15 in % of the fundamental (THD ${fmt(result.thd, 1)} %)`),
    el('div', { class: 'bars' }, result.harmonics.slice(1).map((h) =>
      el('div', { style: `height:${(100 * h.pct / max).toFixed(1)}%`, title: `${h.n}: ${fmt(h.pct, 2)} %` }, el('span', {}, h.n)))));
}

export async function mount(main) {
  const select = el('select', { id: 'scope-channel', 'aria-label': 'input' });
  const live = el('input', { type: 'checkbox', checked: true, id: 'scope-live' });
  const message = el('div');
  const chartBox = el('div', { class: 'chart', id: 'scope-chart' });
  const summary = el('dl', { class: 'kv', id: 'scope-summary' });
  const analysis = el('div', { class: 'grid' });
  main.append(el('div', { class: 'row' }, el('h1', {}, 'Scope'), el('span', { class: 'spacer' }),
    el('label', { class: 'field' }, 'Input', select), el('label', { class: 'check' }, live, 'live')),
  message, el('section', { class: 'card' }, chartBox, summary), analysis);

  try {
    const status = await getJSON('/status?inputs');
    for (const input of status.inputs || []) select.append(el('option', { value: input.channel }, `${input.channel}: ${input.name}`));
    const wanted = new URLSearchParams(location.hash.split('?')[1] || '').get('channel');
    if (wanted !== null) select.value = wanted;
  } catch (err) {
    message.replaceChildren(notice('error', explain(err, 'Reading the inputs')));
    return null;
  }

  let plot = null;
  const draw = (w) => {
    const data = [w.t_ms, w.volts, w.amps.length ? w.amps : w.t_ms.map(() => null)];
    const width = Math.max(280, chartBox.clientWidth || main.clientWidth - 40);
    if (!plot || plot.width !== width) {
      plot?.destroy();
      plot = new uPlot({
        width, height: 300, scales: { x: { time: false }, V: {}, A: {} },
        series: [{ label: 'ms' }, { label: 'Volts', scale: 'V', stroke: '#0b6bcb', width: 1.5 },
          { label: 'Amps', scale: 'A', stroke: '#d9480f', width: 1.5 }],
        axes: [{ label: 'ms' }, { scale: 'V', label: 'V' }, { scale: 'A', label: 'A', side: 1, grid: { show: false } }],
      }, data, chartBox);
    } else {
      plot.setData(data);
    }
  };

  const sample = async () => {
    if (!live.checked && plot) return;
    try {
      const w = await getJSON(`/command?sample=${select.value}&format=json`);
      draw(w);
      const v = harmonics(w.t_ms, w.volts, w.hz);
      const a = w.amps.length ? harmonics(w.t_ms, w.amps, w.hz) : null;
      let p = 0;
      for (let k = 0; k + 1 < w.t_ms.length && w.amps.length; k++) p += w.volts[k] * w.amps[k] * (w.t_ms[k + 1] - w.t_ms[k]);
      const span = w.t_ms[w.t_ms.length - 1] - w.t_ms[0];
      summary.replaceChildren(
        el('dt', {}, 'Samples'), el('dd', {}, `${w.samples} over ${fmt(span, 1)} ms (${v ? v.cycles : 0} whole cycles)`),
        el('dt', {}, 'Frequency'), el('dd', {}, `${fmt(w.hz, 3)} Hz`),
        el('dt', {}, 'Voltage'), el('dd', { dataset: { field: 'vrms' } }, v ? `${fmt(v.rms, 1)} V rms, THD ${fmt(v.thd, 1)} %` : '–'),
        el('dt', {}, 'Current'), el('dd', { dataset: { field: 'irms' } }, a ? `${fmt(a.rms, 2)} A rms, THD ${fmt(a.thd, 1)} %` : '–'),
        el('dt', {}, 'Power (these cycles)'), el('dd', {}, a ? `${fmt(p / span, 0)} W` : '–'));
      analysis.replaceChildren(el('section', { class: 'card' }, el('h2', {}, 'Harmonics'), harmonicsTable(v, a)),
        el('section', { class: 'card' }, barChart(v, 'Voltage'), el('br'), a ? barChart(a, 'Current') : ''));
      message.replaceChildren();
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'The scope (/command?sample)')));
    }
  };
  select.addEventListener('change', () => { plot?.destroy(); plot = null; sample(); });
  const onResize = () => plot?.setSize({ width: Math.max(280, chartBox.clientWidth), height: 300 });
  window.addEventListener('resize', onResize);
  const stop = every(1000, sample);
  return () => { stop(); window.removeEventListener('resize', onResize); plot?.destroy(); };
}
