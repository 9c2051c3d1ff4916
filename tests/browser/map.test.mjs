// The pain map page (#/map: for anyone, nothing kept) in a real browser, as
// a person would use it: Debian's chromium driven by playwright-core against
// a real `tpt serve` on loopback.
// Screenshots of a desktop and a phone-sized screen go to SCREENSHOT_DIR.
//
//   node tests/browser/map.test.mjs TPT SCREENSHOT_DIR
//
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing
// (harness.mjs).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESKTOP, PHONE, SCIATICA, accessible, chooseKind, clickRegion, fitsWidth, mapAndWait, openPage as open,
  start,
} from './harness.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: map.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

let run;
const openPage = (options) => open(run.browser, `${run.base}#/map`, options);

before(async () => {
  run = await start(tpt);
});

after(async () => {
  if (run) await run.stop();
});

test('desktop: draw on the chart, see the ranked causes and the zone', async () => {
  const { page, context, problems } = await openPage(DESKTOP);
  // the four views side by side, every region drawn
  for (const v of ['front', 'back', 'left', 'right']) {
    assert.ok(await page.locator(`#view-${v} svg`).isVisible(), `the ${v} view is shown`);
  }
  assert.ok(await page.locator('#chart path[data-region]').count() > 107);

  // nothing marked: the button says what to do, in plain words
  await page.click('#analyse');
  assert.match(await page.textContent('#error'), /Mark at least one region/);

  await chooseKind(page, 'ache');
  await page.locator('#intensity').fill('7');
  for (const id of SCIATICA) await clickRegion(page, id);
  assert.equal(await page.locator('#marked-list .chip').count(), SCIATICA.length);
  assert.equal(await page.getAttribute('#view-back path[data-region="r.buttock.lower"]', 'data-kind'), 'ache');
  assert.equal(await page.getAttribute('#view-back path[data-region="r.buttock.lower"]', 'data-strength'), '7');
  // the list of regions follows the chart
  assert.ok(await page.locator('#region-groups input[data-region="r.ankle.outer"]').isChecked());

  await mapAndWait(page);
  assert.ok(await page.locator('#error').isHidden(), 'the error of before is gone');
  const first = page.locator('#candidates .candidate').first();
  assert.match(await first.locator('.cause-name').textContent(), /^The small, deep buttock muscle at the side of the hip, front part \(Gluteus minimus, anterior part\)/);
  assert.equal(await first.locator('.prob').textContent(), '98%');
  assert.ok(await first.locator('.bar-fill').isVisible(), 'a probability bar');
  assert.match(await first.locator('.cause-details').textContent(), /outer ankle bone/);
  assert.match(await page.textContent('#pattern'), /Pattern: muscle trigger points/);
  assert.match(await page.textContent('#pattern'), /trigger points better than a nerve root/);
  assert.match(await page.textContent('#explanation'), /Best explanation: The small, deep buttock muscle at the side of the hip, front part \(Gluteus minimus, anterior part\), right/);
  assert.match(await page.textContent('#notice'), /not a diagnosis/);
  assert.ok(await page.locator('#warnings').isHidden(), 'no warning for this drawing');

  // the first cause is chosen: its zone on the chart in two colours
  assert.equal(await first.getAttribute('class'), 'candidate selected');
  const zone = (view, id) => page.getAttribute(`#view-${view} path[data-region="${id}"]`, 'data-zone');
  assert.equal(await zone('back', 'r.buttock.lower'), 'explains');
  assert.equal(await zone('right', 'r.knee.outer'), 'missing');
  assert.equal(await zone('right', 'r.leg.outer.lower'), 'missing');
  await page.screenshot({ path: join(shots, 'map-desktop.png'), fullPage: true });

  // choosing another cause moves the highlight: the S1 root, whose zone holds
  // the lower buttock and the outer ankle but not the outer knee
  await page.locator('#candidates .candidate').nth(1).locator('.cause-pick').click();
  assert.match(await page.locator('#candidates .candidate.selected .cause-name').textContent(), /S1 nerve root/);
  assert.equal(await zone('back', 'r.calf.lower'), 'missing');
  assert.equal(await zone('back', 'r.buttock.lower'), 'explains');
  assert.equal(await zone('right', 'r.knee.outer'), null);

  // a second click with the same choice removes a mark; the answer is then stale
  await clickRegion(page, 'r.ankle.outer');
  assert.equal(await page.locator('#marked-list .chip').count(), SCIATICA.length - 1);
  assert.ok(await page.locator('#stale').isVisible());

  // the server's refusal, in plain words
  await page.route('**/api/v1/map', (route) => route.fulfill({
    status: 400, contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ error: { code: 'invalid-mark', message: "unknown region 'r.nose'", field: 'marks' } }),
  }));
  await page.click('#analyse');
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.textContent('#error'), 'One of the marks on the body cannot be used. Remove it and mark the place again.');
  await page.unroute('**/api/v1/map');

  // saddle numbness: the cauda equina warning, whatever else is drawn
  await chooseKind(page, 'numb');
  await clickRegion(page, 'perineum');
  await mapAndWait(page);
  const warning = page.locator('#warnings [data-warning="cauda-equina"]');
  await warning.waitFor();
  assert.ok(await warning.isVisible());
  assert.match(await warning.textContent(), /emergency/i);
  assert.ok(await page.locator('#error').isHidden());
  const top = (await warning.boundingBox()).y;
  assert.ok(top >= 0 && top < 200, `the warning is scrolled into view (at ${top}px)`);
  await page.screenshot({ path: join(shots, 'map-warning-desktop.png') });

  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard: the list of regions marks the chart', async () => {
  const { page, context, problems } = await openPage(DESKTOP);
  await page.focus('#region-list summary');
  await page.keyboard.press('Enter');
  const box = page.locator('#region-groups input[data-region="l.calf.upper"]');
  await box.focus();
  await page.keyboard.press('Space');
  assert.ok(await box.isChecked());
  assert.equal(await page.getAttribute('#view-back path[data-region="l.calf.upper"]', 'data-kind'), 'ache');
  await page.focus('#analyse');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#candidates .candidate');
  assert.deepEqual(problems, []);
  await context.close();
});

test('phone: tabs for the views, the same answer, the warning on top', async () => {
  const { page, context, problems } = await openPage(PHONE);
  assert.ok(await page.locator('#tabs').isVisible(), 'tabs on a narrow screen');
  assert.equal(await page.locator('#chart .view:visible').count(), 1, 'one view at a time');
  await fitsWidth(page, 390);

  for (const id of SCIATICA) await clickRegion(page, id);
  await mapAndWait(page);
  assert.match(await page.locator('#candidates .cause-name').first().textContent(),
    /^The small, deep buttock muscle at the side of the hip, front part \(Gluteus minimus, anterior part\)/);
  // the chart is above, out of sight: the chosen cause's zone is drawn under
  // it, with what its colours mean, and follows the cause chosen
  const copy = page.locator('#candidates .candidate').first().locator('.zone-copy');
  await copy.waitFor();
  assert.match(await copy.locator('svg').getAttribute('aria-label'), /^The zone of .*Gluteus minimus.* on the body chart, right side view$/);
  assert.ok(await copy.locator('svg path[data-zone="explains"]').count() > 0, 'the zone is drawn in the copy');
  assert.match(await copy.locator('.zone-copy-key').textContent(), /explained by the chosen cause.*usual for it, not marked.*where its trigger point lies/);
  await page.click('#show-more');
  await page.locator('#candidates .cause-pick').nth(5).click();
  const sixth = page.locator('#candidates .candidate').nth(5).locator('.zone-copy');
  await sixth.waitFor();
  assert.equal(await page.locator('#candidates .zone-copy').count(), 1, 'one copy, under the cause chosen');
  await sixth.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'map-zone-phone.png') });
  await fitsWidth(page, 390);
  await accessible(page, 'the zone of a cause under "show more" on a phone');
  await page.locator('#candidates .cause-pick').first().click();
  await copy.waitFor();
  await page.click('#tab-right');
  await page.evaluate(() => window.scrollTo(0, 0));
  await accessible(page, 'the pain map on a phone');
  await page.screenshot({ path: join(shots, 'map-phone.png'), fullPage: true });

  // "Clear all" asks first; cancelled, nothing is lost; cleared, Undo brings it back
  const marked = () => page.locator('#marked-list .chip').count();
  await page.click('#clear');
  assert.match(await page.textContent('dialog.confirm'), new RegExp(`All ${SCIATICA.length} regions marked`));
  await page.click('#confirm-no');
  assert.equal(await marked(), SCIATICA.length, 'a cancelled clear keeps the drawing');
  await page.click('#clear');
  await page.click('#confirm-yes');
  assert.equal(await marked(), 0, 'cleared');
  await page.click('#undo');
  assert.equal(await marked(), SCIATICA.length, 'undo brings the drawing back');
  await page.click('#clear');
  await page.click('#confirm-yes');
  await chooseKind(page, 'numb');
  await clickRegion(page, 'perineum');
  await mapAndWait(page);
  await page.locator('#warnings [data-warning="cauda-equina"]').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, 'map-warning-phone.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
