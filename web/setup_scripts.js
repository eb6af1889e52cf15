// Setup ▸ Outputs and Integrators: named expressions over inputs, with a live preview of each
// value from POST /calc/preview. New entries are written in the readable form ("expr":
// names, + - * /, min/max/abs, integrator.pos/.neg/.net); entries in the original's compact
// "script" form are kept in that form.
import { el, HttpError, notice, send } from './api.js';
import { field, selectInput, textInput } from './form.js';

const LIVE_MS = 2000;

export const UNITS = ['Watts', 'Volts', 'Amps', 'VA', 'VAR', 'VARh', 'Hz', 'PF', 'Wh'];

// What the expression can name: inputs, outputs, integrator parts, functions.
function vocabulary(config) {
  const words = [];
  for (const i of config.inputs || []) if (i && i.name) words.push(i.name);
  for (const o of config.outputs || []) if (o && o.name) words.push(o.name);
  for (const g of config.integrators || []) if (g && g.name) words.push(`${g.name}.pos`, `${g.name}.neg`, `${g.name}.net`);
  return [...words, 'min(a, b)', 'max(a, b)', 'abs(x)'];
}

function insertAtCursor(box, text) {
  const start = box.selectionStart ?? box.value.length, end = box.selectionEnd ?? box.value.length;
  box.value = box.value.slice(0, start) + text + box.value.slice(end);
  box.focus();
  box.selectionStart = box.selectionEnd = start + text.length;
  box.dispatchEvent(new Event('input'));
}

// POST /calc/preview; the answer in words for the preview line.
export async function preview(body) {
  try {
    const response = await send('/calc/preview', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 404) return { kind: 'muted', text: 'live preview not available on this daemon' };
    if (response.status === 401 || response.status === 403) return { kind: 'muted', text: 'preview needs the admin login' };
    let answer = {};
    try { answer = JSON.parse(text); } catch { answer = { error: text }; }
    if (!response.ok) return { kind: 'error', text: answer.error || text };
    return { kind: 'ok', text: `now: ${Number(answer.value).toFixed(2)} ${answer.units || body.units || ''}` };
  } catch (err) {
    return { kind: 'error', text: err instanceof HttpError ? err.message : String(err) };
  }
}

// One row per entry of `list` (config key `key`): name, units, expression, preview, delete.
// fixedUnits: integrators are always Wh. Returns {element, collect()}.
export function scriptList(config, key, list, { fixedUnits = null, addLabel = 'Add' } = {}) {
  const rows = el('div', { class: 'script-rows' });
  const words = vocabulary(config);
  const addRow = (entry, index) => {
    const p = (k) => `${key}[${index}].${k}`;
    const form = 'script' in entry && !('expr' in entry) ? 'script' : 'expr';
    const name = textInput(entry.name, { class: 'script-name', placeholder: 'Name', size: 12 });
    const units = fixedUnits ? null : selectInput(UNITS, entry.units || 'Watts', { class: 'script-units' });
    const expr = textInput(entry[form] ?? '', { class: 'script-expr', placeholder: form === 'expr' ? 'Mains - Solar' : '@1+@2', size: 34, spellcheck: 'false' });
    const pick = selectInput([['', 'insert…'], ...words.map((w) => [w, w])], '', { class: 'script-insert', 'aria-label': 'insert a name' });
    pick.addEventListener('change', () => { if (pick.value) insertAtCursor(expr, pick.value); pick.value = ''; });
    const shown = el('small', { class: 'muted script-preview', dataset: { updates: '0' } }, '');
    // Live: the value is asked again every LIVE_MS while the row is on the page.
    let timer = null;
    const refresh = async () => {
      if (shown.dataset.updates !== '0' && !shown.isConnected) return;  // the page moved on
      if (!expr.value.trim()) { shown.textContent = ''; return; }
      const r = await preview({ [form]: expr.value, units: fixedUnits || units.value });
      shown.className = r.kind === 'error' ? 'field-error script-preview' : 'muted script-preview';
      shown.textContent = r.text;
      shown.dataset.updates = String(Number(shown.dataset.updates) + 1);
      clearTimeout(timer);
      if (r.kind === 'ok') timer = setTimeout(refresh, LIVE_MS);
    };
    const update = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 350);
    };
    expr.addEventListener('input', update);
    units?.addEventListener('change', update);
    const row = el('div', { class: 'row script-row', dataset: { path: `${key}[${index}]`, form } },
      field(p('name'), 'Name', name),
      units ? field(p('units'), 'Units', units) : null,
      el('div', { class: 'script-cell' }, field(p(form), form === 'expr' ? 'Expression' : 'Script (original syntax)', expr),
        el('div', { class: 'row' }, pick, shown)),
      el('button', { type: 'button', class: 'secondary', onclick: () => { row.remove(); } }, 'Delete'));
    row.entry = entry;
    row.read = () => {
      const out = { ...entry, name: name.value.trim(), units: fixedUnits || units.value };
      delete out.expr; delete out.script;
      out[form] = expr.value.trim();
      return out;
    };
    rows.append(row);
    if (expr.value) update();
  };
  list.forEach((entry, i) => addRow(entry || {}, i));
  const add = el('button', { type: 'button', class: 'secondary', onclick: () => addRow({ units: fixedUnits || 'Watts', expr: '' }, rows.children.length) }, addLabel);
  const element = el('div', { class: 'script-list', dataset: { key } }, rows, el('div', { class: 'row' }, add));
  // Rows are renumbered in order, so a problem's index matches what is posted.
  const collect = () => [...rows.children].map((row, i) => {
    row.dataset.path = `${key}[${i}]`;
    row.querySelectorAll('[data-path]').forEach((n) => { n.dataset.path = n.dataset.path.replace(/^[^\]]*\[\d+\]/, `${key}[${i}]`); });
    return row.read();
  });
  return { element, collect };
}

function scriptsPage(ctx, root, key, title, help, fixedUnits) {
  const config = ctx.state.config;
  const general = el('div');
  const list = scriptList(config, key, Array.isArray(config[key]) ? config[key] : [], { fixedUnits, addLabel: `Add ${title.toLowerCase().replace(/s$/, '')}` });
  const form = el('form', { class: 'card', id: `${key}-form` }, el('h2', {}, title), el('p', { class: 'muted' }, help), general,
    list.element, el('div', { class: 'row' }, el('button', { type: 'submit', id: `${key}-save` }, 'Save')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const entries = list.collect();
    const blank = entries.findIndex((o) => !o.name);
    if (blank >= 0) {
      general.replaceChildren(notice('error', `Entry ${blank + 1} has no name.`));
      return;
    }
    ctx.save((next) => { next[key] = entries; }, form, general, `${title} saved.`);
  });
  root.append(form);
}

export function renderOutputs(ctx, root) {
  scriptsPage(ctx, root, 'outputs', 'Outputs',
    'Values computed from inputs, logged and graphed like inputs. Names of inputs, outputs and integrators, numbers, + - * / and parentheses, min(a,b), max(a,b), abs(x).', null);
}

export function renderIntegrators(ctx, root) {
  scriptsPage(ctx, root, 'integrators', 'Integrators',
    'Energy in Wh accumulated per interval from an expression; use name.pos, name.neg and name.net in outputs.', 'Wh');
}
