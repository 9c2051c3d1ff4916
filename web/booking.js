// For anyone, without an account: the directory of clinics (#/find) and a
// clinic's public page (#/c/SLUG) with online booking of a first visit.
// The red-flag questions come first: an emergency or urgent answer shows
// where to go instead of a booking (the server refuses the booking too).
// Then a time from the open slots, held for ten minutes while the person
// gives their name and email; the booking answers with the link to tell
// their history before the visit and the link to make their account.

import { ApiError, get, post } from './api.js';
import { el, errorBox, field, levelWords, notice, pageTitle, put, showError, submitForm } from './dom.js';
import { MODALITY_WORDS, SERVICE_KINDS, addDays, dateWords, modalityList, whenWords } from './clock.js';
import { t, tn } from './i18n.js';

const option = (value, text, selected) => el('option', { value: String(value), text, selected: selected || false });

// ---- find a clinic ----

export async function findPage(view, ctx) {
  view.classList.add('narrow-wide');
  const place = ctx.query.get('place') || '';
  const modality = ctx.query.get('modality') || '';
  const placeInput = el('input', { type: 'search', id: 'find-place', name: 'place', value: place, autocomplete: 'postal-code', placeholder: t('Town or postcode') });
  const modalitySelect = el('select', { id: 'find-modality', name: 'modality' },
    option('', t('Any treatment'), !modality), Object.entries(MODALITY_WORDS).map(([id, w]) => option(id, w, id === modality)));
  const f = el('form', { class: 'form find-form', role: 'search' },
    el('div', { class: 'field-row' }, field(t('Where'), placeInput, t('A town or a postcode, or part of one.')), field(t('Treatment'), modalitySelect)),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Find clinics') })));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (placeInput.value.trim()) p.set('place', placeInput.value.trim());
    if (modalitySelect.value) p.set('modality', modalitySelect.value);
    ctx.go(`/find${p.size ? `?${p}` : ''}`);
  });
  view.append(pageTitle(t('Find a clinic')),
    el('p', { class: 'lead', text: t('Clinics that use tpt for trigger point therapy and sciatica, and chose to be listed here. Nothing you type leaves this server.') }),
    f);
  const ask = new URLSearchParams();
  if (place) ask.set('place', place);
  if (modality) ask.set('modality', modality);
  const { clinics } = await get(`/public/clinics${ask.size ? `?${ask}` : ''}`);
  if (!ctx.alive()) return;
  const results = el('section', { id: 'find-results', 'aria-live': 'polite' },
    el('h2', { text: clinics.length ? tn(clinics.length, '{n} clinic', '{n} clinics') : t('No clinic found') }));
  if (!clinics.length) results.append(el('p', { class: 'placeholder', text: t('Try a shorter part of the town or postcode, or any treatment.') }));
  results.append(el('ul', { class: 'clinic-cards' }, clinics.map((c) => el('li', { class: 'clinic-card', 'data-clinic': c.slug },
    el('h3', {}, el('a', { href: `#/c/${c.slug}`, text: c.name })),
    el('p', { text: [c.address, c.town, c.postcode].filter(Boolean).join(', ') }),
    c.modalities.length ? el('p', { class: 'hint', text: modalityList(c.modalities) }) : null,
    c.booking ? el('p', {}, el('a', { class: 'secondary button-link', href: `#/c/${c.slug}`, text: t('Book online') })) : null))));
  view.append(results);
}

// ---- the safety questions before booking ----

// The questions as a form; `done(answers, result)` once the engine judged them.
function safetyForm(questions, done) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const f = el('form', { class: 'form questions', id: 'booking-screen', novalidate: true }, error,
    questions.map((q, i) => {
      const name = `q-${q.key}`;
      const set = el('fieldset', { class: 'question', 'data-key': q.key },
        el('legend', {}, el('span', { class: 'q-number', text: `${i + 1}.` }), ' ', q.question));
      if (q.type === 'integer') {
        set.append(el('div', { class: 'answer-row' },
          el('input', { type: 'number', name, inputmode: 'numeric', min: String(q.min ?? 0), max: String(q.max ?? 9999), class: 'number-answer', 'aria-label': q.question }),
          el('label', { class: 'answer' }, el('input', { type: 'checkbox', name: `${name}-unsure` }), ` ${t('Not sure')}`)));
      } else {
        set.append(el('div', { class: 'answer-row' }, [['true', t('Yes')], ['false', t('No')], ['not-sure', t('Not sure')]].map(([v, w]) => el('label', { class: 'answer' },
          el('input', { type: 'radio', name, value: v }), ` ${w}`))));
      }
      return set;
    }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Check my answers') })));
  submitForm(f, error, async () => {
    const answers = {};
    const missing = [];
    for (const q of questions) {
      const set = f.querySelector(`[data-key="${CSS.escape(q.key)}"]`);
      set.classList.remove('missing');
      if (q.type === 'integer') {
        const raw = f.elements[`q-${q.key}`].value.trim();
        if (f.elements[`q-${q.key}-unsure`].checked) answers[q.key] = 'not-sure';
        else if (/^\d+$/.test(raw)) answers[q.key] = Number(raw);
        else missing.push(set);
      } else {
        const picked = f.querySelector(`input[name="q-${CSS.escape(q.key)}"]:checked`);
        if (picked) answers[q.key] = picked.value === 'not-sure' ? 'not-sure' : picked.value === 'true';
        else missing.push(set);
      }
    }
    if (missing.length) {
      for (const set of missing) set.classList.add('missing');
      missing[0].querySelector('input').focus();
      throw new ApiError(tn(missing.length, 'One question is not answered yet: it is marked. Choose "Not sure" when you do not know.', '{n} questions are not answered yet: they are marked. Choose "Not sure" when you do not know.'));
    }
    await done(answers, await post('/screen', answers));
  });
  return f;
}

// Where to go instead of a booking.
function goInstead(result, clinic) {
  return el('section', { class: `warning blocked level-${result.level}`, role: 'alert', id: 'booking-stopped', 'data-level': result.level },
    el('h2', { text: levelWords(result.level) }),
    el('p', { text: result.advice }),
    el('p', { class: 'blocked-what', text: t('Please do not book a visit here now: these signs need a doctor first.') }),
    clinic.phone ? el('p', { text: t('To talk to the clinic: {phone}.', { phone: clinic.phone }) }) : null);
}

// ---- a clinic's page, and booking ----

function describe(page) {
  const c = page.clinic;
  return [
    el('p', { class: 'lead', id: 'clinic-address', text: [c.address, c.town, c.postcode].filter(Boolean).join(', ') }),
    c.about ? el('p', { text: c.about }) : null,
    el('dl', { class: 'facts' },
      c.phone ? [el('dt', { text: t('Phone') }), el('dd', {}, el('a', { href: `tel:${c.phone.replace(/\s/g, '')}`, text: c.phone }))] : null,
      c.email ? [el('dt', { text: t('Email') }), el('dd', { text: c.email })] : null,
      c.modalities.length ? [el('dt', { text: t('Treatments') }), el('dd', { text: modalityList(c.modalities) })] : null),
    page.locations.length > 1 ? [el('h2', { text: t('Where') }), el('ul', { class: 'plain-list' }, page.locations.map((l) => el('li', { text: [l.name, l.address, l.town].filter(Boolean).join(', ') })))] : null,
    el('h2', { text: t('Practitioners') }),
    el('ul', { class: 'people', id: 'clinic-practitioners' }, page.practitioners.map((p) => el('li', { 'data-practitioner': String(p.id) },
      el('strong', { text: p.name }), p.qualifications ? el('span', { text: ` · ${p.qualifications}` }) : null,
      p.modalities.length ? el('p', { class: 'hint', text: modalityList(p.modalities) }) : null))),
    el('h2', { text: t('Services') }),
    el('ul', { class: 'people', id: 'clinic-services' }, page.services.map((v) => el('li', {},
      el('strong', { text: v.name }), t(' · {n} minutes', { n: v.minutes }), v.kind !== 'other' && SERVICE_KINDS[v.kind] !== v.name ? ` · ${SERVICE_KINDS[v.kind]}` : '',
      v.modalities.length ? el('p', { class: 'hint', text: modalityList(v.modalities) }) : null))),
  ];
}

export async function clinicPublicPage(view, ctx) {
  view.classList.add('narrow-wide');
  const slug = ctx.params.slug;
  let page;
  try {
    page = await get(`/public/clinics/${encodeURIComponent(slug)}`);
  } catch (err) {
    view.append(pageTitle(t('Clinic not found')), errorBox(err.status === 404 ? t('No clinic has this address. Check the link, or find a clinic.') : err.message),
      el('p', {}, el('a', { href: '#/find', text: t('Find a clinic') })));
    return;
  }
  if (!ctx.alive()) return;
  const c = page.clinic;
  put(view, pageTitle(c.name), describe(page));
  const booking = el('section', { class: 'booking', id: 'booking', 'aria-labelledby': 'booking-title' },
    el('h2', { id: 'booking-title', text: t('Book a first visit') }));
  view.append(booking, notice());
  const first = page.services.filter((v) => v.online);
  if (!c.booking || !first.length) {
    booking.append(el('p', { text: c.phone ? t('{name} takes bookings by phone: {phone}.', { name: c.name, phone: c.phone }) : t('{name} takes bookings by phone.', { name: c.name }) }));
    return;
  }
  const step = el('div', { class: 'booking-step', id: 'booking-step' });
  booking.append(el('p', { class: 'hint', text: t('First a few questions about warning signs: some need a doctor before any treatment here.') }), step);
  const { questions } = await get('/screen/questions');
  if (!ctx.alive()) return;
  step.append(safetyForm(questions, async (answers, result) => {
    if (result.level === 'emergency' || result.level === 'urgent') {
      step.replaceChildren(goInstead(result, c));
      step.querySelector('h2').scrollIntoView({ block: 'start' });
      return;
    }
    chooseTime(step, page, answers, result);
  }));
}

function chooseTime(step, page, answers, result) {
  const c = page.clinic;
  const first = page.services.filter((v) => v.online);
  const service = el('select', { id: 'booking-service' }, first.map((v) => option(v.id, t('{name} ({n} minutes)', { name: v.name, n: v.minutes }))));
  const who = el('select', { id: 'booking-practitioner' }, option(0, t('Anyone')), page.practitioners.map((p) => option(p.id, p.name)));
  const from = el('input', { type: 'date', id: 'booking-from' });
  const slots = el('div', { id: 'booking-slots', 'aria-live': 'polite' });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  let start = null; // the first day shown
  const load = async () => {
    showError(error, '');
    slots.replaceChildren(el('p', { class: 'loading', text: t('Looking for open times…') }));
    try {
      const ask = new URLSearchParams({ service: service.value, days: '7' });
      if (Number(who.value)) ask.set('practitioner', who.value);
      if (from.value) ask.set('from', from.value);
      const open = await get(`/public/clinics/${page.clinic.slug}/slots?${ask}`);
      start = from.value || null;
      showSlots(slots, open, (slot) => hold(step, page, answers, Number(service.value), slot));
      const last = open.slots.length ? open.slots[open.slots.length - 1].local.slice(0, 10) : null;
      slots.append(el('button', {
        type: 'button', class: 'secondary', id: 'booking-later', text: t('Later times'),
        onclick: () => { from.value = addDays(last || start || new Date().toISOString().slice(0, 10), last ? 1 : 7); load(); },
      }));
    } catch (err) {
      slots.textContent = '';
      showError(error, err.message);
    }
  };
  for (const input of [service, who, from]) input.addEventListener('change', load);
  step.replaceChildren(
    result.level === 'soon' ? el('section', { class: 'caution', 'data-flag': 'soon' },
      el('h3', { text: levelWords('soon') }), el('p', { text: result.advice })) : el('p', { class: 'all-clear-line', text: t('No warning sign in your answers.') }),
    el('h3', { text: t('Choose a time') }),
    el('div', { class: 'field-row' }, field(t('Service'), service), field(t('With'), who)),
    field(t('From'), from, t('Times are {zone} time.', { zone: c.zone })), error, slots);
  load();
}

function showSlots(box, open, pick) {
  box.textContent = '';
  if (!open.slots.length) {
    box.append(el('p', { class: 'placeholder', text: t('No open time in these days.') }));
    return;
  }
  const byDay = new Map();
  for (const s of open.slots) {
    const d = s.local.slice(0, 10);
    if (!byDay.has(d)) byDay.set(d, []);
    byDay.get(d).push(s);
  }
  for (const [d, list] of byDay) {
    box.append(el('h4', { text: dateWords(d) }), el('div', { class: 'slot-list' }, list.map((s) => el('button', {
      type: 'button', class: 'slot', 'data-start': s.start,
      // the visible time and name first, then the day
      'aria-label': t('{time} {name}, {date}', { date: dateWords(d), time: s.local.slice(11, 16), name: s.practitioner.name }),
      onclick: () => pick(s),
    }, el('strong', { text: s.local.slice(11, 16) }), ' ', el('span', { text: s.practitioner.name })))));
  }
}

// The limit of holds and bookings from one place is the booking's own: the
// sign-in's words for "slow-down" (a reset link) do not fit it.
const bookingRefusal = (err) => (err.code === 'slow-down'
  ? new ApiError(t('Too many bookings were tried from here in a short time. Please wait a while, or call the clinic.'), err.status, err.body)
  : err);

async function hold(step, page, answers, service, slot) {
  let held;
  try {
    held = await post(`/public/clinics/${page.clinic.slug}/holds`, { service, practitioner: slot.practitioner.id, start: slot.start });
  } catch (err) {
    step.querySelector('#booking-slots')?.prepend(errorBox(bookingRefusal(err).message));
    return;
  }
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const left = el('span', { id: 'hold-left' });
  const until = Date.now() + held.minutes * 60000;
  const tick = () => {
    const s = Math.max(0, Math.round((until - Date.now()) / 1000));
    left.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  };
  tick();
  const timer = setInterval(tick, 1000);
  const input = (name, type, autocomplete) => el('input', { type, name, id: `booking-${name}`, autocomplete });
  const f = el('form', { class: 'form', id: 'booking-form', novalidate: true }, error,
    el('p', { class: 'held' }, el('strong', { text: t('{when} with {name}', { when: whenWords(slot.local), name: slot.practitioner.name }) }),
      ` ${t('is held for you for')} `, left, ` ${t('minutes.')}`),
    field(t('Your name'), input('name', 'text', 'name')),
    field(t('Email address'), input('email', 'email', 'email'), t('The confirmation, the reminder and the link to fill in before the visit go here.')),
    field(t('Phone (optional)'), input('phone', 'tel', 'tel')),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Book this time') })));
  submitForm(f, error, async () => {
    const body = { hold: held.hold, name: f.elements.name.value.trim(), email: f.elements.email.value.trim(), answers };
    if (!body.name) throw new ApiError(t('Give your name.'), 0, { error: { field: 'name' } });
    if (!body.email) throw new ApiError(t('Give your email address.'), 0, { error: { field: 'email' } });
    if (f.elements.phone.value.trim()) body.phone = f.elements.phone.value.trim();
    const booked = await post(`/public/clinics/${page.clinic.slug}/bookings`, body).catch((err) => { throw bookingRefusal(err); });
    clearInterval(timer);
    step.replaceChildren(bookedBox(booked, page));
    step.querySelector('h3').focus();
  }, true);
  step.replaceChildren(f);
  f.elements.name.focus();
}

function bookedBox(booked, page) {
  const a = booked.appointment;
  const abs = (link) => `${location.origin}${link}`;
  return put(el('section', { class: 'all-clear booked', id: 'booked' }),
    el('h3', { tabindex: '-1', text: t('Booked') }),
    el('p', {}, el('strong', { text: whenWords(a.local_start) }), ' ',
      t('({zone} time), {what} with {name}', { zone: a.zone, what: a.service ? a.service.name : t('a first visit'), name: a.practitioner.name }),
      `${a.location ? `, ${a.location.name}` : ''}, ${page.clinic.name}.`),
    el('p', { text: t('An email confirms it, with these links; a reminder comes before the visit.') }),
    el('p', {}, el('a', { class: 'primary button-link', id: 'booked-intake', href: booked.intake, text: t('Before your visit: tell us about your pain') })),
    el('p', { class: 'hint', text: t('Your history, where it hurts and a few short questionnaires: about ten minutes, and your practitioner reads them first.') }),
    el('p', {}, el('a', { class: 'secondary button-link', id: 'booked-invitation', href: abs(booked.invitation), text: t('Make your own account') })),
    el('p', { class: 'hint', text: t('Your record at the clinic: your plan, your home program and your progress. The link works once, for seven days.') }),
    notice(booked.notice));
}
