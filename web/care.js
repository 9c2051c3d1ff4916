// A patient's record as the clinic's staff open it (the overview with the
// patient's details, the steps, the history and the invitation), and the
// drawing, which everyone goes through. The safety questions are screen.js;
// the person's own start page is today.js; the plan, log, progress and
// report have their own files, the guided session is session.js. While an
// emergency or urgent flag stands, every page of the record says so at the
// top, and the self-care parts are replaced by the advice.

import { get, getOrNull, post } from './api.js';
import { mountMap } from './chart.js';
import { patientFrame } from './frame.js';
import { detailsSection } from './clinic.js';
import { appointmentsBox, feedBox } from './my_calendar.js';
import { parseMark } from './note_words.js';
import {
  copyField, el, errorBox, field, heldBack, notice, put, showError, when,
} from './dom.js';
import { t, tn } from './i18n.js';
import { summaryWords } from './record_words.js';

export function nextLink(href, text) {
  return el('p', { class: 'next' }, el('a', { class: 'primary button-link', href, text }));
}

// ---- the overview, for the clinic's staff ----

function stepText(s) {
  return {
    screen: t('Answer the safety questions: warning signs come first.'),
    map: t('Mark on the body where you feel pain, tingling or numbness.'),
    plan: t('The treatment plan: clinic treatments and the home program.'),
    session: t('A guided self-treatment session with timers and the stop rules.'),
    log: t('How bad the leg and back pain are, and what you can do.'),
    measures: t('Short questionnaires that show whether the treatment is working.'),
    progress: t('Change since the start, judged against what counts as a real change.'),
  }[s];
}

const kindWords = (kind) => ({
  screen: t('safety questions'), drawing: t('drawing'), plan: t('plan'), session: t('session'),
}[kind] || kind);

export async function overviewPage(view, ctx) {
  const frame = await patientFrame(view, ctx, '');
  if (!frame) return;
  const { id, info, body } = frame;
  const latest = info.latest || {};
  const steps = [
    ['screen', t('Safety questions'), latest.screen],
    ['map', t('Where it hurts'), latest.drawing],
    ['plan', t('Plan'), latest.plan],
    ['session', t('Guided session'), latest.session],
    ['log', t('Log'), null],
    ['measures', t('Questionnaires'), null],
    ['progress', t('Progress and report'), null],
  ];
  const list = el('ol', { class: 'steps' });
  for (const [s, label, at] of steps) {
    const held = !info.self_care && s === 'session';
    list.append(el('li', { class: `step-card${held ? ' held' : ''}` },
      el('a', { href: `#/patients/${id}/${s}` }, el('strong', { text: label })),
      el('p', { text: held ? t('Stopped while the warning stands.') : stepText(s) }),
      at !== undefined && at !== null ? el('p', { class: 'hint', text: t('Last: {when}', { when: when(at) }) })
        : (s === 'screen' || s === 'map' || s === 'plan') ? el('p', { class: 'hint', text: t('Not done yet.') }) : null));
  }
  body.append(list);
  if (!latest.screen) body.append(nextLink(`#/patients/${id}/screen`, t('Start with the safety questions')));
  else if (!latest.drawing) body.append(nextLink(`#/patients/${id}/map`, t('Next: mark where it hurts')));
  else if (!latest.plan) body.append(nextLink(`#/patients/${id}/plan`, t('Next: make the plan')));

  if (ctx.me.user.role !== 'patient' && !frame.own) {
    body.prepend(await detailsSection(id, ctx));
    if (!ctx.alive()) return;
    if (String(ctx.me.user.patient) !== String(id)) body.append(invitePatient(id, info.patient.name));
  }
  const [appointments, feed] = await Promise.all([appointmentsBox(id, ctx), feedBox(id)]);
  if (!ctx.alive()) return;
  put(body, appointments, feed);
  body.append(await historySection(id), notice());
}

// What was kept (screens, drawings, plans, sessions), newest first.
export async function historySection(id) {
  const history = el('section', { class: 'history' }, el('h2', { text: t('History') }));
  try {
    const h = await get(`/patients/${id}/history`);
    const items = [...(h.records || h.items || [])].sort((a, b) => String(b.at).localeCompare(String(a.at)));
    if (!items.length) history.append(el('p', { class: 'placeholder', text: t('Nothing kept in the record yet.') }));
    else {
      history.append(el('ul', { class: 'timeline' }, items.map((item) => el('li', { 'data-kind': item.kind },
        el('time', { datetime: item.at, text: when(item.at) }), ' ',
        el('span', { class: 'tag tag-kind', text: kindWords(item.kind) }), ' ', summaryWords(item.kind, item.summary)))));
    }
    if (h.log_entries) {
      history.append(el('p', {}, tn(h.log_entries, '{n} log entry', '{n} log entries'), ': ',
        el('a', { href: `#/patients/${id}/log`, text: t('see the log') }), '.'));
    }
  } catch (err) {
    history.append(errorBox(err.message));
  }
  return history;
}

// A practitioner gives the patient a one-time link to their own record.
function invitePatient(id, name) {
  const box = el('section', { class: 'invite' }, el('h2', { text: t('Invite the patient') }),
    el('p', { class: 'hint', text: t('A one-time link for {name} to make an account that opens only this record, to log pain and follow the home program from home.', { name }) }));
  const out = el('div', { class: 'invite-link' });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const email = el('input', { type: 'email', name: 'email', autocomplete: 'off' });
  const f = el('form', { class: 'form inline-form' },
    field(t('Their email address (optional)'), email),
    el('button', { type: 'submit', class: 'secondary', text: t('Make an invitation link') }));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    try {
      const invite = { role: 'patient', name, patient: Number(id) };
      if (email.value.trim()) invite.email = email.value.trim();
      const inv = await post('/invitations', invite);
      out.replaceChildren(invitationLink(inv));
    } catch (err) {
      showError(error, err.message);
    }
  });
  box.append(error, f, out);
  return box;
}

// The link an invitation answers with, whole, with a Copy button.
export function invitationLink(inv) {
  const link = /^https?:/.test(inv.link) ? inv.link : `${location.origin}${inv.link}`;
  return el('div', { class: 'link-box', 'data-invitation': inv.role },
    el('p', {}, el('strong', { text: t('Send this link to the person.') }), ' ',
      inv.expires ? t('It works once, until {when}; whoever opens it first makes the account.', { when: when(inv.expires) })
        : t('It works once; whoever opens it first makes the account.')),
    copyField(link, t('Invitation link')));
}

// ---- the drawing ----

export async function drawPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'map');
  if (!frame) return;
  const { id, info, body } = frame;
  view.classList.add('wide');
  const kept = info.latest && info.latest.drawing ? await getOrNull(`/patients/${id}/map`) : null;
  if (!ctx.alive()) return;
  if (kept) {
    body.append(el('p', { class: 'hint', id: 'drawing-kept' }, kept.made_by
      ? t('The drawing in the record was made {when} by {name}. A new one is kept beside it.', { when: when(kept.at), name: kept.made_by.name })
      : t('The last drawing was kept {when}. A new one is kept beside it.', { when: when(kept.at) })));
  }
  const box = el('div');
  body.append(box);
  const { ready } = mountMap(box, {
    storageKey: `tpt.marks.${id}`,
    // the record's drawing, with its answer, unless this browser holds a newer one
    initial: async () => kept && { marks: kept.marks.map(parseMark), result: kept.result },
    analyse: (marks) => post(`/patients/${id}/map`, { marks }),
    after: (r) => {
      // a warning of the drawing itself (saddle numbness, both legs) stands
      // in the record as a screen's flag does
      const stop = (r.warnings || []).some((w) => w.level === 'emergency' || w.level === 'urgent');
      return [
        el('p', { class: 'hint', text: t('This drawing and its answer are kept in the record.') }),
        stop ? el('p', { class: 'blocked-what', text: heldBack() })
          : nextLink(`#/patients/${id}/plan`, t('Next: make the plan')),
      ];
    },
  });
  await ready;
}
