// The application: hash routes, the shell (header, navigation, who is
// signed in), and the pages of the account itself: first-account setup,
// sign-in, an invitation's one-time link, the password and signing out.
// The record pages live in care.js, screen.js and session.js, the clinic's
// in admin.js, a record's details and visits in clinic.js and visit.js, outcome
// measures in measures.js and the clinic's view in outcomes.js.

import { ApiError, get, post, setCsrf, whenSignedOut } from './api.js';
import { mountMap } from './chart.js';
import { $, el, errorBox, field, pageTitle, put, submitForm, when } from './dom.js';
import * as care from './care.js';
import * as admin from './admin.js';
import { accountsPage } from './accounts.js';
import * as clinic from './clinic.js';
import { visitPage } from './visit.js';
import { measuresPage } from './measures.js';
import { clinicPage } from './outcomes.js';
import { sessionPage } from './session.js';
import { privacyPage } from './privacy.js';
import { screenPage } from './screen.js';

const ROLE_WORDS = { admin: 'administrator', practitioner: 'practitioner', patient: 'patient', operator: 'operator' };
const STAFF = ['admin', 'practitioner'];
const MANAGERS = ['admin', 'operator'];

const app = {
  me: null, // {user, csrf, expires} while signed in
  leave: [], // what the page now shown asks to run when it goes (timers)
  token: 0, // counts page changes, so a late answer does not draw over a newer page
};

// ---- routes ----

const routes = [
  { path: '/', page: home, open: true },
  { path: '/sign-in', page: signIn, open: true },
  { path: '/setup', page: setup, open: true },
  { path: '/invite/:token', page: invitation, open: true },
  { path: '/reset/:token', page: resetPassword, open: true },
  { path: '/map', page: publicMap, open: true },
  { path: '/account', page: account },
  { path: '/patients', page: admin.patientsPage, roles: STAFF },
  { path: '/clinic', page: clinicPage, roles: STAFF },
  { path: '/patients/:id', page: care.overviewPage },
  { path: '/patients/:id/visits', page: clinic.visitsPage, roles: STAFF },
  { path: '/patients/:id/visits/new', page: visitPage, roles: STAFF },
  { path: '/patients/:id/visits/:n', page: visitPage, roles: STAFF },
  { path: '/patients/:id/screen', page: screenPage },
  { path: '/patients/:id/map', page: care.drawPage },
  { path: '/patients/:id/plan', page: care.planPage },
  { path: '/patients/:id/session', page: sessionPage },
  { path: '/patients/:id/log', page: care.logPage },
  { path: '/patients/:id/measures', page: measuresPage },
  { path: '/patients/:id/progress', page: care.progressPage },
  { path: '/patients/:id/report', page: care.reportPage },
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

async function render() {
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
    go,
    refreshMe,
  };
  try {
    if (!found) {
      fresh.append(pageTitle('Page not found'), el('p', {}, 'There is no page at this address. ',
        el('a', { href: '#/', text: 'Go to the start.' })));
    } else if (!found.route.open && !app.me) {
      go(`/sign-in?next=${encodeURIComponent(path)}`, true);
      return;
    } else if (found.route.roles && !found.route.roles.includes(app.me.user.role)) {
      fresh.append(pageTitle('Not for this account'),
        el('p', { text: 'Your account may not open this page.' }),
        el('p', {}, el('a', { href: '#/', text: 'Go to your start page.' })));
    } else if (app.me && app.me.user.role === 'patient' && found.params.id
      && String(found.params.id) !== String(app.me.user.patient)) {
      // the server refuses it too; this says so before asking
      fresh.append(pageTitle('Not your record'),
        el('p', { text: 'Your account may open only your own record.' }),
        el('p', {}, el('a', { href: '#/', text: 'Go to your record.' })));
    } else {
      await found.route.page(fresh, ctx);
    }
  } catch (err) {
    if (!ctx.alive()) return;
    fresh.append(errorBox(err instanceof ApiError ? err.message : `This page could not be shown: ${err.message}`));
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
    return [['#/sign-in', 'Sign in'], ['#/map', 'Pain map']];
  }
  const { user } = app.me;
  const links = [];
  if (STAFF.includes(user.role)) links.push(['#/patients', 'Patients'], ['#/clinic', 'Clinic']);
  if (user.patient) links.push([`#/patients/${user.patient}`, user.role === 'patient' ? 'My record' : 'My own record']);
  if (MANAGERS.includes(user.role)) links.push(['#/accounts', 'Accounts']);
  if (user.role === 'operator') links.push(['#/clinics', 'Clinics']);
  if (MANAGERS.includes(user.role)) links.push(['#/audit', 'Audit log']);
  links.push(['#/account', 'Account']);
  return links;
}

function renderShell(path) {
  const nav = $('nav');
  nav.textContent = '';
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
      el('strong', { text: user.name }), ` · ${ROLE_WORDS[user.role] || user.role}`,
      user.clinic && user.clinic.name ? ` · ${user.clinic.name}` : ''),
    el('button', { type: 'button', class: 'link-button', id: 'sign-out', text: 'Sign out', onclick: signOut }));
  }
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
    if (user.role === 'patient' && user.patient) go(`/patients/${user.patient}`, true);
    else if (STAFF.includes(user.role)) go('/patients', true);
    else if (user.role === 'operator') go('/accounts', true);
    else view.append(pageTitle('Welcome'), el('p', { text: 'This account has no record to show yet.' }));
    return;
  }
  const setupState = await get('/setup');
  go(setupState.needed ? '/setup' : '/sign-in', true);
}

function form(onSubmit, ...children) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const f = el('form', { class: 'form', novalidate: true }, error, ...children);
  submitForm(f, error, () => onSubmit(f), true);
  return f;
}

const input = (name, type, extra = {}) => el('input', { name, type, id: `in-${name}`, ...extra });

function checkPassword(f, name = 'password', again = 'password2') {
  const p = f.elements[name].value;
  if (p.length < 10) throw new ApiError('The password needs at least 10 characters; a few words make a good one.', 0, { error: { field: name } });
  if (p.length > 256) throw new ApiError('The password can have at most 256 characters.', 0, { error: { field: name } });
  if (f.elements[again] && f.elements[again].value !== p) {
    throw new ApiError('The two passwords are not the same.', 0, { error: { field: again } });
  }
  return p;
}

// The name, email and password of a form that makes an account.
function newAccount(f) {
  const name = f.elements.name.value.trim();
  const email = f.elements.email.value.trim();
  if (!name) throw new ApiError('Give your name.', 0, { error: { field: 'name' } });
  if (!email) throw new ApiError('Give your email address.', 0, { error: { field: 'email' } });
  return { name, email, password: checkPassword(f) };
}

async function signedIn(answer) {
  setCsrf(answer.csrf);
  await refreshMe();
}

async function signIn(view, ctx) {
  if (app.me) {
    go('/', true);
    return;
  }
  const next = ctx.query.get('next');
  view.classList.add('narrow');
  view.append(pageTitle('Sign in'),
    form(async (f) => {
      const email = f.elements.email.value.trim();
      if (!email || !f.elements.password.value) throw new ApiError('Give your email address and your password.');
      await signedIn(await post('/login', { email, password: f.elements.password.value }));
      go(next && next.startsWith('/') ? next : '/');
    },
    field('Email address', input('email', 'email', { autocomplete: 'username', required: true })),
    field('Password', input('password', 'password', { autocomplete: 'current-password', required: true })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Sign in' }))),
    el('p', { class: 'hint' }, 'Patients get their account from their clinic by an invitation link. ',
      'To see what may cause your pain without an account, ', el('a', { href: '#/map', text: 'use the pain map' }), '.'));
}

async function setup(view) {
  const state = await get('/setup');
  if (!state.needed) {
    go(app.me ? '/' : '/sign-in', true);
    return;
  }
  view.classList.add('narrow');
  view.append(pageTitle('Welcome to tpt'),
    el('p', { class: 'lead' }, 'No account exists here yet. Create the first one: it owns this tpt and can ',
      'add practitioners, administrators and patients.'),
    form(async (f) => {
      const { name, email, password } = newAccount(f);
      const body = { name, email, password, for_self: f.elements.for_self.checked };
      const clinic = f.elements.clinic.value.trim();
      if (clinic) body.clinic = clinic;
      await signedIn(await post('/setup', body));
      go('/');
    },
    field('Your name', input('name', 'text', { autocomplete: 'name', required: true })),
    field('Email address', input('email', 'email', { autocomplete: 'username', required: true }),
      'You sign in with it.'),
    field('Password', input('password', 'password', { autocomplete: 'new-password', minlength: '10', maxlength: '256', required: true }),
      'At least 10 characters.'),
    field('The password again', input('password2', 'password', { autocomplete: 'new-password', required: true })),
    field('Clinic or practice name (optional)', input('clinic', 'text', { autocomplete: 'organization' })),
    el('label', { class: 'check-line', for: 'in-for_self' },
      input('for_self', 'checkbox'),
      el('span', {}, 'I am using tpt for myself: ', el('span', { class: 'hint', text: 'also make a record of my own pain under this account.' }))),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Create the account' }))));
}

const INVITE_ROLE = {
  patient: 'to keep your record of your pain, your plan and your sessions',
  practitioner: 'as a practitioner',
  admin: 'as an administrator',
};

async function invitation(view, ctx) {
  const token = ctx.params.token;
  view.classList.add('narrow');
  let info;
  try {
    info = await get(`/invitations/${encodeURIComponent(token)}`);
  } catch (err) {
    const why = err.message;
    view.append(pageTitle('Invitation'), errorBox(why),
      el('p', {}, el('a', { href: '#/sign-in', text: 'Sign in' }), ' if you already have an account.'));
    return;
  }
  const clinic = info.clinic && (info.clinic.name || info.clinic);
  put(view, pageTitle('Accept the invitation'),
    el('p', { class: 'lead' }, `You are invited to tpt${typeof clinic === 'string' ? ` at ${clinic}` : ''} `,
      `${INVITE_ROLE[info.role] || ''}. Choose your password to make your account.`),
    app.me ? el('p', { class: 'stale', text: `You are signed in as ${app.me.user.name}; accepting signs you in as the new account.` }) : null,
    form(async (f) => {
      const { name, email, password } = newAccount(f);
      await signedIn(await post(`/invitations/${encodeURIComponent(token)}/accept`, { name, email, password }));
      go('/', true);
    },
    field('Your name', input('name', 'text', { autocomplete: 'name', value: info.name || '', required: true })),
    field('Email address', input('email', 'email', {
      autocomplete: 'username', value: info.email || '', required: true, readonly: Boolean(info.email),
    }), info.email ? 'The invitation is for this address; you sign in with it.' : 'You sign in with it.'),
    field('Password', input('password', 'password', { autocomplete: 'new-password', required: true }), 'At least 10 characters.'),
    field('The password again', input('password2', 'password', { autocomplete: 'new-password', required: true })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Make my account' }))),
    info.expires ? el('p', { class: 'hint', text: `This link works once, until ${when(info.expires)}.` }) : null);
}

// A password reset link an administrator gave: a new password, and every
// other sign-in of the account ends.
async function resetPassword(view, ctx) {
  const token = ctx.params.token;
  view.classList.add('narrow');
  let info;
  try {
    info = await get(`/resets/${encodeURIComponent(token)}`);
  } catch (err) {
    view.append(pageTitle('New password'), errorBox(err.message),
      el('p', {}, el('a', { href: '#/sign-in', text: 'Sign in' }), ' if you know your password.'));
    return;
  }
  put(view, pageTitle('Choose a new password'),
    el('p', { class: 'lead', text: `For ${info.name} (${info.email}). Choosing it signs this account out everywhere else.` }),
    form(async (f) => {
      const password = checkPassword(f);
      await signedIn(await post(`/resets/${encodeURIComponent(token)}`, { password }));
      go('/', true);
    },
    field('New password', input('password', 'password', { autocomplete: 'new-password', required: true }), 'At least 10 characters.'),
    field('The new password again', input('password2', 'password', { autocomplete: 'new-password', required: true })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Set the password' }))),
    el('p', { class: 'hint', text: `This link works once, until ${when(info.expires)}.` }));
}

async function account(view) {
  const { user } = app.me;
  view.classList.add('narrow');
  const done = el('p', { class: 'ok', role: 'status', hidden: true });
  view.append(pageTitle('Your account'),
    el('dl', { class: 'facts' },
      el('dt', { text: 'Name' }), el('dd', { text: user.name }),
      el('dt', { text: 'Email' }), el('dd', { text: user.email }),
      el('dt', { text: 'Role' }), el('dd', { text: ROLE_WORDS[user.role] || user.role }),
      user.clinic ? el('dt', { text: 'Clinic' }) : null, user.clinic ? el('dd', { text: user.clinic.name }) : null),
    el('h2', { text: 'Change the password' }),
    done,
    form(async (f) => {
      done.hidden = true;
      if (!f.elements.current.value) throw new ApiError('Give your current password.', 0, { error: { field: 'current' } });
      const fresh = checkPassword(f, 'new', 'new2');
      await post('/password', { current: f.elements.current.value, new: fresh });
      f.reset();
      done.textContent = 'The password is changed.';
      done.hidden = false;
    },
    field('Current password', input('current', 'password', { autocomplete: 'current-password' })),
    field('New password', input('new', 'password', { autocomplete: 'new-password' }), 'At least 10 characters.'),
    field('The new password again', input('new2', 'password', { autocomplete: 'new-password' })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Change the password' }))),
    el('h2', { text: 'Sign out' }),
    el('p', {}, el('button', { type: 'button', class: 'secondary', text: 'Sign out of tpt', onclick: signOut })));
}

// The pain map for anyone, kept nowhere: the page tpt showed before
// accounts, and still the quickest way to an answer.
async function publicMap(view) {
  view.classList.add('wide');
  view.append(pageTitle('Where does it hurt?'),
    el('p', { class: 'lead' }, 'Mark on the body where you feel pain, tingling or numbness. tpt then shows which '
      + 'muscle trigger points or nerve roots may cause it. Nothing is kept.'));
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
  window.addEventListener('hashchange', render);
  // the skip link moves focus; following its address would leave the route
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('view').focus();
  });
  try {
    await refreshMe();
  } catch (err) {
    $('view').replaceChildren(errorBox(err.message));
    return;
  }
  render();
}

start();
