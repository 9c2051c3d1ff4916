// Building the page: elements, the boxes every page shares (errors, the
// red-flag block, the notice) and small formatting helpers. No framework.

import { language, t } from './i18n.js';

export const $ = (id) => document.getElementById(id);

// el('p', {class: 'x', text: 'hi', onclick: f}, child, ...): attributes set
// as given; false, null and undefined are left out, true is an empty value.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

// parent.append(...) that leaves out what is not there (null, false), as
// el() does; the native append would write "null".
export function put(parent, ...children) {
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) parent.append(c);
  return parent;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

// A page's title: the h1 that focus moves to when the page changes, so a
// screen reader hears where it is.
export function pageTitle(text, ...extra) {
  document.title = `${text} · tpt`;
  return el('h1', { class: 'page-title', tabindex: '-1', id: 'page-title' }, text, ...extra);
}

export function errorBox(message) {
  return el('p', { class: 'error', role: 'alert', text: message });
}

export function showError(box, message) {
  box.textContent = message || '';
  box.hidden = !message;
  if (message) box.scrollIntoView({ block: 'nearest' });
}

// Runs fn when form f is submitted, its submit button disabled meanwhile and
// a failure's message shown in the error box. A failure that names an input
// of the form (err.field) is shown beside that input, which is marked
// invalid until the next try; with focusField the input gets the focus.
export function submitForm(f, error, fn, focusField = false) {
  const home = document.createComment('the error box');
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    if (home.isConnected) home.replaceWith(error);
    for (const marked of f.querySelectorAll('[aria-invalid="true"]')) marked.removeAttribute('aria-invalid');
    const button = f.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    try {
      await fn();
    } catch (err) {
      const name = err.field && String(err.field).replace(/\[\d+\]/g, '').split('.').pop();
      const bad = name && f.querySelector(`[name="${CSS.escape(name)}"]`);
      if (bad) {
        bad.setAttribute('aria-invalid', 'true');
        const beside = bad.closest('.field');
        if (beside && error.isConnected && !home.isConnected) {
          error.replaceWith(home);
          beside.append(error);
        }
      }
      showError(error, err.message);
      if (bad && focusField) bad.focus();
    } finally {
      if (button) button.disabled = false;
    }
  });
}

// The heading of a warning's level, in words.
export function levelWords(level) {
  switch (level) {
  case 'emergency': return t('Emergency: get help now');
  case 'urgent': return t('Urgent: see a doctor before any self-treatment');
  case 'soon': return t('See a doctor soon');
  case 'none': return t('No warning sign');
  default: return null;
  }
}

// Self-treatment stopped, in words, wherever a page would offer it.
export const heldBack = () => t('Self-treatment (the home program and guided sessions) is stopped while this '
  + 'warning stands. It starts again only after a clinician has checked you and the safety questions '
  + 'are answered again without this warning.');

// The box that stands in place of self-treatment while an emergency or
// urgent flag stands: what is stopped and why. The advice is left out where
// the record's banner above already gives it.
export function blockBox(level, title, advice, what) {
  return el('section', {
    class: `warning blocked level-${level || 'urgent'}`, role: 'alert', 'data-blocked': level || 'urgent',
  },
  el('h2', { text: title }),
  advice ? el('p', { text: advice }) : null,
  el('p', { class: 'blocked-what', text: what }));
}

// Every result says it is not a diagnosis: the server's own sentence when
// it sent one, this one otherwise.
export function notice(text) {
  return el('p', {
    class: 'notice',
    text: text || t('This is not a diagnosis. Only a clinician who examines you can '
      + 'diagnose. Go to an emergency department at once for numbness between the legs, numbness or '
      + 'weakness in both legs, or any change in bladder or bowel control.'),
  });
}

export function percent(p) {
  if (p >= 0.995) return '>99%';
  if (p < 0.005) return '<1%';
  return `${Math.round(p * 100)}%`;
}

// "12 Mar 2026, 14:05" in the reader's own time zone.
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(language(), {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

export function day(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(language(), { day: 'numeric', month: 'short', year: 'numeric' });
}

export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const r = s % 60;
  if (!m) return t('{s} s', { s: r });
  return r ? t('{m} min {s} s', { m, s: r }) : t('{m} min', { m });
}

// A copy field: the text, selected on focus, and a button that copies it.
export function copyField(value, label) {
  const input = el('input', {
    type: 'text', class: 'copy-text', readonly: true, value, 'aria-label': label,
    onfocus: (e) => e.target.select(),
  });
  const done = el('span', { class: 'copy-done', role: 'status' });
  const button = el('button', {
    type: 'button', class: 'secondary copy-button', text: t('Copy'),
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        done.textContent = t('Copied.');
      } catch {
        input.select();
        done.textContent = t('Select the text and copy it.');
      }
    },
  });
  return el('div', { class: 'copy' }, input, button, done);
}

// A labelled field for forms: <label> above the control, a hint below.
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return el('div', { class: 'field' },
    el('label', { for: id, text: label }),
    control,
    hint ? el('p', { class: 'hint', text: hint }) : null);
}

// Asks before something that cannot be undone, in a modal <dialog>:
// resolves true when confirmed, false when cancelled (Escape too).
export function confirmBox({ title, text, confirm, cancel = t('Cancel'), danger = false }) {
  return new Promise((resolve) => {
    const yes = el('button', { type: 'button', class: danger ? 'danger' : 'primary', id: 'confirm-yes', text: confirm });
    const no = el('button', { type: 'button', class: 'secondary', id: 'confirm-no', text: cancel });
    const box = el('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' },
      el('h2', { id: 'confirm-title', text: title }),
      [text].flat().map((t) => el('p', { text: t })),
      el('div', { class: 'actions' }, yes, no));
    const done = (answer) => {
      box.close();
      box.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    box.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(box);
    box.showModal();
    no.focus();
  });
}
