// The clinic's view, for practitioners and administrators: the caseload,
// who is due for a reassessment, who has not improved after the planned
// course, and the clinic's outcomes — how many patients changed by at least
// the smallest change that matters, the median change per questionnaire and
// the median number of visits it took.

import { get } from './api.js';
import { el, pageTitle } from './dom.js';
import { scoreText } from './measures.js';
import { t, tn } from './i18n.js';

function patientRows(list, link, what) {
  return el('ul', { class: 'patient-list' }, list.map((p) => el('li', { 'data-patient': String(p.id) },
    el('a', { href: link(p) }, el('span', { class: 'patient-name', text: p.name })),
    el('span', { class: 'hint', text: what(p) }))));
}

export async function clinicPage(view, ctx) {
  view.append(pageTitle(t('Clinic')));
  const [c, { instruments }] = await Promise.all([get('/clinic'), get('/instruments')]);
  if (!ctx.alive()) return;
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const o = c.outcomes;
  const clinicName = ctx.me.user.clinic && ctx.me.user.clinic.name;

  view.append(el('p', { class: 'lead' }, clinicName ? `${clinicName}: ` : '',
    tn(c.caseload, '{n} patient in care (archived records are not counted).', '{n} patients in care (archived records are not counted).')));

  const due = el('section', { class: 'clinic-part', id: 'due', 'aria-labelledby': 'due-title' },
    el('h2', { id: 'due-title', text: t('Due for reassessment ({n})', { n: c.reassessment_due.length }) }));
  if (!c.reassessment_due.length) due.append(el('p', { class: 'placeholder', text: t('Nobody is due: every third-visit and end-of-course reassessment has its measures.') }));
  else {
    due.append(el('p', { class: 'hint', text: t('Their latest signed visit is the third or the last planned one, and no outcome measure is kept with it yet.') }),
      patientRows(c.reassessment_due, (p) => `#/patients/${p.id}/measures?visit=${p.signed_visits}`,
        (p) => t('visit {n} of {planned}: take the measures', { n: p.signed_visits, planned: p.planned_visits })));
  }

  const review = el('section', { class: 'clinic-part', id: 'not-improving', 'aria-labelledby': 'review-title' },
    el('h2', { id: 'review-title', text: t('Not improving after the planned course ({n})', { n: c.not_improving.length }) }));
  if (!c.not_improving.length) review.append(el('p', { class: 'placeholder', text: t('No one has finished their planned course without a change that matters.') }));
  else {
    review.append(el('p', { class: 'hint', text: t('No outcome measure has changed by its smallest change that matters after all the planned visits: review the case, refer it on, or stop the treatment.') }),
      patientRows(c.not_improving, (p) => `#/patients/${p.id}/visits`,
        (p) => tn(p.signed_visits, '{n} visit signed of {planned} planned', '{n} visits signed of {planned} planned', { planned: p.planned_visits })));
  }

  const results = el('section', { class: 'clinic-part', id: 'outcomes', 'aria-labelledby': 'outcomes-title' },
    el('h2', { id: 'outcomes-title', text: t('Does the treatment work?') }));
  if (!o.patients_measured) {
    results.append(el('p', { class: 'placeholder', text: t('Not known yet: no patient has the same questionnaire twice. Take the measures at the intake and again at the third visit.') }));
  } else {
    results.append(el('div', { class: 'outcome-figures' },
      el('p', { class: 'figure', id: 'share-improved' },
        el('strong', { text: `${Math.round(o.share_improved)}%` }),
        el('span', { text: t('of the patients measured twice or more improved by a change that matters ({improved} of {measured})', { improved: o.patients_improved, measured: o.patients_measured }) })),
      el('p', { class: 'figure', id: 'visits-to-improvement' },
        el('strong', { text: o.median_visits_to_improvement === null ? '—' : String(o.median_visits_to_improvement) }),
        el('span', { text: o.median_visits_to_improvement === null
          ? t('visits to improvement: not known yet (no improvement measured at a visit)')
          : t('visits to improvement, the median of those who improved') }))));
    const rows = Object.entries(o.by_instrument);
    results.append(el('div', { class: 'table-wrap' }, el('table', { class: 'data', id: 'by-instrument' },
      el('caption', { text: t('Median change from the first to the latest measure') }),
      el('thead', {}, el('tr', {}, [t('Questionnaire'), t('Median change'), t('Patients'), t('Better is')].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows.map(([id, r]) => {
        const inst = byId.get(id);
        const sign = r.median_change > 0 ? '+' : '';
        return el('tr', { 'data-instrument': id },
          el('th', { scope: 'row', text: inst ? inst.name : id }),
          el('td', { class: 'num', text: r.median_change === null ? '—' : `${sign}${scoreText(r.median_change, inst)}` }),
          el('td', { class: 'num', text: String(r.patients) }),
          el('td', { text: !inst ? '—' : inst.score.higher === 'worse' ? t('lower') : t('higher') }));
      })))));
  }
  // what counts as improved, in the page's words (the answer's "about" says
  // the same in English, for other clients)
  results.append(el('p', { class: 'hint', text: t('Improved: a change of at least the instrument\'s smallest change that matters to patients (MCID), for the better, between a patient\'s first and latest measure. Counts patients with at least two measures of one instrument.') }),
    el('p', { class: 'hint', text: t('Patients who were never measured twice are not in these figures, nor are those who left early: the share is of those measured, not of everyone treated.') }));

  view.append(due, review, results);
}
