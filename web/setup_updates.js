// Setup ▸ Updates: the update class and server (config "update" and "update_server",
// src/config/update_config.h) and what the updater says (/status?update): the running version,
// the last check and what it found, the release offered, a version on trial, and the history
// with the reason of every rollback. The daemon checks 5 s after the class or server changes.
import { el, fmtDate, getJSON } from './api.js';
import { deviceZone } from './devicetime.js';
import { field, numberInput, selectInput, textInput } from './form.js';

const CLASSES = [
  ['NONE', 'NONE: never check'],
  ['MAJOR', 'MAJOR: major releases only'],
  ['MINOR', 'MINOR: minor releases (recommended)'],
  ['BETA', 'BETA: the latest production release'],
  ['ALPHA', 'ALPHA: the latest features, and the latest bugs'],
];

// The public keys typed one per line (blank lines dropped), as update_server.keys.
export function keysFromText(text) {
  return text.split(/\s+/).map((k) => k.trim()).filter(Boolean);
}

// The update_server section a form's values make, or undefined when no URL is given (no server).
export function serverSection(previous, url, keysText, interval, deadline) {
  if (!url.trim()) return undefined;
  const section = { ...(previous || {}), url: url.trim() };
  const keys = keysFromText(keysText);
  if (keys.length) section.keys = keys; else delete section.keys;
  if (interval !== '') section.interval = Number(interval);
  if (deadline !== '') section.health_deadline = Number(deadline);
  return section;
}

function statusCard(u, zone) {
  if (!u) return el('div', { class: 'card', id: 'update-status' }, el('p', { class: 'muted' }, 'The updater does not answer.'));
  const rows = [
    ['Running', `${u.version} (${u.arch})`],
    ['State', u.state + (u.trial ? `, ${u.trial} on trial until it reports healthy` : '')],
    ['Last check', u.lastcheck ? fmtDate(u.lastcheck, zone) : 'not yet'],
    ['Next check', u.nextcheck ? fmtDate(u.nextcheck, zone) : '–'],
    ['Offered', u.available || '–'],
    ['Said', u.message || '–'],
  ];
  const history = (u.history || []).slice().reverse().map((h) => el('li', { class: h.outcome === 'rolled back' ? 'bad' : '' },
    `${fmtDate(h.time, zone)}: ${h.outcome} ${h.from ? `${h.from} → ${h.to}` : ''}${h.reason ? `: ${h.reason}` : ''}`));
  return el('div', { class: 'card', id: 'update-status' }, el('h2', {}, 'Updater'),
    el('table', { class: 'kv' }, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))),
    el('h3', {}, 'History'), history.length ? el('ul', { id: 'update-history' }, ...history) : el('p', { class: 'muted' }, 'Nothing installed yet.'));
}

export async function render(ctx, root) {
  const c = ctx.state.config;
  const server = c.update_server || {};
  let status = null, zone = null;
  try {
    const s = await getJSON('/status?update&device');
    status = s.update;
    zone = deviceZone(s);
  } catch { /* shown as not answering */ }
  const cls = selectInput(CLASSES, String(c.update || 'NONE').toUpperCase(), { id: 'update-class' });
  const url = textInput(server.url, { id: 'update-url', size: 48, placeholder: 'https://updates.example.org/iotawatt' });
  const keys = el('textarea', { id: 'update-keys', rows: 2, spellcheck: false }, (server.keys || []).join('\n'));
  const interval = numberInput(server.interval ?? '', { id: 'update-interval', min: 600, max: 86400, placeholder: '3600' });
  const deadline = numberInput(server.health_deadline ?? '', { id: 'update-deadline', min: 60, max: 3600, placeholder: '600' });
  const general = el('div');
  const form = el('form', { class: 'card', id: 'update-form' }, el('h2', {}, 'Updates'),
    el('p', { class: 'muted' }, 'Signed releases only. A new version that does not come up healthy is rolled back by itself.'),
    general,
    el('div', { class: 'row' }, field('update', 'Update class', cls),
      field('update_server.url', 'Update server', url, 'https:// only; empty: no checks')),
    el('div', { class: 'row' }, field('update_server.keys', 'Extra release keys', keys,
      'one per line, 64 hex digits (only for releases you sign yourself)')),
    el('div', { class: 'row' }, field('update_server.interval', 'Check every (s)', interval, '600 to 86400'),
      field('update_server.health_deadline', 'Healthy within (s)', deadline, 'else rolled back; 60 to 3600')),
    el('div', { class: 'row' }, el('button', { type: 'submit', id: 'update-save' }, 'Save')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.save((next) => {
      next.update = cls.value;
      const section = serverSection(next.update_server, url.value, keys.value, interval.value, deadline.value);
      if (section) next.update_server = section; else delete next.update_server;
    }, form, general, cls.value === 'NONE' ? 'Saved: no update checks.' : 'Saved: the monitor checks in a few seconds.');
  });
  root.append(form, statusCard(status, zone));
}
