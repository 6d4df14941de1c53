import { api, useSession, ProblemError } from './api.js';
import { h, clear } from './dom.js';
import { renderLogin } from './login.js';
import { renderOverview } from './overview.js';
import { renderRoute } from './route.js';

const KINDS = ['split', 'breaker', 'rollout', 'mirror', 'config', 'certificate', 'fleet', 'traffic', 'gap'];
const main = document.getElementById('main');
const listeners = new Map();
let session = null;
let view = null;
let events = null;

// What every view gets: who is logged in, the event stream, and the shared dialogs.
const context = {
  get session() { return session; },
  get canAct() { return session?.role === 'Operator'; },
  on(kinds, handler) {
    for (const kind of [kinds].flat()) {
      if (!listeners.has(kind)) listeners.set(kind, new Set());
      listeners.get(kind).add(handler);
    }
  },
  toast,
  confirm,
  failed,
};

function toast(message, kind = 'info') {
  const box = document.getElementById('toast');
  clear(box, h('p', { class: `toast ${kind}` }, message));
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.replaceChildren(), kind === 'error' ? 12000 : 4000);
}

// A confirmation that names the change; resolves true only on Confirm (Escape and Cancel say no).
function confirm(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.close();
      ok.removeEventListener('click', yes);
      cancel.removeEventListener('click', no);
      dialog.removeEventListener('cancel', no);
      resolve(answer);
    };
    const yes = () => done(true);
    const no = () => done(false);
    const ok = document.getElementById('confirm-ok');
    const cancel = document.getElementById('confirm-cancel');
    ok.addEventListener('click', yes);
    cancel.addEventListener('click', no);
    dialog.addEventListener('cancel', no);
    dialog.showModal();
    cancel.focus();
  });
}

// An action's error in words; a session that ended goes back to the login.
function failed(error) {
  if (error instanceof ProblemError && error.status === 401) {
    loggedOut('Your session ended; log in again.');
    return;
  }
  toast(error.message, 'error');
}

function connect() {
  events?.close();
  const live = document.getElementById('live');
  events = new EventSource('/api/events');
  events.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  events.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'live off'; };
  for (const kind of KINDS) {
    events.addEventListener(kind, (message) => {
      const data = JSON.parse(message.data);
      for (const handler of listeners.get(kind) ?? []) handler(data, kind);
    });
  }
}

function header() {
  const who = document.getElementById('who');
  if (!session) {
    who.replaceChildren();
    return;
  }
  clear(who,
    h('span', { class: 'muted' }, `${session.name} · ${session.role}`),
    h('button', { type: 'button', id: 'logout', onclick: logout }, 'Log out'));
}

async function logout() {
  try {
    await api('POST', '/console/logout');
  } catch (error) {
    toast(error.message, 'error');
  }
  loggedOut('Logged out.');
}

function loggedOut(message) {
  session = null;
  useSession(null);
  events?.close();
  events = null;
  document.getElementById('live').textContent = '';
  header();
  show();
  if (message) toast(message);
}

function loggedIn(started) {
  session = started;
  useSession(session);
  header();
  connect();
  show();
}

function show() {
  listeners.clear();
  view?.dispose?.();
  if (!session) {
    view = renderLogin(main, { loggedIn, toast });
    return;
  }
  const match = /^#\/routes\/(.+)$/.exec(location.hash);
  view = match ? renderRoute(main, context, decodeURIComponent(match[1])) : renderOverview(main, context);
}

window.addEventListener('hashchange', () => { if (session) show(); });
const current = await api('GET', '/console/session').catch(() => ({ data: null }));
if (current.data) loggedIn(current.data);
else show();
