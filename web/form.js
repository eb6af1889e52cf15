// Form pieces for the setup pages: a labelled field that knows the config key path it edits
// (data-path), so the daemon's `key.path: problem` lines land next to the right field.
import { el } from './api.js';

// field('inputs[3].name', 'Name', inputElement[, hint])
export function field(path, label, input, hint) {
  if (!input.id) input.id = `f-${path.replace(/[^\w]/g, '_')}`;
  input.dataset.path = path;
  return el('label', { class: 'field', dataset: { path }, for: input.id }, label, input,
    hint ? el('small', { class: 'muted' }, hint) : null);
}

export function textInput(value, attrs = {}) {
  return el('input', { type: 'text', value: value ?? '', ...attrs });
}

export function numberInput(value, attrs = {}) {
  return el('input', { type: 'number', step: 'any', value: value ?? '', ...attrs });
}

export function checkbox(path, label, checked) {
  const input = el('input', { type: 'checkbox', checked: !!checked, dataset: { path } });
  return el('label', { class: 'check', dataset: { path } }, input, label);
}

export function selectInput(options, value, attrs = {}) {
  const select = el('select', attrs);
  for (const o of options) {
    const [v, text] = Array.isArray(o) ? o : [o, o];
    select.append(el('option', { value: v }, text));
  }
  if (value !== undefined && value !== null) select.value = String(value);
  return select;
}

export function clearProblems(root) {
  root.querySelectorAll('.field-error').forEach((n) => n.remove());
  root.querySelectorAll('.invalid').forEach((n) => n.classList.remove('invalid'));
}

// Shorter and shorter prefixes of a key path: outputs[2].expr, outputs[2], outputs.
function prefixes(path) {
  const out = [path];
  let p = path;
  while (true) {
    const m = /^(.*)(\[\d+\]|\.[^.[\]]+)$/.exec(p);
    if (!m || !m[1]) break;
    p = m[1];
    out.push(p);
  }
  return out;
}

// Puts each problem under the field with the longest matching path inside `root`; the rest
// go into `general` (a list shown at the top). Returns how many found a field.
export function showProblems(root, problems, general) {
  clearProblems(root);
  general.replaceChildren();
  let placed = 0;
  for (const problem of problems) {
    const target = problem.path && prefixes(problem.path)
      .map((p) => root.querySelector(`[data-path="${CSS.escape(p)}"]:not(input):not(select):not(textarea)`))
      .find(Boolean);
    const text = `${problem.path ? problem.path + ': ' : ''}${problem.message}`;
    if (target) {
      target.append(el('p', { class: 'field-error', role: 'alert' }, problem.message));
      target.querySelector('input,select,textarea')?.classList.add('invalid');
      placed++;
    } else {
      general.append(el('p', { class: 'notice error', role: 'alert' }, text));
    }
  }
  return placed;
}
