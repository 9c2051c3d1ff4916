// The clinic's pages of a record in a real browser, as a practitioner uses
// them: a patient's details and consent, archiving, the intake visit in SOAP
// form (history, the drawing on the chart, a straight leg raise, palpation,
// the engine's answer before and after the findings, the treatments on the
// chart), saving, signing, the locked note and its amendment, a follow-up;
// a record with a red flag, whose visit offers no stretches or home program;
// a patient's account, which sees no visits. Screenshots of a desktop and a
// phone-sized screen go to SCREENSHOT_DIR.
//
//   node tests/browser/clinic.test.mjs TPT SCREENSHOT_DIR
//
// The tests run in order and build on each other (one server, one patient).
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESKTOP, PHONE, accessible, answerScreen, chooseKind, clickRegion, fitsWidth, follow, goto, openPage, ready, start,
} from './harness.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: clinic.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

const OWNER = { name: 'Hana Healer', email: 'hana@example.org', password: 'a long clinic password' };
// where the patient feels it: the middle of the right buttock and down the
// back of the thigh, which the drawing alone puts down to gluteus minimus
const DRAWING = ['r.buttock.center', 'r.thigh.back.upper', 'r.thigh.back.lower'];

let run;
let owner; // the practitioner's page, signed in, used by every test
let patient; // the record's number

// A screenshot, after checking that the page shows no program's words
// where a person's should be. A whole desktop page is taken through a
// window as tall as the page, so that what sticks to the window's edges (a
// visit's chart, its save bar) stands where it would at the top and end.
async function shot(page, name, fullPage = true) {
  assert.doesNotMatch(await page.textContent('body'), /\bnull\b|\bundefined\b|\[object |\bNaN\b/, `${name}: words only`);
  const size = page.viewportSize();
  if (!fullPage || size.width < 600) {
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
    return;
  }
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height });
  await page.screenshot({ path: join(shots, `${name}.png`) });
  await page.setViewportSize(size);
}

// Screenshots of a phone's screen at each part of a visit, as it is seen
// scrolling down (a whole page would leave the save bar in its middle).
async function phoneShots(page, name) {
  assert.doesNotMatch(await page.textContent('body'), /\bnull\b|\bundefined\b|\[object |\bNaN\b/, `${name}: words only`);
  for (const part of ['top', 'soap-s', 'soap-o', 'visit-chart', 'soap-a', 'soap-p', 'amendments']) {
    if (part === 'top') await page.evaluate(() => window.scrollTo(0, 0));
    else if (await page.locator(`#${part}`).count()) await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'start' }), part);
    else continue;
    await page.screenshot({ path: join(shots, `${name}-${part}.png`) });
  }
}
const hash = (page) => new URL(page.url()).hash;

before(async () => {
  run = await start(tpt);
});

after(async () => {
  try {
    if (owner) assert.deepEqual(owner.problems, [], 'no errors on the practitioner\'s page');
  } finally {
    if (run) await run.stop();
  }
});

async function signIn(page) {
  await goto(page, `${run.base}#/sign-in`);
  await page.fill('#in-email', OWNER.email);
  await page.fill('#in-password', OWNER.password);
  await follow(page, 'button[type="submit"]');
}

// Saves the visit form and waits for the answer.
async function save(page) {
  await page.click('#save-visit');
  await page.waitForSelector('#save-state[data-state="saved"]');
}

test('the practitioner makes a patient and records the details and consent', async () => {
  owner = await openPage(run.browser, run.base, DESKTOP);
  const { page } = owner;
  await page.fill('#in-name', OWNER.name);
  await page.fill('#in-email', OWNER.email);
  await page.fill('#in-password', OWNER.password);
  await page.fill('#in-password2', OWNER.password);
  await page.fill('#in-clinic', 'Riverside Trigger Point Clinic');
  await follow(page, 'button[type="submit"]');
  assert.equal(hash(page), '#/patients');

  await page.fill('#new-patient-name', 'Sara Sitwell');
  await follow(page, '#new-patient button[type="submit"]');
  patient = hash(page).split('/').pop();
  const details = page.locator('#details');
  assert.ok(await details.isVisible(), 'the details are on the overview');
  assert.match(await page.textContent('#detail-consent'), /Not recorded/);
  assert.equal(await page.locator('.record-nav a', { hasText: 'Visits' }).count(), 1, 'a Visits tab for staff');

  await page.click('#edit-details');
  await page.fill('#detail-in-birth_year', '1850');
  await page.fill('#detail-in-contact', '+44 7700 900123');
  await page.click('#details-form button[type="submit"]');
  assert.match(await page.textContent('#details-form .error'), /birth year is a year from 1900/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'detail-in-birth_year', 'the bad field has the focus');
  assert.equal(await page.getAttribute('#detail-in-birth_year', 'aria-invalid'), 'true');
  await page.fill('#detail-in-birth_year', '1978');
  await page.fill('#detail-in-planned_visits', '60');
  await page.click('#details-form button[type="submit"]');
  assert.match(await page.textContent('#details-form .error'), /1 to 50/);
  await page.fill('#detail-in-planned_visits', '8');
  await page.check('#detail-in-consented');
  assert.match(await page.inputValue('#detail-in-consent'), /^\d{4}-\d\d-\d\d$/, 'ticking consent dates it today');
  await page.fill('#detail-in-consent', '2026-01-15');
  await shot(page, 'clinic-details-edit-desktop');
  await page.click('#details-form button[type="submit"]');
  await page.waitForSelector('#details-saved');
  assert.match(await page.textContent('#detail-born'), /1978/);
  assert.match(await page.textContent('#detail-contact'), /7700 900123/);
  assert.match(await page.textContent('#detail-consent'), /Given, recorded for .*2026/);
  assert.match(await page.textContent('#detail-course'), /8 visits planned; 0 so far/);
  await shot(page, 'clinic-details-desktop');

  // archiving asks first, leaves the list, and is undone from the record
  await page.click('#archive');
  await page.waitForSelector('dialog.confirm[open]');
  await page.click('#confirm-yes');
  await page.waitForSelector('#details[data-archived="yes"]');
  assert.match(await page.textContent('#details .archived'), /Archived on/);
  await goto(page, `${run.base}#/patients`);
  assert.equal(await page.locator(`#patient-results li[data-patient="${patient}"]`).count(), 0, 'an archived record leaves the list');
  // and is found again among the archived records, whence it is restored
  await follow(page, '#to-archived');
  await page.waitForSelector(`#patient-results li[data-patient="${patient}"]`);
  assert.match(await page.textContent(`#patient-results li[data-patient="${patient}"]`), /Sara Sitwell\s*archived/);
  await shot(page, 'clinic-archived-desktop');
  await follow(page, `#patient-results li[data-patient="${patient}"] a`);
  await page.click('#restore');
  await page.waitForSelector('#details[data-archived="no"]');
  await goto(page, `${run.base}#/patients`);
  assert.equal(await page.locator(`#patient-results li[data-patient="${patient}"]`).count(), 1, 'restored, it is back');
});

test('the intake: history, drawing, examination, palpation, and the engine before and after', async () => {
  const { page } = owner;
  await goto(page, `${run.base}#/patients/${patient}/visits`);
  assert.ok(await page.locator('#no-visits').isVisible());
  assert.match(await page.textContent('#course'), /0 of 8 planned visits/);
  await follow(page, '#new-intake');
  assert.match(await page.textContent('h1'), /New intake/);
  await page.waitForSelector('.map-page[data-ready="true"]');
  assert.equal(await page.locator('#consent-missing').count(), 0, 'consent is recorded');

  // S: what the patient tells
  await page.selectOption('[data-field="subjective.leg_pain"]', '7');
  await page.selectOption('[data-field="subjective.back_pain"]', '4');
  await page.fill('[data-field="subjective.history.onset"]', 'March, after a long-haul flight');
  await page.fill('[data-field="subjective.history.duration_weeks"]', '10');
  await page.fill('[data-field="subjective.history.how_started"]', 'A deep ache in the right buttock after 14 hours of sitting; it spread down the back of the thigh.');
  await page.fill('[data-field="subjective.history.aggravating"]', 'Sitting more than 20 minutes, driving');
  await page.fill('[data-field="subjective.history.easing"]', 'Walking, a hot bath');
  await page.check('[data-perpetuating="long-sitting"]');
  await page.check('[data-perpetuating="posture"]');
  await page.fill('[data-field="subjective.history.work"]', 'Accountant');
  await page.fill('[data-field="subjective.history.sitting_hours"]', '30');
  await page.fill('[data-field="subjective.history.prior_treatments"]', 'Ibuprofen, two sessions of massage: a day of relief each');

  // O: the drawing, a clicked chart
  await chooseKind(page, 'ache');
  await page.locator('#intensity').fill('7');
  for (const id of DRAWING) await clickRegion(page, id);
  assert.equal(await page.locator('#marked-list .chip').count(), DRAWING.length);
  assert.equal(await page.getAttribute('#view-back path[data-region="r.buttock.center"]', 'data-kind'), 'ache');

  // a bad number goes to the server, which names the field; the form shows it there
  await page.click('#save-visit');
  await page.waitForSelector('#visit-error:not([hidden])');
  assert.match(await page.textContent('#visit-error'), /Hours sitting a day: must be a number from 0 to 24/);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.field), 'subjective.history.sitting_hours');
  assert.equal(await page.getAttribute('[data-field="subjective.history.sitting_hours"]', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#save-state', 'data-state'), 'new', 'nothing kept');
  await page.fill('[data-field="subjective.history.sitting_hours"]', '9');

  // the drawing alone first
  await save(page);
  assert.match(hash(page), new RegExp(`^#/patients/${patient}/visits/1$`), 'the address is the kept visit\'s');
  assert.match(await page.textContent('h1'), /Visit 1: intake/);
  const drawingOnly = await page.$$eval('#rank-drawing .rank-item', (xs) => xs.map((x) => x.dataset.cause));
  assert.equal(drawingOnly[0], 'tp:gluteus-minimus-posterior', 'the drawing alone: gluteus minimus first');
  assert.equal(await page.textContent('#rank-drawing .hint strong'), 'muscle trigger points', 'the pattern in words, not its code');
  assert.match(await page.textContent('#assessment-result'), /both answers are the same/);

  // the examination and palpation
  await page.selectOption('select[data-test="slr"][data-side="r"]', 'slr');
  await page.selectOption('#palp-muscle', 'piriformis');
  await page.selectOption('#palp-side', 'r');
  await page.click('#add-palpation');
  const row = page.locator('#palpation .row[data-muscle="piriformis"][data-side="r"]');
  await row.locator('[data-check="tender"]').check();
  assert.ok(await row.locator('.tag-evidence').isHidden(), 'tender alone is not evidence');
  assert.equal(await page.locator('#view-back g.ov-palpated[data-region="r.buttock.center"]').count(), 1,
    'the palpated trigger point is marked where it lies');
  await row.locator('[data-check="reproduces"]').check();
  await row.locator('[data-check="taut_band"]').check();
  assert.ok(await row.locator('.tag-evidence').isVisible(), 'tender and reproducing: evidence');
  assert.equal(await page.locator('#view-back g.ov-evidence[data-region="r.buttock.center"]').count(), 1);
  assert.ok(await page.locator('#assessment-stale').isVisible(), 'the answer shown is older than the findings');
  await page.fill('[data-field="assessment.own_words"]', 'Piriformis trigger point on the right, reproducing her buttock and thigh pain; SLR positive at 60 degrees, reflexes normal.');
  await save(page);
  assert.ok(await page.locator('#assessment-stale').isHidden());

  const piri = page.locator('#rank-findings .rank-item[data-cause="tp:piriformis"][data-side="r"]');
  assert.equal(await piri.getAttribute('data-rank'), '1', 'with the findings, piriformis comes first');
  assert.equal(await piri.getAttribute('data-moved'), 'up');
  assert.match(await piri.locator('.move').textContent(), /up from place 5/);
  assert.equal(await page.getAttribute('#rank-drawing .rank-item[data-cause="tp:piriformis"]', 'data-rank'), '5');
  // what each finding did, by how much
  const effects = await page.$$eval('#assessment-result .finding-effects li', (xs) => xs.map((x) => x.textContent));
  assert.deepEqual(effects, [
    'Straight leg raise on the right: L5 nerve root ×2, S1 nerve root ×2, Piriformis ×1.5, L4 nerve root ×1.3',
    'a tender spot that reproduces the pain in Piriformis on the right: Piriformis ×10',
  ]);
  assert.match(await page.textContent('#assessment-result .weighed'), /Straight leg raise, right.*Piriformis, right tender/);
  assert.match(await page.textContent('#soap-a .notice'), /not a diagnosis/);
});

test('the intake: what was done, on the chart; saved, signed and locked; an amendment', async () => {
  const { page } = owner;
  // P: compression from the palpated muscle, needling with a count
  await page.click('#plan-compression .chip-add[data-add="piriformis:r"]');
  await page.click('#plan-needling .chip-add[data-add="piriformis:r"]');
  await page.fill('[data-field="plan.needling[0].count"]', '2');
  await page.selectOption('#acupoint-point', 'GB30');
  await page.click('#add-acupoint');
  // cupping picked on the chart
  await page.click('#pick-cupping');
  assert.ok(await page.locator('#tool-cupping').isChecked());
  assert.ok(await page.locator('.chooser').isHidden(), 'no symptom chooser while picking an area');
  await clickRegion(page, 'r.buttock.upper');
  assert.equal(await page.locator('#plan-cupping .chip[data-region="r.buttock.upper"]').count(), 1);
  assert.equal(await page.locator('#view-back path[data-region="r.buttock.upper"][data-kind]').count(), 0,
    'picking an area leaves the drawing as it was');
  await page.click('label[for="tool-draw"]');
  await page.fill('[data-field="plan.heat_minutes"]', '10');
  assert.equal(await page.locator('#stretches [data-stretch="piriformis-figure-four"]').count(), 1);
  await page.check('#stretches [data-stretch="piriformis-figure-four"]');
  await page.check('#v-home-program');
  await page.fill('[data-field="plan.notes"]', 'Next visit in a week; sit on a cushion with breaks every 30 minutes.');
  await save(page);

  for (const kind of ['evidence', 'compression', 'needling', 'acupoint']) {
    assert.equal(await page.locator(`#view-back g.ov-${kind}[data-region="r.buttock.center"]`).count(), 1, `${kind} on the chart`);
  }
  assert.equal(await page.locator('#view-back g.ov-cupping[data-region="r.buttock.upper"]').count(), 1, 'cupping on the chart');
  for (const kind of ['evidence', 'compression', 'needling', 'acupoint', 'cupping', 'heat']) {
    assert.equal(await page.locator(`#legend-overlay li[data-legend="${kind}"]`).count(), 1, `the legend has ${kind}`);
  }
  assert.match(await page.textContent('#legend-overlay li[data-legend="needling"]'), /Piriformis, right ×2/);
  await shot(page, 'clinic-intake-desktop');
  await page.screenshot({ path: join(shots, 'clinic-intake-chart-desktop.png') });

  // signing asks, says what it means, and can be cancelled
  await page.click('#sign-visit');
  await page.waitForSelector('dialog.confirm[open]');
  assert.match(await page.textContent('dialog.confirm'), /A signed note cannot be changed/);
  await shot(page, 'clinic-sign-desktop', false);
  await page.click('#confirm-no');
  assert.equal(await page.locator('#visit-form').count(), 1, 'cancelled: still the draft');
  await page.click('#sign-visit');
  await page.evaluate(() => { delete document.body.dataset.ready; });
  await page.click('#confirm-yes');
  await ready(page);
  await page.waitForSelector('#visit-status[data-signed="true"]');
  assert.equal(await page.locator('#visit-form').count(), 0, 'no form once signed');
  assert.equal(await page.locator('#soap-s input, #soap-s select, #soap-s textarea, #soap-o input, #soap-p input').count(), 0,
    'nothing to change');
  assert.ok(await page.locator('.map-page.read-only').isVisible(), 'the chart only shows');
  assert.match(await page.textContent('#visit-status'), /Signed .* by Hana Healer \(you\)/);
  // the visit's drawing reached the patient's own record; the home program
  // waits for the patient's safety questions
  assert.match(await page.textContent('#record-reached'), /drawing is in the patient's own record.*safety questions/);
  assert.match(await page.textContent('#soap-s'), /Long sitting/);
  assert.match(await page.textContent('#soap-p'), /Piriformis, right: 2 needles/);
  assert.match(await page.textContent('#soap-p'), /Figure-four stretch/);
  assert.equal(await page.getAttribute('#rank-findings .rank-item[data-cause="tp:piriformis"]', 'data-rank'), '1');
  assert.equal(await page.locator('#view-back g.ov-cupping[data-region="r.buttock.upper"]').count(), 1);
  // a click on the chart changes nothing
  await page.locator('#view-back path[data-region="r.calf.upper"]').click({ force: true });
  assert.equal(await page.getAttribute('#view-back path[data-region="r.calf.upper"]', 'data-kind'), null);

  await page.click('#go-amend');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'amendment-text');
  await page.click('#amend-form button[type="submit"]');
  assert.match(await page.textContent('#amend-form .error'), /Write the amendment first/);
  await page.fill('#amendment-text', 'SLR was positive at 50 degrees, not 60.');
  await page.click('#amend-form button[type="submit"]');
  await page.waitForSelector('#amendment-list li[data-amendment]');
  assert.match(await page.textContent('#amendment-list'), /Hana Healer \(you\)/);
  assert.match(await page.textContent('#amendment-list'), /50 degrees, not 60/);
  await shot(page, 'clinic-signed-desktop');

  // the amendment is kept: a fresh load shows it
  await goto(page, `${run.base}#/patients/${patient}/visits/1`);
  assert.match(await page.textContent('#amendment-list'), /50 degrees, not 60/);
});

test('a follow-up: new pain scores against the last visit, the drawing carried over', async () => {
  const { page } = owner;
  await goto(page, `${run.base}#/patients/${patient}/visits`);
  assert.equal(await page.getAttribute('#visits li[data-visit="1"]', 'data-status'), 'signed');
  await follow(page, '#new-follow-up');
  assert.match(await page.textContent('h1'), /New follow-up/);
  await page.waitForSelector('.map-page[data-ready="true"]');
  assert.match(await page.textContent('#previous-pain'), /At visit 1 .*: leg 7, back 4/);
  assert.equal(await page.locator('[data-field="subjective.history.onset"]').count(), 0, 'the history is the intake\'s');
  await page.selectOption('[data-field="subjective.leg_pain"]', '4');
  await page.selectOption('[data-field="subjective.back_pain"]', '2');
  await page.fill('[data-field="subjective.changes"]', 'Sits for 45 minutes now; stretches done daily; no tingling.');
  await page.click('#copy-drawing');
  assert.equal(await page.locator('#marked-list .chip').count(), DRAWING.length, 'the drawing of visit 1');
  await save(page);
  assert.match(hash(page), /\/visits\/2$/);
  await goto(page, `${run.base}#/patients/${patient}/visits`);
  assert.equal(await page.getAttribute('#visits li[data-visit="2"]', 'data-status'), 'draft');
  assert.match(await page.textContent('#course'), /2 of 8 planned visits/);
  await shot(page, 'clinic-visits-desktop');
});

test('on a phone: the visits, a draft with its chart in the note, and the signed intake', async () => {
  const phone = await openPage(run.browser, null, PHONE);
  const { page } = phone;
  await signIn(page);
  await goto(page, `${run.base}#/patients/${patient}/visits`);
  await fitsWidth(page, 390);
  await shot(page, 'clinic-visits-phone');

  await goto(page, `${run.base}#/patients/${patient}/visits/2`);
  await page.waitForSelector('.map-page[data-ready="true"]');
  assert.ok(await page.locator('#soap-o #visit-chart').isVisible(), 'the chart is inside Objective');
  for (const part of ['#soap-s', '#soap-p', '#visit-chart']) {
    const box = await page.locator(part).boundingBox();
    assert.ok(box.width > 330, `${part} takes the phone's width (${box.width}px)`);
  }
  assert.ok(await page.locator('#tabs').isVisible(), 'one view at a time');
  await page.selectOption('#palp-muscle', 'gluteus-medius');
  await page.selectOption('#palp-side', 'r');
  await page.click('#add-palpation');
  await page.locator('#palpation .row[data-muscle="gluteus-medius"] [data-check="tender"]').check();
  await page.click('#plan-needling .chip-add[data-add="gluteus-medius:r"]');
  await page.fill('[data-field="plan.needling[0].count"]', '0');
  await page.click('#save-visit');
  await page.waitForSelector('#visit-error:not([hidden])');
  assert.match(await page.textContent('#visit-error'), /Dry needling, needles \(row 1\): must be a whole number from 1 to 50/);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.field), 'plan.needling[0].count');
  await page.fill('[data-field="plan.needling[0].count"]', '1');
  await save(page);
  await page.click('#tab-back');
  assert.ok(await page.locator('#view-back g.ov-palpated[data-region="r.buttock.upper"]').first().isVisible());
  await fitsWidth(page, 390);
  await phoneShots(page, 'clinic-followup-phone');

  await goto(page, `${run.base}#/patients/${patient}/visits/1`);
  await page.waitForSelector('#visit-status[data-signed="true"]');
  await fitsWidth(page, 390);
  for (const part of ['#soap-s', '#soap-p', '#visit-chart']) {
    const box = await page.locator(part).boundingBox();
    assert.ok(box.width > 330, `${part} takes the phone's width (${box.width}px)`);
  }
  await phoneShots(page, 'clinic-signed-phone');
  await goto(page, `${run.base}#/patients/${patient}`);
  await fitsWidth(page, 390);
  await shot(page, 'clinic-overview-phone');
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

// an ache from the buttock down the back of the thigh and calf: a trigger
// point first, an S1 root close behind
const ROOT_DRAWING = [['ache', ['r.buttock.center', 'r.thigh.back.upper', 'r.calf.upper']]];

test('the tests found normal: a negative straight leg raise and normal reflexes weigh against the root, and stay in the note', async () => {
  const { page } = owner;
  await page.setViewportSize({ width: 1280, height: 800 });
  await goto(page, `${run.base}#/patients`);
  await page.fill('#new-patient-name', 'Nia Normal');
  await follow(page, '#new-patient button[type="submit"]');
  const nia = hash(page).split('/').pop();
  await goto(page, `${run.base}#/patients/${nia}/visits/new?kind=intake`);
  await page.waitForSelector('.map-page[data-ready="true"]');
  for (const [kind, ids] of ROOT_DRAWING) {
    await chooseKind(page, kind);
    for (const id of ids) await clickRegion(page, id);
  }
  // one choice per test and side: a test cannot be both positive and negative
  const slr = 'select[data-test="slr"][data-side="r"]';
  assert.deepEqual(await page.$$eval(`${slr} option`, (os) => os.map((o) => o.textContent)), ['not tested', 'positive', 'negative']);
  // a weak movement makes the side's strength weak; normal strength clears it
  await page.check('[data-finding="weak-knee-extension"][data-side="l"]');
  assert.equal(await page.inputValue('select[data-test="strength"][data-side="l"]'), 'weak');
  await page.selectOption('select[data-test="strength"][data-side="l"]', 'strength-normal');
  assert.equal(await page.isChecked('[data-finding="weak-knee-extension"][data-side="l"]'), false);
  // weak without a movement ticked is refused before it is sent
  await page.selectOption('select[data-test="strength"][data-side="l"]', 'weak');
  await page.click('#save-visit');
  await page.waitForSelector('#visit-error:not([hidden])');
  assert.match(await page.textContent('#visit-error'), /Examination findings: tick which movement is weak on the left/);
  await page.selectOption('select[data-test="strength"][data-side="l"]', '');
  await save(page);
  const percentOf = async (column) => parseFloat(await page.textContent(`${column} .rank-item[data-cause="root:S1"][data-side="r"] .prob`));
  const rootAlone = await percentOf('#rank-drawing');
  assert.ok(rootAlone > 0, 'the drawing alone ranks the S1 root');

  await page.selectOption(slr, 'slr-negative');
  await page.selectOption('select[data-test="knee-reflex"][data-side="r"]', 'knee-reflex-normal');
  await page.selectOption('select[data-test="ankle-reflex"][data-side="r"]', 'ankle-reflex-normal');
  await save(page);
  const root = page.locator('#rank-findings .rank-item[data-cause="root:S1"][data-side="r"]');
  if (await root.count()) {
    const rootNow = await percentOf('#rank-findings');
    assert.ok(rootNow < rootAlone, `the S1 root falls with the tests found normal (${rootAlone}% -> ${rootNow}%)`);
  }
  const effects = await page.$$eval('#assessment-result .finding-effects li', (xs) => xs.map((x) => x.textContent));
  assert.ok(effects.some((e) => /^Straight leg raise negative on the right: .*S1 nerve root ×0\.4/.test(e)), effects.join('\n'));
  assert.ok(effects.some((e) => /^Ankle reflex normal on the right: .*S1 nerve root ×0\.6/.test(e)), effects.join('\n'));
  assert.ok(await page.locator('[data-note="normal-findings"]').isVisible(), 'how tests found normal count together');
  assert.match(await page.textContent('#assessment-result .weighed'), /Straight leg raise negative, right; Knee reflex normal, right; Ankle reflex normal, right/);
  await accessible(page, 'the visit form with tests found normal, 1280x800');
  await page.locator('#soap-o').screenshot({ path: join(shots, 'clinic-exam-normal-desktop.png') });

  await page.click('#sign-visit');
  await page.waitForSelector('dialog.confirm[open]');
  await page.evaluate(() => { delete document.body.dataset.ready; });
  await page.click('#confirm-yes');
  await ready(page);
  await page.waitForSelector('#visit-status[data-signed="true"]');
  const objective = await page.textContent('#soap-o');
  assert.match(objective, /Found normal\s*Straight leg raise negative, right.*Knee reflex normal, right.*Ankle reflex normal, right/s);
  assert.doesNotMatch(objective, /Examination\s*Straight leg raise negative/, 'not listed as a positive finding');
  assert.ok(await page.locator('#rank-findings').isVisible(), 'the signed note keeps the ranking with them');
  await accessible(page, 'the signed note with tests found normal, 1280x800');
  await page.setViewportSize(DESKTOP.viewport);

  const phone = await openPage(run.browser, null, PHONE);
  await signIn(phone.page);
  await goto(phone.page, `${run.base}#/patients/${nia}/visits/1`);
  await phone.page.waitForSelector('#visit-status[data-signed="true"]');
  await fitsWidth(phone.page, 390);
  await accessible(phone.page, 'the signed note with tests found normal, 390x844');
  await phoneShots(phone.page, 'clinic-exam-normal-signed-phone');
  await goto(phone.page, `${run.base}#/patients/${nia}/visits/new?kind=follow-up`);
  await phone.page.waitForSelector('.map-page[data-ready="true"]');
  await phone.page.selectOption('select[data-test="slr"][data-side="l"]', 'slr-negative');
  await fitsWidth(phone.page, 390);
  await accessible(phone.page, 'the visit form, 390x844');
  await phone.page.evaluate(() => document.getElementById('soap-o').scrollIntoView({ block: 'start' }));
  await phone.page.locator('table.exam').screenshot({ path: join(shots, 'clinic-exam-normal-phone.png') });
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

test('a red flag in the record: the visit offers no stretches or home program', async () => {
  const { page } = owner;
  await goto(page, `${run.base}#/patients`);
  await page.fill('#new-patient-name', 'Ezra Emergency');
  await follow(page, '#new-patient button[type="submit"]');
  const ezra = hash(page).split('/').pop();
  await goto(page, `${run.base}#/patients/${ezra}/screen`);
  assert.equal(await answerScreen(page, { 'saddle-numbness': true }), 'emergency');

  await goto(page, `${run.base}#/patients/${ezra}/visits/new?kind=intake`);
  await page.waitForSelector('.map-page[data-ready="true"]');
  assert.ok(await page.locator('.flag-banner[data-flag="emergency"]').isVisible());
  assert.ok(await page.locator('#plan-self-care [data-blocked]').isVisible(), 'self-treatment is replaced by the advice');
  assert.equal(await page.locator('[data-stretch]').count(), 0, 'no stretches to teach');
  assert.equal(await page.locator('#v-home-program').count(), 0, 'no home program to assign');
  assert.ok(await page.locator('#consent-missing').isVisible(), 'consent not recorded yet: said');
  await shot(page, 'clinic-flagged-desktop');
});

test('a patient\'s own account sees no visits', async () => {
  const { page } = owner;
  await goto(page, `${run.base}#/patients/${patient}`);
  await page.click('.invite button[type="submit"]');
  const link = await page.locator('.invite .copy-text').inputValue();
  const other = await openPage(run.browser, link, PHONE);
  const p = other.page;
  await p.fill('#in-email', 'sara@example.org');
  await p.fill('#in-password', 'sara long password');
  await p.fill('#in-password2', 'sara long password');
  await follow(p, 'button[type="submit"]');
  assert.equal(hash(p), `#/patients/${patient}`);
  assert.equal(await p.locator('.record-nav a', { hasText: 'Visits' }).count(), 0, 'no Visits tab');
  assert.equal(await p.locator('#details').count(), 0, 'no clinic details');
  await goto(p, `${run.base}#/patients/${patient}/visits/1`);
  assert.match(await p.textContent('h1'), /Not for this account/);
  assert.deepEqual(other.problems, []);
  await other.context.close();
});
