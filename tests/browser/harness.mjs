// What the browser tests share: a real `tpt serve` on a free loopback port
// with its own data directory, Debian's chromium through playwright-core,
// pages that collect their errors, and a click on a body chart region where
// a person would click. Exits 77 (skipped, for meson) when chromium or
// playwright-core is missing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const CHROMIUM = '/usr/bin/chromium';
const PLAYWRIGHT = new URL('../../node_modules/playwright-core/package.json', import.meta.url);
if (!existsSync(CHROMIUM) || !existsSync(PLAYWRIGHT)) {
  console.log(`skipped: needs ${CHROMIUM} and playwright-core (npm ci)`);
  process.exit(77);
}
const { chromium } = await import('playwright-core');

export const DESKTOP = { viewport: { width: 1280, height: 900 } };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// axe-core (npm, package-lock.json): the accessibility rules every page keeps.
// It goes in through the debugger rather than a <script>, which the pages'
// Content-Security-Policy rightly refuses.
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

// Runs axe-core on the page as it is and fails on any serious or critical
// violation, naming each rule and the elements that break it.
export async function accessible(page, what) {
  if (!await page.evaluate(() => Boolean(window.axe))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
  });
  assert.deepEqual(violations, [], `${what}: no serious or critical accessibility violation`);
}

// The worked example of the README: gluteus minimus, anterior part.
export const SCIATICA = ['r.buttock.lower', 'r.thigh.outer.upper', 'r.thigh.outer.lower',
  'r.leg.outer.upper', 'r.ankle.outer'];

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

// Starts the server and the browser; `stop()` ends both and checks that the
// server stopped cleanly on SIGTERM.
export async function start(tpt) {
  const work = mkdtempSync(join(tmpdir(), 'tpt-browser-'));
  let server = null;
  for (let attempt = 0; attempt < 5 && !server; attempt++) {
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
        if (r.ok) {
          server = { child, port, log: () => log };
          break;
        }
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!server) child.kill('SIGTERM');
  }
  if (!server) throw new Error('tpt serve did not start');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    base: `http://127.0.0.1:${server.port}/`,
    db: join(work, 'data', 'tpt', 'tpt.db'),
    browser,
    log: server.log,
    async stop() {
      await browser.close();
      const stopped = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      const code = await stopped;
      rmSync(work, { recursive: true, force: true });
      assert.equal(code, 0, `the server stops cleanly on SIGTERM\n${server.log()}`);
    },
  };
}

// A new browser context (its own cookies) and a page in it that collects
// page errors and console errors. The API's 4xx answers are the pages'
// business (a 401 from /me means nobody is signed in, a 404 that nothing is
// there yet): the pages show them, and the tests check what they show.
export async function openPage(browser, url, options = DESKTOP) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/status of 4\d\d/.test(m.text()) && /\/api\/v1\//.test(m.location().url)) return;
    problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  if (url) await goto(page, url);
  return { page, context, problems };
}

// Opens an address of the application afresh, as typed into the address
// bar, and waits until its page is drawn. (Going from one address to
// another that differs only after the # would not load the page again.)
export async function goto(page, url) {
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  await page.goto(url);
  await ready(page);
}

export async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]');
}

// Follows a link or button that changes the route, and waits for the new page.
export async function follow(page, selector) {
  await page.evaluate(() => { delete document.body.dataset.ready; });
  await page.click(selector);
  await ready(page);
}

// Clicks a region of the chart where a person would: a point inside its
// shape that is not covered by anything else, in a view that is on screen
// (choosing that view's tab first on a narrow screen).
export async function clickRegion(page, id) {
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

export async function chooseKind(page, kind) {
  await page.click(`label[for="kind-${kind}"]`);
}

export async function mapAndWait(page) {
  await page.click('#analyse');
  await page.waitForSelector('#results-body:not([hidden]) #candidates .candidate');
}

// Nothing on the page is wider than the screen (no sideways scrolling).
export async function fitsWidth(page, width) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `nothing wider than the screen (${scroll}px > ${width}px)`);
}

// Answers the safety questions page a group at a time, as a person would:
// `answers` gives a question's answer by key (true, false, 'not-sure' or a
// number); every other yes-or-no question shown is no, age 40 and the pain 2
// weeks old unless given. A page that opens on the last answers is answered
// again from them. Returns the level of the result.
export async function answerScreen(page, answers = {}) {
  const defaults = { age: 40, 'onset-weeks': 2, 'back-pain-onset-age': answers.age ?? 40 };
  await page.waitForSelector('#screen-result[data-level], .questions[data-group]');
  if (await page.locator('#answer-again').count()) await page.click('#answer-again');
  for (;;) {
    await page.waitForSelector('#screen-result[data-level], .questions[data-group]');
    if (await page.locator('#screen-result[data-level]').count()) break;
    const step = await page.getAttribute('.questions', 'data-step');
    const keys = await page.$$eval('.question:not([hidden])', (sets) => sets.map((s) => s.dataset.key));
    for (const key of keys) {
      // an answer just given may hide the questions it makes moot
      await page.waitForSelector('.questions:not([data-pending])');
      const set = page.locator(`.question[data-key="${key}"]`);
      if (!(await set.isVisible())) continue;
      const value = key in answers ? answers[key] : defaults[key] ?? false;
      if (await set.locator('input[type="number"]').count()) {
        if (value === 'not-sure') await set.locator('input[type="checkbox"]').check();
        else await set.locator('input[type="number"]').fill(String(value));
      } else {
        await set.locator(`label:has(input[value="${value}"])`).click();
      }
    }
    await page.click('.questions button[type="submit"]');
    await page.waitForFunction((s) => document.querySelector('#screen-result[data-level]')
      || (document.querySelector('.questions') && document.querySelector('.questions').dataset.step !== s)
      || (document.querySelector('.questions .error') && !document.querySelector('.questions .error').hidden), step);
    const error = page.locator('.questions .error:not([hidden])');
    if (await error.count()) throw new Error(`the safety questions refused the answers: ${await error.textContent()}`);
  }
  return page.getAttribute('#screen-result', 'data-level');
}

// Remove on the row ROW, confirmed, when the server no longer holds it: the
// refusal is said in the row, in words matching WORDS, and the row stays.
export async function refusedRemoval(page, row, words) {
  await page.click(`${row} [data-action="remove"]`);
  await page.click('#confirm-yes');
  const error = page.locator(`${row} .row-error`);
  await error.waitFor();
  assert.match(await error.textContent(), words);
  assert.equal(await page.locator('dialog[open]').count(), 0, 'no dialog left open');
  assert.ok(await page.locator(row).isVisible(), 'the row stays');
  assert.ok(await page.locator(`${row} [data-action="remove"]`).isEnabled(), 'and may be tried again');
}
