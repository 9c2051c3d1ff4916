// The server's refusals on German pages, met as a person meets them: a
// password too short on an invitation and on a reset link (the page says
// so itself, counting characters as the server does), an email address an
// account uses already, a time someone else has just taken in the online
// booking, an appointment over another in the calendar, and a booking's
// email address and phone number refused by the server. Each is said in the
// catalogue's German (never the server's English sentence), beside the field
// it concerns where there is one, and axe-core finds nothing serious on the
// pages. Screenshots of a desktop (1280x800) and a phone (390x844) go to
// SCREENSHOT_DIR.
//
//   node tests/browser/refusals.test.mjs TPT SCREENSHOT_DIR
//
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, accessible, follow, goto, openPage, start } from './harness.mjs';
import { OWNER, answerBookingScreen, client, seedClinic } from './calendar_seed.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: refusals.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const GERMAN = { locale: 'de-DE' };
const DE = JSON.parse(readFileSync(new URL('../../data/messages/de.json', import.meta.url), 'utf8')).messages;

// The German of an English text of the pages; a test of words the
// catalogue lacks fails here rather than comparing with undefined.
function de(english) {
  assert.equal(typeof DE[english], 'string', `de.json has "${english}"`);
  return DE[english];
}

let run;
let clinic;
const pages = [];

async function open(url, options) {
  const p = await openPage(run.browser, url, { ...options, ...GERMAN });
  pages.push(p);
  assert.equal(await p.page.getAttribute('html', 'lang'), 'de', 'the page speaks German');
  return p.page;
}

async function shot(page, name) {
  await accessible(page, name);
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

// What the error box at `selector` says, once shown.
async function refusal(page, selector) {
  await page.waitForSelector(`${selector}:not([hidden])`);
  return (await page.textContent(selector)).trim();
}

// The input is marked invalid and the refusal stands beside it.
async function besideField(page, input) {
  assert.equal(await page.getAttribute(input, 'aria-invalid'), 'true', `${input} is marked`);
  assert.equal(await page.locator(`.field:has(${input}) .error:not([hidden])`).count(), 1, `the refusal is beside ${input}`);
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

test('an invitation: a short password, then an email address an account uses already', async () => {
  const { link } = await clinic.api.ok('POST', '/invitations', { role: 'practitioner', name: 'Priya Patel' });
  for (const [size, options] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await open(`${run.base}${link.slice(1)}`, options);
    await page.fill('#in-email', OWNER.email);
    for (const short of ['kurz', '🔑'.repeat(5)]) { // five keys are ten UTF-16 units but five characters
      await page.fill('#in-password', short);
      await page.fill('#in-password2', short);
      await page.click('button[type="submit"]');
      assert.equal(await refusal(page, '.form .error'), de('The password needs at least 10 characters; a few words make a good one.'));
      await besideField(page, '#in-password');
    }
    await page.fill('#in-password', 'ein langes gutes Passwort');
    await page.fill('#in-password2', 'ein langes gutes Passwort');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('.form .error')?.textContent.startsWith('Diese E-Mail'));
    assert.equal(await refusal(page, '.form .error'), de('This email address cannot be used for the new account: another account uses it already, or the invitation was sent to another address. If the account is yours, sign in instead.'));
    await besideField(page, '#in-email');
    assert.equal(await page.getAttribute('#in-password', 'aria-invalid'), null, 'the password is no longer marked');
    await shot(page, `refusal-email-taken-de-${size}`);
  }
});

test('a reset link: a password too short is said in German', async () => {
  // a second account, whose reset link the owner gives
  const { token } = await clinic.api.ok('POST', '/invitations', { role: 'practitioner', name: 'Jonas Kern' });
  const jonas = await client(run.base).ok('POST', `/invitations/${token}/accept`,
    { name: 'Jonas Kern', email: 'jonas@north.example', password: 'a long practitioner password' });
  const { link } = await clinic.api.ok('POST', `/users/${jonas.user.id}/reset`);
  const page = await open(`${run.base}${link.slice(1)}`, DESKTOP);
  await page.fill('#in-password', 'zu kurz');
  await page.fill('#in-password2', 'zu kurz');
  await page.click('button[type="submit"]');
  assert.equal(await refusal(page, '.form .error'), de('The password needs at least 10 characters; a few words make a good one.'));
  await besideField(page, '#in-password');
  await accessible(page, 'reset-short-de');
});

// The online booking up to its times, every safety answer no.
async function bookingTimes(options) {
  const page = await open(`${run.base}#/c/north`, options);
  await answerBookingScreen(page);
  await page.waitForSelector('#booking-slots .slot');
  return page;
}

test('online booking: a time just taken by someone else, then an email address and a phone number refused', async () => {
  // two people look at the same times; a third takes the first of them
  const desk = await bookingTimes(DESKTOP);
  const phone = await bookingTimes(PHONE);
  const first = await bookingTimes(DESKTOP);
  const taken = await first.getAttribute('#booking-slots .slot', 'data-start');
  await first.click(`#booking-slots .slot[data-start="${taken}"]`);
  await first.waitForSelector('#booking-form');

  for (const [size, page] of [['desktop', desk], ['phone', phone]]) {
    await page.click(`#booking-slots .slot[data-start="${taken}"]`);
    assert.equal(await refusal(page, '#booking-slots .error'), de('Someone has just taken this time. Choose another time.'));
    assert.equal(await page.locator('#booking-form').count(), 0, 'nothing held');
    await page.locator('#booking-slots .error').scrollIntoViewIfNeeded();
    await shot(page, `refusal-slot-taken-de-${size}`);
  }

  // another time (the last shown, clear of the one held), held; the
  // address and the number go to the server as typed
  const other = await phone.locator('#booking-slots .slot').last().getAttribute('data-start');
  await phone.click(`#booking-slots .slot[data-start="${other}"]`);
  await phone.waitForSelector('#booking-form');
  await phone.fill('#booking-name', 'Bo Lind');
  await phone.fill('#booking-email', 'keine Adresse');
  await phone.click('#booking-form button[type="submit"]');
  assert.equal(await refusal(phone, '#booking-form .error'), de('Email address: give a whole address, such as anna@example.org.'));
  await besideField(phone, '#booking-email');
  await phone.fill('#booking-email', 'bo@example.org');
  await phone.fill('#booking-phone', 'null-eins-eins-drei');
  await phone.click('#booking-form button[type="submit"]');
  await phone.waitForFunction(() => document.querySelector('#booking-form .error')?.textContent.startsWith('Telefon'));
  assert.equal(await refusal(phone, '#booking-form .error'), de('Phone: use digits, spaces and + - ( ) only.'));
  await besideField(phone, '#booking-phone');
  assert.equal(await phone.getAttribute('#booking-email', 'aria-invalid'), null, 'the address is no longer marked');
  await shot(phone, 'refusal-phone-de-phone');
});

test('the calendar: an appointment over another is refused in German', async () => {
  const { api, owner, patient, nextMonday } = clinic;
  await api.ok('POST', '/appointments', { patient, practitioner: owner, service: 1, start: `${nextMonday}T14:00` });
  const page = await open(`${run.base}#/sign-in`, DESKTOP);
  await page.fill('#in-email', OWNER.email);
  await page.fill('#in-password', OWNER.password);
  await follow(page, 'button[type="submit"]');
  await goto(page, `${run.base}#/calendar?date=${nextMonday}`);
  await page.click(`.cal-slot[data-date="${nextMonday}"][data-time="09:00"]`);
  await page.waitForSelector('dialog.panel[open] #book-form');
  await page.fill('#book-patient', 'ber');
  await page.click('#book-patient-results button[data-patient]');
  await page.fill('#book-time', '14:30'); // inside the first visit, 14:00 to 15:00
  await page.click('#book-form button[type="submit"]');
  assert.equal(await refusal(page, '#book-form .error'), de('This clashes with something kept meanwhile: the practitioner may have another appointment at that time, or someone changed this a moment ago. Reload the page, check, and try again.'));
  await shot(page, 'refusal-conflict-de-desktop');
  assert.equal((await api.ok('GET', `/appointments?patient=${patient}`)).appointments.length, 1, 'nothing booked over the first visit');
});
