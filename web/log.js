// Messages: the tail of the daemon's message log (admin), and the restart command.
import { el, every, explain, notice, request } from './api.js';

const LOG_URL = '/iotawatt/iotamsgs.txt?textpos=-10000';

export function mount(main) {
  const pre = el('pre', { class: 'log', id: 'message-log' }, '');
  const message = el('div');
  const refresh = el('button', { class: 'secondary', onclick: () => load() }, 'Refresh');
  const restart = el('button', { class: 'danger', id: 'restart' }, 'Restart measurement');
  const follow = el('input', { type: 'checkbox', id: 'log-follow' });
  main.append(el('div', { class: 'row' }, el('h1', {}, 'Message log'), el('span', { class: 'spacer' }),
    el('label', { class: 'check', title: 're-read every 5 s' }, follow, 'follow'), refresh, restart),
    message, pre);

  async function load() {
    try {
      const text = await (await request(LOG_URL)).text();
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
  load();
  return every(5000, async () => { if (follow.checked) await load(); });
}
