// The pages of an account: the first account's setup, sign-in, an
// invitation's and a password reset's one-time links, and the account itself (its language, the
// clinic's screens for someone using tpt for themselves, the password,
// signing out).

import { ApiError, change, get, post, setCsrf } from './api.js';
import { el, errorBox, field, pageTitle, put, submitForm, when } from './dom.js';
import { language, languages, pick, t, useLanguage } from './i18n.js';

export const roleWords = (role) => ({
  admin: t('administrator'), practitioner: t('practitioner'), patient: t('patient'),
  operator: t('operator'),
}[role] || role);

// Someone using tpt for themselves with the clinic's screens out of sight:
// they see their own record, with the menu of its steps.
export const atHome = (me) => Boolean(me && me.user.home && me.user.patient);

function form(onSubmit, ...children) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const f = el('form', { class: 'form', novalidate: true }, error, ...children);
  submitForm(f, error, () => onSubmit(f), true);
  return f;
}

const input = (name, type, extra = {}) => el('input', { name, type, id: `in-${name}`, ...extra });

function checkPassword(f, name = 'password', again = 'password2') {
  const p = f.elements[name].value;
  const chars = [...p].length; // characters, as the server counts them, not UTF-16 units
  if (chars < 10) throw new ApiError(t('The password needs at least 10 characters; a few words make a good one.'), 0, { error: { field: name } });
  if (chars > 256) throw new ApiError(t('The password can have at most 256 characters.'), 0, { error: { field: name } });
  if (f.elements[again] && f.elements[again].value !== p) {
    throw new ApiError(t('The two passwords are not the same.'), 0, { error: { field: again } });
  }
  return p;
}

// The name, email and password of a form that makes an account.
function newAccount(f) {
  const name = f.elements.name.value.trim();
  const email = f.elements.email.value.trim();
  if (!name) throw new ApiError(t('Give your name.'), 0, { error: { field: 'name' } });
  if (!email) throw new ApiError(t('Give your email address.'), 0, { error: { field: 'email' } });
  return { name, email, password: checkPassword(f) };
}

// A new session's token, and who it is (the account's language too).
async function signedIn(answer, ctx) {
  setCsrf(answer.csrf);
  const me = await ctx.refreshMe();
  if (me) await useLanguage(pick(me.user.language));
}

export async function signIn(view, ctx) {
  if (ctx.me) {
    ctx.go('/', true);
    return;
  }
  const next = ctx.query.get('next');
  view.classList.add('narrow');
  view.append(pageTitle(t('Sign in')),
    form(async (f) => {
      const email = f.elements.email.value.trim();
      if (!email || !f.elements.password.value) throw new ApiError(t('Give your email address and your password.'));
      await signedIn(await post('/login', { email, password: f.elements.password.value }), ctx);
      ctx.go(next && next.startsWith('/') ? next : '/');
    },
    field(t('Email address'), input('email', 'email', { autocomplete: 'username', required: true })),
    field(t('Password'), input('password', 'password', { autocomplete: 'current-password', required: true })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Sign in') }))),
    el('p', { class: 'hint' }, t('Patients get their account from their clinic by an invitation link.'), ' ',
      t('To see what may cause your pain without an account,'), ' ',
      el('a', { href: '#/map', text: t('use the pain map') }), '.'));
}

export async function setup(view, ctx) {
  const state = await get('/setup');
  if (!state.needed) {
    ctx.go(ctx.me ? '/' : '/sign-in', true);
    return;
  }
  view.classList.add('narrow');
  view.append(pageTitle(t('Welcome to tpt')),
    el('p', { class: 'lead', text: t('No account exists here yet. Create the first one: it owns this tpt and can add practitioners, administrators and patients.') }),
    form(async (f) => {
      const { name, email, password } = newAccount(f);
      const body = { name, email, password, for_self: f.elements.for_self.checked };
      const clinic = f.elements.clinic.value.trim();
      if (clinic) body.clinic = clinic;
      await signedIn(await post('/setup', body), ctx);
      ctx.go('/');
    },
    field(t('Your name'), input('name', 'text', { autocomplete: 'name', required: true })),
    field(t('Email address'), input('email', 'email', { autocomplete: 'username', required: true }),
      t('You sign in with it.')),
    field(t('Password'), input('password', 'password', { autocomplete: 'new-password', minlength: '10', maxlength: '256', required: true }),
      t('At least 10 characters.')),
    field(t('The password again'), input('password2', 'password', { autocomplete: 'new-password', required: true })),
    field(t('Clinic or practice name (optional)'), input('clinic', 'text', { autocomplete: 'organization' })),
    el('label', { class: 'check-line', for: 'in-for_self' },
      input('for_self', 'checkbox'),
      el('span', {}, t('I am using tpt for myself:'), ' ',
        el('span', { class: 'hint', text: t('your own record is your start page, and the clinic\'s screens stay out of sight until you open them in your account.') }))),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Create the account') }))));
}

const inviteRole = (role) => ({
  patient: t('to keep your record of your pain, your plan and your sessions'),
  practitioner: t('as a practitioner'),
  admin: t('as an administrator'),
}[role] || '');

export async function invitation(view, ctx) {
  const token = ctx.params.token;
  view.classList.add('narrow');
  let info;
  try {
    info = await get(`/invitations/${encodeURIComponent(token)}`);
  } catch (err) {
    view.append(pageTitle(t('Invitation')), errorBox(err.message),
      el('p', {}, el('a', { href: '#/sign-in', text: t('Sign in') }), ' ', t('if you already have an account.')));
    return;
  }
  const clinic = info.clinic && (info.clinic.name || info.clinic);
  put(view, pageTitle(t('Accept the invitation')),
    el('p', { class: 'lead' }, typeof clinic === 'string'
      ? t('You are invited to tpt at {clinic} {role}.', { clinic, role: inviteRole(info.role) })
      : t('You are invited to tpt {role}.', { role: inviteRole(info.role) }),
    ' ', t('Choose your password to make your account.')),
    ctx.me ? el('p', { class: 'stale', text: t('You are signed in as {name}; accepting signs you in as the new account.', { name: ctx.me.user.name }) }) : null,
    form(async (f) => {
      const { name, email, password } = newAccount(f);
      let answer;
      try {
        answer = await post(`/invitations/${encodeURIComponent(token)}/accept`, { name, email, password });
      } catch (err) {
        // the address is well formed (the input checks it), so the server
        // refused it for being taken or not the invitation's
        if (err.code !== 'invalid-field' || err.field !== 'email') throw err;
        throw new ApiError(t('This email address cannot be used for the new account: another account uses it already, or the invitation was sent to another address. If the account is yours, sign in instead.'), err.status, err.body);
      }
      await signedIn(answer, ctx);
      ctx.go('/', true);
    },
    field(t('Your name'), input('name', 'text', { autocomplete: 'name', value: info.name || '', required: true })),
    field(t('Email address'), input('email', 'email', {
      autocomplete: 'username', value: info.email || '', required: true, readonly: Boolean(info.email),
    }), info.email ? t('The invitation is for this address; you sign in with it.') : t('You sign in with it.')),
    field(t('Password'), input('password', 'password', { autocomplete: 'new-password', required: true }), t('At least 10 characters.')),
    field(t('The password again'), input('password2', 'password', { autocomplete: 'new-password', required: true })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Make my account') }))),
    info.expires ? el('p', { class: 'hint', text: t('This link works once, until {when}.', { when: when(info.expires) }) }) : null);
}

// A password reset link an administrator gave: a new password, and every
// other sign-in of the account ends.
export async function resetPassword(view, ctx) {
  const token = ctx.params.token;
  view.classList.add('narrow');
  let info;
  try {
    info = await get(`/resets/${encodeURIComponent(token)}`);
  } catch (err) {
    view.append(pageTitle(t('New password')), errorBox(err.message),
      el('p', {}, el('a', { href: '#/sign-in', text: t('Sign in') }), ' ', t('if you know your password.')));
    return;
  }
  put(view, pageTitle(t('Choose a new password')),
    el('p', { class: 'lead', text: t('For {name} ({email}). Choosing it signs this account out everywhere else.', { name: info.name, email: info.email }) }),
    form(async (f) => {
      const password = checkPassword(f);
      await signedIn(await post(`/resets/${encodeURIComponent(token)}`, { password }), ctx);
      ctx.go('/', true);
    },
    field(t('New password'), input('password', 'password', { autocomplete: 'new-password', required: true }), t('At least 10 characters.')),
    field(t('The new password again'), input('password2', 'password', { autocomplete: 'new-password', required: true })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Set the password') }))),
    el('p', { class: 'hint', text: t('This link works once, until {when}.', { when: when(info.expires) }) }));
}

// The language of the pages: the browser's, or one chosen for the account.
function languageSection(ctx) {
  const { user } = ctx.me;
  const browser = languages().find((l) => l.id === pick(''));
  const select = el('select', { id: 'language', name: 'language' },
    el('option', { value: '', text: t('As the browser says ({language})', { language: browser ? browser.name : 'English' }), selected: !user.language }),
    languages().map((l) => el('option', { value: l.id, lang: l.id, text: l.name, selected: user.language === l.id })));
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const f = el('form', { class: 'form inline-form', id: 'language-form' }, error,
    field(t('Language'), select, t('The language of the pages, the plans and the handout.')),
    el('button', { type: 'submit', class: 'secondary', text: t('Use this language') }));
  submitForm(f, error, async () => {
    await change('/me', { language: select.value });
    await ctx.refreshMe();
    await useLanguage(pick(select.value));
    ctx.go('/account');
  });
  return el('section', { id: 'language-settings' }, el('h2', { text: t('Language') }),
    el('p', { class: 'hint', text: t('Now: {language}.', { language: (languages().find((l) => l.id === language()) || {}).name || 'English' }) }),
    f);
}

// For someone who uses tpt for themselves: the clinic's screens (patients,
// accounts, the audit log) out of sight, or shown when they run a clinic too.
function clinicSection(ctx) {
  const { user } = ctx.me;
  if (!user.patient || user.role === 'patient') return null;
  const home = atHome(ctx.me);
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const button = el('button', {
    type: 'button', class: 'secondary', id: home ? 'open-clinic' : 'close-clinic',
    text: home ? t('Open the clinic screens') : t('Use tpt for myself only'),
    onclick: async () => {
      error.hidden = true;
      try {
        await change('/me', { home: !home });
        await ctx.refreshMe();
        ctx.go(home ? '/patients' : '/');
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      }
    },
  });
  return el('section', { id: 'clinic-settings' }, el('h2', { text: t('The clinic') }),
    el('p', { text: home
      ? t('You use tpt for yourself: your own record is your start page, and the clinic\'s screens (patients, accounts, the audit log) are out of sight. Open them when you treat others too.')
      : t('The clinic\'s screens are shown. If you use tpt only for yourself, hide them: your own record becomes your start page.') }),
    error, el('p', {}, button));
}

export async function account(view, ctx) {
  const { user } = ctx.me;
  view.classList.add('narrow');
  const done = el('p', { class: 'ok', role: 'status', hidden: true });
  view.append(pageTitle(t('Your account')),
    el('dl', { class: 'facts' },
      el('dt', { text: t('Name') }), el('dd', { text: user.name }),
      el('dt', { text: t('Email') }), el('dd', { text: user.email }),
      atHome(ctx.me) ? null : [el('dt', { text: t('Role') }), el('dd', { text: roleWords(user.role) })],
      user.clinic && !atHome(ctx.me) ? [el('dt', { text: t('Clinic') }), el('dd', { text: user.clinic.name })] : null),
    languageSection(ctx),
    clinicSection(ctx),
    el('h2', { text: t('Change the password') }),
    done,
    form(async (f) => {
      done.hidden = true;
      if (!f.elements.current.value) throw new ApiError(t('Give your current password.'), 0, { error: { field: 'current' } });
      const fresh = checkPassword(f, 'new', 'new2');
      await post('/password', { current: f.elements.current.value, new: fresh });
      f.reset();
      done.textContent = t('The password is changed.');
      done.hidden = false;
    },
    field(t('Current password'), input('current', 'password', { autocomplete: 'current-password' })),
    field(t('New password'), input('new', 'password', { autocomplete: 'new-password' }), t('At least 10 characters.')),
    field(t('The new password again'), input('new2', 'password', { autocomplete: 'new-password' })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Change the password') }))),
    el('h2', { text: t('Sign out') }),
    el('p', {}, el('button', { type: 'button', class: 'secondary', text: t('Sign out of tpt'), onclick: ctx.signOut })));
}
