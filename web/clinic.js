// The clinic's side of a record, for practitioners and administrators: the
// patient's details (birth year, contact, consent to treatment, the planned
// course of care, archiving) on the overview; the list of visits with a new
// intake or follow-up, the course of care judged against the outcome
// measures, and the letters. The visit itself is visit.js.

import { ApiError, change, get, url } from './api.js';
import { patientFrame } from './frame.js';
import { confirmBox, day, el, errorBox, field, put, showError, when } from './dom.js';
import { scoreText } from './measures.js';
import { language, t, tn } from './i18n.js';

// ---- who wrote a note ----

// Who wrote or signed a note, from the name the server sends with it: the
// account's own as "(you)", none for a note added on the command line
// without an account.
export function authorNames(ctx) {
  const me = ctx.me.user;
  return (id, name) => (id === me.id ? t('{name} (you)', { name: me.name }) : name || (id ? t('account {id}', { id }) : t('not recorded')));
}

// "Intake" or "Follow-up".
export const kindWords = (kind) => ({ intake: t('Intake'), 'follow-up': t('Follow-up') }[kind] || kind);

// A visit's page title: "Visit 2: follow-up", or "New intake" before it is saved.
export function visitHeading(number, kind) {
  if (!number) return kind === 'follow-up' ? t('New follow-up') : t('New intake');
  return kind === 'follow-up' ? t('Visit {n}: follow-up', { n: number }) : t('Visit {n}: intake', { n: number });
}

// ---- the patient's details ----

const THIS_YEAR = new Date().getFullYear();

function consentText(p) {
  return p.consent ? t('Given, recorded for {when}', { when: day(p.consent) }) : t('Not recorded yet');
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
    box.append(el('h2', { id: 'details-title', text: t('Patient details') }), errorBox(err.message));
    return box;
  }
  const show = () => {
    box.textContent = '';
    box.dataset.archived = p.archived ? 'yes' : 'no';
    const signed = visits ? visits.visits.filter((v) => v.signed_at).length : 0;
    const count = visits ? visits.visits.length : 0;
    put(box,
      el('div', { class: 'section-head' },
        el('h2', { id: 'details-title', text: t('Patient details') }),
        el('button', { type: 'button', class: 'secondary small', id: 'edit-details', text: t('Edit details'), onclick: edit })),
      p.archived ? el('div', { class: 'caution archived', role: 'status' },
        el('p', {}, el('strong', { text: t('Archived on {when}.', { when: day(p.archived) }) }), ' ',
          t('The record is kept but is not in the patients list.')),
        el('button', { type: 'button', class: 'secondary small', id: 'restore', text: t('Restore the record'), onclick: () => archive(false) })) : null,
      el('dl', { class: 'facts details-facts' },
        el('dt', { text: t('Born') }), el('dd', { id: 'detail-born', text: p.birth_year ? t('{year} (about {age} years old)', { year: p.birth_year, age: THIS_YEAR - p.birth_year }) : '—' }),
        el('dt', { text: t('Contact') }), el('dd', { id: 'detail-contact', text: p.contact || '—' }),
        el('dt', { text: t('Consent to treatment') }),
        el('dd', { id: 'detail-consent', class: p.consent ? 'consent-given' : 'consent-missing', text: consentText(p) }),
        el('dt', { text: t('Course of care') }),
        el('dd', { id: 'detail-course' }, tn(p.planned_visits, '{n} visit planned', '{n} visits planned'),
          visits ? `; ${t('{count} so far ({signed} signed).', { count, signed })} ` : '. ',
          el('a', { href: `#/patients/${id}/visits`, text: t('See the visits') }))),
      p.archived ? null : el('p', {},
        el('button', { type: 'button', class: 'link-button', id: 'archive', text: t('Archive this record'), onclick: () => archive(true) })));
  };

  async function archive(on) {
    if (on) {
      const yes = await confirmBox({
        title: t('Archive this record?'),
        text: [t('The record is kept whole, with its visits, but leaves the patients list.'),
          t('You can restore it from here at any time.')],
        confirm: t('Archive'),
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
      'aria-label': t('Date of consent'),
    });
    consented.addEventListener('change', () => {
      consentDate.disabled = !consented.checked;
      if (consented.checked && !consentDate.value) consentDate.value = new Date().toISOString().slice(0, 10);
    });
    const f = el('form', { class: 'form details-form', id: 'details-form', novalidate: true }, error,
      field(t('Name'), input('name', { type: 'text', value: p.name, maxlength: '199', autocomplete: 'off' })),
      el('div', { class: 'field-row' },
        field(t('Birth year'), input('birth_year', {
          type: 'number', inputmode: 'numeric', min: '1900', max: String(THIS_YEAR), value: p.birth_year ?? '',
        })),
        field(t('Planned visits'), input('planned_visits', {
          type: 'number', inputmode: 'numeric', min: '1', max: '50', value: p.planned_visits,
        }), t('The course of care: 1 to 50 visits.'))),
      field(t('Contact'), input('contact', { type: 'text', value: p.contact || '', maxlength: '199', autocomplete: 'off' }),
        t('A phone number or email address, as the patient prefers.')),
      el('fieldset', { class: 'consent' },
        el('legend', { text: t('Consent to treatment') }),
        el('label', { class: 'check-line', for: 'detail-in-consented' }, consented,
          el('span', { text: t('The patient has given informed consent to treatment') })),
        el('div', { class: 'field consent-date' }, el('label', { for: 'detail-in-consent', text: t('Given on') }), consentDate)),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'primary', text: t('Save the details') }),
        el('button', { type: 'button', class: 'secondary', text: t('Cancel'), onclick: () => { show(); box.querySelector('#edit-details').focus(); } })));
    const bad = (name, message) => new ApiError(message, 0, { error: { field: name } });
    f.addEventListener('input', (e) => e.target.removeAttribute('aria-invalid'));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      showError(error, '');
      for (const i of f.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
      const v = (n) => f.elements[n].value.trim();
      try {
        const body = {};
        if (!v('name')) throw bad('name', t('Give the patient\'s name.'));
        body.name = v('name');
        if (f.elements.birth_year.validity.badInput || (v('birth_year') && !/^\d{4}$/.test(v('birth_year')))
          || (v('birth_year') && (Number(v('birth_year')) < 1900 || Number(v('birth_year')) > THIS_YEAR))) {
          throw bad('birth_year', t('The birth year is a year from 1900 to {year}, or empty.', { year: THIS_YEAR }));
        }
        body.birth_year = v('birth_year') ? Number(v('birth_year')) : null;
        body.contact = v('contact') || null;
        const planned = Number(v('planned_visits'));
        if (!/^\d+$/.test(v('planned_visits')) || planned < 1 || planned > 50) {
          throw bad('planned_visits', t('Planned visits is a whole number from 1 to 50.'));
        }
        body.planned_visits = planned;
        if (consented.checked) {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(consentDate.value)) throw bad('consent', t('Give the date the consent was given.'));
          if (consentDate.value > new Date().toISOString().slice(0, 10)) throw bad('consent', t('The date of consent is in the future.'));
          body.consent = consentDate.value;
        } else {
          body.consent = null;
        }
        ({ patient: p } = await change(`/patients/${id}/details`, body));
        show();
        box.append(el('p', { class: 'ok', role: 'status', id: 'details-saved', text: t('The details are saved.') }));
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
    box.append(el('h2', { id: 'details-title', text: t('Patient details') }), f);
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
    el('p', {}, el('strong', { text: tn(planned, '{done} of {n} planned visit', '{done} of {n} planned visits', { done: visits.length }) }),
      ' ', t('so far; {n} signed.', { n: signed })),
    el('span', { class: 'bar course-bar', role: 'img', 'aria-label': tn(planned, '{done} of {n} planned visit', '{done} of {n} planned visits', { done: visits.length }) },
      el('span', { class: 'bar-fill' })));
  progress.querySelector('.bar-fill').style.width = `${Math.min(100, (visits.length / Math.max(1, planned)) * 100)}%`;
  if (visits.length >= planned) {
    progress.append(el('p', { class: 'hint', text: t('The planned course is complete: time to decide whether to go on, change the plan, refer or discharge. The planned number can be changed in the patient details on the overview.') }));
  }
  body.append(progress, courseSection(id, course, instruments),
    el('div', { class: 'actions visit-new' },
      el('a', { class: `${hasIntake ? 'secondary' : 'primary'} button-link`, id: 'new-intake', href: `#/patients/${id}/visits/new?kind=intake`, text: t('New intake') }),
      el('a', { class: `${hasIntake ? 'primary' : 'secondary'} button-link`, id: 'new-follow-up', href: `#/patients/${id}/visits/new?kind=follow-up`, text: t('New follow-up') })),
    el('p', { class: 'hint', text: t('The intake is the first visit: history, examination, the drawing and what was done. A follow-up records the change since and the treatment of the day.') }));
  if (!visits.length) {
    body.append(el('p', { class: 'placeholder', id: 'no-visits', text: t('No visits yet. Start with the intake.') }));
    return;
  }
  const rows = [...visits].sort((a, b) => b.number - a.number);
  body.append(el('ol', { class: 'visit-list', id: 'visits', reversed: true }, rows.map((v) => el('li', {
    'data-visit': String(v.number), 'data-status': v.signed_at ? 'signed' : 'draft',
  },
  el('a', { href: `#/patients/${id}/visits/${v.number}`, class: 'visit-link' },
    el('span', { class: 'visit-number', text: t('Visit {n}', { n: v.number }) }),
    el('span', { class: 'visit-kind', text: v.kind ? kindWords(v.kind) : '—' }),
    el('time', { class: 'visit-date', datetime: v.at, text: when(v.at) }),
    el('span', { class: `status status-${v.signed_at ? 'signed' : 'draft'}`, text: v.signed_at ? t('Signed {when}', { when: day(v.signed_at) }) : t('Draft') }),
    el('span', { class: 'visit-author', text: author(v.author, v.author_name) }))))),
  lettersSection(id, signed));
}

// ---- the course of care ----

const courseWords = (verdict) => ({
  improving: t('Improving'),
  review: t('Review the case'),
  'in-course': t('In the course of care'),
}[verdict] || verdict);

// The course judged against the outcome measures: the verdict, whether a
// reassessment is due now, and each questionnaire's first and latest score.
function courseSection(id, course, instruments) {
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const box = el('section', {
    class: `verdict course-verdict verdict-${course.verdict === 'review' ? 'no-change' : course.verdict}`,
    id: 'course-verdict', 'data-verdict': course.verdict, 'aria-labelledby': 'course-title',
  },
  el('h2', { id: 'course-title', text: courseWords(course.verdict) }),
  el('p', { text: course.sentence }));
  const [first, last] = course.reassessment_at;
  if (course.reassessment_due) {
    box.append(el('p', { class: 'due', id: 'reassessment-due' },
      el('strong', { text: t('Reassessment due at visit {n}.', { n: course.reassessment_due }) }), ' ',
      el('a', { href: `#/patients/${id}/measures?visit=${course.reassessment_due}`, id: 'take-measures', text: t('Take the outcome measures') })));
  } else {
    box.append(el('p', { class: 'hint', text: first < last ? t('Reassessments: at visit {first} and at visit {last}, the end of the planned course.', { first, last }) : t('Reassessment: at visit {last}, the end of the planned course.', { last }) }));
  }
  const rows = Object.entries(course.trends);
  if (!rows.length) {
    box.append(el('p', {}, t('No outcome measures yet.'), ' ',
      el('a', { href: `#/patients/${id}/measures`, id: 'first-measures', text: t('Take the first ones') }), ' ', t('as the baseline.')));
    return box;
  }
  box.append(el('div', { class: 'table-wrap' }, el('table', { class: 'data course-table' },
    el('thead', {}, el('tr', {}, [t('Questionnaire'), t('First'), t('Latest'), t('MCID reached')].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows.map(([instrument, trend]) => {
      const inst = byId.get(instrument);
      return el('tr', { 'data-instrument': instrument },
        el('th', { scope: 'row', text: inst ? inst.name : instrument }),
        el('td', { class: 'num', text: scoreText(trend.baseline, inst) }),
        el('td', { class: 'num', text: trend.count > 1 ? scoreText(trend.latest, inst) : '—' }),
        el('td', { text: trend.count < 2 ? t('measured once') : trend.meaningful ? t('yes') : t('not yet') }));
    })))),
  el('p', {}, el('a', { href: `#/patients/${id}/measures`, text: t('All measures and their charts') })));
  return box;
}

// ---- letters ----

// The printable letters of the record, each opened on its own page to print.
function lettersSection(id, signed) {
  const letter = (name, text, elId) => el('a', {
    class: 'secondary button-link', href: url(`/patients/${id}/letters/${name}?lang=${language()}`), target: '_blank', rel: 'noopener', id: elId, text,
  });
  return el('section', { class: 'letters', id: 'letters', 'aria-labelledby': 'letters-title' },
    el('h2', { id: 'letters-title', text: t('Letters') }),
    signed ? el('div', { class: 'actions' },
      letter('doctor', t('Letter to the referring doctor'), 'letter-doctor'),
      letter('discharge', t('Discharge summary'), 'letter-discharge'))
      : el('p', { class: 'placeholder', text: t('Letters are written from signed notes: sign the first visit to have them.') }),
    el('p', { class: 'hint', text: t('The summary of a visit for the patient, with the home program and where to press, is on the signed visit\'s page.') }));
}
