// A person's calendar in their record, for them and their clinic's staff:
// their appointments, with the reminders due shown here (so that nothing
// is lost when no email goes), and the calendar feed a phone subscribes to
// (the appointments, the home program's times, a daily pain check) at a
// private address that can be made anew or stopped. And, for staff, the
// clinic's messages (#/messages): the emails waiting, sent and failed.

import { get, post, api } from './api.js';
import { copyField, el, errorBox, field, pageTitle, showError, submitForm, when } from './dom.js';
import { STATUS_WORDS, whenWords } from './clock.js';
import { t } from './i18n.js';

// ---- appointments ----

export async function appointmentsBox(id, ctx) {
  const box = el('section', { class: 'appointments-box', id: 'appointments', 'aria-labelledby': 'appointments-title' },
    el('h2', { id: 'appointments-title', text: t('Appointments') }));
  let data;
  try {
    data = await get(`/patients/${id}/appointments`);
  } catch (err) {
    if (err.status === 404) return null; /* a record of no clinic */
    box.append(errorBox(err.message));
    return box;
  }
  const staff = ctx.me.user.role !== 'patient';
  for (const r of data.reminders) {
    box.append(el('p', { class: 'caution reminder', role: 'status', 'data-kind': r.kind }, el('strong', { text: `${r.subject}. ` }),
      r.kind === 'cancellation' ? t('The clinic cancelled it.') : t('From the clinic.')));
  }
  const now = data.now;
  const coming = data.appointments.filter((a) => a.ends > now && a.status !== 'cancelled');
  const past = data.appointments.filter((a) => !(a.ends > now && a.status !== 'cancelled')).reverse().slice(0, 5);
  const row = (a) => el('li', { 'data-appointment': String(a.id), 'data-status': a.status },
    el('strong', { text: whenWords(a.local_start) }),
    ' ', t('({zone} time), {what} with {name}', { zone: a.zone, what: a.service ? a.service.name : t('appointment'), name: a.practitioner.name }),
    a.location ? `, ${a.location.name}` : '',
    a.status !== 'booked' ? el('span', { class: `status status-${a.status}`, text: ` · ${STATUS_WORDS[a.status]}${a.late_cancel ? t(', late') : ''}` }) : null,
    a.reassessment && a.status === 'booked' ? el('span', { class: 'hint', text: t(' · the questionnaires are due') }) : null);
  box.append(coming.length ? el('ul', { class: 'plain-list appointment-list', id: 'appointments-coming' }, coming.map(row))
    : el('p', { class: 'placeholder', text: t('No appointment booked.') }));
  if (staff) box.append(el('p', {}, el('a', { class: 'secondary button-link', id: 'book-for-patient', href: `#/calendar?patient=${id}`, text: t('Book an appointment') })));
  if (past.length) box.append(el('details', {}, el('summary', { text: t('Earlier') }), el('ul', { class: 'plain-list' }, past.map(row))));
  return box;
}

// ---- the calendar feed ----

function feedForm(id, feed, redraw) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const times = feed ? feed.sessions : ['08:00', '18:00'];
  const sessions = el('div', { class: 'span-row' }, [0, 1, 2].map((i) => el('input', {
    type: 'time', name: `session-${i}`, value: times[i] || '', 'aria-label': t('Home session {n}', { n: i + 1 }),
  })));
  const check = el('input', { type: 'time', name: 'check', id: 'feed-check', value: feed ? feed.check || '' : '20:00' });
  const f = el('form', { class: 'form', id: 'feed-form', novalidate: true }, error,
    field(t('Home program sessions, at'), sessions, t('Up to three a day; leave a box empty for fewer. While a warning sign stops self-treatment, they leave the calendar.')),
    field(t('Daily "how is the pain today?"'), check, t('Leave it empty for none.')),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: feed && feed.live ? t('Save the times') : t('Make my calendar address') })));
  submitForm(f, error, async () => {
    const body = {
      sessions: [0, 1, 2].map((i) => f.elements[`session-${i}`].value).filter(Boolean),
      check: check.value || null,
      keep_address: Boolean(feed && feed.live),
    };
    redraw(await post(`/patients/${id}/calendar`, body));
  });
  return f;
}

export async function feedBox(id) {
  const box = el('section', { class: 'feed-box', id: 'calendar-feed', 'aria-labelledby': 'feed-title' });
  const draw = async (answer) => {
    const feed = answer.feed;
    box.replaceChildren(el('h2', { id: 'feed-title', text: t('On your phone\'s calendar') }),
      el('p', { class: 'hint', text: t('Your appointments, the times of your home program and a daily reminder to log the pain, in any calendar app (iPhone, Android, Outlook): it subscribes to a private address, kept up to date.') }));
    if (answer.url) {
      const webcal = answer.url.replace(/^https?:/, 'webcal:');
      box.append(el('div', { class: 'link-box', id: 'feed-url' },
        el('p', {}, el('strong', { text: t('Add this address to your calendar app') }), t(' (it is shown this once; keep it private):')),
        copyField(answer.url, t('Calendar address')),
        el('p', {}, el('a', { href: webcal, text: t('Open it in the calendar app') }))));
    } else if (feed && feed.live) {
      box.append(el('p', { id: 'feed-live', text: t('Your calendar address works since {when}. A new address stops the old one.', { when: when(feed.since) }) }));
    } else if (feed) {
      box.append(el('p', { id: 'feed-stopped', text: t('The calendar address is stopped.') }));
    }
    box.append(feedForm(id, feed, draw));
    if (feed && feed.live) {
      box.append(el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'secondary', id: 'feed-new', text: t('Make a new address'), onclick: async () => draw(await post(`/patients/${id}/calendar`, { sessions: feed.sessions, check: feed.check })) }),
        el('button', { type: 'button', class: 'link-button', id: 'feed-stop', text: t('Stop the calendar'), onclick: async () => draw(await api('DELETE', `/patients/${id}/calendar`)) })));
    }
  };
  try {
    await draw(await get(`/patients/${id}/calendar`));
  } catch (err) {
    box.append(errorBox(err.message));
  }
  return box;
}

// ---- the clinic's messages ----

export const STATE_WORDS = () => ({
  queued: t('waiting'), sending: t('sending'), sent: t('sent'), failed: t('not sent'), dropped: t('no longer needed'), handled: t('told by hand'),
});

export async function outboxPage(view, ctx) {
  const state = ctx.query.get('state') || 'waiting';
  view.append(pageTitle(t('Messages')));
  const tabs = el('nav', { class: 'record-nav', 'aria-label': t('Messages') },
    [['waiting', t('Waiting')], ['failed', t('Not sent')], ['sent', t('Sent')], ['all', t('All')]].map(([s, w]) => el('a', {
      href: `#/messages?state=${s}`, text: w, 'aria-current': s === state ? 'page' : false,
    })));
  const { messages, relay } = await get(`/outbox?state=${state}`);
  if (!ctx.alive()) return;
  view.append(el('p', { class: relay ? 'hint' : 'caution', id: 'outbox-relay', text: relay
    ? t('Emails go through the mail relay by themselves. Those without an email address wait here: tell the patient yourself, then mark them done.')
    : t('No mail relay is set (the clinic settings, or tpt serve --smtp): no email goes. Tell each patient yourself, then mark the message done; patients also see their reminders in their record.') }),
  tabs);
  if (!messages.length) {
    view.append(el('p', { class: 'placeholder', text: t('No messages here.') }));
    return;
  }
  view.append(el('ul', { class: 'plain-list message-list', id: 'messages' }, messages.map((m) => {
    const error = el('p', { class: 'error', role: 'alert', hidden: true });
    const done = (m.state === 'queued' && (!relay || !m.to)) || m.state === 'failed'
      ? el('button', {
        type: 'button', class: 'secondary', 'data-handled': String(m.id), text: t('Done: I told them'),
        onclick: async (e) => {
          try {
            await post(`/outbox/${m.id}/handled`, {});
            e.target.closest('li').dataset.state = 'handled';
            e.target.replaceWith(el('span', { class: 'ok-line', text: t('Done.') }));
          } catch (err) {
            showError(error, err.message);
          }
        },
      }) : null;
    return el('li', { class: 'message', 'data-message': String(m.id), 'data-state': m.state },
      el('p', {}, el('strong', { text: m.subject }), ` · ${STATE_WORDS()[m.state]}`),
      el('p', { class: 'hint' }, m.patient ? el('a', { href: `#/patients/${m.patient.id}`, text: m.patient.name }) : null,
        m.to ? ` · ${m.to}` : t(' · no email address'), t(' · due {when}', { when: when(m.due) }), m.sent_at ? t(' · sent {when}', { when: when(m.sent_at) }) : '',
        m.error ? ` · ${m.error}` : ''),
      el('details', {}, el('summary', { text: t('The text') }), el('pre', { class: 'message-body', text: m.body })),
      error, done);
  })));
}
