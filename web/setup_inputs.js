// Setup ▸ Inputs: the channel list, one editor for a channel (add, change, delete), the
// CT/VT model picker from /tables.txt, and the calibration steps (POST /calibrate measures and
// proposes; the proposal is saved like any edit, through POST /config).
import { el, every, explain, fmt, getJSON, notice, send } from './api.js';
import { checkbox, field, numberInput, selectInput, textInput } from './form.js';
import { guessRole } from './roles.js';

function channelCount(config) {
  return Math.max(Number(config.device?.channels) || 15, (config.inputs || []).length);
}

// A current-output CT (type C) needs a burden resistor on its channel; without one only
// voltage-output CTs (type V) and generic entries can work, as the original's picker has it.
function modelsOf(tables, type, burden) {
  const list = ((type === 'VT' ? tables.VT : tables.CT) || []).filter((m) => type === 'VT' || burden > 0 || m.type !== 'C');
  const names = list.map((m) => m.model);
  if (!names.includes('generic')) names.push('generic');
  return names;
}

function modelEntry(tables, type, model) {
  return ((type === 'VT' ? tables.VT : tables.CT) || []).find((m) => m.model === model);
}

// The calibration in force: the input's own cal, else its model's.
export function effectiveCal(input, tables) {
  if (input?.cal !== undefined && input.cal !== null && input.cal !== '') return Number(input.cal);
  return modelEntry(tables, input?.type, input?.model)?.cal;
}

// The sensor's own lead tables (p50/p60 of a generic or calibrated sensor) stay on save while
// its model does: they were measured for that sensor, and the daemon would otherwise use
// them over a newly picked model's. Other keys of the entry are always kept.
export function keepLeadTables(out, existing, model) {
  if (existing?.model !== model) for (const key of ['p50', 'p60']) delete out[key];
  return out;
}

// "p50 [2.1, 5, 1.6] · p60 [1.9]": the tables an entry carries, '' when none.
export function leadTablesText(input) {
  return ['p50', 'p60'].filter((key) => Array.isArray(input?.[key])).map((key) => `${key} [${input[key].join(', ')}]`).join(' · ');
}

function listRow(config, ch, onEdit) {
  const input = (config.inputs || [])[ch];
  const active = input && typeof input === 'object';
  const notes = [];
  if (active && input.type === 'CT') {
    notes.push(`Vref ${input.vchan ?? 0}`);
    if (input.double) notes.push('×2');
    if (input.reverse) notes.push('↺');
    if (input.signed) notes.push('±');
    if (input.role) notes.push(input.role);
  }
  return el('tr', { dataset: { channel: ch } }, el('td', {}, ch),
    el('td', { class: 'name' }, active ? input.name : el('span', { class: 'muted' }, 'unused')),
    el('td', {}, active ? input.type : ''), el('td', { class: 'hide-phone' }, active ? input.model || 'generic' : ''),
    el('td', { class: 'hide-phone muted' }, notes.join(' · ')),
    el('td', {}, el('button', { class: 'secondary', type: 'button', onclick: () => onEdit(ch) }, active ? 'Edit' : 'Add')));
}

function vtChannels(config) {
  return (config.inputs || []).map((i, ch) => (i && i.type === 'VT' ? [String(ch), `${ch}: ${i.name}`] : null)).filter(Boolean);
}

function editor(ctx, ch, close) {
  const config = ctx.state.config;
  const existing = (config.inputs || [])[ch];
  const input = existing && typeof existing === 'object' ? existing : { name: '', type: 'CT' };
  const p = (key) => `inputs[${ch}].${key}`;
  const name = textInput(input.name, { id: 'input-name', placeholder: `Input_${ch}` });
  const type = selectInput(['CT', 'VT'], input.type || 'CT', { id: 'input-type' });
  const model = el('select', { id: 'input-model' });
  const cal = numberInput(input.cal, { id: 'input-cal' });
  const turns = numberInput(input.turns, { id: 'input-turns' });
  const phase = numberInput(input.phase, { id: 'input-phase' });
  const vts = vtChannels(config);
  const vchan = selectInput(vts.length ? vts : [['0', '0']], input.vchan ?? (vts[0]?.[0] ?? 0), { id: 'input-vchan' });
  const signed = checkbox(p('signed'), 'Allow negative power (mains, solar)', input.signed);
  const reverse = checkbox(p('reverse'), 'Reverse', input.reverse);
  const double = checkbox(p('double'), 'Double (240 V load on a 120 V reference)', input.double);
  // Step events (GET /events): the smallest power step reported; empty keeps the default.
  const stepWatts = numberInput(input.step_watts, { id: 'input-step-watts', placeholder: '25 (default)', min: 0 });
  // The home view's role (roles.js): empty keeps the guess from the name.
  const role = selectInput([['', `from the name (${guessRole(input.name)})`], ['mains', 'mains (grid connection)'],
    ['solar', 'solar inverter'], ['circuit', 'circuit']], input.role || '', { id: 'input-role' });
  name.addEventListener('input', () => { role.options[0].textContent = `from the name (${guessRole(name.value)})`; });
  const ctOnly = el('div', { class: 'row' }, field(p('vchan'), 'Voltage reference', vchan), field(p('role'), 'Home view role', role),
    field(p('step_watts'), 'Events from (W)', stepWatts, '0: no events'), signed, reverse, double);
  const calBox = el('div');
  const general = el('div');

  const burden = Number((config.device?.burden || [])[ch]) || 0;
  const burdenNote = el('p', { class: 'muted' }, burden > 0 ? `Burden resistor: ${burden} Ω.` : 'No burden resistor on this channel: voltage-output CTs only.');
  const tables = leadTablesText(input);
  const tablesNote = tables ? el('p', { class: 'muted', id: 'input-lead-tables' },
    `Lead tables of this sensor: ${tables}. Kept while the model stays ${input.model || 'generic'}.`) : null;
  const fillModels = () => {
    const names = modelsOf(ctx.tables, type.value, burden);
    // The input's own model stays selectable even where the filter would hide it.
    if (input.model && type.value === input.type && !names.includes(input.model)) names.unshift(input.model);
    const keep = model.value || input.model;
    model.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
    model.value = names.includes(keep) ? keep : names[0];
    const entry = modelEntry(ctx.tables, type.value, model.value);
    cal.placeholder = entry?.cal ? `${entry.cal} (model)` : '';
    turns.placeholder = entry?.turns ? `${entry.turns} (model)` : '';
    phase.placeholder = entry?.phase !== undefined ? `${entry.phase} (model)` : '';
    ctOnly.hidden = type.value !== 'CT';
    burdenNote.hidden = type.value !== 'CT';
    turns.parentElement && (turns.parentElement.hidden = type.value !== 'CT');
  };
  model.value = input.model || '';
  type.addEventListener('change', fillModels);
  model.addEventListener('change', () => { cal.value = ''; turns.value = ''; fillModels(); });

  const form = el('form', { class: 'card', id: 'input-editor', dataset: { path: `inputs[${ch}]`, channel: ch } },
    el('h2', {}, `Input ${ch}`), general,
    burdenNote, tablesNote,
    el('div', { class: 'row' }, field(p('name'), 'Name', name), field(p('type'), 'Type', type), field(p('model'), 'Model', model)),
    el('div', { class: 'row' }, field(p('cal'), type.value === 'VT' ? 'Cal (V per V)' : 'Cal', cal, 'empty: the model\'s'),
      field(p('turns'), 'Turns', turns), field(p('phase'), 'Phase lead °', phase)),
    ctOnly, calBox,
    el('div', { class: 'row' }, el('button', { type: 'submit', id: 'input-save' }, 'Save'),
      existing ? el('button', { type: 'button', class: 'danger', id: 'input-delete', onclick: () => remove() }, 'Delete') : null,
      el('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
  fillModels();

  const collect = () => {
    const out = { ...(existing && typeof existing === 'object' ? existing : {}) };
    out.name = name.value.trim();
    out.type = type.value;
    out.model = model.value;
    keepLeadTables(out, existing, out.model);
    for (const [key, box] of [['cal', cal], ['turns', turns], ['phase', phase]]) {
      if (box.value === '') delete out[key]; else out[key] = Number(box.value);
    }
    if (out.type === 'CT') {
      out.vchan = Number(vchan.value);
      if (role.value) out.role = role.value; else delete out.role;
      if (stepWatts.value === '') delete out.step_watts; else out.step_watts = Number(stepWatts.value);
      for (const [key, box] of [['signed', signed], ['reverse', reverse], ['double', double]]) {
        const on = box.querySelector('input').checked;
        if (on) out[key] = true; else delete out[key];
      }
    } else {
      for (const key of ['vchan', 'signed', 'reverse', 'double', 'vphase', 'vmult', 'turns', 'role', 'step_watts']) delete out[key];
    }
    return out;
  };
  const store = (next, value) => {
    next.inputs = next.inputs || [];
    while (next.inputs.length <= ch) next.inputs.push(null);
    next.inputs[ch] = value;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = collect();
    ctx.save((next) => store(next, value), form, general, `Input ${ch} (${value.name}) saved.`);
  });
  async function remove() {
    const users = (config.inputs || []).filter((i) => i && i.type === 'CT' && Number(i.vchan ?? 0) === ch);
    if (input.type === 'VT' && users.length) {
      general.replaceChildren(notice('error', `This VT is the voltage reference of ${users.map((u) => u.name).join(', ')}: change those first.`));
      return;
    }
    if (!confirm(`Delete input ${ch} (${input.name})? Its history stays in the log.`)) return;
    ctx.openInput = null;
    ctx.save((next) => store(next, null), form, general, `Input ${ch} deleted.`);
  }

  let stopCal = null;
  if (existing && input.type === 'VT') stopCal = calibration(ctx, ch, input, calBox);
  if (existing && input.type === 'CT') calibrationSteps(ctx, ch, input, calBox);
  return { form, stop: () => stopCal?.() };
}

// POST /calibrate: the daemon measures for a few seconds and proposes the adjusted input(s).
// Throws with the daemon's words (no load, not resistive...) when the step is not possible.
export async function measureStep(body) {
  const response = await send('/calibrate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  let answer = null;
  try { answer = JSON.parse(text); } catch { /* not JSON: a refusal of the edge */ }
  if (!response.ok) throw new Error(answer?.error || `HTTP ${response.status} ${text}`);
  return answer;
}

// The keys a step changes in the saved entries of its proposal.
const STEP_KEYS = { vt_ratio: ['cal'], ct_ratio: ['cal', 'turns'], ct_phase: ['phase', 'p50', 'p60'], vt_phase: ['phase', 'p50', 'p60'] };

function saveProposal(ctx, box, result, step, answer, okText) {
  return ctx.save((cfg) => {
    for (const proposed of answer.inputs) {
      const next = { ...cfg.inputs[proposed.channel] };
      for (const key of STEP_KEYS[step]) if (proposed[key] !== undefined) next[key] = proposed[key];
      cfg.inputs[proposed.channel] = next;
    }
  }, box.closest('form'), result, okText);
}

const errorText = (side) => (side.unit === 'deg' ? `${fmt(side.error, 3)}°` : `${fmt(side.error, 2)} %`);

// Before and after of a proposal, as a small table.
function beforeAfter(answer) {
  const phase = answer.before.unit === 'deg';
  const row = (label, side) => el('tr', {}, el('th', {}, label), el('td', { class: `cal-${label.toLowerCase()}` }, errorText(side)),
    el('td', {}, phase ? `${fmt(side.pf05_error_percent, 2)} %` : ''), el('td', {}, phase ? `phase ${side.phase}°` : `cal ${side.cal}${side.turns ? `, turns ${side.turns}` : ''}`));
  const m = answer.measured;
  return el('div', {},
    el('p', { class: 'muted' }, m.wh !== undefined ? `Measured ${fmt(m.wh / 1000, 3)} kWh on channel(s) ${m.channels.join(', ')}.`
      : `Measured over ${fmt(m.seconds, 0)} s: ${fmt(m.volts, 1)} V, ${fmt(m.amps, 2)} A, ${fmt(m.watts, 0)} W, ${fmt(m.vars, 1)} var (angle ${fmt(m.angle_deg, 3)}°).`),
    el('table', { class: 'cal-table' }, el('thead', {}, el('tr', {}, el('th'), el('th', {}, 'error'), el('th', {}, phase ? 'on a PF 0.5 load' : ''), el('th', {}, 'setting'))),
      el('tbody', {}, row('Before', answer.before), row('After', answer.after))));
}

// One guided step: what to do, the fields of its reference, Measure, then the before/after and Apply.
function guidedStep(ctx, ch, box, { id, title, help, fields = [], request }) {
  const result = el('div', { id: `${id}-result` });
  const measure = el('button', { type: 'button', class: 'secondary', id: `${id}-measure` }, 'Measure');
  measure.addEventListener('click', async () => {
    measure.disabled = true;
    result.replaceChildren(notice('info', 'Measuring for 5 seconds…'));
    try {
      const answer = await measureStep(request());
      const apply = el('button', { type: 'button', id: `${id}-apply` }, 'Apply');
      apply.addEventListener('click', () => saveProposal(ctx, box, result, answer.step, answer,
        `${answer.name}: ${title} applied; error ${errorText(answer.before)} → ${errorText(answer.after)}. Measure again to check.`));
      result.replaceChildren(beforeAfter(answer), el('div', { class: 'row' }, apply));
    } catch (err) {
      result.replaceChildren(notice('error', err.message));
    } finally {
      measure.disabled = false;
    }
  });
  box.append(el('section', { class: 'card', id }, el('h2', {}, title), el('p', { class: 'muted' }, help),
    el('div', { class: 'row' }, ...fields, measure), result));
}

// A CT's steps: phase under a resistive load, then ratio against a clamp meter or the utility meter.
function calibrationSteps(ctx, ch, input, box) {
  guidedStep(ctx, ch, box, {
    id: 'cal-phase', title: 'CT phase',
    help: 'After the VT steps. Switch on a resistive load on this circuit alone (kettle, heater, incandescent lamp: power factor 1) and press Measure while it runs.',
    request: () => ({ step: 'ct_phase', channel: ch, seconds: 5 }),
  });
  const amps = numberInput('', { id: 'cal-amps', placeholder: 'e.g. 9.87', min: 0 });
  guidedStep(ctx, ch, box, {
    id: 'cal-ratio', title: 'CT ratio',
    help: 'Clamp a meter on the same wire, keep the load steady, enter its amps and press Measure. For the utility meter over a period use POST /calibrate with kwh_start and kwh_end (README).',
    fields: [field(`inputs[${ch}].clamp`, 'Clamp meter (A)', amps)],
    request: () => ({ step: 'ct_ratio', channel: ch, seconds: 5, reference: { amps: Number(amps.value) } }),
  });
}

// A VT's steps: ratio against a voltmeter (live volts shown), phase through a trusted CT.
function calibration(ctx, ch, input, box) {
  const live = el('strong', { id: 'vcal-live' }, '–');
  const meter = numberInput('', { id: 'vcal-meter', placeholder: 'e.g. 231.4', min: 1 });
  const result = el('div', { id: 'vcal-result' });
  const apply = el('button', { type: 'button', id: 'vcal-apply' }, 'Set cal from the meter');
  apply.addEventListener('click', async () => {
    if (!(Number(meter.value) > 0)) {
      result.replaceChildren(notice('error', 'Enter the meter\'s reading in volts while the live value shows.'));
      return;
    }
    apply.disabled = true;
    result.replaceChildren(notice('info', 'Measuring for 3 seconds…'));
    try {
      const answer = await measureStep({ step: 'vt_ratio', channel: ch, seconds: 3, reference: { volts: Number(meter.value) } });
      const done = `Cal of ${input.name} changed from ${answer.before.cal} to ${answer.after.cal} (error ${errorText(answer.before)} → ${errorText(answer.after)}); the live voltage follows within a few seconds.`;
      if (await saveProposal(ctx, box, result, 'vt_ratio', answer, done)) {
        // The page was drawn again with the editor open: say it where the button was, in view
        // (the message at the top of the page is off-screen down here).
        const shown = document.getElementById('vcal-result');
        shown?.replaceChildren(notice('ok', done));
        shown?.scrollIntoView({ block: 'nearest' });
      }
    } catch (err) {
      result.replaceChildren(notice('error', explain(err, 'Calibrating')));
    } finally {
      apply.disabled = false;
    }
  });
  box.append(el('section', { class: 'card' }, el('h2', {}, 'VT ratio: calibrate against a meter'),
    el('p', { class: 'muted' }, 'First step. Measure the mains voltage at the panel with a good meter and enter it while the live value is steady.'),
    el('div', { class: 'row' }, el('span', {}, 'Live: ', live, ' V'), field(`inputs[${ch}].meter`, 'Meter reads (V)', meter), apply), result));
  const cts = (ctx.state.config.inputs || []).map((i, c) => (i && i.type === 'CT' && Number(i.vchan ?? 0) === ch && i.model && i.model !== 'generic' ? [String(c), `${c}: ${i.name} (${i.model})`] : null)).filter(Boolean);
  const trusted = selectInput(cts.length ? cts : [['', 'no catalog CT on this VT']], cts[0]?.[0] ?? '', { id: 'cal-vt-ct' });
  guidedStep(ctx, ch, box, {
    id: 'cal-vtphase', title: 'VT phase',
    help: 'Second step, before any CT phase. Switch on a resistive load (kettle, heater) on a circuit whose CT is a catalog model, pick it, and press Measure: its angle is the VT\'s lead error.',
    fields: [field(`inputs[${ch}].trusted`, 'Trusted CT', trusted)],
    request: () => ({ step: 'vt_phase', channel: ch, ct: Number(trusted.value), seconds: 5 }),
  });
  return every(1000, async () => {
    const status = await getJSON('/status?inputs');
    const mine = (status.inputs || []).find((i) => i.channel === ch);
    live.textContent = fmt(mine?.Vrms ?? null, 2);
  });
}

export function render(ctx, root) {
  const config = ctx.state.config;
  const slot = el('div');
  let stopEditor = null;
  // The editor stays open across a save (the page re-renders), so a calibration can be watched.
  const edit = (ch) => {
    stopEditor?.();
    ctx.openInput = ch;
    const e = editor(ctx, ch, () => { stopEditor?.(); ctx.openInput = null; slot.replaceChildren(); });
    stopEditor = e.stop;
    slot.replaceChildren(e.form);
    e.form.scrollIntoView({ block: 'nearest' });
    e.form.querySelector('#input-name').focus();
  };
  const rows = [];
  for (let ch = 0; ch < channelCount(config); ch++) rows.push(listRow(config, ch, edit));
  root.append(el('section', { class: 'card', id: 'input-list' }, el('h2', {}, 'Inputs'),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Name'), el('th', {}, 'Type'),
      el('th', { class: 'hide-phone' }, 'Model'), el('th', { class: 'hide-phone' }, ''), el('th'))), el('tbody', {}, rows))), slot);
  if (ctx.openInput !== null && ctx.openInput !== undefined) edit(ctx.openInput);
  return () => stopEditor?.();
}
