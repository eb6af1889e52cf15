// Setup: device, inputs, outputs, integrators, uploaders, passwords and updates. Every change reads /config,
// edits a copy, and posts it back with the X-configSHA256 it was read with: a 409 means
// someone else saved in between (reload, tell the user), a 400 lists problems by key path
// (shown next to their fields).
import { ConfigConflict, ConfigInvalid, ConfigNeedsConfirmation, el, explain, getJSON, loadConfig, notice, saveConfig } from './api.js';
import { field, selectInput, showProblems, textInput } from './form.js';

// Each tab: its title and the render(ctx, root) of its module, loaded when first shown.
const tabs = {
  device: { title: 'Device', module: async () => renderDevice },
  inputs: { title: 'Inputs', module: async () => (await import('./setup_inputs.js')).render },
  outputs: { title: 'Outputs', module: async () => (await import('./setup_scripts.js')).renderOutputs },
  integrators: { title: 'Integrators', module: async () => (await import('./setup_scripts.js')).renderIntegrators },
  uploaders: { title: 'Uploaders', module: async () => (await import('./setup_uploaders.js')).render },
  passwords: { title: 'Passwords', module: async () => (await import('./setup_passwords.js')).render },
  updates: { title: 'Updates', module: async () => (await import('./setup_updates.js')).render },
};

// Saves `config`; when the daemon answers that it would stop measuring or switch the sample
// source, asks the user with its words and sends the confirmation it named.
async function saveAsked(config, sha) {
  try {
    return await saveConfig(config, sha);
  } catch (err) {
    if (!(err instanceof ConfigNeedsConfirmation) || !confirm(`${err.message}\n\nApply this configuration anyway?`)) throw err;
    return saveConfig(config, sha, err.confirm);
  }
}

function timeZones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch { return ['UTC', 'Europe/Berlin', 'America/New_York']; }
}

function renderDevice(ctx, root) {
  const c = ctx.state.config;
  const device = c.device || {};
  const name = textInput(device.name || 'IotaWatt', { id: 'device-name-input', maxlength: 32 });
  const zones = timeZones();
  const options = zones.map((z) => [z, z]);
  if (typeof c.timezone === 'number' || (typeof c.timezone === 'string' && !zones.includes(c.timezone))) {
    options.unshift([String(c.timezone), `${c.timezone} (hours from UTC, the original's form)`]);
  }
  const zone = selectInput(options, c.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, { id: 'device-timezone' });
  const general = el('div');
  const save = el('button', { type: 'submit' }, 'Save');
  const form = el('form', { class: 'card', id: 'device-form' }, el('h2', {}, 'Device'), general,
    el('div', { class: 'row' }, field('device.name', 'Name', name, 'letters, digits, - and _'),
      field('timezone', 'Time zone', zone, 'days, months and hours of the graphs follow it')),
    el('div', { class: 'row' }, save));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.save((next) => {
      next.device = { ...(next.device || {}), name: name.value.trim() };
      const z = zone.value;
      next.timezone = /^-?\d+(\.\d+)?$/.test(z) ? Number(z) : z;
      if (typeof next.timezone === 'string') delete next.dstrule;
    }, form, general, 'Device saved.');
  });
  root.append(form);
}

export async function mount(main) {
  const message = el('div', { id: 'config-message' });
  const tabBar = el('div', { class: 'tabs', role: 'tablist' });
  const body = el('div', { id: 'config-body' });
  main.append(el('h1', {}, 'Setup'), message, tabBar, body);
  const ctx = { state: null, tables: { VT: [], CT: [] } };
  let current = new URLSearchParams(location.hash.split('?')[1] || '').get('tab') || 'device';
  let stopTab = null;

  ctx.flash = (kind, text) => message.replaceChildren(notice(kind, text));
  ctx.reload = async () => { ctx.state = await loadConfig(); };
  // Applies `mutate` to a copy of the config and saves it. Returns true when saved.
  ctx.save = async (mutate, root, general, okText) => {
    const next = structuredClone(ctx.state.config);
    mutate(next);
    try {
      await saveAsked(next, ctx.state.sha);
      await ctx.reload();
      window.dispatchEvent(new Event('iotawatt:config-saved'));
      ctx.flash('ok', okText || 'Saved.');
      await show(current);
      return true;
    } catch (err) {
      if (err instanceof ConfigConflict) {
        await ctx.reload();
        await show(current);
        ctx.flash('warn', 'The configuration was changed elsewhere after this page read it. It has been reloaded: check it and make your change again.');
      } else if (err instanceof ConfigNeedsConfirmation) {
        ctx.flash('warn', 'Not saved: the running configuration is unchanged.');
      } else if (err instanceof ConfigInvalid) {
        const placed = showProblems(root, err.problems, general);
        ctx.flash('error', `Not saved: the daemon found ${err.problems.length} problem(s)${placed ? ', shown next to the fields' : ''}. The running configuration is unchanged.`);
      } else {
        ctx.flash('error', explain(err, 'Saving the configuration'));
      }
      return false;
    }
  };

  async function show(name) {
    current = tabs[name] ? name : 'device';
    stopTab?.();
    stopTab = null;
    tabBar.querySelectorAll('button').forEach((b) => b.classList.toggle('active', b.dataset.tab === current));
    const render = await tabs[current].module();
    body.replaceChildren();
    stopTab = (await render(ctx, body)) || null;
  }

  for (const [name, tab] of Object.entries(tabs)) {
    tabBar.append(el('button', { type: 'button', role: 'tab', dataset: { tab: name }, onclick: () => { message.replaceChildren(); show(name); } }, tab.title));
  }
  try {
    await ctx.reload();
  } catch (err) {
    message.replaceChildren(notice(err.refused ? 'warn' : 'error', err.refused
      ? 'Setup needs the admin login: this login may look at the status and the graphs, but not read or change the configuration, nor read the message log.'
      : explain(err, 'Reading /config')));
    tabBar.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    return null;
  }
  try {
    ctx.tables = await getJSON('/tables.txt');
  } catch (err) {
    ctx.flash('warn', explain(err, 'The CT/VT model catalog (/tables.txt)'));
  }
  await show(current);
  return () => stopTab?.();
}
