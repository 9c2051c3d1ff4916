// The clinic's calendar for its staff (#/calendar): a week of one
// practitioner, or a day of all of them, on the clinic's clock. Every time
// slot is a button (arrow keys move between them, Enter books); every
// appointment a button that opens it: its status, moving it, cancelling
// it, opening its visit note, sending the intake link, and booking the rest
// of the course at once. On a phone the day is shown.

import { get, post, change } from './api.js';
import { confirmBox, copyField, el, errorBox, field, pageTitle, put, showError, submitForm } from './dom.js';
import {
  STATUS_WORDS, addDays, dateWords, hhmm, minutesOf, mondayOf, whenWords,
} from './clock.js';
import { t, tn } from './i18n.js';
import { STATE_WORDS } from './my_calendar.js';

const ROW = 15; // minutes a row of the grid stands for
const narrow = () => window.matchMedia('(max-width: 40rem)').matches;

// ---- a dialog ----

// A modal <dialog> with a title; `close()` removes it. Escape closes it too.
function dialog(title, ...children) {
  const closeButton = el('button', { type: 'button', class: 'link-button dialog-close', text: t('Close') });
  const box = el('dialog', { class: 'panel', 'aria-labelledby': 'panel-title' },
    el('div', { class: 'panel-head' }, el('h2', { id: 'panel-title', text: title }), closeButton), ...children);
  const close = () => {
    if (box.open) box.close();
    box.remove();
  };
  closeButton.addEventListener('click', close);
  box.addEventListener('close', () => box.remove());
  document.body.append(box);
  box.showModal();
  return { box, close };
}

const option = (value, text, selected) => el('option', { value: String(value), text, selected: selected || false });

// ---- booking ----

async function bookDialog(s, { practitioner, date, time, patient }, done) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const who = el('select', { name: 'practitioner', id: 'book-practitioner' },
    s.practitioners.map((p) => option(p.id, p.name, p.id === practitioner)));
  const services = () => s.services.filter((v) => !v.archived
    && (!v.practitioners.length || v.practitioners.includes(Number(who.value))));
  const service = el('select', { name: 'service', id: 'book-service' });
  const fillServices = () => service.replaceChildren(...services().map((v) => option(v.id, t('{name} ({n} min)', { name: v.name, n: v.minutes }))));
  fillServices();
  who.addEventListener('change', fillServices);
  const dateInput = el('input', { type: 'date', name: 'date', id: 'book-date', value: date, required: true });
  const timeInput = el('input', { type: 'time', name: 'time', id: 'book-time', value: time, step: '300', required: true });
  const places = s.locations.filter((l) => !l.archived);
  const place = places.length > 1 ? el('select', { name: 'location', id: 'book-location' },
    places.map((l) => option(l.id, l.name))) : null;
  const note = el('input', { type: 'text', name: 'note', id: 'book-note', maxlength: '200', autocomplete: 'off' });
  // the patient: given, or found by name
  let chosen = patient ? { id: patient.id, name: patient.name } : null;
  const search = el('input', { type: 'search', id: 'book-patient', autocomplete: 'off', 'aria-describedby': 'book-patient-hint' });
  const results = el('ul', { class: 'plain-list patient-picks', id: 'book-patient-results' });
  const picked = el('p', { class: 'picked', id: 'book-picked', hidden: !chosen, text: chosen ? t('Patient: {name}', { name: chosen.name }) : '' });
  let asked = 0;
  search.addEventListener('input', async () => {
    const mine = ++asked;
    const text = search.value.trim();
    if (!text) {
      results.textContent = '';
      return;
    }
    const { patients } = await get(`/patients?q=${encodeURIComponent(text)}`);
    if (mine !== asked) return;
    results.replaceChildren(...patients.slice(0, 8).map((p) => el('li', {}, el('button', {
      type: 'button', class: 'link-button', text: p.name, 'data-patient': String(p.id),
      onclick: () => {
        chosen = p;
        picked.textContent = t('Patient: {name}', { name: p.name });
        picked.hidden = false;
        results.textContent = '';
        search.value = '';
        service.focus();
      },
    }))));
    if (!patients.length) results.append(el('li', { class: 'hint', text: t('No patient of that name: add them from the patients page.') }));
  });
  const f = el('form', { class: 'form', id: 'book-form', novalidate: true }, error,
    chosen ? picked : [field(t('Patient'), search, t('Type part of the name, then choose.')), results, picked],
    field(t('Practitioner'), who), field(t('Service'), service),
    el('div', { class: 'field-row' }, field(t('Date'), dateInput), field(t('Time'), timeInput)),
    place ? field(t('Location'), place) : null, field(t('Note for the calendar (optional)'), note),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Book') })));
  const d = dialog(t('Book an appointment'), f);
  submitForm(f, error, async () => {
    if (!chosen) throw new Error(t('Choose the patient first.'));
    if (!service.value) throw new Error(t('This practitioner gives no service yet: add one in the clinic settings.'));
    const body = { patient: chosen.id, practitioner: Number(who.value), service: Number(service.value), start: `${dateInput.value}T${timeInput.value}` };
    if (place) body.location = Number(place.value);
    if (note.value.trim()) body.note = note.value.trim();
    const answer = await post('/appointments', body);
    d.close();
    await done(answer);
  });
  (chosen ? service : search).focus();
}

// ---- one appointment ----

async function seriesDialog(s, a, done) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const clinic = s.clinic;
  const first = el('input', { type: 'date', id: 'series-date', value: addDays(a.local_start.slice(0, 10), 7) });
  const time = el('input', { type: 'time', id: 'series-time', value: a.local_start.slice(11, 16), step: '300' });
  const spacing = el('select', { id: 'series-spacing' },
    option('w1', t('Once a week')), option('w2', t('Twice a week'), true), option('w3', t('Three times a week')),
    option('d7', t('Every 7 days')), option('d10', t('Every 10 days')), option('d14', t('Every 14 days')));
  if (clinic.series_every_days) spacing.value = `d${clinic.series_every_days}`;
  else if (clinic.series_per_week) spacing.value = `w${clinic.series_per_week}`;
  const count = el('input', { type: 'number', id: 'series-count', min: '1', max: '50', inputmode: 'numeric', placeholder: t('the rest of the course') });
  const service = el('select', { id: 'series-service' },
    s.services.filter((v) => !v.archived).map((v) => option(v.id, v.name, v.kind === 'follow-up')));
  const table = el('div', { id: 'series-preview' });
  const bookButton = el('button', { type: 'button', class: 'primary', id: 'series-book', text: t('Book these visits'), hidden: true });
  let preview = null;
  const request = () => {
    const sp = spacing.value;
    const body = {
      patient: a.patient.id, practitioner: a.practitioner.id, service: Number(service.value),
      first: `${first.value}T${time.value}`,
      spacing: sp[0] === 'w' ? { per_week: Number(sp.slice(1)) } : { every_days: Number(sp.slice(1)) },
    };
    if (a.location) body.location = a.location.id;
    if (count.value) body.count = Number(count.value);
    return body;
  };
  const f = el('form', { class: 'form', id: 'series-form', novalidate: true }, error,
    el('p', { class: 'hint', text: t('The follow-ups of the course of care of {name}, each checked against the calendar. The third visit and the last of the planned course are the reassessments: the outcome measures are due then.', { name: a.patient.name }) }),
    field(t('Service'), service),
    el('div', { class: 'field-row' }, field(t('First of them'), first), field(t('Time'), time)),
    el('div', { class: 'field-row' }, field(t('Spacing'), spacing), field(t('How many (optional)'), count)),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'secondary', text: t('Show the visits') })),
    table, bookButton);
  const d = dialog(t('Book the course'), f);
  submitForm(f, error, async () => {
    preview = await post('/appointments/series', request());
    table.replaceChildren(el('table', { class: 'data series-table' },
      el('thead', {}, el('tr', {}, [t('Visit'), t('When'), '', t('Book at')].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, preview.visits.map((v, i) => {
        const free = v.status === 'free';
        const choice = v.alternative ? el('label', { class: 'check-line' },
          el('input', { type: 'checkbox', name: `alt-${i}`, checked: !free || false }),
          el('span', { text: t('{when} instead', { when: whenWords(v.alternative.local) }) })) : null;
        return el('tr', { 'data-status': v.status },
          el('td', { text: v.reassessment ? t('{n} (reassessment)', { n: v.course_visit }) : String(v.course_visit) }),
          el('td', { text: whenWords(v.local) }),
          el('td', { class: `status status-${v.status}`, text: { free: t('free'), taken: t('taken'), 'outside-hours': t('outside the hours'), skipped: t('the clocks skip it') }[v.status] }),
          el('td', {}, choice || (free ? t('as shown') : '—')));
      }))));
    bookButton.hidden = false;
  });
  bookButton.addEventListener('click', async () => {
    showError(error, '');
    const times = preview.visits.map((v, i) => {
      const alt = f.querySelector(`input[name="alt-${i}"]`);
      return alt && alt.checked ? v.alternative.start : v.start;
    });
    bookButton.disabled = true;
    try {
      const body = { ...request(), times, book: true };
      const booked = await post('/appointments/series', body);
      d.close();
      await done(tn(booked.appointments.length, '{n} visit booked; one email names it.', '{n} visits booked; one email names them all.'));
    } catch (err) {
      showError(error, err.message);
    } finally {
      bookButton.disabled = false;
    }
  });
  first.focus();
}

async function appointmentDialog(s, id, ctx, done) {
  const { appointment: a, intake, messages } = await get(`/appointments/${id}`);
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const body = el('div', { class: 'appointment', 'data-appointment': String(a.id), 'data-status': a.status });
  const d = dialog(`${a.patient.name}, ${a.local_start.slice(11, 16)}`, error, body);
  const act = async (fn, message) => {
    showError(error, '');
    try {
      await fn();
      d.close();
      await done(message);
    } catch (err) {
      showError(error, err.message);
    }
  };
  const live = a.status !== 'cancelled';
  put(body,
    el('dl', { class: 'facts' },
      el('dt', { text: t('When') }), el('dd', { id: 'appt-when', text: t('{when} to {end} ({zone})', { when: whenWords(a.local_start), end: a.local_end.slice(11, 16), zone: a.zone }) }),
      el('dt', { text: t('Patient') }), el('dd', {}, el('a', { href: `#/patients/${a.patient.id}`, text: a.patient.name })),
      el('dt', { text: t('With') }), el('dd', { text: a.practitioner.name }),
      a.service ? [el('dt', { text: t('Service') }), el('dd', { text: a.service.name })] : null,
      a.location ? [el('dt', { text: t('Where') }), el('dd', { text: a.location.name })] : null,
      el('dt', { text: t('Status') }), el('dd', { id: 'appt-status', text: `${STATUS_WORDS[a.status]}${a.late_cancel ? t(', late') : ''}${a.reason ? `: ${a.reason}` : ''}` }),
      a.course_visit ? [el('dt', { text: t('Course') }), el('dd', { text: a.reassessment ? t('Visit {n}: reassessment, the outcome measures are due', { n: a.course_visit }) : t('Visit {n}', { n: a.course_visit }) })] : null,
      a.note ? [el('dt', { text: t('Note') }), el('dd', { text: a.note })] : null,
      intake ? [el('dt', { text: t('Before the visit') }), el('dd', { id: 'appt-intake', text: [intake.history ? t('history given') : t('no history yet'), intake.drawing ? t('drawing made') : t('no drawing yet'), tn(intake.measures, '{n} questionnaire', '{n} questionnaires')].join(', ') })] : null));
  if (live) {
    body.append(el('div', { class: 'actions' },
      el('button', {
        type: 'button', class: 'primary', id: 'appt-visit', text: a.visit ? t('Open visit note {n}', { n: a.visit }) : t('Open the visit note'),
        onclick: async () => {
          showError(error, '');
          try {
            const v = await post(`/appointments/${a.id}/visit`, {});
            d.close();
            ctx.go(`/patients/${v.patient}/visits/${v.visit}`);
          } catch (err) {
            showError(error, err.message);
          }
        },
      }),
      ['arrived', 'no-show', 'booked'].filter((st) => st !== a.status).map((st) => el('button', {
        type: 'button', class: 'secondary', 'data-set-status': st, text: { arrived: t('Arrived'), 'no-show': t('Did not come'), booked: t('Booked again') }[st],
        onclick: () => act(() => post(`/appointments/${a.id}/status`, { status: st }), t('Marked: {status}.', { status: STATUS_WORDS[st] })),
      }))));
  }
  if (live && a.status === 'booked') {
    // move: another day, time or practitioner
    const moveDate = el('input', { type: 'date', id: 'move-date', value: a.local_start.slice(0, 10) });
    const moveTime = el('input', { type: 'time', id: 'move-time', value: a.local_start.slice(11, 16), step: '300' });
    const moveWho = el('select', { id: 'move-practitioner' }, s.practitioners.map((p) => option(p.id, p.name, p.id === a.practitioner.id)));
    const moveError = el('p', { class: 'error', role: 'alert', hidden: true });
    const moveForm = el('form', { class: 'form', id: 'move-form', novalidate: true }, moveError,
      el('div', { class: 'field-row' }, field(t('New date'), moveDate), field(t('New time'), moveTime)),
      field(t('Practitioner'), moveWho),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'secondary', text: t('Move it') })));
    submitForm(moveForm, moveError, async () => {
      await change(`/appointments/${a.id}`, { start: `${moveDate.value}T${moveTime.value}`, practitioner: Number(moveWho.value) });
      d.close();
      await done(t('Moved. The patient is told.'));
    });
    const reason = el('input', { type: 'text', id: 'cancel-reason', maxlength: '200', autocomplete: 'off' });
    body.append(el('details', { class: 'appt-more' }, el('summary', { text: t('Move') }), moveForm),
      el('details', { class: 'appt-more' }, el('summary', { text: t('Cancel') }),
        field(t('Reason (the patient reads it)'), reason),
        el('div', { class: 'actions' }, el('button', {
          type: 'button', class: 'danger', id: 'appt-cancel', text: t('Cancel the appointment'),
          onclick: async () => {
            const yes = await confirmBox({ title: t('Cancel this appointment?'), text: t('The patient is told by email (or in their record). A cancelled appointment cannot be booked again: book a new one.'), confirm: t('Cancel it'), cancel: t('Keep it'), danger: true });
            if (yes) await act(() => post(`/appointments/${a.id}/cancel`, { reason: reason.value.trim() }), t('Cancelled. The patient is told.'));
          },
        }))));
    const more = el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', id: 'appt-series', text: t('Book the rest of the course'), onclick: () => { d.close(); seriesDialog(s, a, done); } }));
    if (!intake) {
      more.append(el('button', {
        type: 'button', class: 'secondary', id: 'appt-intake-send', text: t('Send the intake link'),
        onclick: async () => {
          showError(error, '');
          try {
            const { link } = await post(`/appointments/${a.id}/intake`, {});
            more.replaceWith(el('div', { class: 'link-box' },
              el('p', { text: t('Emailed to the patient (or give them this link yourself): their history, drawing and questionnaires before the visit.') }),
              copyField(`${location.origin}${link}`, t('Intake link'))));
          } catch (err) {
            showError(error, err.message);
          }
        },
      }));
    }
    body.append(more);
  }
  if (messages.length) {
    body.append(el('h3', { text: t('Emails') }), el('ul', { class: 'plain-list messages' }, messages.map((m) => el('li', { 'data-state': m.state },
      `${m.subject}: ${STATE_WORDS()[m.state] || m.state}${m.to ? '' : t(' (no email address)')}${m.error ? ` (${m.error})` : ''}`))));
  }
}

// ---- the page ----

// The columns a view shows: a day of each practitioner, or a week of one.
function columns(data, view, chosen) {
  const shown = data.practitioners.filter((p) => !chosen || p.id === chosen);
  const appts = (date, p) => data.appointments.filter((a) => a.status !== 'cancelled'
    && a.practitioner.id === p.id && a.local_start.slice(0, 10) === date);
  if (view === 'day') {
    return shown.map((p) => ({ date: data.from, practitioner: p, label: p.name, hours: p.days[0].hours, appts: appts(data.from, p) }));
  }
  const p = shown[0];
  if (!p) return [];
  return p.days.map((dayOf) => ({ date: dayOf.date, practitioner: p, label: dateWords(dayOf.date, true), hours: dayOf.hours, appts: appts(dayOf.date, p) }));
}

function grid(cols, data, onSlot, onAppointment) {
  let from = 24 * 60;
  let to = 0;
  for (const c of cols) {
    for (const h of c.hours) {
      from = Math.min(from, minutesOf(h.from));
      to = Math.max(to, minutesOf(h.to));
    }
    for (const a of c.appts) {
      from = Math.min(from, minutesOf(a.local_start.slice(11, 16)));
      to = Math.max(to, minutesOf(a.local_end.slice(11, 16)));
    }
  }
  if (from >= to) [from, to] = [8 * 60, 18 * 60];
  from = Math.floor(from / 60) * 60;
  to = Math.ceil(to / 60) * 60;
  const rows = (to - from) / ROW;
  const g = el('div', { class: 'cal-grid', id: 'calendar-grid' });
  g.style.gridTemplateColumns = `3.4rem repeat(${cols.length}, minmax(0, 1fr))`;
  g.style.gridTemplateRows = `auto repeat(${rows}, var(--cal-row))`;
  g.append(el('div', { class: 'cal-corner', 'aria-hidden': 'true' }));
  cols.forEach((c, i) => {
    const head = el('div', { class: `cal-colhead${c.date === data.today ? ' today' : ''}`, text: c.label });
    head.style.gridColumn = String(i + 2);
    g.append(head);
  });
  for (let m = from; m < to; m += 60) {
    const mark = el('div', { class: 'cal-time', text: hhmm(m), 'aria-hidden': 'true' });
    mark.style.gridRow = `${(m - from) / ROW + 2} / span ${60 / ROW}`;
    g.append(mark);
  }
  cols.forEach((c, i) => {
    for (let r = 0; r < rows; r++) {
      const m = from + r * ROW;
      const working = c.hours.some((h) => minutesOf(h.from) <= m && m < minutesOf(h.to));
      const b = el('button', {
        type: 'button', class: `cal-slot${working ? ' working' : ''}${m % 60 === 0 ? ' hour' : ''}`, tabindex: '-1',
        'data-col': String(i), 'data-row': String(r), 'data-time': hhmm(m), 'data-date': c.date,
        'aria-label': working ? t('{name}, {date}, {time}: book', { name: c.practitioner.name, date: dateWords(c.date), time: hhmm(m) })
          : t('{name}, {date}, {time}, outside the working hours: book', { name: c.practitioner.name, date: dateWords(c.date), time: hhmm(m) }),
        onclick: () => onSlot(c, hhmm(m)),
      });
      b.style.gridColumn = String(i + 2);
      b.style.gridRow = String(r + 2);
      g.append(b);
    }
    for (const a of c.appts) {
      const start = minutesOf(a.local_start.slice(11, 16));
      const end = Math.max(start + ROW, minutesOf(a.local_end.slice(11, 16)));
      const b = el('button', {
        type: 'button', class: `cal-appt status-${a.status}${a.reassessment ? ' reassessment' : ''}`, 'data-appointment': String(a.id),
        // the visible words first, as they read, then the end and the status
        'aria-label': [a.local_start.slice(11, 16), a.patient.name, a.service ? a.service.name : null,
          t('until {end}', { end: a.local_end.slice(11, 16) }), STATUS_WORDS[a.status], a.reassessment ? t('reassessment') : null].filter(Boolean).join(', '),
        onclick: () => onAppointment(a),
      },
      el('span', { class: 'cal-appt-time', text: a.local_start.slice(11, 16) }), ' ',
      el('strong', { text: a.patient.name }), ' ',
      a.service ? el('span', { class: 'cal-appt-service', text: a.service.name }) : null);
      b.style.gridColumn = String(i + 2);
      b.style.gridRow = `${Math.max(0, (start - from) / ROW) + 2} / ${Math.min(rows, Math.ceil((end - from) / ROW)) + 2}`;
      g.append(b);
    }
  });
  // the keyboard: arrows move between the slots, Enter books
  const slot = (col, row) => g.querySelector(`.cal-slot[data-col="${col}"][data-row="${row}"]`);
  const focusSlot = (b) => {
    if (!b) return;
    for (const other of g.querySelectorAll('.cal-slot[tabindex="0"]')) other.tabIndex = -1;
    b.tabIndex = 0;
    b.focus();
  };
  g.addEventListener('keydown', (e) => {
    const b = e.target.closest('.cal-slot');
    if (!b) return;
    const col = Number(b.dataset.col);
    const row = Number(b.dataset.row);
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0], PageUp: [0, -4], PageDown: [0, 4] };
    if (moves[e.key]) {
      e.preventDefault();
      const [dc, dr] = moves[e.key];
      focusSlot(slot(Math.max(0, Math.min(cols.length - 1, col + dc)), Math.max(0, Math.min(rows - 1, row + dr))));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusSlot(slot(col, e.key === 'Home' ? 0 : rows - 1));
    }
  });
  // one slot takes the Tab: the first working one of today, or of the first column
  const today = cols.findIndex((c) => c.date === data.today);
  const start = g.querySelector(`.cal-slot.working[data-col="${Math.max(0, today)}"]`) || g.querySelector('.cal-slot');
  if (start) start.tabIndex = 0;
  return g;
}

export async function calendarPage(view, ctx) {
  view.classList.add('wide');
  const q = ctx.query;
  const s = await get('/clinic/profile');
  if (!ctx.alive()) return;
  const bookable = s.practitioners.filter((p) => p.bookable);
  const me = bookable.find((p) => p.id === ctx.me.user.id);
  const viewName = q.get('view') || (narrow() ? 'day' : 'week');
  const chosen = Number(q.get('practitioner')) || (viewName === 'week' ? (me || bookable[0] || {}).id : 0) || 0;
  const location = Number(q.get('location')) || 0;
  const patientId = Number(q.get('patient')) || 0;
  const status = el('p', { class: 'ok', role: 'status', id: 'calendar-said', hidden: true });
  view.append(pageTitle(t('Calendar')));
  if (!bookable.length) {
    view.append(el('p', { class: 'placeholder', text: t('No practitioner has a calendar yet. ') },
      ctx.me.user.role === 'admin' ? el('a', { href: '#/clinic/settings', text: t('Set up the clinic\'s services and hours.') }) : t('Ask an administrator to set up the services and hours.')));
    return;
  }
  // the day shown (the week's Monday in a week), on the clinic's clock
  let date = q.get('date') || (await get('/calendar?days=1')).today;
  if (viewName === 'week') date = mondayOf(date);
  const days = viewName === 'week' ? 7 : 1;
  const data = await get(`/calendar?from=${date}&days=${days}${chosen ? `&practitioner=${chosen}` : ''}${location ? `&location=${location}` : ''}`);
  if (!ctx.alive()) return;
  let patient = null;
  if (patientId) {
    const info = await get(`/patients/${patientId}`).catch(() => null);
    if (info) patient = { id: patientId, name: info.patient.name };
  }
  const go = (changes) => {
    const p = new URLSearchParams({ view: viewName, date, ...(chosen ? { practitioner: chosen } : {}), ...(location ? { location } : {}), ...(patientId ? { patient: patientId } : {}), ...changes });
    for (const [k, v] of [...p]) if (!v || v === '0') p.delete(k);
    ctx.go(`/calendar?${p}`);
  };
  const step = viewName === 'week' ? 7 : 1;
  const who = el('select', { id: 'calendar-practitioner', onchange: (e) => go({ practitioner: e.target.value }) },
    viewName === 'day' ? option(0, t('Everyone'), !chosen) : null,
    bookable.map((p) => option(p.id, p.name, p.id === chosen)));
  const places = s.locations.filter((l) => !l.archived);
  const where = places.length > 1 ? el('select', { id: 'calendar-location', onchange: (e) => go({ location: e.target.value }) },
    option(0, t('Every location'), !location), places.map((l) => option(l.id, l.name, l.id === location))) : null;
  const title = viewName === 'week' ? t('Week of {date}', { date: dateWords(date) }) : dateWords(date);
  put(view, el('div', { class: 'cal-bar' },
    el('div', { class: 'cal-nav' },
      el('button', { type: 'button', class: 'secondary', id: 'calendar-previous', text: viewName === 'week' ? t('‹ Week before') : t('‹ Day before'), onclick: () => go({ date: addDays(date, -step) }) }),
      el('button', { type: 'button', class: 'secondary', id: 'calendar-today', text: t('Today'), onclick: () => go({ date: data.today }) }),
      el('button', { type: 'button', class: 'secondary', id: 'calendar-next', text: viewName === 'week' ? t('Week after ›') : t('Day after ›'), onclick: () => go({ date: addDays(date, step) }) })),
    el('div', { class: 'cal-choose' },
      el('div', { class: 'view-switch', role: 'group', 'aria-label': t('Show') },
        el('button', { type: 'button', class: 'secondary', id: 'calendar-day', 'aria-pressed': String(viewName === 'day'), text: t('Day'), onclick: () => go({ view: 'day' }) }),
        el('button', { type: 'button', class: 'secondary', id: 'calendar-week', 'aria-pressed': String(viewName === 'week'), text: t('Week'), onclick: () => go({ view: 'week', practitioner: chosen || (me || bookable[0]).id }) })),
      field(t('Practitioner'), who), where ? field(t('Location'), where) : null)),
  el('h2', { class: 'cal-title', id: 'calendar-title', text: t('{title} ({zone} time)', { title, zone: data.zone }) }),
  patient ? el('p', { class: 'caution', id: 'booking-for', text: t('Booking for {name}: choose a time.', { name: patient.name }) }) : null,
  status,
  el('p', { class: 'hint', id: 'calendar-keys', text: t('Choose a time to book it, or an appointment to open it. With the keyboard: Tab to the calendar, the arrow keys move between times, Enter books.') }));
  const reload = async (message) => {
    sessionStorage.setItem('tpt-calendar-said', message || '');
    go({});
  };
  const said = sessionStorage.getItem('tpt-calendar-said');
  if (said) {
    status.textContent = said;
    status.hidden = false;
    sessionStorage.removeItem('tpt-calendar-said');
  }
  const cols = columns(data, viewName, chosen);
  const onSlot = (c, time) => bookDialog(s, { practitioner: c.practitioner.id, date: c.date, time, patient }, async (answer) => {
    await reload([t('Booked {name} at {when}.', { name: answer.appointment.patient.name, when: whenWords(answer.appointment.local_start) }),
      answer.outside_hours ? t('It is outside the practitioner\'s working hours.') : null, t('The patient is told.')].filter(Boolean).join(' '));
  });
  const onAppointment = (a) => appointmentDialog(s, a.id, ctx, reload).catch((err) => view.append(errorBox(err.message)));
  view.append(el('div', { class: `cal-wrap cal-${viewName}` }, grid(cols, data, onSlot, onAppointment)));
  const gone = data.appointments.filter((a) => a.status === 'cancelled');
  if (gone.length) {
    view.append(el('details', { class: 'cancelled-list' }, el('summary', { text: t('Cancelled ({n})', { n: gone.length }) }),
      el('ul', { class: 'plain-list' }, gone.map((a) => el('li', {}, el('button', {
        type: 'button', class: 'link-button', 'data-appointment': String(a.id), onclick: () => onAppointment(a),
        text: `${whenWords(a.local_start)}, ${a.patient.name}${a.late_cancel ? t(' (late)') : ''}`,
      }))))));
  }
}
