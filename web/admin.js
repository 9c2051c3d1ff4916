// The clinic's pages: the patients list with its search and a new patient
// (practitioners and administrators); the clinics (the operator) and the
// audit log (administrators and the operator). The accounts are accounts.js.

import { ApiError, get, post } from './api.js';
import { day, el, errorBox, field, pageTitle, showError, submitForm, when } from './dom.js';
import { t } from './i18n.js';
import { roleWords } from './account.js';
import { auditWords } from './audit_words.js';

// ---- patients ----

const flagWords = (flag) => ({ emergency: t('Emergency'), urgent: t('Urgent'), soon: t('See a doctor soon') }[flag] || flag);

function flagBadge(flag) {
  if (!flag) return null;
  return el('span', { class: `badge badge-${flag}`, 'data-flag': flag, text: flagWords(flag) });
}

export async function patientsPage(view, ctx) {
  // ?archived=1: the archived records, to find one again and restore it
  const archived = ctx.query.get('archived') === '1';
  view.append(pageTitle(archived ? t('Archived patients') : t('Patients')));
  const q = ctx.query.get('q') || '';
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const search = el('input', {
    type: 'search', id: 'patient-search', name: 'q', value: q, autocomplete: 'off',
    placeholder: t('Name'), 'aria-describedby': 'search-hint',
  });
  const results = el('div', { id: 'patient-results', 'aria-live': 'polite' });
  const searchForm = el('form', { class: 'search', role: 'search' },
    el('label', { for: 'patient-search', text: t('Search patients') }),
    el('div', { class: 'search-row' }, search, el('button', { type: 'submit', class: 'secondary', text: t('Search') })),
    el('p', { class: 'hint', id: 'search-hint', text: t('Part of a name is enough.') }));

  let asked = 0;
  async function load(text) {
    const mine = ++asked;
    try {
      const ask = new URLSearchParams();
      if (text) ask.set('q', text);
      if (archived) ask.set('archived', 'true');
      const answer = await get(`/patients${ask.size ? `?${ask}` : ''}`);
      if (mine !== asked || !ctx.alive()) return;
      showError(error, '');
      results.textContent = '';
      results.dataset.query = text;
      const list = answer.patients || [];
      if (!list.length) {
        results.append(el('p', { class: 'placeholder', text: text ? (archived ? t('No archived patient\'s name contains "{text}".', { text }) : t('No patient\'s name contains "{text}".', { text }))
          : archived ? t('No archived records.') : t('No patients yet. Add the first one below.') }));
        return;
      }
      results.append(el('ul', { class: 'patient-list' }, list.map((p) => el('li', { 'data-patient': String(p.id) },
        el('a', { href: `#/patients/${p.id}` }, el('span', { class: 'patient-name', text: p.name })),
        p.archived ? el('span', { class: 'hint', text: t('archived {when}', { when: day(p.archived) }) }) : null,
        flagBadge(p.flag)))));
    } catch (err) {
      if (mine === asked) showError(error, err.message);
    }
  }
  let wait = null;
  search.addEventListener('input', () => {
    clearTimeout(wait);
    wait = setTimeout(() => load(search.value.trim()), 250);
  });
  ctx.onLeave(() => clearTimeout(wait));
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(wait);
    load(search.value.trim());
  });

  const newError = el('p', { class: 'error', role: 'alert', hidden: true });
  const name = el('input', { type: 'text', name: 'name', id: 'new-patient-name', autocomplete: 'off', maxlength: '200' });
  const newForm = el('form', { class: 'form inline-form', id: 'new-patient' }, newError,
    field(t('Name'), name),
    el('button', { type: 'submit', class: 'primary', text: t('Add the patient') }));
  submitForm(newForm, newError, async () => {
    if (!name.value.trim()) throw new ApiError(t('Give the patient\'s name.'));
    const answer = await post('/patients', { name: name.value.trim() });
    ctx.go(`/patients/${answer.patient.id}`);
  });

  if (ctx.query.get('erased') === '1') {
    view.append(el('p', { class: 'ok', role: 'status', id: 'erased', text: t('The record is erased: everything in it is removed. Its audit log and a note that it was erased stay.') }));
  }
  if (archived) {
    view.append(el('p', { class: 'lead', text: t('Archived records are kept whole and leave the patients list. Open one to restore it from its details.') }),
      searchForm, error, results,
      el('p', {}, el('a', { href: '#/patients', id: 'to-patients', text: t('Back to the patients in care') })));
  } else {
    view.append(searchForm, error, results,
      el('p', {}, el('a', { href: '#/patients?archived=1', id: 'to-archived', text: t('Archived records') })),
      el('section', { class: 'new-patient' }, el('h2', { text: t('New patient') }), newForm));
  }
  await load(q);
}

// ---- clinics ----

export async function clinicsPage(view, ctx) {
  view.append(pageTitle(t('Clinics')));
  const list = el('div', { id: 'clinics' });
  const show = async () => {
    const { clinics } = await get('/clinics');
    list.replaceChildren(clinics.length
      ? el('ul', { class: 'plain-list' }, clinics.map((c) => el('li', { 'data-clinic': String(c.id), text: c.name })))
      : el('p', { class: 'placeholder', text: t('No clinics yet.') }));
  };
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const name = el('input', { type: 'text', name: 'name', id: 'clinic-name', autocomplete: 'off' });
  const f = el('form', { class: 'form inline-form' }, error, field(t('Name'), name),
    el('button', { type: 'submit', class: 'primary', text: t('Add the clinic') }));
  submitForm(f, error, async () => {
    if (!name.value.trim()) throw new ApiError(t('Give the clinic\'s name.'));
    await post('/clinics', { name: name.value.trim() });
    f.reset();
    await show();
  });
  view.append(list, el('h2', { text: t('New clinic') }), f);
  await show();
  if (!ctx.alive()) list.textContent = '';
}

// ---- the audit log ----

export async function auditPage(view, ctx) {
  view.append(pageTitle(t('Audit log')),
    el('p', { class: 'lead', text: t('Who opened or changed what, and who tried and was refused, newest first. Each line is chained to the one before by a hash: tpt db check on the server tells whether any was changed.') }));
  const patient = el('input', { type: 'number', name: 'patient', id: 'audit-patient', min: '1', inputmode: 'numeric', value: ctx.query.get('patient') || '' });
  const limit = el('select', { name: 'limit', id: 'audit-limit' },
    ['50', '200', '1000'].map((n) => el('option', { value: n, text: n, selected: n === (ctx.query.get('limit') || '50') })));
  const f = el('form', { class: 'filter-form' },
    field(t('Patient number (optional)'), patient),
    field(t('How many'), limit),
    el('button', { type: 'submit', class: 'secondary', text: t('Show') }));
  const out = el('div', { id: 'audit' });
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    if (patient.value) params.set('patient', patient.value);
    params.set('limit', limit.value);
    ctx.go(`/audit?${params}`);
  });
  view.append(f, out);
  const params = new URLSearchParams();
  if (ctx.query.get('patient')) params.set('patient', ctx.query.get('patient'));
  params.set('limit', ctx.query.get('limit') || '50');
  if (ctx.query.get('before')) params.set('before', ctx.query.get('before'));
  try {
    const { entries } = await get(`/audit?${params}`);
    if (!ctx.alive()) return;
    if (!entries.length) {
      out.append(el('p', { class: 'placeholder', text: t('Nothing logged yet.') }));
      return;
    }
    out.append(el('div', { class: 'table-wrap' }, el('table', { class: 'data audit-table' },
      el('thead', {}, el('tr', {}, [t('When'), t('Who'), t('What'), t('Patient'), t('Network address')].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, entries.map((e) => el('tr', { class: e.action.startsWith('refused ') ? 'refused' : false },
        el('td', { text: when(e.at) }),
        el('td', { text: e.user ? `${e.user.name} (${roleWords(e.user.role)}, ${e.user.email})` : '—' }),
        el('td', { text: auditWords(e.action) }),
        el('td', {}, e.patient ? el('a', { href: `#/patients/${e.patient.id}`, text: e.patient.name }) : '—'),
        el('td', { text: e.address || '—' })))))));
    if (entries.length === Number(params.get('limit'))) {
      const older = new URLSearchParams(params);
      older.set('before', String(entries[entries.length - 1].id));
      out.append(el('p', {}, el('a', { href: `#/audit?${older}`, id: 'audit-older', text: t('Older lines') })));
    }
  } catch (err) {
    out.append(errorBox(err.message));
  }
}
