// The clinic's side of a record, for practitioners and administrators: the
// patient's details (birth year, contact, consent to treatment, the planned
// course of care, archiving) on the overview; the list of visits with a new
// intake or follow-up, the course of care judged against the outcome
// measures, and the letters. The visit itself is visit.js.

import { ApiError, change, get, url } from './api.js';
import { patientFrame } from './frame.js';
import { confirmBox, day, el, errorBox, field, put, showError, when } from './dom.js';
import { scoreText } from './measures.js';

// ---- who wrote a note ----

// Who wrote or signed a note, from the name the server sends with it: the
// account's own as "(you)", none for a note added on the command line
// without an account.
export function authorNames(ctx) {
  const me = ctx.me.user;
  return (id, name) => (id === me.id ? `${me.name} (you)` : name || (id ? `account ${id}` : 'not recorded'));
}

// "Intake" or "Follow-up".
export const KIND_WORDS = { intake: 'Intake', 'follow-up': 'Follow-up' };

// ---- the patient's details ----

const THIS_YEAR = new Date().getFullYear();

function consentText(p) {
  return p.consent ? `Given, recorded for ${day(p.consent)}` : 'Not recorded yet';
}

// The details box of the overview, with its form; staff only.
export async function detailsSection(id, ctx) {
  const box = el('section', { class: 'details', id: 'details', 'aria-labelledby': 'details-title' });
  let p;
  let visits = null;
  try {
    [{ patient: p }, visits] = await Promise.all([
      get(`/patients/${id}/details`),
      get(`/patients/${id}/visits`).catch(() => null),
    ]);
  } catch (err) {
    box.append(el('h2', { id: 'details-title', text: 'Patient details' }), errorBox(err.message));
    return box;
  }
  const show = () => {
    box.textContent = '';
    box.dataset.archived = p.archived ? 'yes' : 'no';
    const signed = visits ? visits.visits.filter((v) => v.signed_at).length : 0;
    const count = visits ? visits.visits.length : 0;
    put(box,
      el('div', { class: 'section-head' },
        el('h2', { id: 'details-title', text: 'Patient details' }),
        el('button', { type: 'button', class: 'secondary small', id: 'edit-details', text: 'Edit details', onclick: edit })),
      p.archived ? el('div', { class: 'caution archived', role: 'status' },
        el('p', {}, el('strong', { text: `Archived on ${day(p.archived)}. ` }),
          'The record is kept but is not in the patients list.'),
        el('button', { type: 'button', class: 'secondary small', id: 'restore', text: 'Restore the record', onclick: () => archive(false) })) : null,
      el('dl', { class: 'facts details-facts' },
        el('dt', { text: 'Born' }), el('dd', { id: 'detail-born', text: p.birth_year ? `${p.birth_year} (about ${THIS_YEAR - p.birth_year} years old)` : '—' }),
        el('dt', { text: 'Contact' }), el('dd', { id: 'detail-contact', text: p.contact || '—' }),
        el('dt', { text: 'Consent to treatment' }),
        el('dd', { id: 'detail-consent', class: p.consent ? 'consent-given' : 'consent-missing', text: consentText(p) }),
        el('dt', { text: 'Course of care' }),
        el('dd', { id: 'detail-course' }, `${p.planned_visits} visit${p.planned_visits === 1 ? '' : 's'} planned`,
          visits ? `; ${count} so far (${signed} signed). ` : '. ',
          el('a', { href: `#/patients/${id}/visits`, text: 'See the visits' }))),
      p.archived ? null : el('p', {},
        el('button', { type: 'button', class: 'link-button', id: 'archive', text: 'Archive this record', onclick: () => archive(true) })));
  };

  async function archive(on) {
    if (on) {
      const yes = await confirmBox({
        title: 'Archive this record?',
        text: ['The record is kept whole, with its visits, but leaves the patients list.',
          'You can restore it from here at any time.'],
        confirm: 'Archive',
      });
      if (!yes) return;
    }
    try {
      ({ patient: p } = await change(`/patients/${id}/details`, { archived: on }));
      show();
      box.querySelector(on ? '#restore' : '#archive')?.focus();
    } catch (err) {
      box.append(errorBox(err.message));
    }
  }

  function edit() {
    box.textContent = '';
    const error = el('p', { class: 'error', role: 'alert', hidden: true });
    const input = (name, attrs) => el('input', { name, id: `detail-in-${name}`, ...attrs });
    const consented = input('consented', { type: 'checkbox', checked: Boolean(p.consent) });
    const consentDate = input('consent', {
      type: 'date', value: p.consent ? p.consent.slice(0, 10) : '', disabled: !p.consent,
      'aria-label': 'Date of consent',
    });
    consented.addEventListener('change', () => {
      consentDate.disabled = !consented.checked;
      if (consented.checked && !consentDate.value) consentDate.value = new Date().toISOString().slice(0, 10);
    });
    const f = el('form', { class: 'form details-form', id: 'details-form', novalidate: true }, error,
      field('Name', input('name', { type: 'text', value: p.name, maxlength: '199', autocomplete: 'off' })),
      el('div', { class: 'field-row' },
        field('Birth year', input('birth_year', {
          type: 'number', inputmode: 'numeric', min: '1900', max: String(THIS_YEAR), value: p.birth_year ?? '',
        })),
        field('Planned visits', input('planned_visits', {
          type: 'number', inputmode: 'numeric', min: '1', max: '50', value: p.planned_visits,
        }), 'The course of care: 1 to 50 visits.')),
      field('Contact', input('contact', { type: 'text', value: p.contact || '', maxlength: '199', autocomplete: 'off' }),
        'A phone number or email address, as the patient prefers.'),
      el('fieldset', { class: 'consent' },
        el('legend', { text: 'Consent to treatment' }),
        el('label', { class: 'check-line', for: 'detail-in-consented' }, consented,
          el('span', { text: 'The patient has given informed consent to treatment' })),
        el('div', { class: 'field consent-date' }, el('label', { for: 'detail-in-consent', text: 'Given on' }), consentDate)),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'primary', text: 'Save the details' }),
        el('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => { show(); box.querySelector('#edit-details').focus(); } })));
    const bad = (name, message) => new ApiError(message, 0, { error: { field: name } });
    f.addEventListener('input', (e) => e.target.removeAttribute('aria-invalid'));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      showError(error, '');
      for (const i of f.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
      const v = (n) => f.elements[n].value.trim();
      try {
        const body = {};
        if (!v('name')) throw bad('name', 'Give the patient\'s name.');
        body.name = v('name');
        if (f.elements.birth_year.validity.badInput || (v('birth_year') && !/^\d{4}$/.test(v('birth_year')))
          || (v('birth_year') && (Number(v('birth_year')) < 1900 || Number(v('birth_year')) > THIS_YEAR))) {
          throw bad('birth_year', `The birth year is a year from 1900 to ${THIS_YEAR}, or empty.`);
        }
        body.birth_year = v('birth_year') ? Number(v('birth_year')) : null;
        body.contact = v('contact') || null;
        const planned = Number(v('planned_visits'));
        if (!/^\d+$/.test(v('planned_visits')) || planned < 1 || planned > 50) {
          throw bad('planned_visits', 'Planned visits is a whole number from 1 to 50.');
        }
        body.planned_visits = planned;
        if (consented.checked) {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(consentDate.value)) throw bad('consent', 'Give the date the consent was given.');
          if (consentDate.value > new Date().toISOString().slice(0, 10)) throw bad('consent', 'The date of consent is in the future.');
          body.consent = consentDate.value;
        } else {
          body.consent = null;
        }
        ({ patient: p } = await change(`/patients/${id}/details`, body));
        show();
        box.append(el('p', { class: 'ok', role: 'status', id: 'details-saved', text: 'The details are saved.' }));
        box.querySelector('#edit-details').focus();
      } catch (err) {
        showError(error, err.message);
        const input = err.field && f.elements[err.field];
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          input.focus();
        }
      }
    });
    box.append(el('h2', { id: 'details-title', text: 'Patient details' }), f);
    f.elements.name.focus();
  }

  show();
  return box;
}

// ---- the visits ----

export async function visitsPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'visits');
  if (!frame) return;
  const { id, body } = frame;
  const [{ visits, planned_visits: planned }, course, { instruments }] = await Promise.all([
    get(`/patients/${id}/visits`), get(`/patients/${id}/course`), get('/instruments')]);
  const author = authorNames(ctx);
  if (!ctx.alive()) return;
  const hasIntake = visits.some((v) => v.kind === 'intake');
  const signed = visits.filter((v) => v.signed_at).length;
  const progress = el('div', { class: 'course', id: 'course' },
    el('p', {}, el('strong', { text: `${visits.length} of ${planned} planned visit${planned === 1 ? '' : 's'}` }),
      ` so far; ${signed} signed.`),
    el('span', { class: 'bar course-bar', role: 'img', 'aria-label': `${visits.length} of ${planned} planned visits` },
      el('span', { class: 'bar-fill' })));
  progress.querySelector('.bar-fill').style.width = `${Math.min(100, (visits.length / Math.max(1, planned)) * 100)}%`;
  if (visits.length >= planned) {
    progress.append(el('p', { class: 'hint', text: 'The planned course is complete: time to decide whether to go on, change the plan, refer or discharge. The planned number can be changed in the patient details on the overview.' }));
  }
  body.append(progress, courseSection(id, course, instruments),
    el('div', { class: 'actions visit-new' },
      el('a', { class: `${hasIntake ? 'secondary' : 'primary'} button-link`, id: 'new-intake', href: `#/patients/${id}/visits/new?kind=intake`, text: 'New intake' }),
      el('a', { class: `${hasIntake ? 'primary' : 'secondary'} button-link`, id: 'new-follow-up', href: `#/patients/${id}/visits/new?kind=follow-up`, text: 'New follow-up' })),
    el('p', { class: 'hint', text: 'The intake is the first visit: history, examination, the drawing and what was done. A follow-up records the change since and the treatment of the day.' }));
  if (!visits.length) {
    body.append(el('p', { class: 'placeholder', id: 'no-visits', text: 'No visits yet. Start with the intake.' }));
    return;
  }
  const rows = [...visits].sort((a, b) => b.number - a.number);
  body.append(el('ol', { class: 'visit-list', id: 'visits', reversed: true }, rows.map((v) => el('li', {
    'data-visit': String(v.number), 'data-status': v.signed_at ? 'signed' : 'draft',
  },
  el('a', { href: `#/patients/${id}/visits/${v.number}`, class: 'visit-link' },
    el('span', { class: 'visit-number', text: `Visit ${v.number}` }),
    el('span', { class: 'visit-kind', text: KIND_WORDS[v.kind] || v.kind || '—' }),
    el('time', { class: 'visit-date', datetime: v.at, text: when(v.at) }),
    el('span', { class: `status status-${v.signed_at ? 'signed' : 'draft'}`, text: v.signed_at ? `Signed ${day(v.signed_at)}` : 'Draft' }),
    el('span', { class: 'visit-author', text: author(v.author, v.author_name) }))))),
  lettersSection(id, signed));
}

// ---- the course of care ----

const COURSE_WORDS = {
  improving: 'Improving',
  review: 'Review the case',
  'in-course': 'In the course of care',
};

// The course judged against the outcome measures: the verdict, whether a
// reassessment is due now, and each questionnaire's first and latest score.
function courseSection(id, course, instruments) {
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const box = el('section', {
    class: `verdict course-verdict verdict-${course.verdict === 'review' ? 'no-change' : course.verdict}`,
    id: 'course-verdict', 'data-verdict': course.verdict, 'aria-labelledby': 'course-title',
  },
  el('h2', { id: 'course-title', text: COURSE_WORDS[course.verdict] || course.verdict }),
  el('p', { text: course.sentence }));
  const [first, last] = course.reassessment_at;
  if (course.reassessment_due) {
    box.append(el('p', { class: 'due', id: 'reassessment-due' },
      el('strong', { text: `Reassessment due at visit ${course.reassessment_due}. ` }),
      el('a', { href: `#/patients/${id}/measures?visit=${course.reassessment_due}`, id: 'take-measures', text: 'Take the outcome measures' })));
  } else {
    box.append(el('p', { class: 'hint', text: first < last ? `Reassessments: at visit ${first} and at visit ${last}, the end of the planned course.` : `Reassessment: at visit ${last}, the end of the planned course.` }));
  }
  const rows = Object.entries(course.trends);
  if (!rows.length) {
    box.append(el('p', {}, 'No outcome measures yet. ',
      el('a', { href: `#/patients/${id}/measures`, id: 'first-measures', text: 'Take the first ones' }), ' as the baseline.'));
    return box;
  }
  box.append(el('div', { class: 'table-wrap' }, el('table', { class: 'data course-table' },
    el('thead', {}, el('tr', {}, ['Questionnaire', 'First', 'Latest', 'MCID reached'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows.map(([instrument, t]) => {
      const inst = byId.get(instrument);
      return el('tr', { 'data-instrument': instrument },
        el('th', { scope: 'row', text: inst ? inst.name : instrument }),
        el('td', { class: 'num', text: scoreText(t.baseline, inst) }),
        el('td', { class: 'num', text: t.count > 1 ? scoreText(t.latest, inst) : '—' }),
        el('td', { text: t.count < 2 ? 'measured once' : t.meaningful ? 'yes' : 'not yet' }));
    })))),
  el('p', {}, el('a', { href: `#/patients/${id}/measures`, text: 'All measures and their charts' })));
  return box;
}

// ---- letters ----

// The printable letters of the record, each opened on its own page to print.
function lettersSection(id, signed) {
  const letter = (name, text, elId) => el('a', {
    class: 'secondary button-link', href: url(`/patients/${id}/letters/${name}`), target: '_blank', rel: 'noopener', id: elId, text,
  });
  return el('section', { class: 'letters', id: 'letters', 'aria-labelledby': 'letters-title' },
    el('h2', { id: 'letters-title', text: 'Letters' }),
    signed ? el('div', { class: 'actions' },
      letter('doctor', 'Letter to the referring doctor', 'letter-doctor'),
      letter('discharge', 'Discharge summary', 'letter-discharge'))
      : el('p', { class: 'placeholder', text: 'Letters are written from signed notes: sign the first visit to have them.' }),
    el('p', { class: 'hint', text: 'The summary of a visit for the patient, with the home program and where to press, is on the signed visit\'s page.' }));
}
