// The frame every page of a patient's record shares: the patient's name, the
// flag banner while a warning stands, and the record's own navigation. The
// pages of the record (care.js, session.js, clinic.js, visit.js,
// measures.js) all draw inside it.

import { get } from './api.js';
import { LEVEL_WORDS, el, pageTitle, put } from './dom.js';
import { holdsList } from './holds.js';

// [section, its words, only for the clinic's staff]
const SECTIONS = [
  ['', 'Overview'],
  ['visits', 'Visits', true],
  ['screen', 'Safety questions'],
  ['map', 'Draw'],
  ['plan', 'Plan'],
  ['session', 'Session'],
  ['log', 'Log'],
  ['measures', 'Measures'],
  ['progress', 'Progress'],
  ['report', 'Report'],
  ['privacy', 'Privacy'],
];

export const HELD_BACK = 'Self-treatment (the home program and guided sessions) is stopped while this '
  + 'warning stands. It starts again only once the warning is lifted: the warning at the top of the '
  + 'record says who may lift it.';

// Loads the record's summary and draws the patient's name, the flag banner
// and the record's own navigation. Returns {id, info, body} with body the
// element the page fills. `heading` replaces the section's name as the
// page's title (a visit under Visits).
export async function patientFrame(view, ctx, section, heading = null) {
  const id = ctx.params.id;
  const info = await get(`/patients/${encodeURIComponent(id)}`);
  if (!ctx.alive()) return null;
  const name = info.patient.name;
  const staff = ctx.me.user.role !== 'patient';
  const title = heading || SECTIONS.find(([s]) => s === section)[1];
  view.classList.add('record');
  view.dataset.selfCare = info.self_care ? 'yes' : 'no';
  put(view, 
    staff || section ? el('p', { class: 'record-of' },
      staff ? el('a', { href: '#/patients', text: 'Patients' }) : null, staff ? ' › ' : null,
      el('a', { href: `#/patients/${id}`, text: name })) : null,
    pageTitle(section ? title : name));
  const flags = info.flags || {};
  if (!info.self_care) {
    // each hold, what raised it and who may lift it; staff (not on their
    // own record) record an assessment there
    const holds = (flags.standing || []).filter((f) => f.level === 'emergency' || f.level === 'urgent');
    const own = String(ctx.me.user.patient) === String(id);
    view.append(el('section', {
      class: `warning flag-banner level-${flags.level || 'urgent'}`, role: 'alert', 'data-flag': flags.level || 'urgent',
    },
    el('h2', { text: LEVEL_WORDS[flags.level] || LEVEL_WORDS.urgent }),
    el('p', { text: flags.advice || 'A warning sign stands in this record.' }),
    holds.length ? holdsList(holds, {
      id, own, assess: staff && !own, done: () => ctx.go(location.hash.slice(1)),
    }) : null,
    el('p', { class: 'blocked-what', text: 'Self-treatment is stopped in this record.' })));
  } else if (flags.level === 'soon') {
    view.append(el('section', { class: 'caution', 'data-flag': 'soon' },
      el('h2', { text: LEVEL_WORDS.soon }), el('p', { text: flags.advice || '' })));
  }
  const nav = el('nav', { class: 'record-nav', 'aria-label': `Record of ${name}` });
  for (const [s, label, staffOnly] of SECTIONS) {
    if (staffOnly && !staff) continue;
    const held = !info.self_care && s === 'session';
    nav.append(el('a', {
      href: `#/patients/${id}${s ? `/${s}` : ''}`, 'aria-current': s === section ? 'page' : false,
      class: held ? 'held' : false,
    }, label, held ? el('span', { class: 'visually-hidden', text: ' (stopped)' }) : null));
  }
  view.append(nav);
  // on a narrow screen the list scrolls sideways: the page shown in sight
  const here = nav.querySelector('[aria-current]');
  if (here && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = here.offsetLeft - nav.offsetLeft - (nav.clientWidth - here.offsetWidth) / 2;
  }
  const body = el('div', { class: 'record-body' });
  view.append(body);
  return { id, info, body };
}
