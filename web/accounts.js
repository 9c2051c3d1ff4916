// The Accounts page of an admin (their clinic) and of the operator (every
// clinic): each account with its role and whether it may sign in, and what
// can be done to it (another role, a password reset link, signing it out
// everywhere, disabling, deleting); the invitations still waiting, which
// can be withdrawn; and a new invitation.

import { ApiError, get, post, change, remove } from './api.js';
import { confirmBox, copyField, day, el, field, pageTitle, showError, submitForm, when } from './dom.js';
import { invitationLink } from './care.js';
import { t } from './i18n.js';

const roleWords = (role) => ({
  admin: t('Administrator'), practitioner: t('Practitioner'), patient: t('Patient'), operator: t('Operator'),
}[role] || role);

function status(u) {
  if (u.deleted) return t('Deleted {day}', { day: day(u.deleted) });
  if (u.disabled) return t('Disabled since {day}', { day: day(u.disabled) });
  return t('Active');
}

// A one-time password reset link, to give the person.
function resetBox(u, answer) {
  const link = `${location.origin}${answer.link}`;
  return el('div', { class: 'link-box', 'data-reset': String(u.id) },
    el('p', {}, el('strong', { text: t('A new password for {name}.', { name: u.name }) }), ' ',
      t('Give this link to {name} only. It works once, until {when}; using it signs them out everywhere else.', { name: u.name, when: when(answer.expires) })),
    copyField(link, t('Password reset link for {name}', { name: u.name })));
}

function accountRow(u, me, act) {
  const self = u.id === me.id;
  const cells = [
    el('td', { 'data-label': t('Name') }, el('span', { class: 'account-name', text: u.name }), self ? [' ', el('span', { class: 'hint', text: t('(you)') })] : null),
    el('td', { 'data-label': t('Email'), text: u.email }),
  ];
  const staff = u.role === 'admin' || u.role === 'practitioner';
  if (staff && !u.deleted && !self) {
    const select = el('select', { 'aria-label': t('Role of {name}', { name: u.name }), 'data-role-of': String(u.id) },
      ['practitioner', 'admin'].map((r) => el('option', { value: r, text: roleWords(r), selected: r === u.role })));
    select.addEventListener('change', () => act(t('Changed the role of {name}.', { name: u.name }),
      () => change(`/users/${u.id}`, { role: select.value }), () => { select.value = u.role; }));
    cells.push(el('td', { 'data-label': t('Role') }, select));
  } else {
    cells.push(el('td', { 'data-label': t('Role'), text: roleWords(u.role) }));
  }
  if (me.role === 'operator') cells.push(el('td', { 'data-label': t('Clinic'), text: (u.clinic && u.clinic.name) || '—' }));
  cells.push(el('td', { 'data-label': t('Status'), class: u.disabled || u.deleted ? 'status-off' : 'status-on', text: status(u) }));
  const actions = el('div', { class: 'account-actions' });
  if (!u.deleted && u.role !== 'operator') {
    const button = (text, name, fn, cls = 'secondary') => el('button', {
      type: 'button', class: `${cls} small`, text, 'data-action': name, onclick: fn,
    });
    // a reset link is for someone else: one's own password changes with the current one
    if (!u.disabled && !self) {
      actions.append(button(t('Password reset link'), 'reset', () => act(null, async () => {
        const answer = await post(`/users/${u.id}/reset`);
        return resetBox(u, answer);
      })));
      actions.append(button(t('Sign out everywhere'), 'sessions', () => act(t('{name} is signed out everywhere.', { name: u.name }),
        () => remove(`/users/${u.id}/sessions`))));
    }
    if (!self) {
      actions.append(u.disabled
        ? button(t('Enable'), 'enable', () => act(t('{name} may sign in again.', { name: u.name }), () => change(`/users/${u.id}`, { disabled: false })))
        : button(t('Disable'), 'disable', async () => {
          const yes = await confirmBox({
            title: t('Disable {name}\'s account?', { name: u.name }),
            text: [t('{name} is signed out at once and cannot sign in until the account is enabled again.', { name: u.name }),
              t('Use this when someone leaves, or while an account may be misused.')],
            confirm: t('Disable the account'),
            danger: true,
          });
          if (yes) await act(t('{name}\'s account is disabled.', { name: u.name }), () => change(`/users/${u.id}`, { disabled: true }));
        }),
      button(t('Delete'), 'delete', async () => {
        const yes = await confirmBox({
          title: t('Delete {name}\'s account for good?', { name: u.name }),
          text: [t('The account cannot sign in again and its email address becomes free.'),
            t('Its name stays on the notes it signed and in the audit log.')],
          confirm: t('Delete the account'),
          danger: true,
        });
        if (yes) await act(t('{name}\'s account is deleted.', { name: u.name }), () => remove(`/users/${u.id}`));
      }, 'danger'));
    }
  }
  cells.push(el('td', { class: 'what-to-do' }, actions));
  return el('tr', { 'data-user': String(u.id), 'data-status': u.deleted ? 'deleted' : u.disabled ? 'disabled' : 'active' }, cells);
}

function invitationsTable(invitations, me, act) {
  if (!invitations.length) return el('p', { class: 'placeholder', text: t('No invitation is waiting.') });
  const heads = [t('Name'), t('Role'), t('Email'), me.role === 'operator' ? t('Clinic') : null, t('Invited by'), t('Works until'), ''].filter((h) => h !== null);
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data stacked', id: 'invitations' },
    el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, invitations.map((i) => el('tr', { 'data-invitation-id': String(i.id) },
      el('td', { 'data-label': t('Name'), text: i.name }),
      el('td', { 'data-label': t('Role'), text: roleWords(i.role) }),
      el('td', { 'data-label': t('Email'), text: i.email || '—' }),
      me.role === 'operator' ? el('td', { 'data-label': t('Clinic'), text: i.clinic.name }) : null,
      el('td', { 'data-label': t('Invited by'), text: i.created_by.name }),
      el('td', { 'data-label': t('Works until'), text: when(i.expires) }),
      el('td', {}, el('button', {
        type: 'button', class: 'secondary small', text: t('Withdraw'), 'data-action': 'withdraw',
        onclick: () => act(t('The invitation of {name} is withdrawn: its link no longer works.', { name: i.name }),
          () => post(`/invitations/${i.id}/withdraw`)),
      })))))));
}

function inviteForm(clinics, me) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const out = el('div', { id: 'invitation' });
  const role = el('select', { name: 'role', id: 'invite-role' },
    el('option', { value: 'practitioner', text: t('Practitioner') }),
    el('option', { value: 'admin', text: t('Administrator') }));
  const name = el('input', { type: 'text', name: 'name', id: 'invite-name', autocomplete: 'off' });
  const email = el('input', { type: 'email', name: 'email', id: 'invite-email', autocomplete: 'off' });
  const clinic = me.role === 'operator' ? el('select', { name: 'clinic', id: 'invite-clinic' },
    clinics.map((c) => el('option', { value: String(c.id), text: c.name }))) : null;
  const f = el('form', { class: 'form', id: 'invite-form' }, error,
    field(t('Role'), role),
    field(t('Name'), name),
    field(t('Email address (optional)'), email, t('The link works for whoever opens it first; give it only to this person.')),
    clinic ? field(t('Clinic'), clinic) : null,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Make an invitation link') })));
  submitForm(f, error, async () => {
    if (!name.value.trim()) throw new ApiError(t('Give the name of the person you invite.'));
    if (clinic && !clinic.value) throw new ApiError(t('Make a clinic first, on the Clinics page.'));
    const body = { role: role.value, name: name.value.trim() };
    if (email.value.trim()) body.email = email.value.trim();
    if (clinic) body.clinic = Number(clinic.value);
    const inv = await post('/invitations', body);
    out.replaceChildren(invitationLink(inv));
    f.dispatchEvent(new CustomEvent('invited'));
  });
  return { form: f, out };
}

export async function accountsPage(view, ctx) {
  const me = ctx.me.user;
  view.append(pageTitle(t('Accounts')),
    el('p', { class: 'lead', text: me.role === 'operator'
      ? t('Every clinic\'s accounts. Operator accounts are managed on the server (tpt account).')
      : me.clinic ? t('The accounts of {clinic}.', { clinic: me.clinic.name }) : t('The accounts of your clinic.') }));
  const message = el('p', { class: 'ok', role: 'status', id: 'accounts-message', hidden: true });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const users = el('div', { id: 'users-box' });
  const waiting = el('div', { id: 'invitations-box' });
  const extra = el('div', { id: 'account-link' });

  const load = async () => {
    const [list, pending] = await Promise.all([get('/users'), get('/invitations')]);
    if (!ctx.alive()) return;
    const heads = [t('Name'), t('Email'), t('Role'), me.role === 'operator' ? t('Clinic') : null, t('Status'), t('What to do')].filter((h) => h !== null);
    users.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'data stacked', id: 'users' },
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, list.users.map((u) => accountRow(u, me, act))))));
    waiting.replaceChildren(invitationsTable(pending.invitations, me, act));
  };
  // Runs a change: its message, or what it answered (a reset link), then the lists again.
  async function act(done, fn, undo) {
    message.hidden = true;
    showError(error, '');
    extra.replaceChildren();
    try {
      const shown = await fn();
      if (shown instanceof Node) extra.replaceChildren(shown);
      if (done) {
        message.textContent = done;
        message.hidden = false;
      }
      await load();
    } catch (err) {
      if (undo) undo();
      showError(error, err.message);
    }
  }

  const clinics = me.role === 'operator' ? (await get('/clinics')).clinics : [];
  const invite = inviteForm(clinics, me);
  invite.form.addEventListener('invited', () => load());
  view.append(message, error, extra, users,
    el('h2', { text: t('Invitations waiting') }),
    el('p', { class: 'hint', text: t('An invitation link works once. Withdraw one that was sent to the wrong person or is no longer wanted.') }),
    waiting,
    el('section', {}, el('h2', { text: t('Invite a practitioner or administrator') }),
      me.role === 'operator' ? null
        : el('p', { class: 'hint', text: t('Patients are invited from their own record, so that their account opens only that record.') }),
      invite.form, invite.out));
  await load();
}
