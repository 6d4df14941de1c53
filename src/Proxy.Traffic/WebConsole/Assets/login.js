import { api } from './api.js';
import { h, clear } from './dom.js';

// The key goes to the gateway once, in this request; the browser keeps only the HttpOnly session cookie it answers with.
export function renderLogin(main, { loggedIn, toast }) {
  const key = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' });
  const form = h('form', { id: 'login', class: 'login', onsubmit: submit },
    h('h1', {}, 'Log in'),
    h('p', { class: 'muted' }, 'Paste an admin API key (Admin:ApiKeys). It is sent once and not stored in the browser.'),
    h('label', { for: 'key' }, 'API key'),
    key,
    h('button', { type: 'submit', class: 'primary', id: 'login-button' }, 'Log in'),
    error);
  clear(main, form);
  key.focus();

  async function submit(event) {
    event.preventDefault();
    error.textContent = '';
    try {
      const { data } = await api('POST', '/console/login', { key: key.value });
      key.value = '';
      loggedIn(data);
      toast(`Logged in as ${data.name} (${data.role}).`);
    } catch (problem) {
      key.value = '';
      error.textContent = problem.message;
      key.focus();
    }
  }

  return { dispose() {} };
}
