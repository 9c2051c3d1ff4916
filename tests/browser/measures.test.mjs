// Outcome measures, the course of care, the clinic's view and the letters
// in a real browser: a practitioner takes a leg pain rating and a PSFS with
// its activities named, is told when a reassessment is due, takes it at the
// third visit and sees the course turn to improving; the clinic's view lists
// who is due and who has not improved after the planned course, and its
// outcomes; the letters open from the visits and a signed visit; a patient at
// home fills in a questionnaire on a phone and sees the trend on the progress
// page, and is told that a licensed questionnaire needs the clinic.
// Screenshots go to SCREENSHOT_DIR.
//
//   node tests/browser/measures.test.mjs TPT SCREENSHOT_DIR
//
// The tests run in order and build on each other (one server, one clinic).
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, accessible, fitsWidth, follow, goto, openPage, refusedRemoval, start } from './harness.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: measures.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

const OWNER = { name: 'Mara Measure', email: 'mara@example.org', password: 'a long clinic password' };

let run;
let staff; // the practitioner's page, signed in
let anna; // the patient whose course is followed
let otto; // a patient who does not improve

async function shot(page, name) {
  assert.doesNotMatch(await page.textContent('body'), /\bnull\b|\bundefined\b|\[object |\bNaN\b/, `${name}: words only`);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
const hash = (page) => new URL(page.url()).hash;

// An API call from the signed-in page, with its CSRF token, as the app makes
// it: for what the test builds on rather than what it shows (visits).
async function call(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(`/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  }, { method, path, body });
}

async function signedVisits(page, id, n) {
  for (let i = 0; i < n; i++) {
    const made = await call(page, 'POST', `/patients/${id}/visits`, { note: { kind: i ? 'follow-up' : 'intake' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const signed = await call(page, 'POST', `/patients/${id}/visits/${made.body.visit.number}/sign`);
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
  }
}

// Picks the answer VALUE of item ITEM in the questionnaire on the page.
async function answer(page, item, value) {
  await page.click(`#questionnaire .question[data-item="${item}"] label:has(input[value="${value}"])`);
}

async function saveMeasure(page) {
  await page.click('#measure-form button[type="submit"]');
  await page.waitForSelector('#measure-saved');
  return page.textContent('#measure-saved');
}

before(async () => {
  run = await start(tpt);
});

after(async () => {
  try {
    if (staff) assert.deepEqual(staff.problems, [], 'no errors on the practitioner\'s page');
  } finally {
    if (run) await run.stop();
  }
});

test('the practitioner takes a leg pain rating and a PSFS with its activities named', async () => {
  staff = await openPage(run.browser, run.base, DESKTOP);
  const { page } = staff;
  await page.fill('#in-name', OWNER.name);
  await page.fill('#in-email', OWNER.email);
  await page.fill('#in-password', OWNER.password);
  await page.fill('#in-password2', OWNER.password);
  await follow(page, 'button[type="submit"]');
  await page.fill('#new-patient-name', 'Anna Outcome');
  await follow(page, '#new-patient button[type="submit"]');
  anna = hash(page).split('/').pop();

  await follow(page, '.record-nav a:has-text("Measures")');
  assert.equal(hash(page), `#/patients/${anna}/measures`);
  assert.match(await page.textContent('#measure-trends'), /No outcome measures yet/);
  assert.equal(await page.inputValue('#measure-instrument'), 'nrs-leg', 'the leg pain rating comes first');
  // nothing answered: refused on the page, the question marked
  await page.click('#measure-form button[type="submit"]');
  assert.match(await page.textContent('#measure-form .error'), /Answer every question/);
  assert.equal(await page.locator('#measure-form .question.missing').count(), 1);
  await answer(page, 'leg-pain', 7);
  assert.equal(await page.locator('#measure-form .question.missing').count(), 0, 'answering clears the mark');
  assert.match(await saveMeasure(page), /Leg pain rating, 0 to 10: 7\. Kept in the record\./);
  assert.match(await page.textContent('.trend-card[data-instrument="nrs-leg"]'), /Measured once/);

  // the PSFS: activities named and rated; a name with no rating is not sent
  await page.selectOption('#measure-instrument', 'psfs');
  assert.equal(await page.locator('#questionnaire .item-name input').count(), 5, 'each activity takes a name');
  await page.fill('#name-activity-1', 'Putting on socks');
  await answer(page, 'activity-1', 3);
  await page.fill('#name-activity-2', 'Sitting through a film');
  await answer(page, 'activity-2', 5);
  await page.fill('#name-activity-3', 'Gardening');
  assert.match(await saveMeasure(page), /Patient-Specific Functional Scale: 4\. Kept/);
  const kept = await call(page, 'GET', `/patients/${anna}/measures`);
  assert.deepEqual(kept.body.measures.at(-1).names, { 'activity-1': 'Putting on socks', 'activity-2': 'Sitting through a film' });
  assert.match(await page.textContent('#measure-list'), /Putting on socks: 3; Sitting through a film: 5/);
  // next time the activities are filled in from the last
  await goto(page, `${run.base}#/patients/${anna}/measures?instrument=psfs`);
  assert.equal(await page.inputValue('#name-activity-1'), 'Putting on socks');
  assert.equal(await page.inputValue('#name-activity-2'), 'Sitting through a film');

  // a licensed questionnaire without the clinic's text: numbers only, said so
  await page.selectOption('#measure-instrument', 'odi');
  assert.ok(await page.locator('#licensed-note').isVisible());
  assert.match(await page.textContent('#questionnaire .question[data-item="section-1"] legend'), /Section 1/);
  await shot(page, 'measures-staff-desktop');

  // the clinic's admin keeps its licensed copy: its wording shows on the form
  const odiText = JSON.parse(readFileSync(new URL('../cli/cases/measure-show-odi-text/odi-text.json', import.meta.url)));
  const licence = await call(page, 'PUT', '/instrument-texts/odi', odiText);
  assert.equal(licence.status, 201, JSON.stringify(licence.body));
  await goto(page, `${run.base}#/patients/${anna}/measures?instrument=odi`);
  assert.equal(await page.locator('#licensed-note').count(), 0, 'no "not loaded" note with the clinic\'s text');
  assert.match(await page.textContent('#questionnaire .question[data-item="section-1"] legend'), /Section 1 in the clinic's licensed wording/);
  assert.match(await page.textContent('#questionnaire .question[data-item="section-1"]'), /Statement 5 of section 1/);
  await shot(page, 'measures-licensed-desktop');
  assert.equal((await call(page, 'DELETE', '/instrument-texts/odi')).status, 200);

  // a measure removed elsewhere meanwhile: removing it here is refused,
  // said beside its row, and the row stays until the page is reloaded
  const extra = await call(page, 'POST', `/patients/${anna}/measures`, { instrument: 'nrs-leg', answers: { 'leg-pain': 6 } });
  assert.equal(extra.status, 201, JSON.stringify(extra.body));
  await goto(page, `${run.base}#/patients/${anna}/measures`);
  const rows = await page.locator('#measure-list tbody tr').count();
  assert.equal((await call(page, 'DELETE', `/patients/${anna}/measures/${extra.body.measure.id}`)).status, 200);
  await refusedRemoval(page, `#measure-list tr[data-measure="${extra.body.measure.id}"]`, /no longer in the record/);
  assert.equal(await page.locator('#measure-list tbody tr').count(), rows, 'the list as it was');
  assert.equal(await page.textContent('#measure-result'), '', 'no word of success');
  await goto(page, `${run.base}#/patients/${anna}/measures`);
  assert.equal(await page.locator('#measure-list tbody tr').count(), rows - 1, 'reloaded: the record as it is');
});

test('the course of care says when to reassess, and turns to improving', async () => {
  const { page } = staff;
  await signedVisits(page, anna, 3);
  await goto(page, `${run.base}#/patients/${anna}/visits`);
  assert.equal(await page.getAttribute('#course-verdict', 'data-verdict'), 'in-course');
  assert.match(await page.textContent('#reassessment-due'), /Reassessment due at visit 3/);
  assert.match(await page.textContent('.course-table tr[data-instrument="nrs-leg"]'), /7\s*—\s*measured once/);

  // the clinic's view lists Anna as due, and leads to the measures of visit 3
  await goto(page, `${run.base}#/clinic`);
  assert.match(await page.textContent('#due'), /Anna Outcome/);
  await follow(page, `#due li[data-patient="${anna}"] a`);
  assert.equal(hash(page), `#/patients/${anna}/measures?visit=3`);
  assert.equal(await page.inputValue('#measure-visit'), '3', 'the measure is for visit 3');
  await answer(page, 'leg-pain', 3);
  assert.match(await saveMeasure(page), /: 3\. Kept in the record with visit 3\./);
  const card = page.locator('.trend-card[data-instrument="nrs-leg"]');
  assert.equal(await card.getAttribute('data-meaningful'), 'yes');
  assert.match(await card.textContent(), /7 → 3 \(-4\)/);
  assert.ok(await card.locator('svg .level').count(), 'the chart draws the level that counts');
  await shot(page, 'measures-trend-desktop');

  await goto(page, `${run.base}#/patients/${anna}/visits`);
  assert.equal(await page.getAttribute('#course-verdict', 'data-verdict'), 'improving');
  assert.equal(await page.locator('#reassessment-due').count(), 0, 'the reassessment is done');
  assert.match(await page.textContent('.course-table tr[data-instrument="nrs-leg"]'), /7\s*3\s*yes/);
  await shot(page, 'course-desktop');
});

test('the letters open from the visits and from a signed visit', async () => {
  const { page } = staff;
  await goto(page, `${run.base}#/patients/${anna}/visits`);
  for (const [link, title] of [['#letter-doctor', /Letter to the referring doctor/], ['#letter-discharge', /Discharge summary/]]) {
    const [letter] = await Promise.all([page.waitForEvent('popup'), page.click(link)]);
    await letter.waitForLoadState();
    assert.match(await letter.title(), title);
    assert.match(await letter.textContent('body'), /Anna Outcome/);
    await accessible(letter, `the ${link.slice(8)} letter`);
    await letter.screenshot({ path: join(shots, `letter-${link.slice(8)}.png`), fullPage: true });
    await letter.close();
  }
  await goto(page, `${run.base}#/patients/${anna}/visits/3`);
  const [summary] = await Promise.all([page.waitForEvent('popup'), page.click('#letter-visit')]);
  await summary.waitForLoadState();
  assert.match(await summary.textContent('body'), /Anna Outcome/);
  assert.match(await summary.textContent('body'), /not a diagnosis/i);
  assert.equal(await summary.getAttribute('html', 'lang'), 'en');
  await accessible(summary, 'the visit summary');
  await summary.close();
  // the patient's summary in German, on a desk and a phone
  const german = await page.context().newPage();
  await german.setViewportSize({ width: 1280, height: 800 });
  await german.goto(`${run.base}api/v1/patients/${anna}/letters/visit-3?lang=de`);
  assert.equal(await german.getAttribute('html', 'lang'), 'de');
  assert.match(await german.textContent('h1'), /^Ihr Termin am \d+\. \S+ \d{4}$/);
  assert.match(await german.textContent('body'), /Was wir heute gemacht haben/);
  assert.match(await german.textContent('body'), /Dies ist keine Diagnose/);
  assert.doesNotMatch(await german.textContent('body'), /What we did today|When to come back|not a diagnosis/);
  await accessible(german, 'the visit summary in German');
  await german.screenshot({ path: join(shots, 'letter-visit-de-desktop.png') });
  await german.setViewportSize(PHONE.viewport);
  await fitsWidth(german, PHONE.viewport.width);
  await german.screenshot({ path: join(shots, 'letter-visit-de-phone.png') });
  // the letter to the doctor and the discharge summary in German too
  for (const [name, title, words] of [
    ['doctor', /^Klinische Zusammenfassung$/, /Sehr geehrte Kollegin, sehr geehrter Kollege,Anna Outcome ist seit dem [^:]+: 3 der 6 geplanten Termine/],
    ['discharge', /^Abschlussbericht$/, /Termine\s*3 von 6 geplanten/]]) {
    await german.setViewportSize({ width: 1280, height: 800 });
    await german.goto(`${run.base}api/v1/patients/${anna}/letters/${name}?lang=de`);
    assert.equal(await german.getAttribute('html', 'lang'), 'de');
    assert.match(await german.textContent('h1'), title);
    const body = await german.textContent('body');
    assert.match(body, words);
    // each cell's number, before the date or the word under it
    const leg = await german.locator('table.measures tr:has-text("Beinschmerz, Bewertung von 0 bis 10") td')
      .evaluateAll((cells) => cells.map((td) => td.firstChild.textContent.trim()));
    assert.deepEqual(leg.slice(1, 4), ['7', '3', '−4'], 'the leg pain rating from 7 to 3, 4 better');
    assert.match(body, /−4 \(besser\)/);
    assert.match(body, /Dies ist keine Diagnose/);
    assert.doesNotMatch(body, /Dear Doctor|Discharge summary|Course of care|not a diagnosis|Treatment given/);
    await accessible(german, `the ${name} letter in German`);
    await german.screenshot({ path: join(shots, `letter-${name}-de-desktop.png`), fullPage: true });
    await german.setViewportSize(PHONE.viewport);
    await fitsWidth(german, PHONE.viewport.width);
    await german.screenshot({ path: join(shots, `letter-${name}-de-phone.png`), fullPage: true });
  }
  await german.close();
  await follow(page, '#visit-measures');
  assert.equal(await page.inputValue('#measure-visit'), '3');
});

test('the clinic view: who has not improved, and the outcomes', async () => {
  const { page } = staff;
  await goto(page, `${run.base}#/patients`);
  await page.fill('#new-patient-name', 'Otto Unchanged');
  await follow(page, '#new-patient button[type="submit"]');
  otto = hash(page).split('/').pop();
  assert.equal((await call(page, 'PUT', `/patients/${otto}/details`, { planned_visits: 2 })).status, 200);
  for (const v of [6, 6]) {
    assert.equal((await call(page, 'POST', `/patients/${otto}/measures`, { instrument: 'nrs-leg', answers: { 'leg-pain': v } })).status, 201);
  }
  await signedVisits(page, otto, 2);
  assert.equal((await call(page, 'POST', `/patients/${otto}/measures`, { instrument: 'nrs-leg', visit: 2, answers: { 'leg-pain': 5 } })).status, 201);

  await goto(page, `${run.base}#/clinic`);
  assert.match(await page.textContent('.lead'), /2 patients in care/);
  assert.equal(await page.locator(`#not-improving li[data-patient="${otto}"]`).count(), 1, 'Otto has not improved');
  assert.equal(await page.locator(`#not-improving li[data-patient="${anna}"]`).count(), 0);
  assert.equal(await page.locator('#due li').count(), 0, 'nobody is due');
  assert.match(await page.textContent('#share-improved'), /50%.*1 of 2/s);
  assert.match(await page.textContent('#visits-to-improvement strong'), /^3$/);
  assert.match(await page.textContent('#by-instrument tr[data-instrument="nrs-leg"]'), /-2\.5\s*2\s*lower/);
  await shot(page, 'clinic-view-desktop');
  await follow(page, `#not-improving li[data-patient="${otto}"] a`);
  assert.equal(await page.getAttribute('#course-verdict', 'data-verdict'), 'review');
  assert.match(await page.textContent('#course-verdict'), /review the case, refer it on, or stop/);
  await shot(page, 'course-review-desktop');

  await page.setViewportSize(PHONE.viewport);
  await goto(page, `${run.base}#/clinic`);
  await fitsWidth(page, PHONE.viewport.width);
  await shot(page, 'clinic-view-phone');
  await page.setViewportSize(DESKTOP.viewport);
});

test('a patient at home fills in a questionnaire on a phone and sees the trend', async () => {
  const { page: p } = staff;
  await goto(p, `${run.base}#/patients/${anna}`);
  await p.click('.invite button[type="submit"]');
  const link = await p.locator('.invite .copy-text').inputValue();
  const patient = await openPage(run.browser, link, PHONE);
  const { page } = patient;
  await page.fill('#in-email', 'anna@example.org');
  await page.fill('#in-password', 'patient password');
  await page.fill('#in-password2', 'patient password');
  await follow(page, 'button[type="submit"]');
  await goto(page, `${run.base}#/patients/${anna}/measures`);
  assert.equal(await page.locator('#measure-visit').count(), 0, 'a patient does not choose a visit');

  // a licensed questionnaire is the clinic's to give
  await page.selectOption('#measure-instrument', 'odi');
  assert.ok(await page.locator('#needs-clinic').isVisible());
  assert.equal(await page.locator('#measure-form').count(), 0);

  await page.selectOption('#measure-instrument', 'sbi');
  await answer(page, 'leg-pain', 4);
  await answer(page, 'tingling', 2);
  await page.click('#measure-form button[type="submit"]');
  assert.match(await page.textContent('#measure-form .error'), /1 of 3 are not answered|1 of 3 is not answered/);
  await answer(page, 'weakness', 1);
  await fitsWidth(page, PHONE.viewport.width);
  await page.locator('#questionnaire').screenshot({ path: join(shots, 'measures-patient-phone.png') });
  assert.match(await saveMeasure(page), /Sciatica Bothersomeness Index, three items: 7\. Kept in the record\./);

  await goto(page, `${run.base}#/patients/${anna}/progress`);
  const cards = page.locator('#progress-measures .trend-card');
  assert.deepEqual((await cards.evaluateAll((c) => c.map((x) => x.dataset.instrument))).sort(), ['nrs-leg', 'psfs', 'sbi']);
  assert.equal(await page.getAttribute('#progress-measures .trend-card[data-instrument="nrs-leg"]', 'data-meaningful'), 'yes');
  await fitsWidth(page, PHONE.viewport.width);
  await shot(page, 'progress-measures-phone');
  assert.deepEqual(patient.problems, [], 'no errors on the patient\'s page');
  await patient.context.close();
});
