// Setup ▸ Passwords: POST /auth as the original's app sends it (base64 of
// {"oldadmin","newadmin","newuser","localAccess"}). Empty new passwords remove them. Each new
// password is typed twice, and needs MIN_LENGTH characters (the daemon refuses shorter ones:
// src/server/auth/password_change.h).
import { el, getJSON, notice, send } from './api.js';
import { field } from './form.js';

const MIN_LENGTH = 8;

// Why the new passwords cannot be sent, or '' when they can.
export function passwordProblem(admin, adminAgain, user, userAgain) {
  if (admin !== adminAgain) return 'The two new admin passwords differ.';
  if (user !== userAgain) return 'The two new user passwords differ.';
  if (!admin && user) return 'A user password needs an admin password.';
  if ([admin, user].some((p) => p && [...p].length < MIN_LENGTH)) return `Passwords need at least ${MIN_LENGTH} characters.`;
  return '';
}

export async function render(ctx, root) {
  let state = {};
  try { state = (await getJSON('/status?passwords')).passwords || {}; } catch { /* shown as unknown */ }
  root.append(passwordForm(state));
}

// The form for passwords in `state` ({admin, user, localAccess}); after a change it is drawn
// again for what is now in force (/status would ask for the new login first), with `done`.
function passwordForm(state, done = null) {
  const input = (id) => el('input', { type: 'password', id, autocomplete: 'new-password', maxlength: 64 });
  const oldAdmin = input('pw-old'), newAdmin = input('pw-admin'), newUser = input('pw-user');
  const adminAgain = input('pw-admin-again'), userAgain = input('pw-user-again');
  const local = el('input', { type: 'checkbox', id: 'pw-local', checked: !!state.localAccess });
  const result = el('div', {}, done);
  const form = el('form', { class: 'card', id: 'password-form' }, el('h2', {}, 'Passwords'),
    el('p', { class: 'muted' }, el('span', { id: 'pw-state' }, `Admin password ${state.admin ? 'set' : 'not set'}, user password ${state.user ? 'set' : 'not set'}. `),
      'With an admin password set, every page asks for a login: "admin" changes things, "user" only looks.'),
    el('div', { class: 'row' }, state.admin ? field('oldadmin', 'Current admin password', oldAdmin) : null,
      field('newadmin', 'New admin password', newAdmin, `${MIN_LENGTH}+ characters; empty: none (everything open)`),
      field('newadmin-again', 'Repeat new admin password', adminAgain)),
    el('div', { class: 'row' }, field('newuser', 'New user password', newUser, `${MIN_LENGTH}+ characters; empty: none`),
      field('newuser-again', 'Repeat new user password', userAgain)),
    el('label', { class: 'check' }, local, 'Unrestricted access from the local network'),
    el('div', { class: 'row' }, el('button', { type: 'submit' }, 'Change passwords')), result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problem = passwordProblem(newAdmin.value, adminAgain.value, newUser.value, userAgain.value);
    if (problem) {
      result.replaceChildren(notice('error', problem));
      return;
    }
    const body = { oldadmin: oldAdmin.value, newadmin: newAdmin.value, newuser: newUser.value, localAccess: local.checked };
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const response = await send('/auth', { method: 'POST', body: btoa(String.fromCharCode(...bytes)) });
    const text = await response.text();
    if (response.ok) {
      const now = { admin: !!newAdmin.value, user: !!newUser.value, localAccess: local.checked };
      const what = now.admin ? 'Passwords changed.' : 'Passwords removed: every page is open.';
      form.replaceWith(passwordForm(now, notice('ok', `${what} The browser asks for the new login on the next request.`)));
    } else if (response.status === 401 || response.status === 403) {
      result.replaceChildren(notice('warn', 'Changing passwords needs the admin login.'));
    } else {
      result.replaceChildren(notice('error', text));
    }
  });
  return form;
}
