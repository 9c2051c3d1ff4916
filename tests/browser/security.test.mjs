// The pages that keep a clinic's records safe, in a real browser: the
// Accounts page of an admin (another role, a password reset link used in
// another browser, signing out everywhere, disabling someone who left,
// deleting, withdrawing an invitation) and of the operator made on the
// server; a patient's own page of who has seen their record and the copy
// of it they can take away; an admin erasing a record on request.
// Each page shown is checked with axe-core; screenshots of a desktop and a
// phone-sized screen go to SCREENSHOT_DIR.
//
//   node tests/browser/security.test.mjs TPT SCREENSHOT_DIR
//
// The tests run in order and build on each other. Exits 77 (skipped, for
// meson) when chromium or playwright-core is missing.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, accessible, follow, goto, openPage, ready, start } from './harness.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: security.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

const OWNER = { name: 'Ada Admin', email: 'ada@example.org', password: 'a long admin password' };

let run;
let admin; // the owner's page: an admin of Lakeside
const pages = [];

async function shot(page, name) {
  assert.doesNotMatch(await page.textContent('body'), /\bnull\b|\bundefined\b|\[object |\bNaN\b/, `${name}: words only`);
  await accessible(page, name);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
const hash = (page) => new URL(page.url()).hash;

before(async () => {
  run = await start(tpt);
});

after(async () => {
  try {
    for (const p of pages) assert.deepEqual(p.problems, [], 'no errors on the pages');
  } finally {
    if (run) await run.stop();
  }
});

async function open(url, options = DESKTOP) {
  const p = await openPage(run.browser, url, options);
  pages.push(p);
  return p;
}

// Makes an invitation link on the Accounts page and accepts it in a new browser.
async function inviteColleague(page, name, email, password) {
  await goto(page, `${run.base}#/accounts`);
  await page.selectOption('#invite-role', 'practitioner');
  await page.fill('#invite-name', name);
  await page.fill('#invite-email', email);
  await page.click('#invite-form button[type="submit"]');
  const link = await page.locator('#invitation .copy-text').inputValue();
  const other = await open(link);
  await other.page.fill('#in-password', password);
  await other.page.fill('#in-password2', password);
  await follow(other.page, 'button[type="submit"]');
  assert.equal(hash(other.page), '#/patients');
  return other;
}

let colleague; // Pat, a practitioner of Lakeside

test('an admin changes a role, issues a reset link, and the colleague chooses a new password', async () => {
  admin = await open(run.base);
  const { page } = admin;
  await page.fill('#in-name', OWNER.name);
  await page.fill('#in-email', OWNER.email);
  await page.fill('#in-password', OWNER.password);
  await page.fill('#in-password2', OWNER.password);
  await page.fill('#in-clinic', 'Lakeside Clinic');
  await follow(page, 'button[type="submit"]');
  colleague = await inviteColleague(page, 'Pat Practitioner', 'pat@example.org', 'pat first password');

  await goto(page, `${run.base}#/accounts`);
  const row = page.locator('#users tr', { hasText: 'Pat Practitioner' });
  assert.match(await row.textContent(), /Active/);
  await row.locator('select').selectOption('admin');
  await page.waitForSelector('#accounts-message:not([hidden])');
  assert.match(await page.textContent('#accounts-message'), /Changed the role of Pat/);
  await row.locator('select').selectOption('practitioner');
  await page.waitForSelector('#accounts-message:has-text("Changed the role")');

  // one's own row offers no reset link: one's own password changes with the current one
  const mine = page.locator('#users tr', { hasText: '(you)' });
  assert.equal(await mine.locator('[data-action="reset"]').count(), 0);
  await row.locator('[data-action="reset"]').click();
  await page.waitForSelector('#account-link .copy-text');
  const link = await page.locator('#account-link .copy-text').inputValue();
  assert.match(link, /\/#\/reset\/[0-9a-f]{64}$/);
  await shot(page, 'accounts-admin-desktop');

  const fresh = await open(link);
  assert.match(await fresh.page.textContent('h1'), /Choose a new password/);
  assert.match(await fresh.page.textContent('.lead'), /pat@example\.org/);
  await fresh.page.fill('#in-password', 'pat second password');
  await fresh.page.fill('#in-password2', 'pat second password');
  await shot(fresh.page, 'reset-desktop');
  await follow(fresh.page, 'button[type="submit"]');
  assert.equal(hash(fresh.page), '#/patients');

  // the first browser's session ended when the link was used
  await goto(colleague.page, `${run.base}#/patients`);
  assert.match(hash(colleague.page), /#\/sign-in/);
  colleague = fresh;

  // the link worked once; the page says so, in German too
  const again = await open(link);
  assert.match(await again.page.textContent('.error'), /cannot be used/);
  await shot(again.page, 'reset-spent-desktop');
  const german = await open(link, { ...DESKTOP, locale: 'de-DE' });
  assert.equal(await german.page.getAttribute('html', 'lang'), 'de');
  assert.match(await german.page.textContent('.error'), /Dieser Link kann nicht benutzt werden/);
  assert.match(await german.page.textContent('main'), /wenn Sie Ihr Passwort kennen/);
  await shot(german.page, 'reset-spent-de-desktop');
});

test('someone who leaves is disabled and loses access at once; an invitation is withdrawn', async () => {
  const { page } = admin;
  await goto(page, `${run.base}#/accounts`);
  const row = page.locator('#users tr', { hasText: 'Pat Practitioner' });
  await row.locator('[data-action="disable"]').click();
  await page.waitForSelector('dialog.confirm');
  await shot(page, 'accounts-disable-confirm');
  await page.click('#confirm-yes');
  await page.waitForSelector('#users tr[data-status="disabled"]');
  assert.match(await page.textContent('#accounts-message'), /disabled/);

  await goto(colleague.page, `${run.base}#/patients`);
  assert.match(hash(colleague.page), /#\/sign-in/);
  await colleague.page.fill('#in-email', 'pat@example.org');
  await colleague.page.fill('#in-password', 'pat second password');
  await colleague.page.click('button[type="submit"]');
  await colleague.page.waitForSelector('.form .error:not([hidden])');
  assert.match(await colleague.page.textContent('.form .error'), /disabled/);

  // an invitation made by mistake, withdrawn before it is used
  await page.selectOption('#invite-role', 'practitioner');
  await page.fill('#invite-name', 'Wrong Person');
  await page.click('#invite-form button[type="submit"]');
  const link = await page.locator('#invitation .copy-text').inputValue();
  await page.waitForSelector('#invitations tr[data-invitation-id]');
  await page.locator('#invitations tr', { hasText: 'Wrong Person' }).locator('[data-action="withdraw"]').click();
  await page.waitForSelector('#accounts-message:has-text("withdrawn")');
  // the list is drawn again after the message shows
  await page.waitForSelector('#invitations-box:has-text("No invitation is waiting")');
  const late = await open(link);
  assert.match(await late.page.textContent('.error'), /cannot be used|has already been used/);

  await page.locator('#users tr', { hasText: 'Pat Practitioner' }).locator('[data-action="delete"]').click();
  await page.click('#confirm-yes');
  await page.waitForSelector('#users tr[data-status="deleted"]');
  const phone = await open(`${run.base}#/sign-in`, PHONE);
  await phone.page.fill('#in-email', OWNER.email);
  await phone.page.fill('#in-password', OWNER.password);
  await follow(phone.page, 'button[type="submit"]');
  await goto(phone.page, `${run.base}#/accounts`);
  await shot(phone.page, 'accounts-admin-phone');
});

let patientPage; // Nora, a patient of Lakeside, signed in
let record; // her record's number

test('a patient sees who has seen their record, and takes a copy of it', async () => {
  const { page } = admin;
  await goto(page, `${run.base}#/patients`);
  await page.fill('#new-patient-name', 'Nora Nilsson');
  await follow(page, '#new-patient button[type="submit"]');
  record = hash(page).split('/').pop();
  await page.click('.invite button[type="submit"]');
  const link = await page.locator('.invite .copy-text').inputValue();
  patientPage = await open(link);
  await patientPage.page.fill('#in-email', 'nora@example.org');
  await patientPage.page.fill('#in-password', 'nora long password');
  await patientPage.page.fill('#in-password2', 'nora long password');
  await follow(patientPage.page, 'button[type="submit"]');
  // the admin reads her report: it shows on her page
  await goto(page, `${run.base}#/patients/${record}/report`);
  const p = patientPage.page;
  await goto(p, `${run.base}#/patients/${record}/privacy`);
  assert.match(await p.textContent('h1'), /Privacy/);
  const rows = p.locator('#seen tbody tr');
  assert.ok(await rows.count() >= 2);
  assert.match(await p.textContent('#seen'), /Ada Admin \(administrator\)/);
  assert.match(await p.textContent('#seen'), /read the report/);
  assert.doesNotMatch(await p.textContent('#seen'), /ada@example\.org/, 'no staff email');
  for (const id of ['copy-fhir', 'copy-log', 'copy-sessions']) {
    assert.ok(await p.locator(`#${id}`).isVisible(), `the patient's copy: ${id}`);
  }
  const download = p.waitForEvent('download');
  await p.click('#copy-fhir');
  const file = await download;
  assert.match(file.suggestedFilename(), /fhir\.json$/);
  await shot(p, 'privacy-patient-desktop');
  const phone = await open(`${run.base}#/sign-in`, PHONE);
  await phone.page.fill('#in-email', 'nora@example.org');
  await phone.page.fill('#in-password', 'nora long password');
  await follow(phone.page, 'button[type="submit"]');
  await goto(phone.page, `${run.base}#/patients/${record}/privacy`);
  await shot(phone.page, 'privacy-patient-phone');
});

test('the admin erases the record when its patient asks', async () => {
  const { page } = admin;
  await goto(page, `${run.base}#/patients/${record}/privacy`);
  assert.ok(await page.locator('#erase').isVisible(), 'the admin may erase');
  await page.click('#erase');
  await page.waitForSelector('dialog.confirm');
  await shot(page, 'erase-confirm-desktop');
  await page.evaluate(() => { delete document.body.dataset.ready; });
  await page.click('#confirm-yes');
  await ready(page);
  assert.equal(hash(page), '#/patients?erased=1');
  assert.match(await page.textContent('#erased'), /erased/);
  assert.equal(await page.locator(`#patient-results li[data-patient="${record}"]`).count(), 0);
  // the patient's own page is gone with the account
  await goto(patientPage.page, `${run.base}#/patients/${record}`);
  assert.match(hash(patientPage.page), /#\/sign-in/);
});

test('the operator made on the server manages every clinic, and opens no record', async () => {
  const out = execFileSync(tpt, ['operator', 'add', 'ops@example.org', '--name', 'Olu Operator',
    '--url', run.base.replace(/\/$/, ''), '--db', run.db], { encoding: 'utf8' });
  const link = out.match(/(http\S+\/#\/reset\/[0-9a-f]{64})/)[1];
  const op = await open(link);
  const { page } = op;
  await page.fill('#in-password', 'operator password 1');
  await page.fill('#in-password2', 'operator password 1');
  await follow(page, 'button[type="submit"]');
  assert.equal(hash(page), '#/accounts');
  assert.match(await page.textContent('#who'), /Olu Operator · operator/);
  for (const link of ['Accounts', 'Clinics', 'Audit log']) {
    assert.ok(await page.locator('#nav a', { hasText: link }).isVisible(), `the operator's ${link}`);
  }
  assert.equal(await page.locator('#nav a', { hasText: 'Patients' }).count(), 0, 'no patients list');
  await goto(page, `${run.base}#/clinics`);
  await page.fill('#clinic-name', 'Hilltop Clinic');
  await page.click('form.inline-form button[type="submit"]');
  await page.waitForSelector('#clinics li:has-text("Hilltop Clinic")');
  await goto(page, `${run.base}#/accounts`);
  assert.ok(await page.locator('#invite-clinic').isVisible(), 'the operator says which clinic');
  await page.selectOption('#invite-clinic', { label: 'Hilltop Clinic' });
  await page.selectOption('#invite-role', 'admin');
  await page.fill('#invite-name', 'Hugo Hilltop');
  await page.click('#invite-form button[type="submit"]');
  await page.waitForSelector('#invitation .copy-text');
  await page.waitForSelector('#invitations tr:has-text("Hugo Hilltop")');
  assert.match(await page.textContent('#invitations'), /Hilltop Clinic/);
  await shot(page, 'accounts-operator-desktop');
  await goto(page, `${run.base}#/patients`);
  assert.match(await page.textContent('h1'), /Not for this account/);
});
