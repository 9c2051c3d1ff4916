// The frame every page of a patient's record shares: the patient's name, the
// flag banner while a warning stands, and the record's own navigation. The
// pages of the record (today.js, care.js, plan.js, log.js, progress.js,
// session.js, clinic.js, visit.js, measures.js) all draw inside it.
//
// The person whose record it is (a patient, or someone using tpt for
// themselves) sees a menu of their steps, starting with Today; the clinic's
// staff see the record's overview, its visits and the same steps.

import { get } from './api.js';
import { el, levelWords, pageTitle, put } from './dom.js';
import { t } from './i18n.js';
import { atHome } from './account.js';
import { holdsList } from './holds.js';

// The person's own view of their record (no clinic's details, no visits).
export function ownView(ctx, id) {
  const { user } = ctx.me;
  return String(user.patient) === String(id) && (user.role === 'patient' || atHome(ctx.me));
}

// [section, its words] in the menu's order; staff's start page is the overview
function sections(own) {
  return [
    ['', own ? t('Today') : t('Overview')],
    own ? null : ['visits', t('Visits')],
    ['screen', t('Safety questions')],
    ['map', t('Drawing')],
    ['plan', t('Plan')],
    ['session', t('Session')],
    ['log', t('Log')],
    ['measures', own ? t('Questionnaires') : t('Measures')],
    ['progress', t('Progress')],
    ['report', t('Report')],
    ['privacy', t('Privacy')],
  ].filter(Boolean);
}

// A strip that scrolls sideways shows that it does: a shade and an arrow on
// the side where more is hidden.
function scrollHints(wrap, strip) {
  const update = () => {
    const more = strip.scrollWidth - strip.clientWidth;
    wrap.classList.toggle('more-before', strip.scrollLeft > 2);
    wrap.classList.toggle('more-after', strip.scrollLeft < more - 2);
  };
  strip.addEventListener('scroll', update, { passive: true });
  window.addEventListener('resize', update);
  requestAnimationFrame(update);
}

// Loads the record's summary and draws the patient's name, the flag banner
// and the record's own navigation. Returns {id, info, body, own} with body
// the element the page fills. `heading` replaces the section's name as the
// page's title (a visit under Visits).
export async function patientFrame(view, ctx, section, heading = null) {
  const id = ctx.params.id;
  const info = await get(`/patients/${encodeURIComponent(id)}`);
  if (!ctx.alive()) return null;
  const name = info.patient.name;
  const own = ownView(ctx, id);
  const staff = ctx.me.user.role !== 'patient' && !own;
  const list = sections(own);
  const title = heading || (list.find(([s]) => s === section) || [null, t('Overview')])[1];
  view.classList.add('record');
  view.dataset.selfCare = info.self_care ? 'yes' : 'no';
  put(view,
    staff || section ? el('p', { class: 'record-of' },
      staff ? el('a', { href: '#/patients', text: t('Patients') }) : null, staff ? ' › ' : null,
      el('a', { href: `#/patients/${id}`, text: own ? t('My record') : name })) : null,
    pageTitle(section || own ? title : name));
  const flags = info.flags || {};
  if (!info.self_care) {
    // each hold, what raised it and who may lift it; staff (not on their
    // own record) record an assessment there
    const holds = (flags.standing || []).filter((f) => f.level === 'emergency' || f.level === 'urgent');
    const mine = String(ctx.me.user.patient) === String(id);
    view.append(el('section', {
      class: `warning flag-banner level-${flags.level || 'urgent'}`, role: 'alert', 'data-flag': flags.level || 'urgent',
    },
    el('h2', { text: levelWords(flags.level) || levelWords('urgent') }),
    el('p', { text: flags.advice || t('A warning sign stands in this record.') }),
    holds.length ? holdsList(holds, {
      id, own: mine, assess: staff && !mine, done: () => ctx.go(location.hash.slice(1)),
    }) : null,
    el('p', { class: 'blocked-what', text: t('Self-treatment is stopped in this record.') })));
  } else if (flags.level === 'soon') {
    view.append(el('section', { class: 'caution', 'data-flag': 'soon' },
      el('h2', { text: levelWords('soon') }), el('p', { text: flags.advice || '' })));
  }
  const nav = el('nav', {
    class: 'record-nav', 'aria-label': own ? t('My record') : t('Record of {name}', { name }),
  });
  for (const [s, label] of list) {
    const held = !info.self_care && s === 'session';
    nav.append(el('a', {
      href: `#/patients/${id}${s ? `/${s}` : ''}`, 'aria-current': s === section ? 'page' : false,
      class: held ? 'held' : false,
    }, label, held ? el('span', { class: 'visually-hidden', text: ` ${t('(stopped)')}` }) : null));
  }
  const wrap = el('div', { class: 'record-nav-wrap' }, nav);
  view.append(wrap);
  // on a narrow screen the list scrolls sideways: the page shown in sight
  const here = nav.querySelector('[aria-current]');
  if (here && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = here.offsetLeft - nav.offsetLeft - (nav.clientWidth - here.offsetWidth) / 2;
  }
  scrollHints(wrap, nav);
  const body = el('div', { class: 'record-body' });
  view.append(body);
  return {
    id, info, body, own,
  };
}
