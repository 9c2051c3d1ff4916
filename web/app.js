// The application: hash routes, the shell (header, navigation, who is
// signed in), the language, and the public pain map. The account's own
// pages are account.js; a record's pages care.js, screen.js, today.js,
// plan.js, log.js, progress.js and session.js; the clinic's admin.js,
// clinic.js, visit.js, measures.js and outcomes.js; the calendar
// calendar.js, its settings clinic_settings.js, the clinic's messages
// my_calendar.js, booking online and the directory booking.js, the intake
// link intake.js.

import { ApiError, get, post, setCsrf, whenSignedOut } from './api.js';
import { mountMap } from './chart.js';
import { $, el, errorBox, pageTitle } from './dom.js';
import { loadLanguages, pick, t, useLanguage } from './i18n.js';
import {
  account, atHome, invitation, resetPassword, roleWords, setup, signIn,
} from './account.js';
import * as care from './care.js';
import * as admin from './admin.js';
import { accountsPage } from './accounts.js';
import * as clinic from './clinic.js';
import { todayPage } from './today.js';
import { planPage } from './plan.js';
import { logPage } from './log.js';
import { progressPage, reportPage } from './progress.js';
import { visitPage } from './visit.js';
import { measuresPage } from './measures.js';
import { clinicPage } from './outcomes.js';
import { sessionPage } from './session.js';
import { privacyPage } from './privacy.js';
import { sendWaiting } from './outbox.js';
import { screenPage } from './screen.js';
import { calendarPage } from './calendar.js';
import { clinicSettingsPage } from './clinic_settings.js';
import { clinicPublicPage, findPage } from './booking.js';
import { intakePage } from './intake.js';
import { outboxPage } from './my_calendar.js';

const STAFF = ['admin', 'practitioner'];
const MANAGERS = ['admin', 'operator'];

const app = {
  me: null, // {user, csrf, expires} while signed in
  leave: [], // what the page now shown asks to run when it goes (timers)
  guard: null, // asks before leaving the page (a session under way): resolves true to go
  token: 0, // counts page changes, so a late answer does not draw over a newer page
  hash: '', // the address shown, to go back to when leaving is cancelled
};

// ---- routes ----

// A record's start page: Today for the person it belongs to, the overview
// with the clinic's details for staff.
function recordStart(view, ctx) {
  const own = ctx.me && String(ctx.me.user.patient) === String(ctx.params.id);
  return own && (ctx.me.user.role === 'patient' || atHome(ctx.me))
    ? todayPage(view, ctx) : care.overviewPage(view, ctx);
}

const routes = [
  { path: '/', page: home, open: true },
  { path: '/sign-in', page: signIn, open: true },
  { path: '/setup', page: setup, open: true },
  { path: '/invite/:token', page: invitation, open: true },
  { path: '/reset/:token', page: resetPassword, open: true },
  { path: '/map', page: publicMap, open: true },
  { path: '/find', page: findPage, open: true },
  { path: '/c/:slug', page: clinicPublicPage, open: true },
  { path: '/intake/:token', page: intakePage, open: true },
  { path: '/account', page: account },
  { path: '/patients', page: admin.patientsPage, roles: STAFF },
  { path: '/clinic', page: clinicPage, roles: STAFF },
  { path: '/calendar', page: calendarPage, roles: STAFF },
  { path: '/clinic/settings', page: clinicSettingsPage, roles: STAFF },
  { path: '/messages', page: outboxPage, roles: STAFF },
  { path: '/patients/:id', page: recordStart },
  { path: '/patients/:id/overview', page: care.overviewPage },
  { path: '/patients/:id/visits', page: clinic.visitsPage, roles: STAFF },
  { path: '/patients/:id/visits/new', page: visitPage, roles: STAFF },
  { path: '/patients/:id/visits/:n', page: visitPage, roles: STAFF },
  { path: '/patients/:id/screen', page: screenPage },
  { path: '/patients/:id/map', page: care.drawPage },
  { path: '/patients/:id/plan', page: planPage },
  { path: '/patients/:id/session', page: sessionPage },
  { path: '/patients/:id/log', page: logPage },
  { path: '/patients/:id/measures', page: measuresPage },
  { path: '/patients/:id/progress', page: progressPage },
  { path: '/patients/:id/report', page: reportPage },
  { path: '/patients/:id/privacy', page: privacyPage },
  { path: '/accounts', page: accountsPage, roles: MANAGERS },
  { path: '/clinics', page: admin.clinicsPage, roles: ['operator'] },
  { path: '/audit', page: admin.auditPage, roles: MANAGERS },
];

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(search) };
}

function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const want = route.path.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    const params = {};
    let ok = true;
    want.forEach((w, i) => {
      if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(parts[i]);
      else if (w !== parts[i]) ok = false;
    });
    if (ok) return { route, params };
  }
  return null;
}

export function go(path, replace = false) {
  const hash = `#${path}`;
  if (location.hash === hash) render();
  else if (replace) location.replace(hash);
  else location.hash = hash;
}

// The address changed: a page that guards its leaving is asked first, and
// the address goes back when the person stays.
async function changed() {
  if (location.hash === app.hash) return;
  if (app.guard) {
    const guard = app.guard;
    if (!(await guard())) {
      history.replaceState(null, '', app.hash || '#/');
      return;
    }
  }
  render();
}

async function render() {
  app.guard = null;
  app.hash = location.hash;
  for (const fn of app.leave.splice(0)) {
    try { fn(); } catch { /* a page's cleanup never stops the next page */ }
  }
  const token = ++app.token;
  const { path, query } = parseHash();
  const found = match(path);
  const view = $('view');
  const fresh = el('div', { class: 'page' });
  view.replaceChildren(fresh);
  view.dataset.route = found ? found.route.path : 'none';
  delete document.body.dataset.ready;
  renderShell(path);
  const ctx = {
    params: found ? found.params : {},
    query,
    me: app.me,
    alive: () => token === app.token,
    onLeave: (fn) => app.leave.push(fn),
    guardLeave: (fn) => { app.guard = fn; },
    go,
    refreshMe,
    signOut,
  };
  try {
    if (!found) {
      fresh.append(pageTitle(t('Page not found')), el('p', {}, t('There is no page at this address.'), ' ',
        el('a', { href: '#/', text: t('Go to the start.') })));
    } else if (!found.route.open && !app.me) {
      go(`/sign-in?next=${encodeURIComponent(path)}`, true);
      return;
    } else if (found.route.roles && !found.route.roles.includes(app.me.user.role)) {
      fresh.append(pageTitle(t('Not for this account')),
        el('p', { text: t('Your account may not open this page.') }),
        el('p', {}, el('a', { href: '#/', text: t('Go to your start page.') })));
    } else if (app.me && app.me.user.role === 'patient' && found.params.id
      && String(found.params.id) !== String(app.me.user.patient)) {
      // the server refuses it too; this says so before asking
      fresh.append(pageTitle(t('Not your record')),
        el('p', { text: t('Your account may open only your own record.') }),
        el('p', {}, el('a', { href: '#/', text: t('Go to your record.') })));
    } else {
      await found.route.page(fresh, ctx);
    }
  } catch (err) {
    if (!ctx.alive()) return;
    fresh.append(errorBox(err instanceof ApiError ? err.message : t('This page could not be shown: {why}', { why: err.message })));
  }
  if (!ctx.alive()) return;
  document.body.dataset.ready = 'true';
  const title = $('page-title');
  // keyboard and screen reader users start at the new page's title
  if (title && document.activeElement !== title && !fresh.contains(document.activeElement)) {
    title.focus({ preventScroll: true });
  }
}

// ---- the shell ----

function navLinks() {
  if (!app.me) {
    return [['#/sign-in', t('Sign in')], ['#/map', t('Pain map')], ['#/find', t('Find a clinic')]];
  }
  const { user } = app.me;
  const links = [];
  if (atHome(app.me) || user.role === 'patient') {
    links.push([`#/patients/${user.patient}`, t('My record')]);
  } else {
    if (STAFF.includes(user.role)) {
      links.push(['#/patients', t('Patients')], ['#/calendar', t('Calendar')], ['#/clinic', t('Clinic')],
        ['#/messages', t('Messages')], ['#/clinic/settings', user.role === 'admin' ? t('Settings') : t('My hours')]);
    }
    if (user.patient) links.push([`#/patients/${user.patient}`, t('My own record')]);
    if (MANAGERS.includes(user.role)) links.push(['#/accounts', t('Accounts')]);
    if (user.role === 'operator') links.push(['#/clinics', t('Clinics')]);
    if (MANAGERS.includes(user.role)) links.push(['#/audit', t('Audit log')]);
  }
  links.push(['#/account', t('Account')]);
  return links;
}

function renderShell(path) {
  const nav = $('nav');
  nav.textContent = '';
  nav.setAttribute('aria-label', t('Main'));
  const links = navLinks();
  // the link the page is under: the longest that leads to it
  const at = `#${path}`;
  const here = links.map(([href]) => href)
    .filter((href) => at === href || at.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];
  for (const [href, text] of links) {
    nav.append(el('a', { href, text, 'aria-current': href === here ? 'page' : false }));
  }
  const who = $('who');
  who.textContent = '';
  if (app.me) {
    const { user } = app.me;
    who.append(el('span', { class: 'who-name' },
      el('strong', { text: user.name }),
      // the clinic's words stay out of sight of someone treating themselves
      atHome(app.me) ? '' : ` · ${roleWords(user.role)}`,
      !atHome(app.me) && user.clinic && user.clinic.name ? ` · ${user.clinic.name}` : ''),
    el('button', { type: 'button', class: 'link-button', id: 'sign-out', text: t('Sign out'), onclick: signOut }));
  }
  document.querySelector('.skip').textContent = t('Skip to the page');
  document.querySelector('.tagline').textContent = t('trigger point therapy for sciatica');
  $('foot-notice').textContent = t('tpt is not a diagnosis. Only a clinician who examines you can diagnose. Go to an emergency department at once for numbness between the legs, numbness or weakness in both legs, or any change in bladder or bowel control.');
}

async function refreshMe() {
  try {
    app.me = await get('/me');
    setCsrf(app.me.csrf);
  } catch (err) {
    if (err.status !== 401) throw err;
    app.me = null;
    setCsrf(null);
  }
  return app.me;
}

async function signOut() {
  try {
    await post('/logout');
  } catch { /* signed out on this side whatever the server said */ }
  app.me = null;
  setCsrf(null);
  go('/sign-in');
}

// ---- pages ----

async function home(view) {
  if (app.me) {
    const { user } = app.me;
    if (user.patient && (user.role === 'patient' || atHome(app.me))) go(`/patients/${user.patient}`, true);
    else if (STAFF.includes(user.role)) go('/patients', true);
    else if (user.role === 'operator') go('/accounts', true);
    else view.append(pageTitle(t('Welcome')), el('p', { text: t('This account has no record to show yet.') }));
    return;
  }
  const setupState = await get('/setup');
  go(setupState.needed ? '/setup' : '/sign-in', true);
}

// The pain map for anyone, kept nowhere: the page tpt showed before
// accounts, and still the quickest way to an answer.
async function publicMap(view) {
  view.classList.add('wide');
  view.append(pageTitle(t('Where does it hurt?')),
    el('p', { class: 'lead', text: t('Mark on the body where you feel pain, tingling or numbness. tpt then shows which muscle trigger points or nerve roots may cause it. Nothing is kept.') }));
  const box = el('div');
  view.append(box);
  const { ready } = mountMap(box, {
    analyse: (marks) => post('/map', { marks }),
  });
  await ready;
}

// ---- start ----

async function start() {
  whenSignedOut(() => {
    if (!app.me) return;
    app.me = null;
    setCsrf(null);
    const { path } = parseHash();
    const found = match(path);
    if (!found || !found.route.open) go(`/sign-in?next=${encodeURIComponent(path)}`, true);
  });
  window.addEventListener('hashchange', changed);
  // the skip link moves focus; following its address would leave the route
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('view').focus();
  });
  // a session kept on this device while offline goes as soon as it can
  window.addEventListener('online', () => { if (app.me) sendWaiting(); });
  try {
    await loadLanguages();
    await refreshMe();
    await useLanguage(pick(app.me && app.me.user.language));
  } catch (err) {
    $('view').replaceChildren(errorBox(err.message));
    return;
  }
  render();
  if (app.me) sendWaiting();
}

start();
