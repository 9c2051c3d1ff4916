// The pain map page (#/map, for anyone, nothing kept) in a real browser, as a person would use it: Debian's
// chromium driven by playwright-core against a real `tpt serve` on loopback.
// Screenshots of a desktop and a phone-sized screen go to SCREENSHOT_DIR.
//
//   node tests/browser/map.test.mjs TPT SCREENSHOT_DIR
//
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

const CHROMIUM = '/usr/bin/chromium';
const PLAYWRIGHT = new URL('../../node_modules/playwright-core/package.json', import.meta.url);
if (!existsSync(CHROMIUM) || !existsSync(PLAYWRIGHT)) {
  console.log(`skipped: needs ${CHROMIUM} and playwright-core (npm ci)`);
  process.exit(77);
}
const { chromium } = await import('playwright-core');

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: map.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

// The worked example of the README: gluteus minimus, anterior part.
const SCIATICA = ['r.buttock.lower', 'r.thigh.outer.upper', 'r.thigh.outer.lower',
  'r.leg.outer.upper', 'r.ankle.outer'];

let server;
let base;
let browser;
let work;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer() {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(tpt, ['serve', '--listen', `127.0.0.1:${port}`], {
      env: { ...process.env, XDG_DATA_HOME: join(work, 'data') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (d) => { log += d; });
    for (let i = 0; i < 50; i++) {
      if (child.exitCode !== null) break;
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
        if (r.ok) return { child, port, log: () => log };
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
  }
  throw new Error('tpt serve did not start');
}

// Clicks a region of the chart where a person would: a point inside its
// shape that is not covered by anything else, in a view that is on screen
// (choosing that view's tab first on a narrow screen).
async function clickRegion(page, id) {
  const view = await page.evaluate((id) => {
    const paths = [...document.querySelectorAll(`#chart path[data-region="${CSS.escape(id)}"]`)];
    const shown = paths.find((p) => p.getClientRects().length > 0);
    return (shown || paths[0] || { closest: () => null }).closest('figure')?.dataset.view || null;
  }, id);
  assert.ok(view, `region ${id} is on the chart`);
  if (await page.locator('#tabs').isVisible()) await page.click(`#tab-${view}`);
  const point = await page.evaluate(({ id, view }) => {
    const path = document.querySelector(`#view-${view} path[data-region="${CSS.escape(id)}"]`);
    path.scrollIntoView({ block: 'center' });
    const box = path.getBBox();
    const ctm = path.getScreenCTM();
    const steps = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9];
    for (const fy of steps) {
      for (const fx of steps) {
        const p = new DOMPoint(box.x + box.width * fx, box.y + box.height * fy);
        if (!path.isPointInFill(p)) continue;
        const s = p.matrixTransform(ctm);
        if (document.elementFromPoint(s.x, s.y) === path) return { x: s.x, y: s.y };
      }
    }
    return null;
  }, { id, view });
  assert.ok(point, `region ${id} can be clicked in the ${view} view`);
  await page.mouse.click(point.x, point.y);
}

async function openPage(options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // the page asks /me whether anyone is signed in; a 401 is its answer
    if (/status of 401/.test(m.text()) && /\/api\/v1\/me$/.test(m.location().url)) return;
    problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${base}#/map`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, context, problems };
}

async function chooseKind(page, kind) {
  await page.click(`label[for="kind-${kind}"]`);
}

async function mapAndWait(page) {
  await page.click('#analyse');
  await page.waitForSelector('#results-body:not([hidden]) #candidates .candidate');
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'tpt-browser-'));
  server = await startServer();
  base = `http://127.0.0.1:${server.port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    const stopped = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    const code = await stopped;
    assert.equal(code, 0, `the server stops cleanly on SIGTERM\n${server.log()}`);
  }
  rmSync(work, { recursive: true, force: true });
});

test('desktop: draw on the chart, see the ranked causes and the zone', async () => {
  const { page, context, problems } = await openPage({ viewport: { width: 1280, height: 900 } });
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
  assert.match(await first.locator('.cause-name').textContent(), /^Gluteus minimus, anterior part/);
  assert.equal(await first.locator('.prob').textContent(), '>99%');
  assert.ok(await first.locator('.bar-fill').isVisible(), 'a probability bar');
  assert.match(await first.locator('.cause-details').textContent(), /outer ankle bone/);
  assert.match(await page.textContent('#pattern'), /myofascial/i);
  assert.match(await page.textContent('#pattern'), /trigger points better than a nerve root/);
  assert.match(await page.textContent('#explanation'), /Best explanation: Gluteus minimus/);
  assert.match(await page.textContent('#notice'), /not a diagnosis/);
  assert.ok(await page.locator('#warnings').isHidden(), 'no warning for this drawing');

  // the first cause is chosen: its zone on the chart in two colours
  assert.equal(await first.getAttribute('class'), 'candidate selected');
  const zone = (view, id) => page.getAttribute(`#view-${view} path[data-region="${id}"]`, 'data-zone');
  assert.equal(await zone('back', 'r.buttock.lower'), 'explains');
  assert.equal(await zone('right', 'r.knee.outer'), 'missing');
  assert.equal(await zone('right', 'r.leg.outer.lower'), 'missing');
  await page.screenshot({ path: join(shots, 'map-desktop.png'), fullPage: true });

  // choosing another cause moves the highlight
  await page.locator('#candidates .candidate').nth(1).locator('.cause-pick').click();
  assert.match(await page.locator('#candidates .candidate.selected .cause-name').textContent(), /Peroneus/);
  assert.equal(await zone('right', 'r.foot.outer-edge'), 'missing');
  assert.equal(await zone('back', 'r.buttock.lower'), null);

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
  assert.match(await page.textContent('#error'), /could not use this drawing: unknown region 'r\.nose'/);
  await page.unroute('**/api/v1/map');
  // the browser reports the stubbed 400 itself: that one was wanted
  const wanted = problems.findIndex((m) => /status of 400/.test(m));
  if (wanted >= 0) problems.splice(wanted, 1);

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
  const { page, context, problems } = await openPage({ viewport: { width: 1280, height: 900 } });
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
  const { page, context, problems } = await openPage({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  assert.ok(await page.locator('#tabs').isVisible(), 'tabs on a narrow screen');
  assert.equal(await page.locator('#chart .view:visible').count(), 1, 'one view at a time');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `nothing wider than the screen (${width}px)`);

  for (const id of SCIATICA) await clickRegion(page, id);
  await mapAndWait(page);
  assert.match(await page.locator('#candidates .cause-name').first().textContent(),
    /^Gluteus minimus, anterior part/);
  await page.click('#tab-right');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, 'map-phone.png'), fullPage: true });

  await page.click('#clear');
  await chooseKind(page, 'numb');
  await clickRegion(page, 'perineum');
  await mapAndWait(page);
  await page.locator('#warnings [data-warning="cauda-equina"]').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, 'map-warning-phone.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
