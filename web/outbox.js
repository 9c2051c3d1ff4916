// Sessions finished while the server could not be reached, kept on this
// device (localStorage) until they are sent: at once when the connection
// comes back, when tpt starts, or with the "Send now" button wherever they
// are listed. Each carries its own id (client_id), so a session sent twice
// (the answer lost on the way back) is kept once.

import { ApiError, post } from './api.js';
import { el, when } from './dom.js';
import { t, tn } from './i18n.js';

const KEY = 'tpt.outbox';
const listeners = new Set();

function read() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function write(list) {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch { /* private mode: it stays only in this page */ }
  for (const fn of listeners) fn();
}

export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// Keeps a session summary of a record to send later.
export function keep(patient, summary) {
  const list = read().filter((item) => item.summary.client_id !== summary.client_id);
  list.push({ patient: String(patient), summary, kept: new Date().toISOString() });
  write(list);
}

export const waiting = (patient) => read().filter((item) => item.patient === String(patient));

let sending = null;

// Sends every waiting session; those the server refuses for good stay with
// the reason, to be discarded by the person. Resolves to how many are left.
export function sendWaiting() {
  if (sending) return sending;
  sending = (async () => {
    for (const item of read()) {
      if (item.refused) continue;
      try {
        await post(`/patients/${item.patient}/sessions`, item.summary);
        write(read().filter((x) => x.summary.client_id !== item.summary.client_id));
      } catch (err) {
        if (err instanceof ApiError && !err.offline && err.status >= 400 && err.status < 500 && err.status !== 401) {
          write(read().map((x) => (x.summary.client_id === item.summary.client_id ? { ...x, refused: err.message } : x)));
        } else {
          break; /* still no connection: try again later */
        }
      }
    }
    sending = null;
    return read().length;
  })();
  return sending;
}

export function discard(clientId) {
  write(read().filter((x) => x.summary.client_id !== clientId));
}

// The sessions of a record that wait on this device, with "Send now"; it
// follows every change of the outbox while it is on the page.
export function waitingBox(patient) {
  const box = el('section', { class: 'outbox', id: 'outbox', 'aria-live': 'polite' });
  const draw = () => {
    if (!box.isConnected && box.dataset.drawn) {
      listeners.delete(draw);
      return;
    }
    box.dataset.drawn = 'true';
    const items = waiting(patient);
    box.textContent = '';
    box.hidden = !items.length;
    if (!items.length) return;
    const error = el('p', { class: 'error', role: 'alert', hidden: true });
    box.append(el('h3', { text: tn(items.length, 'A session waits to be sent', '{n} sessions wait to be sent') }),
      el('p', { class: 'hint', text: t('They were finished while tpt could not reach its server, and are kept on this device until they are sent.') }),
      el('ul', {}, items.map((item) => el('li', { 'data-client': item.summary.client_id },
        t('Finished {when}', { when: when(item.kept) }), ' ',
        item.refused ? [el('span', { class: 'error-text', text: t('refused: {why}', { why: item.refused }) }), ' ',
          el('button', { type: 'button', class: 'link-button', text: t('Discard'), onclick: () => discard(item.summary.client_id) })] : null))),
      error,
      el('button', {
        type: 'button', class: 'secondary', id: 'send-now', text: t('Send now'),
        onclick: async (e) => {
          e.target.disabled = true;
          const left = await sendWaiting();
          e.target.disabled = false;
          if (left && waiting(patient).some((x) => !x.refused)) {
            error.textContent = t('Still no connection to the server. The sessions stay on this device; tpt tries again when the connection is back.');
            error.hidden = false;
          }
        },
      }));
  };
  listeners.add(draw);
  draw();
  return box;
}
