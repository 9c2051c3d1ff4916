// The safety questions in a real browser, on a 1280x800 desktop and a
// 390x844 phone: one group at a time with the emergency signs first, an
// example under every question, unanswered questions marked, Back keeping
// the answers, questions that can no longer change the result hidden as
// answers are given, an emergency ending the questions at once, and the tab
// reopening on the last answers to answer again. Then the answers reach the
// plan (blood thinners leave cupping out) and the session (the walk of the
// week). Screenshots go to SCREENSHOT_DIR.
//
//   node tests/browser/screen.test.mjs TPT SCREENSHOT_DIR
//
// The tests run in order and build on each other (one server, one account).
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PHONE, SCIATICA, answerScreen, clickRegion, fitsWidth, follow, goto, mapAndWait, openPage, start,
} from './harness.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: screen.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const OWNER = { name: 'Sue Screen', email: 'sue@example.org', password: 'a long screen password' };

let run;
let desk; // the owner's desktop page, signed in
let own; // the owner's own record

async function shot(page, name) {
  assert.doesNotMatch(await page.textContent('body'), /\bnull\b|\bundefined\b|\[object |\bNaN\b/, `${name}: words only`);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

const visibleKeys = (page) => page.$$eval('.question:not([hidden])', (sets) => sets.map((s) => s.dataset.key));
const group = (page) => page.getAttribute('.questions', 'data-group');
const pick = (page, key, value) => page.click(`.question[data-key="${key}"] label:has(input[value="${value}"])`);

async function allNo(page) {
  for (const key of await visibleKeys(page)) {
    await page.waitForSelector('.questions:not([data-pending])');
    if (await page.locator(`.question[data-key="${key}"]`).isVisible()) await pick(page, key, 'false');
  }
  await page.waitForSelector('.questions:not([data-pending])');
}

async function next(page) {
  const step = await page.getAttribute('.questions', 'data-step');
  await page.click('.questions button[type="submit"]');
  await page.waitForFunction((s) => document.querySelector('#screen-result[data-level]')
    || document.querySelector('.questions')?.dataset.step !== s
    || !document.querySelector('.questions .error')?.hidden, step);
}

// Waits until the questions shown are `keys`, as the answers given make them.
async function shownAre(page, keys) {
  await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('.question:not([hidden])')]
    .map((s) => s.dataset.key)) === JSON.stringify(want), keys);
}

before(async () => {
  run = await start(tpt);
});

after(async () => {
  try {
    if (desk) assert.deepEqual(desk.problems, [], 'no errors on the desktop page');
  } finally {
    if (run) await run.stop();
  }
});

test('desktop: the emergency signs first, a group at a time, each with an example', async () => {
  desk = await openPage(run.browser, run.base, DESKTOP);
  const { page } = desk;
  await page.fill('#in-name', OWNER.name);
  await page.fill('#in-email', OWNER.email);
  await page.fill('#in-password', OWNER.password);
  await page.fill('#in-password2', OWNER.password);
  await page.check('#in-for_self');
  await follow(page, 'button[type="submit"]');
  // someone treating themselves lands in their own record
  own = new URL(page.url()).hash.split('/').pop();
  assert.match(own, /^\d+$/);
  await goto(page, `${run.base}#/patients/${own}/screen`);

  assert.equal(await group(page), 'emergency');
  assert.deepEqual(await visibleKeys(page), ['saddle-numbness', 'bladder-change', 'bowel-change',
    'sexual-dysfunction', 'bilateral-leg-symptoms', 'unsteady-walking']);
  assert.match(await page.textContent('.screen-part'), /Part 1 of 8/);
  assert.ok(await page.locator('.questions button:has-text("Back")').isHidden(), 'nothing to go back to');
  for (const key of await visibleKeys(page)) {
    const example = (await page.textContent(`.question[data-key="${key}"] .example`)).trim();
    assert.match(example, /^(For example|Answer|Any|A whole)/, `${key} has an example`);
  }
  assert.match(await page.textContent('.question[data-key="saddle-numbness"] .example'), /toilet paper/);
  await shot(page, 'screen-emergency-group-desktop');

  // nothing answered: the group is marked and nothing is sent
  await page.click('.questions button[type="submit"]');
  assert.match(await page.textContent('.questions .error'), /6 questions are not answered yet/);
  assert.equal(await page.locator('.question.missing').count(), 6);
  await allNo(page);
  await next(page);
  assert.equal(await group(page), 'nerves');
  assert.match(await page.textContent('.screen-part'), /Part 2 of 8/);

  // Back keeps what was answered
  await page.click('.questions button:has-text("Back")');
  await page.waitForSelector('.questions[data-group="emergency"]');
  assert.equal(await page.locator('.question[data-key="saddle-numbness"] input[value="false"]').isChecked(), true);
  await next(page);
  await allNo(page);
  await next(page);

  // no fever: the recent infection cannot matter, so it is not asked;
  // a yes brings it back
  assert.equal(await group(page), 'infection');
  assert.ok((await visibleKeys(page)).includes('recent-infection'));
  await pick(page, 'fever', 'false');
  await shownAre(page, ['fever', 'iv-drug-use', 'immunosuppression', 'recent-spinal-procedure']);
  await shot(page, 'screen-infection-group-desktop');
  await pick(page, 'fever', 'true');
  await shownAre(page, ['fever', 'recent-infection', 'iv-drug-use', 'immunosuppression', 'recent-spinal-procedure']);
  await pick(page, 'fever', 'false');
  await shownAre(page, ['fever', 'iv-drug-use', 'immunosuppression', 'recent-spinal-procedure']);
  await allNo(page);
  await next(page);

  // no cancer: the upper back is not asked
  assert.equal(await group(page), 'cancer');
  await pick(page, 'cancer-history', 'false');
  await shownAre(page, ['cancer-history', 'weight-loss', 'night-pain']);

  // the rest: 55 years old, three weeks: age alone is no flag
  assert.equal(await answerScreen(page, { age: 55, 'onset-weeks': 3 }), 'none');
  assert.ok(await page.locator('#screen-result .all-clear').isVisible());
  assert.ok(await page.locator('#screen-result a.primary[href$="/map"]').isVisible());
  assert.ok(await page.locator('#answer-again').isVisible());
  const kept = await page.evaluate(async (id) => (await (await fetch(`/api/v1/patients/${id}/screen`)).json()).answers, own);
  assert.equal(kept.age, 55);
  assert.equal('recent-infection' in kept, false, 'what was not asked is not kept');
  assert.equal('psoriasis' in kept, false, 'three weeks of pain: not asked about long-lasting back pain');
  await shot(page, 'screen-result-desktop');
});

test('desktop: the tab reopens on the last answers; an emergency ends the questions', async () => {
  const { page } = desk;
  await goto(page, `${run.base}#/patients/${own}`);
  await follow(page, '.record-nav a:has-text("Safety questions")');
  assert.match(await page.textContent('#screen-last'), /Last answered/);
  assert.equal(await page.getAttribute('#screen-result', 'data-level'), 'none');
  await page.click('#answer-again');
  await page.waitForSelector('.questions[data-group="emergency"]');
  assert.ok(await page.locator('.question[data-key="bladder-change"] input[value="false"]').isChecked(), 'the last answers filled in');
  // "not sure" about unsteady walking counts as yes: no more questions
  await pick(page, 'unsteady-walking', 'not-sure');
  await next(page);
  await page.waitForSelector('#screen-result[data-level="emergency"]');
  assert.equal(await page.locator('.questions').count(), 0, 'no more groups');
  const result = page.locator('#screen-result .warning.level-emergency');
  assert.match(await result.textContent(), /Walking that has become unsteady/);
  assert.match(await result.textContent(), /emergency department/);
  assert.equal(await page.locator('#screen-result a.primary').count(), 0, 'no way on to self-care');
  await shot(page, 'screen-emergency-result-desktop');
  // answered again, clear: the warning goes
  await page.click('#answer-again');
  assert.equal(await answerScreen(page, { age: 55, 'unsteady-walking': false }), 'none');
});

test('phone: the same questions fit the screen, a group at a time', async () => {
  const phone = await openPage(run.browser, `${run.base}#/sign-in`, PHONE);
  const { page } = phone;
  await page.fill('#in-email', OWNER.email);
  await page.fill('#in-password', OWNER.password);
  await follow(page, 'button[type="submit"]');
  await goto(page, `${run.base}#/patients/${own}/screen`);
  await page.click('#answer-again');
  await page.waitForSelector('.questions[data-group="emergency"]');
  await fitsWidth(page, 390);
  await shot(page, 'screen-emergency-group-phone');
  await allNo(page);
  await next(page);
  await allNo(page);
  await next(page);
  await fitsWidth(page, 390);
  await shot(page, 'screen-infection-group-phone');
  assert.equal(await answerScreen(page, { age: 47 }), 'none');
  await fitsWidth(page, 390);
  await shot(page, 'screen-result-phone');
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

test('blood thinners reach the plan; the session walks the week of the program', async () => {
  const { page } = desk;
  await goto(page, `${run.base}#/patients/${own}/screen`);
  assert.equal(await answerScreen(page, { age: 55, anticoagulants: true }), 'none');
  await goto(page, `${run.base}#/patients/${own}/map`);
  await page.waitForSelector('.map-page[data-ready="true"]');
  for (const id of SCIATICA) await clickRegion(page, id);
  await mapAndWait(page);
  await goto(page, `${run.base}#/patients/${own}/plan`);
  await page.click('#make-plan');
  await page.waitForSelector('#home-program .home-step');
  const cupping = page.locator('#clinic-program dt[data-modality="cupping"]').first();
  assert.equal(await cupping.getAttribute('data-avoid'), 'true');
  assert.match(await cupping.textContent(), /left out for this person/);
  assert.match(await page.textContent('#clinic-program'), /no cupping or Gua Sha/);
  assert.match(await page.textContent('#clinic-program'), /Guidelines disagree: NICE \(NG59\)/);
  assert.match(await page.textContent('#home-program .home-step.kind-pressure'), /blood thinners/);
  assert.match(await page.textContent('#home-program [data-step="graded-walking"] .timing'),
    /Week 1: 5 min, then 5 min more each week, up to 15 min/);
  await shot(page, 'plan-cautions-desktop');
  await goto(page, `${run.base}#/patients/${own}/session`);
  await page.waitForSelector('#session');
  const walk = await page.evaluate(async (id) => (await (await fetch(`/api/v1/patients/${id}/plan`)).json()).week, own);
  assert.equal(walk, 1, 'no session yet: the first week');
});
