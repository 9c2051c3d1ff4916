// Today: the start page of the person whose record it is (a patient at
// home, or someone using tpt for themselves). "How is the pain today?" in
// two taps, kept as the day's log entry (and corrected the same way later
// that day); the sessions done today against the plan's; the next step;
// sessions kept on this device that wait to be sent; the visits booked with
// the clinic and the calendar feed (my_calendar.js); and the steps of the
// record, each with where it stands.

import { change, get, getOrNull, post } from './api.js';
import { el, notice, put, when } from './dom.js';
import { patientFrame } from './frame.js';
import { historySection, nextLink } from './care.js';
import { appointmentsBox, feedBox } from './my_calendar.js';
import { t, tn } from './i18n.js';
import { waitingBox } from './outbox.js';

const sameDay = (iso, now = new Date()) => {
  const d = new Date(iso);
  return d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
};

// A 0-10 rating as eleven radio buttons in a row, with its ends in words.
export function ratingRow(name, legend, value) {
  return el('fieldset', { class: 'question rating', 'data-rating': name },
    el('legend', { text: legend }),
    el('div', { class: 'scale-row' }, Array.from({ length: 11 }, (_, i) => el('label', { class: 'answer scale-answer' },
      el('input', { type: 'radio', name, value: String(i), checked: value === i }),
      el('span', { text: String(i) })))),
    el('p', { class: 'pain-ends hint' }, el('span', { text: t('0 none') }), el('span', { text: t('10 the worst') })));
}

// "How is the pain today?": today's entry made, or changed when there is one.
function painToday(id, entries, onSaved) {
  const today = [...entries].reverse().find((e) => sameDay(e.at) && (e.leg_pain !== null || e.back_pain !== null));
  const box = el('section', { class: 'today-pain', id: 'pain-today', 'aria-labelledby': 'pain-today-title' },
    el('h2', { id: 'pain-today-title', text: t('How is the pain today?') }));
  const status = el('p', { role: 'status', class: 'hint' });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  if (today) {
    status.className = 'ok';
    status.textContent = t('Kept at {when}: leg {leg}, back {back}. Change it below if it has changed.', {
      when: when(today.at), leg: today.leg_pain ?? '—', back: today.back_pain ?? '—',
    });
  }
  const f = el('form', { class: 'form pain-form', novalidate: true },
    ratingRow('leg_pain', t('Leg pain now'), today ? today.leg_pain : null),
    ratingRow('back_pain', t('Back pain now'), today ? today.back_pain : null),
    el('div', { class: 'actions' }, el('button', {
      type: 'submit', class: 'primary', id: 'keep-pain', text: today ? t('Change today\'s pain') : t('Keep today\'s pain'),
    })));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const pick = (n) => f.querySelector(`input[name="${n}"]:checked`);
    const entry = {};
    if (pick('leg_pain')) entry.leg_pain = Number(pick('leg_pain').value);
    if (pick('back_pain')) entry.back_pain = Number(pick('back_pain').value);
    if (!Object.keys(entry).length) {
      error.textContent = t('Choose how bad the leg pain or the back pain is, from 0 to 10.');
      error.hidden = false;
      f.querySelector('input').focus();
      return;
    }
    const button = f.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      if (today) await change(`/patients/${id}/log/${today.id}`, { ...keptValues(today), ...entry });
      else await post(`/patients/${id}/log`, entry);
      await onSaved();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  box.append(status, error, f,
    el('p', { class: 'hint' }, t('More about the day (sitting, walking, sleep, a note) goes in the'), ' ',
      el('a', { href: `#/patients/${id}/log`, text: t('log') }), '.'));
  return box;
}

// The values of an entry as a correction sends them back (all of them).
export function keptValues(e) {
  const out = { at: e.at };
  for (const k of ['leg_pain', 'back_pain', 'sitting_minutes', 'walking_minutes', 'sleep_disturbed', 'medication', 'note']) {
    if (e[k] !== null && e[k] !== undefined) out[k] = e[k];
  }
  return out;
}

// What to do next, from what the record holds.
function nextStep(id, info, plan, sessionsToday) {
  const latest = info.latest || {};
  if (!info.self_care) return null; /* the banner above says what to do */
  if (!latest.screen) return nextLink(`#/patients/${id}/screen`, t('Start with the safety questions'));
  if (!latest.drawing) return nextLink(`#/patients/${id}/map`, t('Next: mark where it hurts'));
  if (!plan) return nextLink(`#/patients/${id}/plan`, t('Next: make the plan'));
  const perDay = (plan.plan.home && plan.plan.home.sessions_per_day) || 0;
  if (perDay && sessionsToday >= perDay) {
    return el('p', { class: 'ok', id: 'sessions-done', text: t('Today\'s sessions are done. Rest, and keep moving gently.') });
  }
  return nextLink(`#/patients/${id}/session`, t('Start a guided session'));
}

export async function todayPage(view, ctx) {
  const frame = await patientFrame(view, ctx, '');
  if (!frame) return;
  const { id, info, body } = frame;
  const [log, sessions, plan] = await Promise.all([
    get(`/patients/${id}/log`),
    get(`/patients/${id}/sessions`),
    info.self_care && info.latest && info.latest.plan ? getOrNull(`/patients/${id}/plan`) : null,
  ]);
  if (!ctx.alive()) return;
  const done = sessions.sessions.filter((s) => sameDay(s.at)).length;
  const perDay = plan && plan.plan.home ? plan.plan.home.sessions_per_day : 0;
  body.append(painToday(id, log.entries, () => ctx.go(`/patients/${id}`)));
  const sessionsBox = el('section', { class: 'today-sessions', id: 'sessions-today', 'aria-labelledby': 'sessions-today-title' },
    el('h2', { id: 'sessions-today-title', text: t('Sessions') }));
  if (perDay) {
    sessionsBox.append(el('p', { class: 'today-count' }, el('strong', {
      text: t('{done} of {planned} today', { done, planned: perDay }),
    }), ' ', t('(the plan asks for {n} a day).', { n: perDay })));
  } else {
    sessionsBox.append(el('p', { text: tn(done, 'One session today.', '{n} sessions today.') }));
  }
  if (plan && plan.made_by) {
    sessionsBox.append(el('p', { class: 'hint', id: 'plan-by', text: t('Your plan was made by {name} on {when}.', { name: plan.made_by.name, when: when(plan.at) }) }));
  }
  sessionsBox.append(nextStep(id, info, plan, done), waitingBox(id));
  // the visits booked with the clinic, and the calendar feed of them and the program's times
  const [appointments, feed] = await Promise.all([appointmentsBox(id, ctx), feedBox(id)]);
  if (!ctx.alive()) return;
  put(body, sessionsBox, appointments, feed);
  body.append(await historySection(id), notice());
}
