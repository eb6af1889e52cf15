// Messages: the tail of the daemon's message log (admin), and the restart command. Lines are
// shown on the monitor's clock, as every other page: the daemon stamps them in UTC ("...Z"),
// and a UNIX time in a message gets its date beside it.
import { el, every, explain, getJSON, notice, request } from './api.js';
import { deviceZone, wallClock } from './devicetime.js';

const LOG_URL = '/iotawatt/iotamsgs.txt?textpos=-10000';

const pad = (n) => String(n).padStart(2, '0');
function clock(zone, unix) {
  const w = wallClock(zone, unix);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

// The log text with each line's UTC stamp on the monitor's clock and each UNIX time in a
// message (2001..2096, ten digits) followed by its date there. Pure: the unit tests run it.
export function readableLog(text, zone) {
  return text.split('\n').map((line) => {
    const stamp = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?Z/.exec(line);
    let out = line;
    if (stamp) {
      const unix = Date.UTC(+stamp[1], stamp[2] - 1, +stamp[3], +stamp[4], +stamp[5], +stamp[6]) / 1000;
      out = clock(zone, unix) + (stamp[7] || '') + line.slice(stamp[0].length);
    }
    return out.replace(/(?<![\d.])([1-3]\d{9})(?![\d.])/g, (m) => `${m} (${clock(zone, Number(m))})`);
  }).join('\n');
}

export function mount(main) {
  let zone = { name: '', offset: -new Date().getTimezoneOffset() * 60 };
  const zoneNote = el('small', { class: 'muted', id: 'log-zone' }, '');
  const pre = el('pre', { class: 'log', id: 'message-log' }, '');
  const message = el('div');
  const refresh = el('button', { class: 'secondary', onclick: () => load() }, 'Refresh');
  const restart = el('button', { class: 'danger', id: 'restart' }, 'Restart measurement');
  const follow = el('input', { type: 'checkbox', id: 'log-follow' });
  main.append(el('div', { class: 'row' }, el('h1', {}, 'Message log'), el('span', { class: 'spacer' }),
    el('label', { class: 'check', title: 're-read every 5 s' }, follow, 'follow'), refresh, restart),
    message, zoneNote, pre);

  async function load() {
    try {
      const text = readableLog(await (await request(LOG_URL)).text(), zone);
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
      if (pre.textContent !== text) pre.textContent = text || '(empty)';
      if (atEnd) pre.scrollTop = pre.scrollHeight;
    } catch (err) {
      pre.textContent = '';
      message.replaceChildren(notice('error', explain(err, 'Reading the message log')));
      if (err.refused) restart.disabled = true;
    }
  }

  restart.addEventListener('click', async () => {
    if (!confirm('Restart measurement? The daemon re-reads its config file; a few seconds of live values are skipped.')) return;
    restart.disabled = true;
    try {
      await request('/command?restart=yes', { method: 'POST' });
      message.replaceChildren(notice('ok', 'Restarted. The log below shows it.'));
      setTimeout(load, 1500);
    } catch (err) {
      message.replaceChildren(notice('error', explain(err, 'Restart')));
    } finally {
      restart.disabled = false;
    }
  });
  getJSON('/status?device').then((status) => {
    zone = deviceZone(status);
    zoneNote.textContent = `Times are the monitor's local time (${zone.name || 'its UTC offset'}).`;
  }).catch(() => { zoneNote.textContent = 'The monitor\'s time zone is unknown (/status): times are this browser\'s.'; })
    .finally(load);
  return every(5000, async () => { if (follow.checked) await load(); });
}
