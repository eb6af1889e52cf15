// The app shell: one page module per #hash, each exporting mount(element) that returns a
// function stopping its timers. Pages load on demand, so the home page starts fast. #status is
// the daemon's details page (named Details in the menu).
import { el, explain, getJSON } from './api.js';

const pages = {
  home: () => import('./home.js'),
  status: () => import('./status.js'),
  graphs: () => import('./graphs.js'),
  events: () => import('./events.js'),
  scope: () => import('./scope.js'),
  setup: () => import('./setup.js'),
  log: () => import('./log.js'),
};

let unmount = null;
let generation = 0;

async function show() {
  const asked = location.hash.slice(1).split('?')[0];
  const name = pages[asked] ? asked : 'home';
  const load = pages[name];
  const mine = ++generation;
  if (unmount) { unmount(); unmount = null; }
  const main = document.getElementById('page');
  main.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.getAttribute('href') === `#${name}`));
  document.getElementById('nav').classList.remove('open');
  try {
    const module = await load();
    if (mine !== generation) return;
    main.replaceChildren();
    main.dataset.page = name;
    unmount = (await module.mount(main)) || null;
  } catch (err) {
    // A module that does not load is most often uPlot missing from web/node_modules.
    const hint = err instanceof TypeError ? ' (is uPlot installed? scripts/setup.sh runs npm ci in web/)' : '';
    main.replaceChildren(el('p', { class: 'notice error' }, explain(err, `The ${name} page`) + hint));
  }
}

async function title() {
  try {
    const status = await getJSON('/status?device');
    const name = status.device?.name || 'IoTaWatt';
    document.getElementById('device-name').textContent = name;
    document.title = `${name} · IoTaWatt`;
  } catch { /* the status page reports what is wrong */ }
}

document.querySelector('.menu-toggle').addEventListener('click', (e) => {
  const nav = document.getElementById('nav');
  nav.classList.toggle('open');
  e.currentTarget.setAttribute('aria-expanded', nav.classList.contains('open'));
});
window.addEventListener('hashchange', show);
// A saved config may rename the device: the header follows (setup.js sends this).
window.addEventListener('iotawatt:config-saved', title);
title();
show();

// Installable app: the service worker caches the app's shell, never API answers (sw.js).
// Browsers allow one only in a secure context (HTTPS, or the monitor on localhost).
if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('/sw.js').catch((err) => console.warn(`service worker: ${err.message}`));
}
