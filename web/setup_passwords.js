// Setup ▸ Passwords: POST /auth as the original's app sends it (base64 of
// {"oldadmin","newadmin","newuser","localAccess"}). Empty new passwords remove them.
import { el, getJSON, notice, send } from './api.js';
import { field } from './form.js';

export async function render(ctx, root) {
  let state = {};
  try { state = (await getJSON('/status?passwords')).passwords || {}; } catch { /* shown as unknown */ }
  const input = (id) => el('input', { type: 'password', id, autocomplete: 'new-password', maxlength: 64 });
  const oldAdmin = input('pw-old'), newAdmin = input('pw-admin'), newUser = input('pw-user');
  const local = el('input', { type: 'checkbox', id: 'pw-local', checked: !!state.localAccess });
  const result = el('div');
  const form = el('form', { class: 'card', id: 'password-form' }, el('h2', {}, 'Passwords'),
    el('p', { class: 'muted' }, `Admin password ${state.admin ? 'set' : 'not set'}, user password ${state.user ? 'set' : 'not set'}. `,
      'With an admin password set, every page asks for a login: "admin" changes things, "user" only looks.'),
    el('div', { class: 'row' }, state.admin ? field('oldadmin', 'Current admin password', oldAdmin) : null,
      field('newadmin', 'New admin password', newAdmin, 'empty: none (everything open)'), field('newuser', 'New user password', newUser, 'empty: none')),
    el('label', { class: 'check' }, local, 'Unrestricted access from the local network'),
    el('div', { class: 'row' }, el('button', { type: 'submit' }, 'Change passwords')), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!newAdmin.value && newUser.value) {
      result.replaceChildren(notice('error', 'A user password needs an admin password.'));
      return;
    }
    const body = { oldadmin: oldAdmin.value, newadmin: newAdmin.value, newuser: newUser.value, localAccess: local.checked };
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const response = await send('/auth', { method: 'POST', body: btoa(String.fromCharCode(...bytes)) });
    const text = await response.text();
    if (response.ok) result.replaceChildren(notice('ok', `${text || 'Done.'} The browser asks for the new login on the next request.`));
    else if (response.status === 401 || response.status === 403) result.replaceChildren(notice('warn', 'Changing passwords needs the admin login.'));
    else result.replaceChildren(notice('error', text));
  });
  root.append(form);
}
