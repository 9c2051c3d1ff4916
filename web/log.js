// The daily log of a record: an entry added (at least one measure; a time
// in the past or now), the entries listed, and each corrected or removed by
// whoever entered it or the clinic's staff (PUT and DELETE
// /patients/ID/log/N, audited; progress is made from what is kept, so it
// follows).

import {
  ApiError, change, get, post, remove,
} from './api.js';
import {
  confirmBox, el, field, showError, when,
} from './dom.js';
import { patientFrame } from './frame.js';
import { t } from './i18n.js';
import { nextLink } from './care.js';

function painSelect(name, value) {
  return el('select', { name },
    el('option', { value: '', text: '—' }),
    Array.from({ length: 11 }, (_, i) => el('option', {
      value: String(i), selected: value === i, text: i === 0 ? t('0 none') : i === 10 ? t('10 worst') : String(i),
    })));
}

// "2026-11-21T08:30:00Z" as a datetime-local input's value, in local time.
function localInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// The form of an entry, empty or filled with one to correct.
function entryForm(e = {}) {
  const minutes = (name, value) => el('input', {
    type: 'number', name, min: '0', max: '1440', inputmode: 'numeric', value: value ?? '',
  });
  return [
    el('div', { class: 'field-row' },
      field(t('Leg pain now (0–10)'), painSelect('leg_pain', e.leg_pain)),
      field(t('Back pain now (0–10)'), painSelect('back_pain', e.back_pain))),
    el('div', { class: 'field-row' },
      field(t('How long can you sit? (minutes)'), minutes('sitting_minutes', e.sitting_minutes)),
      field(t('How long can you walk? (minutes)'), minutes('walking_minutes', e.walking_minutes))),
    field(t('Did pain disturb your sleep last night?'), el('select', { name: 'sleep_disturbed' },
      el('option', { value: '', text: '—' }),
      el('option', { value: 'yes', text: t('Yes'), selected: e.sleep_disturbed === true }),
      el('option', { value: 'no', text: t('No'), selected: e.sleep_disturbed === false }))),
    field(t('Medication taken'), el('input', { type: 'text', name: 'medication', maxlength: '200', value: e.medication || '' })),
    field(t('Note'), el('textarea', { name: 'note', rows: '2', maxlength: '1000', text: e.note || '' })),
    field(e.at ? t('When') : t('When (leave empty for now)'), el('input', { type: 'datetime-local', name: 'at', value: e.at ? localInput(e.at) : '' })),
  ];
}

// The entry a form holds; an ApiError naming the field when it cannot be.
function readEntry(f) {
  const v = (n) => f.elements[n].value.trim();
  const bad = (name, message) => new ApiError(message, 0, { error: { field: name } });
  const entry = {};
  if (v('leg_pain')) entry.leg_pain = Number(v('leg_pain'));
  if (v('back_pain')) entry.back_pain = Number(v('back_pain'));
  for (const n of ['sitting_minutes', 'walking_minutes']) {
    if (!v(n)) continue;
    if (!/^\d+$/.test(v(n)) || Number(v(n)) > 1440) throw bad(n, t('Minutes are a whole number from 0 to 1440.'));
    entry[n] = Number(v(n));
  }
  if (v('sleep_disturbed')) entry.sleep_disturbed = v('sleep_disturbed') === 'yes';
  if (v('medication')) entry.medication = v('medication');
  if (v('note')) entry.note = v('note');
  const measures = ['leg_pain', 'back_pain', 'sitting_minutes', 'walking_minutes', 'sleep_disturbed'];
  if (!measures.some((m) => m in entry)) {
    throw bad('leg_pain', t('Give at least one measure: leg or back pain, sitting or walking time, or sleep.'));
  }
  if (v('at')) {
    const at = new Date(v('at'));
    if (Number.isNaN(at.getTime())) throw bad('at', t('The time could not be read.'));
    if (at.getTime() > Date.now() + 60000) throw bad('at', t('The time is in the future.'));
    entry.at = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return entry;
}

// Whether this account may correct an entry: staff, who entered it, or the
// record's own account for what no account entered (the server checks too).
export function mayCorrect(ctx, id, author) {
  const { user } = ctx.me;
  return user.role !== 'patient' || author === user.id || (!author && String(user.patient) === String(id));
}

export async function logPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'log');
  if (!frame) return;
  const { id, body } = frame;
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const saved = el('p', { class: 'ok', role: 'status', hidden: true });
  const list = el('div', { id: 'log-entries' });
  const f = el('form', { class: 'form log-form', novalidate: true }, entryForm(),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Add to the log') })));
  const done = async (message) => {
    await showLog(list, id, ctx, done);
    saved.textContent = message;
    saved.hidden = false;
  };
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    saved.hidden = true;
    const button = f.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await post(`/patients/${id}/log`, readEntry(f));
      f.reset();
      await done(t('Added to the log.'));
    } catch (err) {
      showError(error, err.message);
      if (err.field && f.elements[err.field]) f.elements[err.field].focus();
    } finally {
      button.disabled = false;
    }
  });
  body.append(el('p', { class: 'lead', text: t('Rate your pain from 0 (none) to 10 (the worst you can imagine). A few entries a week are enough to see change; several a day are fine.') }),
    error, saved, f, el('h2', { text: t('Entries') }), list,
    nextLink(`#/patients/${id}/progress`, t('See progress')));
  await showLog(list, id, ctx, done);
}

// The entries, newest first, each with Change and Remove for who may.
async function showLog(box, id, ctx, done) {
  const { entries } = await get(`/patients/${id}/log`);
  box.textContent = '';
  if (!entries.length) {
    box.append(el('p', { class: 'placeholder', text: t('No entries yet.') }));
    return;
  }
  const rows = [...entries].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  const cell = (v, unit = '') => (v === null || v === undefined ? '—' : `${v}${unit}`);
  box.append(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Log entries') }, el('table', { class: 'data log-table' },
    el('thead', {}, el('tr', {}, [t('When'), t('Leg'), t('Back'), t('Sit'), t('Walk'), t('Sleep disturbed'), t('Note'), t('Correct')]
      .map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows.map((e) => el('tr', { 'data-entry': String(e.id) },
      el('td', { text: when(e.at) }),
      el('td', { text: cell(e.leg_pain) }),
      el('td', { text: cell(e.back_pain) }),
      el('td', { text: cell(e.sitting_minutes, ` ${t('min')}`) }),
      el('td', { text: cell(e.walking_minutes, ` ${t('min')}`) }),
      el('td', { text: e.sleep_disturbed === true ? t('yes') : e.sleep_disturbed === false ? t('no') : '—' }),
      el('td', { text: [e.medication, e.note].filter(Boolean).join('; ') }),
      el('td', { class: 'row-actions' }, mayCorrect(ctx, id, e.author) ? [
        el('button', {
          type: 'button', class: 'link-button', 'data-action': 'change', text: t('Change'),
          'aria-label': t('Change the entry of {when}', { when: when(e.at) }),
          onclick: () => editEntry(box, id, e, done),
        }),
        el('button', {
          type: 'button', class: 'link-button danger-link', 'data-action': 'remove', text: t('Remove'),
          'aria-label': t('Remove the entry of {when}', { when: when(e.at) }),
          onclick: async () => {
            const yes = await confirmBox({
              title: t('Remove this entry?'),
              text: t('The entry of {when} leaves the log, and progress is worked out again without it. The audit log keeps that it was removed.', { when: when(e.at) }),
              confirm: t('Remove'),
              danger: true,
            });
            if (!yes) return;
            await remove(`/patients/${id}/log/${e.id}`);
            await done(t('The entry is removed.'));
          },
        })] : null))))),
  ));
}

// An entry's correction, in a dialog: the same form, filled.
function editEntry(box, id, entry, done) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const f = el('form', { class: 'form', method: 'dialog', novalidate: true }, error, entryForm(entry),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'primary', text: t('Save the correction') }),
      el('button', { type: 'button', class: 'secondary', text: t('Cancel'), onclick: () => close() })));
  const dialog = el('dialog', { class: 'confirm edit-entry', 'aria-labelledby': 'edit-title' },
    el('h2', { id: 'edit-title', text: t('Correct the entry of {when}', { when: when(entry.at) }) }), f);
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    try {
      const fixed = readEntry(f);
      if (!fixed.at) fixed.at = entry.at;
      await change(`/patients/${id}/log/${entry.id}`, fixed);
      close();
      await done(t('The entry is corrected.'));
    } catch (err) {
      showError(error, err.message);
    }
  });
  dialog.addEventListener('cancel', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  f.querySelector('select').focus();
}
