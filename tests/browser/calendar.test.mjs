// The clinic's calendar in a real browser: a practitioner's week (booking by
// click and by the keyboard, a time already taken refused by the server and
// said, moving, marking arrived, cancelling, the visit note opened from its
// appointment); a new person booking online on a phone (an emergency answer:
// where to go and nothing booked; a clear screen: a held time, booked); the
// intake done before the visit appearing in the visit note; every calendar
// page, the public ones too, on a desk and a phone, in English and German,
// checked by axe-core. Screenshots of a desktop and a phone-sized screen go
// to SCREENSHOT_DIR.
//
//   node tests/browser/calendar.test.mjs TPT SCREENSHOT_DIR
//
// The tests run in order and build on each other (one server, one clinic).
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PHONE, SCIATICA, accessible, clickRegion, fitsWidth, follow, goto, mapAndWait, openPage, start,
} from './harness.mjs';
import { OWNER, answerBookingScreen as answerScreen, seedClinic } from './calendar_seed.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: calendar.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

// a desk's screen, as the pages are looked at (1280x800) beside a phone's
const DESKTOP = { viewport: { width: 1280, height: 800 } };

let run;
let clinic; // what seedClinic made
let staff; // the practitioner's page, signed in
const pages = [];
let intakeLink; // from the online booking
let invitationLink; // likewise
let booked; // the online booking's appointment

// A screenshot, after axe-core found no serious or critical violation.
async function shot(page, name, fullPage = true) {
  await accessible(page, name);
  assert.doesNotMatch(await page.textContent('body'), /\bnull\b|\bundefined\b|\[object |\bNaN\b/, `${name}: words only`);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

const hash = (page) => new URL(page.url()).hash;
const dayAfter = (date, n) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

async function open(url, options) {
  const p = await openPage(run.browser, url, options);
  pages.push(p);
  return p.page;
}

async function signIn(options, locale) {
  const page = await open(`${run.base}#/sign-in`, locale ? { ...options, locale } : options);
  await page.fill('#in-email', OWNER.email);
  await page.fill('#in-password', OWNER.password);
  await follow(page, 'button[type="submit"]');
  return page;
}

// Waits for the calendar drawn again after a change, and what it says.
async function said(page, pattern) {
  await page.waitForFunction((source) => {
    const e = document.getElementById('calendar-said');
    return e && !e.hidden && new RegExp(source).test(e.textContent);
  }, pattern.source, { timeout: 20000 }).catch(() => {});
  assert.match(await page.textContent('#calendar-said'), pattern);
}

before(async () => {
  run = await start(tpt);
  clinic = await seedClinic(run.base);
});

after(async () => {
  try {
    for (const p of pages) assert.deepEqual(p.problems, [], 'no errors on the pages');
  } finally {
    if (run) await run.stop();
  }
});

test("a practitioner's week: book by click and by keyboard, a taken time refused, move, arrive, cancel", async () => {
  const { api, owner, patient, nextMonday } = clinic;
  const first = await api.ok('POST', '/appointments', { patient, practitioner: owner, service: 1, start: `${nextMonday}T10:00` });
  staff = await signIn(DESKTOP);
  const page = staff;
  await goto(page, `${run.base}#/calendar?date=${nextMonday}`);
  assert.match(await page.textContent('#calendar-title'), /^Week of Monday .* \(Europe\/London time\)$/);
  assert.equal(await page.locator('.cal-colhead').count(), 7, 'seven days');
  const appt = page.locator(`.cal-appt[data-appointment="${first.appointment.id}"]`);
  assert.match(await appt.getAttribute('aria-label'), /^10:00, Anna Berg, First visit, until 11:00, Booked$/);
  // Friday afternoon and the weekend are outside the hours
  assert.equal(await page.locator(`.cal-slot[data-date="${dayAfter(nextMonday, 4)}"][data-time="14:00"]`).getAttribute('class'), 'cal-slot hour');
  assert.match(await page.locator(`.cal-slot[data-date="${dayAfter(nextMonday, 1)}"][data-time="09:00"]`).getAttribute('class'), /working/);
  await shot(page, 'calendar-week-desktop', false);

  // a click on Tuesday 09:00 books the follow-up
  await page.click(`.cal-slot[data-date="${dayAfter(nextMonday, 1)}"][data-time="09:00"]`);
  await page.waitForSelector('dialog.panel[open] #book-form');
  assert.equal(await page.inputValue('#book-date'), dayAfter(nextMonday, 1));
  assert.equal(await page.inputValue('#book-time'), '09:00');
  await page.click('#book-form button[type="submit"]');
  assert.match(await page.textContent('#book-form .error'), /Choose the patient first/);
  await page.fill('#book-patient', 'ber');
  await page.click('#book-patient-results button[data-patient]');
  assert.match(await page.textContent('#book-picked'), /Patient: Anna Berg/);
  await page.selectOption('#book-service', { label: 'Follow-up (30 min)' });
  await shot(page, 'calendar-book-desktop', false);
  await page.click('#book-form button[type="submit"]');
  await said(page, /^Booked Anna Berg at Tuesday .* at 09:00\. The patient is told\.$/);
  const tuesday = page.locator(`.cal-appt[aria-label^="09:00, Anna Berg, Follow-up, until 09:30"]`);
  assert.equal(await tuesday.count(), 1, 'the booking is on the calendar');

  // the keyboard: Tab reaches one slot (Monday 09:00), the arrows move,
  // Enter books; Monday 10:30 is inside the first visit: the server says no
  const startSlot = page.locator('.cal-slot[tabindex="0"]');
  assert.equal(await startSlot.getAttribute('data-date'), nextMonday);
  assert.equal(await startSlot.getAttribute('data-time'), '09:00');
  await startSlot.focus();
  for (const key of ['ArrowRight', 'ArrowLeft', 'PageDown', 'ArrowDown', 'ArrowDown']) await page.keyboard.press(key);
  assert.deepEqual(await page.evaluate(() => [document.activeElement.dataset.date, document.activeElement.dataset.time]), [nextMonday, '10:30']);
  await page.keyboard.press('Enter');
  await page.waitForSelector('dialog.panel[open] #book-form');
  assert.equal(await page.inputValue('#book-time'), '10:30');
  await page.keyboard.type('anna');
  await page.click('#book-patient-results button[data-patient]');
  await page.selectOption('#book-service', { label: 'Follow-up (30 min)' });
  await page.click('#book-form button[type="submit"]');
  await page.waitForSelector('#book-form .error:not([hidden])');
  assert.match(await page.textContent('#book-form .error'), /another appointment/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog.panel', { state: 'detached' });
  assert.equal((await api.ok('GET', `/appointments?patient=${patient}`)).appointments.length, 2, 'nothing booked over the first visit');

  // move the follow-up to Wednesday 15:00
  await tuesday.click();
  await page.waitForSelector('dialog.panel[open] .appointment[data-status="booked"]');
  await page.click('summary:has-text("Move")');
  await page.fill('#move-date', dayAfter(nextMonday, 2));
  await page.fill('#move-time', '15:00');
  await page.click('#move-form button[type="submit"]');
  await said(page, /^Moved\. The patient is told\.$/);
  const moved = page.locator(`.cal-slot[data-date="${dayAfter(nextMonday, 2)}"]`).first();
  assert.ok(await moved.count());
  const wednesday = page.locator('.cal-appt[aria-label^="15:00, Anna Berg, Follow-up, until 15:30"]');
  assert.equal(await wednesday.count(), 1, 'moved to 15:00');

  // cancel it, asked first
  await wednesday.click();
  await page.waitForSelector('dialog.panel[open] .appointment');
  await page.click('summary:has-text("Cancel")');
  await page.fill('#cancel-reason', 'the practitioner is ill');
  await page.click('#appt-cancel');
  await page.waitForSelector('dialog.confirm[open]');
  await page.click('#confirm-yes');
  await said(page, /^Cancelled\. The patient is told\.$/);
  assert.equal(await wednesday.count(), 0, 'a cancelled appointment leaves the grid');
  assert.match(await page.textContent('.cancelled-list summary'), /Cancelled \(1\)/);

  // the first visit: arrived, then its visit note
  await appt.click();
  await page.waitForSelector('dialog.panel[open] .appointment');
  await shot(page, 'calendar-appointment-desktop', false);
  await page.click('button[data-set-status="arrived"]');
  await said(page, /^Marked: Arrived\.$/);
  assert.match(await appt.getAttribute('class'), /status-arrived/);
  await appt.click();
  await page.waitForSelector('#appt-visit');
  await page.evaluate(() => { delete document.body.dataset.ready; });
  await page.click('#appt-visit');
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(hash(page), new RegExp(`^#/patients/${patient}/visits/\\d+$`), 'the visit note opens');
  const note = (await api.ok('GET', `/appointments/${first.appointment.id}`)).appointment;
  assert.ok(note.visit, 'the appointment knows its visit note');
});

test('the day of everyone on a phone', async () => {
  const page = await signIn(PHONE);
  await goto(page, `${run.base}#/calendar?date=${clinic.nextMonday}`);
  assert.equal(await page.getAttribute('#calendar-day', 'aria-pressed'), 'true', 'a phone shows the day');
  assert.equal(await page.locator('.cal-colhead').count(), 1);
  assert.equal(await page.locator('.cal-appt').count(), 1);
  await fitsWidth(page, 390);
  await shot(page, 'calendar-day-phone');
  await page.click('.cal-appt');
  await page.waitForSelector('dialog.panel[open] .appointment');
  await fitsWidth(page, 390);
  await shot(page, 'calendar-appointment-phone', false);
});

test('online booking on a phone: an emergency answer books nothing and says where to go', async () => {
  const before = (await clinic.api.ok('GET', '/patients')).patients.length;
  const page = await open(`${run.base}#/find?place=ls1`, PHONE);
  assert.equal(await page.locator('.clinic-card[data-clinic="north"]').count(), 1, 'found by part of the postcode');
  await fitsWidth(page, 390);
  await shot(page, 'find-phone');
  await page.selectOption('#find-modality', 'gua-sha');
  await follow(page, '.find-form button[type="submit"]');
  assert.equal(await page.locator('.clinic-card').count(), 0, 'nobody gives gua sha');
  await goto(page, `${run.base}#/c/north`);
  assert.match(await page.textContent('#clinic-practitioners'), /Ruth Ames · MSc Physiotherapy/);
  assert.doesNotMatch(await page.textContent('body'), /Anna|anna@/, 'the public page shows nothing of a record');
  await answerScreen(page, ['saddle-numbness']);
  await page.waitForSelector('#booking-stopped');
  assert.equal(await page.getAttribute('#booking-stopped', 'data-level'), 'emergency');
  assert.match(await page.textContent('#booking-stopped'), /emergency department/);
  assert.equal(await page.locator('#booking-slots, #booking-form').count(), 0, 'no times offered');
  await fitsWidth(page, 390);
  await shot(page, 'booking-emergency-phone', false);
  assert.equal((await clinic.api.ok('GET', '/patients')).patients.length, before, 'no patient made');
});

test('online booking on a phone: a clear screen, a held time, booked', async () => {
  const page = await open(`${run.base}#/c/north`, PHONE);
  await answerScreen(page);
  await page.waitForSelector('#booking-slots .slot');
  assert.match(await page.textContent('.all-clear-line'), /No warning sign/);
  await fitsWidth(page, 390);
  await shot(page, 'booking-slots-phone', false);
  const slot = page.locator('#booking-slots .slot').first();
  const start = await slot.getAttribute('data-start');
  await slot.click();
  await page.waitForSelector('#booking-form');
  assert.match(await page.textContent('#hold-left'), /^(10:00|9:5\d)$/, 'held for ten minutes');
  await shot(page, 'booking-form-phone', false);
  await page.click('#booking-form button[type="submit"]');
  assert.match(await page.textContent('#booking-form .error'), /Give your name/);
  await page.fill('#booking-name', 'Bo Lind');
  await page.fill('#booking-email', 'not an address');
  await page.click('#booking-form button[type="submit"]');
  await page.waitForSelector('#booking-form .error:not([hidden])');
  assert.match(await page.textContent('#booking-form .error'), /email/i);
  await page.fill('#booking-email', 'bo@example.org');
  await page.click('#booking-form button[type="submit"]');
  await page.waitForSelector('#booked');
  assert.match(await page.textContent('#booked'), /First visit with Ruth Ames/);
  intakeLink = await page.getAttribute('#booked-intake', 'href');
  invitationLink = await page.getAttribute('#booked-invitation', 'href');
  assert.match(intakeLink, /^\/#\/intake\/[A-Za-z0-9_-]+$/);
  await fitsWidth(page, 390);
  await shot(page, 'booking-done-phone');
  const { appointments } = await clinic.api.ok('GET', `/appointments?from=${start.slice(0, 10)}&days=1`);
  booked = appointments.find((a) => a.patient.name === 'Bo Lind');
  assert.ok(booked, 'the booking is on the clinic\'s calendar');
  assert.equal(booked.starts, start);
  // the held time is no longer offered
  await goto(page, `${run.base}#/c/north`);
  const { slots } = await clinic.api.ok('GET', `/public/clinics/north/slots?service=1&from=${start.slice(0, 10)}&days=1`);
  assert.ok(!slots.some((s) => s.start === start), 'the booked time is taken');
});

test('the intake before the visit appears in the visit note', async () => {
  assert.ok(intakeLink && booked, 'the booking above');
  const page = await open(`${run.base}${intakeLink.slice(1)}`, PHONE);
  assert.match(await page.textContent('#intake-when'), /North Clinic, .* with Ruth Ames/);
  assert.equal(await page.getAttribute('#intake-part-history', 'data-done'), 'no');
  await page.selectOption('#intake-leg_pain', '6');
  await page.fill('#intake-onset', 'Three weeks ago, after a day of gardening');
  await page.fill('#intake-sitting_hours', '30');
  await page.click('#intake-history button[type="submit"]');
  await page.waitForSelector('#intake-history .error:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'intake-sitting_hours', 'the refused field has the focus');
  await page.fill('#intake-sitting_hours', '7');
  await page.evaluate(() => { delete document.body.dataset.ready; });
  await page.click('#intake-history button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#intake-part-history[data-done="yes"]');
  for (const region of SCIATICA) await clickRegion(page, region);
  await mapAndWait(page);
  await fitsWidth(page, 390);
  await shot(page, 'intake-phone');

  // the practitioner opens the visit from the appointment: it is all there
  const page2 = staff;
  await goto(page2, `${run.base}#/calendar?view=day&date=${booked.local_start.slice(0, 10)}`);
  await page2.click(`.cal-appt[data-appointment="${booked.id}"]`);
  await page2.waitForSelector('#appt-intake');
  assert.equal(await page2.textContent('#appt-intake'), 'history given, drawing made, 0 questionnaires');
  await page2.evaluate(() => { delete document.body.dataset.ready; });
  await page2.click('#appt-visit');
  await page2.waitForSelector('body[data-ready="true"]');
  assert.match(hash(page2), /^#\/patients\/\d+\/visits\/\d+$/);
  assert.equal(await page2.inputValue('#v-subjective-history-onset'), 'Three weeks ago, after a day of gardening', 'the history is in the note');
  assert.equal(await page2.inputValue('#v-subjective-leg_pain').catch(() => page2.inputValue('[data-field="subjective.leg_pain"]')), '6');
  const { visit } = await clinic.api.ok('GET', hash(page2).slice(1));
  const marks = visit.note.objective.marks.map((m) => m.split(':')[0]).sort();
  assert.deepEqual(marks, [...SCIATICA].sort(), 'the drawing is in the note');
  await shot(page2, 'intake-in-visit-desktop', false);
});

test('the person who booked makes their account and finds the visit and its confirmation', async () => {
  assert.ok(invitationLink && booked, 'the booking above');
  const page = await open(invitationLink, PHONE);
  if (!(await page.inputValue('#in-email'))) await page.fill('#in-email', 'bo@example.org');
  await page.fill('#in-password', 'a long password of Bo');
  await page.fill('#in-password2', 'a long password of Bo');
  await follow(page, 'button[type="submit"]');
  assert.equal(hash(page), `#/patients/${booked.patient.id}`, 'their own record');
  await page.waitForSelector('#appointments-coming');
  const visit = page.locator(`#appointments-coming li[data-appointment="${booked.id}"]`);
  assert.match(await visit.textContent(), /First visit with Ruth Ames/);
  // no relay on this server: the confirmation shows in the record instead
  assert.match(await page.textContent('#appointments .reminder[data-kind="confirmation"]'), /^Booked: North Clinic, /);
  assert.equal(await page.locator('#book-for-patient').count(), 0, 'a patient books through the clinic\'s page, not the calendar');
  await fitsWidth(page, 390);
  await page.evaluate(() => document.getElementById('appointments').scrollIntoView());
  await shot(page, 'patient-appointments-phone', false);
});

// Every page of the calendar at a desk's and a phone's size, in English and
// in German (the browser's language): no serious or critical accessibility
// violation, the page in the language chosen, and a screenshot of each.
test('every calendar page on a desk and a phone, in English and German', async () => {
  const { api, owner, patient, nextMonday } = clinic;
  // a follow-up on the Wednesday, booked: its dialog offers the rest of the course
  const wednesday = dayAfter(nextMonday, 2);
  await api.ok('POST', '/appointments', { patient, practitioner: owner, service: 2, start: `${wednesday}T11:00` });
  const sizes = [['desktop', DESKTOP], ['phone', PHONE]];
  for (const [lang, locale] of [['en', 'en-GB'], ['de', 'de-DE']]) {
    for (const [size, options] of sizes) {
      const name = (what) => `${what}-${size}-${lang}`;
      const check = async (page, what, heading) => {
        assert.equal(await page.getAttribute('html', 'lang'), lang, `${name(what)}: the page's language`);
        assert.match(await page.textContent('h1'), heading[lang], `${name(what)}: its title`);
        if (size === 'phone') await fitsWidth(page, 390);
        await shot(page, name(what));
      };
      const staffPage = await signIn(options, locale);
      await goto(staffPage, `${run.base}#/calendar?date=${wednesday}`);
      await check(staffPage, 'calendar', { en: /^Calendar$/, de: /^Kalender$/ });
      // a time's booking dialog, and an appointment's, with the course's
      await staffPage.click('.cal-slot.working');
      await staffPage.waitForSelector('dialog.panel[open] #book-form');
      await shot(staffPage, name('calendar-book'), false);
      await staffPage.keyboard.press('Escape');
      await staffPage.waitForSelector('dialog.panel', { state: 'detached' });
      await staffPage.locator(`.cal-appt.status-booked[aria-label^="11:00, Anna Berg"]`).click();
      await staffPage.waitForSelector('dialog.panel[open] .appointment');
      await shot(staffPage, name('calendar-appointment'), false);
      await staffPage.click('#appt-series');
      await staffPage.waitForSelector('dialog.panel[open] #series-form');
      await staffPage.click('#series-form button[type="submit"]');
      await staffPage.waitForSelector('#series-preview table');
      await shot(staffPage, name('calendar-series'), false);
      await staffPage.keyboard.press('Escape');
      await staffPage.waitForSelector('dialog.panel', { state: 'detached' });
      await goto(staffPage, `${run.base}#/clinic/settings`);
      await check(staffPage, 'settings', { en: /^Clinic settings$/, de: /^Praxiseinstellungen$/ });
      await goto(staffPage, `${run.base}#/messages?state=all`);
      await check(staffPage, 'messages', { en: /^Messages$/, de: /^Nachrichten$/ });
      await goto(staffPage, `${run.base}#/patients/${patient}/overview`);
      await staffPage.waitForSelector('#calendar-feed form');
      await staffPage.evaluate(() => document.getElementById('appointments').scrollIntoView());
      await shot(staffPage, name('record-calendar'));
      const publicPage = await open(`${run.base}#/find`, { ...options, locale });
      await check(publicPage, 'find', { en: /^Find a clinic$/, de: /^Praxis finden$/ });
      await goto(publicPage, `${run.base}#/c/north`);
      await check(publicPage, 'clinic-page', { en: /^North Clinic$/, de: /^North Clinic$/ });
      assert.match(await publicPage.textContent('#booking-title'), lang === 'de' ? /^Einen Erstbesuch buchen$/ : /^Book a first visit$/);
      await answerScreen(publicPage);
      await publicPage.waitForSelector('#booking-slots .slot');
      await shot(publicPage, name('booking-slots'));
      await goto(publicPage, `${run.base}${intakeLink.slice(1)}`);
      await check(publicPage, 'intake', { en: /^Before your visit$/, de: /^Vor Ihrem Termin$/ });
      // a link that never was reads as one that is over: what to do next
      await goto(publicPage, `${run.base}#/intake/${'0'.repeat(64)}`);
      assert.match(await publicPage.textContent('.error'), lang === 'de'
        ? /zurückgezogen, oder es hat ihn nie gegeben\. .* bitten Sie Ihre Praxis um einen neuen\.$/
        : /withdrawn or never existed\. .* ask your clinic for a new one\.$/);
      await check(publicPage, 'intake-unusable', { en: /^Before your visit$/, de: /^Vor Ihrem Termin$/ });
    }
  }
});

test("a relay password that no longer opens is asked for again, and typed again it is kept", async () => {
  const { api } = clinic;
  await api.ok('PUT', '/clinic/profile', { smtp_url: 'smtp://desk:relay-pass@127.0.0.1:9' });
  // the stored value damaged, as another key would leave it unreadable
  execFileSync('sqlite3', [run.db, "UPDATE clinic_profiles SET smtp_url = replace(smtp_url, 'enc1:', 'enc1:AAAA')"]);
  // on a phone it is said; on a desk it is said and the password typed again
  for (const [size, options] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const page = await signIn(options);
    await goto(page, `${run.base}#/clinic/settings`);
    assert.equal(await page.inputValue('#set-smtp_url'), 'smtp://desk:***@127.0.0.1:9');
    assert.match(await page.textContent('#relay-password-lost'), /can no longer be read on this server .* Type the relay's address again with its password, then save\.$/);
    if (size === 'phone') await fitsWidth(page, 390);
    await page.locator('.mail-settings').scrollIntoViewIfNeeded();
    await shot(page, `settings-relay-lost-${size}`, false);
    if (size === 'phone') continue;
    await page.fill('#set-smtp_url', 'smtp://desk:relay-pass@127.0.0.1:9');
    await page.click('#profile-form button[type="submit"]');
    await page.waitForSelector('#settings-profile .ok:not([hidden])');
    await goto(page, `${run.base}#/clinic/settings`);
    assert.equal(await page.locator('#relay-password-lost').count(), 0, 'the password typed again opens');
  }
  assert.doesNotMatch(execFileSync('sqlite3', [run.db, 'SELECT smtp_url FROM clinic_profiles']).toString(), /relay-pass/);
  await api.ok('PUT', '/clinic/profile', { smtp_url: '' });
});
