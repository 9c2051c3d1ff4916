// The clinic's calendar settings (#/clinic/settings): its public profile,
// time zone, online booking and email; where it treats; what can be booked
// and who gives it; each practitioner's profile and working hours (weekly
// hours per location, breaks, days off). Administrators change all of it;
// a practitioner their own profile and hours.

import { get, post, change } from './api.js';
import { el, field, pageTitle, put, submitForm } from './dom.js';
import { MODALITY_WORDS, SERVICE_KINDS } from './clock.js';
import { t } from './i18n.js';

const DAYS = () => [['mon', t('Monday')], ['tue', t('Tuesday')], ['wed', t('Wednesday')], ['thu', t('Thursday')],
  ['fri', t('Friday')], ['sat', t('Saturday')], ['sun', t('Sunday')]];

const option = (value, text, selected) => el('option', { value: String(value), text, selected: selected || false });
const input = (name, attrs = {}) => el('input', { name, id: `set-${name}`, autocomplete: 'off', ...attrs });
const saved = (box, text) => {
  box.textContent = text;
  box.hidden = false;
};

// Checkboxes of the modalities, the chosen ones ticked.
function modalityBoxes(prefix, chosen) {
  return el('fieldset', { class: 'modality-boxes' }, el('legend', { text: t('Modalities') }),
    Object.entries(MODALITY_WORDS).map(([id, words]) => el('label', { class: 'check-line' },
      el('input', { type: 'checkbox', name: `${prefix}-modality`, value: id, checked: chosen.includes(id) }),
      el('span', { text: words }))));
}
const ticked = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);

// ---- the profile ----

function profileSection(clinic, serverRelay) {
  const done = el('p', { class: 'ok', role: 'status', hidden: true });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const text = (name, label, hint, attrs = {}) => field(label, input(name, { type: 'text', value: clinic[name] || '', ...attrs }), hint);
  const check = (name, label) => el('label', { class: 'check-line', for: `set-${name}` },
    input(name, { type: 'checkbox', checked: clinic[name] }), el('span', { text: label }));
  const spacing = el('select', { name: 'spacing', id: 'set-spacing' },
    option('w1', t('Once a week')), option('w2', t('Twice a week')), option('w3', t('Three times a week')),
    option('d7', t('Every 7 days')), option('d10', t('Every 10 days')), option('d14', t('Every 14 days')));
  spacing.value = clinic.series_every_days ? `d${clinic.series_every_days}` : `w${clinic.series_per_week || 2}`;
  const number = (name, label, min, max, hint) => field(label, input(name, { type: 'number', inputmode: 'numeric', min: String(min), max: String(max), value: String(clinic[name]) }), hint);
  const f = el('form', { class: 'form settings-form', id: 'profile-form', novalidate: true }, error,
    text('name', t('Clinic name')),
    el('div', { class: 'field-row' },
      text('slug', t('Address of the public page'), t('Lower-case letters, digits and hyphens: the page is at /#/c/ADDRESS.'), { pattern: '[a-z0-9-]+' }),
      text('zone', t('Time zone'), t('An IANA name such as Europe/London: the calendar\'s clock, with summer time.'))),
    text('address', t('Address')),
    el('div', { class: 'field-row' }, text('town', t('Town')), text('postcode', t('Postcode'))),
    el('div', { class: 'field-row' }, text('phone', t('Phone')), text('email', t('Email'), null, { type: 'email' })),
    text('about', t('About the clinic (on its public page)')),
    check('listed', t('List the clinic in the directory of clinics (find a clinic)')),
    check('booking', t('New people may book a first visit online')),
    el('div', { class: 'field-row' },
      number('reminder_hours', t('Reminder, hours before'), 0, 168, t('0: no reminder.')),
      number('late_cancel_hours', t('Late cancellation, hours before'), 0, 168, t('A cancellation later than this is marked late.'))),
    el('div', { class: 'field-row' },
      field(t('Course of care: follow-ups'), spacing),
      number('slot_minutes', t('Online booking offers starts every'), 5, 120, t('Minutes.'))),
    el('fieldset', { class: 'mail-settings' }, el('legend', { text: t('Email') }),
      el('p', { class: 'hint', text: serverRelay ? t('The server has a mail relay: emails go through it unless the clinic gives its own.')
        : t('Without a mail relay, confirmations and reminders wait in Messages and in each patient\'s record, for you to tell them yourself.') }),
      text('smtp_url', t('The clinic\'s own mail relay (optional)'), t('smtp://host:587 or smtps://user:password@host:465; its password is never shown again.'), { value: clinic.smtp_url || '' }),
      clinic.smtp_password_unreadable ? el('p', { class: 'error', id: 'relay-password-lost', role: 'alert',
        text: t('The relay\'s password can no longer be read on this server (its secret key has changed), so no email goes through it. Type the relay\'s address again with its password, then save.') }) : null,
      text('mail_from', t('Sender address (optional)'), t('The From of the emails; else the clinic\'s email.'), { type: 'email' })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Save the settings') })));
  submitForm(f, error, async () => {
    const v = (n) => f.elements[n].value.trim();
    const sp = spacing.value;
    const body = {
      name: v('name'), slug: v('slug'), zone: v('zone'), address: v('address'), town: v('town'), postcode: v('postcode'),
      phone: v('phone'), email: v('email'), about: v('about'), listed: f.elements.listed.checked, booking: f.elements.booking.checked,
      reminder_hours: Number(v('reminder_hours')), late_cancel_hours: Number(v('late_cancel_hours')), slot_minutes: Number(v('slot_minutes')),
      series_per_week: sp[0] === 'w' ? Number(sp.slice(1)) : 0, series_every_days: sp[0] === 'd' ? Number(sp.slice(1)) : 0,
      smtp_url: v('smtp_url'), mail_from: v('mail_from'),
    };
    await change('/clinic/profile', body);
    saved(done, body.slug ? t('Saved. The public page is at {url}', { url: `${location.origin}/#/c/${body.slug}` }) : t('Saved.'));
  }, true);
  return el('section', { class: 'settings-part', id: 'settings-profile', 'aria-labelledby': 'profile-title' },
    el('h2', { id: 'profile-title', text: t('The clinic') }), done, f);
}

// ---- locations and services: a list, each row its own small form ----

function locationsSection(locations) {
  const list = el('div', { class: 'settings-rows', id: 'locations' });
  const row = (l) => {
    const error = el('p', { class: 'error', role: 'alert', hidden: true });
    const done = el('p', { class: 'ok', role: 'status', hidden: true });
    const f = el('form', { class: 'form row-form', 'data-location': String(l.id || 'new'), novalidate: true }, error,
      el('div', { class: 'field-row' },
        field(t('Name'), el('input', { name: 'name', value: l.name || '', autocomplete: 'off' })),
        field(t('Address'), el('input', { name: 'address', value: l.address || '', autocomplete: 'off' }))),
      el('div', { class: 'field-row' },
        field(t('Town'), el('input', { name: 'town', value: l.town || '', autocomplete: 'off' })),
        field(t('Postcode'), el('input', { name: 'postcode', value: l.postcode || '', autocomplete: 'off' }))),
      l.id ? el('label', { class: 'check-line' }, el('input', { type: 'checkbox', name: 'archived', checked: l.archived }), el('span', { text: t('No new bookings here') })) : null,
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'secondary', text: l.id ? t('Save') : t('Add the location') })), done);
    submitForm(f, error, async () => {
      const body = { name: f.elements.name.value.trim(), address: f.elements.address.value.trim(), town: f.elements.town.value.trim(), postcode: f.elements.postcode.value.trim() };
      if (l.id) body.archived = f.elements.archived.checked;
      if (!body.name) throw new Error(t('Give the location a name.'));
      const answer = l.id ? await change(`/clinic/locations/${l.id}`, body) : await post('/clinic/locations', body);
      if (!l.id) {
        f.replaceWith(row(answer.location));
        list.append(row({}));
      } else {
        saved(done, t('Saved.'));
      }
    });
    return f;
  };
  list.append(...locations.map(row), row({}));
  return el('section', { class: 'settings-part', id: 'settings-locations', 'aria-labelledby': 'locations-title' },
    el('h2', { id: 'locations-title', text: t('Locations') }), list);
}

function servicesSection(services, practitioners) {
  const list = el('div', { class: 'settings-rows', id: 'services' });
  const row = (v) => {
    const error = el('p', { class: 'error', role: 'alert', hidden: true });
    const done = el('p', { class: 'ok', role: 'status', hidden: true });
    const key = v.id || 'new';
    const kind = el('select', { name: 'kind' }, Object.entries(SERVICE_KINDS).map(([k, w]) => option(k, w, k === (v.kind || 'follow-up'))));
    const givers = el('fieldset', { class: 'modality-boxes' }, el('legend', { text: t('Who gives it (none ticked: everyone)') }),
      practitioners.map((p) => el('label', { class: 'check-line' },
        el('input', { type: 'checkbox', name: `staff-${key}`, value: String(p.id), checked: (v.practitioners || []).includes(p.id) }),
        el('span', { text: p.name }))));
    const f = el('form', { class: 'form row-form', 'data-service': String(key), novalidate: true }, error,
      el('div', { class: 'field-row' },
        field(t('Name'), el('input', { name: 'name', value: v.name || '', autocomplete: 'off' })),
        field(t('Kind'), kind)),
      el('div', { class: 'field-row' },
        field(t('Minutes'), el('input', { name: 'minutes', type: 'number', inputmode: 'numeric', min: '5', max: '480', value: String(v.minutes || 30) })),
        el('label', { class: 'check-line' }, el('input', { type: 'checkbox', name: 'online', checked: v.online || false }), el('span', { text: t('New people may book it online') }))),
      modalityBoxes(`service-${key}`, v.modalities || []), givers,
      v.id ? el('label', { class: 'check-line' }, el('input', { type: 'checkbox', name: 'archived', checked: v.archived }), el('span', { text: t('No longer offered') })) : null,
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'secondary', text: v.id ? t('Save') : t('Add the service') })), done);
    submitForm(f, error, async () => {
      const body = {
        name: f.elements.name.value.trim(), kind: kind.value, minutes: Number(f.elements.minutes.value),
        online: f.elements.online.checked, modalities: ticked(f, `service-${key}-modality`),
        practitioners: ticked(f, `staff-${key}`).map(Number),
      };
      if (v.id) body.archived = f.elements.archived.checked;
      if (!body.name) throw new Error(t('Give the service a name.'));
      const answer = v.id ? await change(`/clinic/services/${v.id}`, body) : await post('/clinic/services', body);
      if (!v.id) {
        f.replaceWith(row(answer.service));
        list.append(row({}));
      } else {
        saved(done, t('Saved.'));
      }
    });
    return f;
  };
  list.append(...services.map(row), row({}));
  return el('section', { class: 'settings-part', id: 'settings-services', 'aria-labelledby': 'services-title' },
    el('h2', { id: 'services-title', text: t('Services') }),
    el('p', { class: 'hint', text: t('What can be booked: a first visit (history, examination, treatment) and follow-ups, each with its length and the modalities it offers.') }), list);
}

// ---- a practitioner: profile and hours ----

function span(kind, s, locations) {
  const where = kind === 'weekly' && locations.length > 1 ? el('select', { name: 'location', 'aria-label': t('Location') },
    option(0, t('Any location'), !s.location), locations.map((l) => option(l.id, l.name, l.id === s.location))) : null;
  const row = el('div', { class: 'span-row', 'data-kind': kind },
    kind === 'breaks' ? el('select', { name: 'day', 'aria-label': t('Day') }, DAYS().map(([id, w]) => option(id, w, id === s.day))) : null,
    el('input', { type: 'time', name: 'from', value: s.from || '09:00', 'aria-label': kind === 'breaks' ? t('Break from') : t('From') }),
    el('span', { text: t('to'), 'aria-hidden': 'true' }),
    el('input', { type: 'time', name: 'to', value: s.to === '24:00' ? '23:59' : s.to || '17:00', 'aria-label': kind === 'breaks' ? t('Break until') : t('Until') }),
    where,
    el('button', { type: 'button', class: 'link-button', text: t('Remove'), onclick: () => row.remove() }));
  if (kind === 'weekly') row.dataset.day = s.day;
  return row;
}

function offRow(o) {
  const row = el('div', { class: 'span-row', 'data-kind': 'off' },
    el('input', { type: 'date', name: 'from', value: o.from || '', 'aria-label': t('Off from') }),
    el('span', { text: t('to'), 'aria-hidden': 'true' }),
    el('input', { type: 'date', name: 'to', value: o.to || o.from || '', 'aria-label': t('Off until') }),
    el('button', { type: 'button', class: 'link-button', text: t('Remove'), onclick: () => row.remove() }));
  return row;
}

function hoursEditor(hours, locations) {
  const h = hours || { weekly: [], breaks: [], off: [] };
  const box = el('div', { class: 'hours-editor' });
  const days = el('div', { class: 'hours-days' }, DAYS().map(([id, words]) => {
    const spans = el('div', { class: 'day-spans', 'data-day': id }, h.weekly.filter((s) => s.day === id).map((s) => span('weekly', s, locations)));
    return el('div', { class: 'hours-day' }, el('span', { class: 'day-name', text: words }), spans,
      el('button', { type: 'button', class: 'link-button', 'data-add-hours': id, text: t('Add hours'), onclick: () => spans.append(span('weekly', { day: id }, locations)) }));
  }));
  const breaks = el('div', { class: 'day-spans', 'data-list': 'breaks' }, h.breaks.map((s) => span('breaks', s, locations)));
  const off = el('div', { class: 'day-spans', 'data-list': 'off' }, h.off.map(offRow));
  put(box, el('h4', { text: t('Weekly hours') }), days,
    el('h4', { text: t('Breaks') }), breaks,
    el('button', { type: 'button', class: 'link-button', text: t('Add a break'), onclick: () => breaks.append(span('breaks', { day: 'mon', from: '12:30', to: '13:30' }, locations)) }),
    el('h4', { text: t('Days off') }), off,
    el('button', { type: 'button', class: 'link-button', text: t('Add days off'), onclick: () => off.append(offRow({})) }));
  box.read = () => ({
    weekly: [...box.querySelectorAll('.span-row[data-kind="weekly"]')].map((r) => ({
      day: r.closest('.day-spans').dataset.day, from: r.querySelector('[name="from"]').value,
      to: r.querySelector('[name="to"]').value === '23:59' ? '24:00' : r.querySelector('[name="to"]').value,
      location: r.querySelector('[name="location"]') ? Number(r.querySelector('[name="location"]').value) : 0,
    })),
    breaks: [...box.querySelectorAll('.span-row[data-kind="breaks"]')].map((r) => ({
      day: r.querySelector('[name="day"]').value, from: r.querySelector('[name="from"]').value, to: r.querySelector('[name="to"]').value,
    })),
    off: [...box.querySelectorAll('.span-row[data-kind="off"]')].filter((r) => r.querySelector('[name="from"]').value).map((r) => ({
      from: r.querySelector('[name="from"]').value, to: r.querySelector('[name="to"]').value || r.querySelector('[name="from"]').value,
    })),
  });
  return box;
}

function practitionerSection(p, locations) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const done = el('p', { class: 'ok', role: 'status', hidden: true });
  const hours = hoursEditor(p.hours, locations.filter((l) => !l.archived));
  const f = el('form', { class: 'form practitioner-form', 'data-practitioner': String(p.id), novalidate: true }, error,
    field(t('Qualifications (shown on the public page)'), el('input', { name: 'qualifications', value: p.qualifications, autocomplete: 'off', maxlength: '300' })),
    modalityBoxes(`p${p.id}`, p.modalities),
    el('label', { class: 'check-line' }, el('input', { type: 'checkbox', name: 'bookable', checked: p.bookable }),
      el('span', { text: t('Has a calendar, and is shown on the public page') })),
    hours,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Save the profile and hours') })), done);
  submitForm(f, error, async () => {
    await change(`/clinic/practitioners/${p.id}`, {
      qualifications: f.elements.qualifications.value.trim(), modalities: ticked(f, `p${p.id}-modality`),
      bookable: f.elements.bookable.checked, hours: hours.read(),
    });
    saved(done, t('Saved.'));
  });
  return el('section', { class: 'settings-part practitioner', id: `settings-practitioner-${p.id}` },
    el('h3', { text: p.name }), f);
}

// ---- the page ----

export async function clinicSettingsPage(view, ctx) {
  const s = await get('/clinic/profile');
  if (!ctx.alive()) return;
  const admin = ctx.me.user.role === 'admin';
  view.append(pageTitle(admin ? t('Clinic settings') : t('My profile and hours')),
    el('p', { class: 'lead', text: admin ? t('The clinic\'s public page, its calendar and its emails.') : t('What the public page says of you, and when you see people.') }));
  if (admin) {
    view.append(el('nav', { class: 'in-page', 'aria-label': t('Parts of the settings') },
      el('a', { href: '#settings-profile', text: t('The clinic') }), el('a', { href: '#settings-locations', text: t('Locations') }),
      el('a', { href: '#settings-services', text: t('Services') }), el('a', { href: '#settings-people', text: t('Practitioners and hours') })));
    for (const a of view.querySelectorAll('.in-page a')) {
      a.addEventListener('click', (e) => { // the hash is the router's: scroll instead
        e.preventDefault();
        view.querySelector(a.getAttribute('href'))?.scrollIntoView({ block: 'start' });
      });
    }
    view.append(profileSection(s.clinic, s.server_relay), locationsSection(s.locations), servicesSection(s.services, s.practitioners));
  }
  const people = admin ? s.practitioners : s.practitioners.filter((p) => p.id === ctx.me.user.id);
  view.append(el('section', { class: 'settings-part', id: 'settings-people', 'aria-labelledby': 'people-title' },
    el('h2', { id: 'people-title', text: admin ? t('Practitioners and their hours') : t('Profile and hours') }),
    el('p', { class: 'hint', text: t('Times are on the clinic\'s clock ({zone}).', { zone: s.clinic.zone }) }),
    people.map((p) => practitionerSection(p, s.locations))));
}
