// Holds that only the right person lifts, and stale plans, in a real
// browser on a 1280x800 desktop and a 390x844 phone: a practitioner's
// screen raises a fever; the patient answers the safety questions clear on
// their own page and the hold stands, saying that their clinician must
// review it, with no form to lift it (and the server refuses them if they
// try); the practitioner reads who raised it and records an assessment in
// the banner, which lifts it. Then a plan made before a newer drawing is
// out of date: the plan page says why, holds back the home program and the
// handout, and makes a new plan in one click; so does the session page.
// Screenshots go to SCREENSHOT_DIR.
//
//   node tests/browser/holds.test.mjs TPT SCREENSHOT_DIR
//
// The tests run in order and build on each other (one server, one clinic).
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, answerScreen, fitsWidth, follow, goto, openPage, start } from './harness.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: holds.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const CLEAR = JSON.parse(readFileSync(new URL('../api/clear-screen.json', import.meta.url)));

let run;
let staff; // the practitioner's desktop page
let patient; // the patient's phone page
let patientDesk; // the patient on a desktop
let id; // the patient's record

async function shot(page, name) {
  assert.doesNotMatch(await page.textContent('body'), /\bnull\b|\bundefined\b|\[object |\bNaN\b/, `${name}: words only`);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

// A call of the API in the page's own context (its cookies), with the CSRF
// token the page's sign-in holds.
async function api(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(`/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: await r.json() };
  }, { method, path, body });
}

before(async () => {
  run = await start(tpt);
});

after(async () => {
  try {
    for (const p of [staff, patient, patientDesk]) if (p) assert.deepEqual(p.problems, [], 'no errors on the page');
  } finally {
    if (run) await run.stop();
  }
});

test('a practitioner\'s warning stands after the patient\'s own clear screen', async () => {
  staff = await openPage(run.browser, run.base, DESKTOP);
  const { page } = staff;
  await page.fill('#in-name', 'Ruth Reed');
  await page.fill('#in-email', 'ruth@example.org');
  await page.fill('#in-password', 'a long practitioner password');
  await page.fill('#in-password2', 'a long practitioner password');
  await follow(page, 'button[type="submit"]');
  id = (await api(page, 'POST', '/patients', { name: 'Ann Lee' })).body.patient.id;
  const inv = await api(page, 'POST', '/invitations', { role: 'patient', name: 'Ann Lee', patient: id });
  assert.equal(inv.status, 201);
  // the practitioner's screen with the patient: a fever
  const fever = await api(page, 'POST', `/patients/${id}/screen`, { ...CLEAR, fever: true });
  assert.equal(fever.body.level, 'urgent');

  // the patient accepts the invitation on a phone and answers the questions herself
  patient = await openPage(run.browser, `${run.base}#/invite/${inv.body.token}`, PHONE);
  const p = patient.page;
  await p.fill('#in-email', 'ann@example.org');
  await p.fill('#in-password', 'a long patient password');
  await p.fill('#in-password2', 'a long patient password');
  await follow(p, 'button[type="submit"]');
  await goto(p, `${run.base}#/patients/${id}/screen`);
  assert.equal(await answerScreen(p), 'none', 'her own answers are clear');
  await goto(p, `${run.base}#/patients/${id}`);
  const hold = p.locator('.flag-banner .hold[data-flag-id="fever"]');
  await hold.waitFor();
  assert.match(await hold.textContent(), /Raised by Ruth Reed \(clinician\), from the safety answers/);
  assert.match(await hold.textContent(), /Your clinician must review it before self-treatment can start again/);
  assert.equal(await p.locator('.flag-banner form, .flag-banner details.assess').count(), 0, 'no form to lift it');
  assert.equal(await p.getAttribute('.record', 'data-self-care'), 'no');
  await fitsWidth(p, 390);
  await shot(p, 'holds-patient-cannot-lift-phone');
  // the server refuses the patient as well
  const tried = await api(p, 'POST', `/patients/${id}/assessments`, { flag: 'fever', finding: 'I feel fine.' });
  assert.equal(tried.status, 403);
  await goto(p, `${run.base}#/patients/${id}/session`);
  assert.match(await p.textContent('.record-body'), /Guided sessions are stopped/);

  patientDesk = await openPage(run.browser, null, DESKTOP);
  await patientDesk.context.addCookies(await patient.context.cookies());
  await goto(patientDesk.page, `${run.base}#/patients/${id}/plan`);
  await patientDesk.page.locator('.flag-banner .hold[data-flag-id="fever"]').waitFor();
  await shot(patientDesk.page, 'holds-patient-cannot-lift-desktop');
});

test('the practitioner reads who raised it and lifts it with an assessment', async () => {
  const { page } = staff;
  await goto(page, `${run.base}#/patients/${id}`);
  const hold = page.locator('.flag-banner .hold[data-flag-id="fever"]');
  await hold.waitFor();
  assert.match(await hold.textContent(), /Only a clinician can lift it/);
  await hold.locator('summary').click();
  await shot(page, 'holds-staff-assess-desktop');
  // nothing written: refused on the page, nothing sent
  await hold.locator('button[type="submit"]').click();
  assert.match(await hold.locator('.error').textContent(), /Say what you found/);
  await hold.locator('textarea[name="finding"]').fill('Temperature 36.8; no source of infection. The fever was a cold.');
  await page.evaluate(() => { delete document.body.dataset.ready; });
  await hold.locator('button[type="submit"]').click();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('.flag-banner').count(), 0, 'the hold is lifted');
  assert.equal(await page.getAttribute('.record', 'data-self-care'), 'yes');
  const kept = await api(page, 'GET', `/patients/${id}/assessments`);
  assert.equal(kept.body.assessments[0].author_name, 'Ruth Reed');

  const phone = await openPage(run.browser, null, PHONE);
  await phone.context.addCookies(await staff.context.cookies());
  await api(staff.page, 'POST', `/patients/${id}/screen`, { ...CLEAR, 'foot-drop': true });
  await goto(phone.page, `${run.base}#/patients/${id}`);
  await phone.page.locator('.flag-banner .hold[data-flag-id="foot-drop"] summary').click();
  await fitsWidth(phone.page, 390);
  await shot(phone.page, 'holds-staff-assess-phone');
  await api(staff.page, 'POST', `/patients/${id}/assessments`, { flag: 'foot-drop', finding: 'Ankle strength normal on testing.' });
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

// The patient's plan is made, then a newer drawing is kept: the plan is out
// of date until a new one, made in one click.
async function staleThenRenew(page, width, name) {
  await api(page, 'POST', `/patients/${id}/map`, { marks: ['r.buttock.center', 'r.thigh.back.upper'] });
  assert.equal((await api(page, 'POST', `/patients/${id}/plan`, {})).status, 201);
  await api(page, 'POST', `/patients/${id}/map`, { marks: ['r.buttock.center', 'r.thigh.back.upper', 'r.calf.upper'] });
  await goto(page, `${run.base}#/patients/${id}/plan`);
  const box = page.locator('#stale-plan');
  await box.waitFor();
  assert.match(await box.textContent(), /This plan is out of date/);
  assert.match(await box.textContent(), /before the latest drawing/);
  assert.doesNotMatch(await box.textContent(), /safety answers \(/, 'the answers are not newer');
  assert.match(await page.textContent('#home-program'), /Held back/);
  assert.equal(await page.locator('#home-program .home-step').count(), 0, 'no home program from a stale plan');
  assert.ok(await page.locator('#handout').isHidden(), 'no handout from a stale plan');
  await fitsWidth(page, width);
  await shot(page, `holds-stale-plan-${name}`);
  await page.click('#renew-plan');
  await page.waitForSelector('#stale-plan', { state: 'detached' });
  assert.ok((await page.locator('#home-program .home-step').count()) > 0, 'the new plan has its home program');
  assert.ok(await page.locator('#handout').isVisible());
  await shot(page, `holds-renewed-plan-${name}`);
}

test('desktop: a stale plan says why, holds back its program and renews in one click', async () => {
  await staleThenRenew(patientDesk.page, 1280, 'desktop');
});

test('phone: the same, and the session page renews the plan too', async () => {
  const p = patient.page;
  await staleThenRenew(p, 390, 'phone');
  await api(p, 'POST', `/patients/${id}/map`, { marks: ['r.buttock.center'] });
  await goto(p, `${run.base}#/patients/${id}/session`);
  await p.locator('#stale-plan').waitFor();
  assert.equal(await p.locator('#session').count(), 0, 'no session from a stale plan');
  await shot(p, 'holds-stale-session-phone');
  await p.evaluate(() => { delete document.body.dataset.ready; });
  await p.click('#renew-plan');
  await p.waitForSelector('body[data-ready="true"]');
  await p.locator('#session').waitFor();
  assert.equal(await p.locator('#stale-plan').count(), 0);
});
