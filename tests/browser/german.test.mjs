// The clinic's visit pages in German, as a German-speaking practitioner
// sees them: the visits list, a signed intake with its drawing and
// palpation, a draft follow-up with findings, palpation and plan, the
// record's drawing with what the intake's findings did, and the clinic's
// outcomes. No English word or stored code may show through where
// the page's own words belong, axe-core finds nothing serious, and on a
// phone nothing is wider than the screen.
//
//   node tests/browser/german.test.mjs TPT SCREENSHOT_DIR
//
// Exits 77 (skipped, for meson) when chromium or playwright-core is missing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, accessible, fitsWidth, goto, openPage, start } from './harness.mjs';
import { client } from './calendar_seed.mjs';

const [tpt, shots = 'build/screenshots'] = process.argv.slice(2);
assert.ok(tpt, 'usage: german.test.mjs TPT [SCREENSHOT_DIR]');
mkdirSync(shots, { recursive: true });

const OWNER = { name: 'Greta Graf', email: 'greta@praxis.example', password: 'ein langes Praxispasswort' };
const CLEAR = {
  'saddle-numbness': false, 'bladder-change': false, 'bowel-change': false, 'sexual-dysfunction': false,
  'bilateral-leg-symptoms': false, 'unsteady-walking': false, 'weakness-worsening': false, 'foot-drop': false,
  'leg-numbness': false, fever: false, 'recent-infection': false, 'iv-drug-use': false, immunosuppression: false,
  'recent-spinal-procedure': false, 'cancer-history': false, 'weight-loss': false, 'night-pain': false,
  'thoracic-pain': false, 'major-trauma': false, 'minor-trauma': false, 'osteoporosis-or-steroids': false,
  age: 45, 'onset-weeks': 2, assessed: false, 'back-pain-onset-age': 45, 'morning-stiffness': false,
  'late-night-waking': false, 'buttock-pain': false, 'nsaid-relief': false, 'family-spondyloarthritis': false,
  arthritis: false, enthesitis: false, psoriasis: false, anticoagulants: false, pregnancy: false,
  'diabetes-or-poor-circulation': false,
};

// English words and codes that have shown through on these pages: the ends
// of a pain rating, a mark's kind of pain, palpation's tag, the plan's
// headings, a visit's number, the outcomes' explanation, a finding's name,
// the patterns and causes as codes, a program's empty value, and the audit
// log's lines as the server writes them.
const LEAKS = [
  /\bnone\b/, /\bworst\b/, /\bevidence\b/, /Acupuncture points/, /or pick on the chart/, /\bVisit \d/,
  /: (ache|sharp|burning|tingling|numb)\b/, /Improved:/, /\bradicular\b/, /\bmyofascial\b/,
  /trigger point/i, /nerve root/i, /straight leg raise/i, /\bPattern\b/, /not yet/, /\bSave\b/, /\bthe\b/, /\band\b/,
  /\b(tp|root):[a-z]/, /\bnull\b|\bundefined\b|\bNaN\b/, /\b(read|kept|wrote|signed|added|calendar):? /,
];

let run;
let patient;

before(async () => {
  run = await start(tpt);
  const api = client(run.base);
  await api.ok('POST', '/setup', { ...OWNER, clinic: 'Praxis am Markt' });
  await api.ok('PUT', '/me', { language: 'de' });
  patient = (await api.ok('POST', '/patients', { name: 'Anna Berg' })).patient.id;
  await api.ok('POST', `/patients/${patient}/screen`, CLEAR);
  await api.ok('POST', `/patients/${patient}/visits`, { note: {
    kind: 'intake',
    subjective: { leg_pain: 7, back_pain: 4, history: { onset: 'Anfang Oktober', duration_weeks: 6 } },
    objective: {
      marks: ['r.buttock.center:ache:7', 'r.thigh.back.upper', 'r.calf.upper:tingling:3'],
      findings: [{ finding: 'slr', side: 'r' }],
      palpation: [{ muscle: 'piriformis', side: 'r', tender: true, taut_band: true, reproduces: true }],
    },
    assessment: { own_words: 'Piriformis rechts löst den bekannten Schmerz aus.' },
    plan: { compression: [{ muscle: 'piriformis', side: 'r' }], acupoints: [{ point: 'GB30', count: 1 }], home_program: true },
  } });
  await api.ok('POST', `/patients/${patient}/visits/1/sign`);
  await api.ok('POST', `/patients/${patient}/visits`, { note: {
    kind: 'follow-up',
    subjective: { leg_pain: 4 },
    objective: {
      marks: ['r.buttock.center:sharp:5'],
      findings: [{ finding: 'slr', side: 'r' }],
      palpation: [{ muscle: 'piriformis', side: 'r', tender: true, reproduces: true }],
    },
    plan: { cupping: ['l.buttock.upper'], acupoints: [{ point: 'GB30', count: 1 }] },
  } });
});

after(async () => {
  if (run) await run.stop();
});

const PAGES = () => [
  ['visits', `#/patients/${patient}/visits`],
  ['signed-visit', `#/patients/${patient}/visits/1`],
  ['draft-visit', `#/patients/${patient}/visits/2`],
  ['drawing', `#/patients/${patient}/map`],
  ['outcomes', '#/clinic'],
  ['measures', `#/patients/${patient}/measures`],
  ['audit', '#/audit'],
  ['privacy', `#/patients/${patient}/privacy`],
];

for (const [size, options] of [['desktop', { ...DESKTOP, viewport: { width: 1280, height: 800 } }], ['phone', PHONE]]) {
  test(`the visit pages speak German only (${size})`, async () => {
    const { page, context, problems } = await openPage(run.browser, `${run.base}#/sign-in`, options);
    await page.fill('#in-email', OWNER.email);
    await page.fill('#in-password', OWNER.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#who');
    for (const [name, path] of PAGES()) {
      await goto(page, run.base + path);
      assert.equal(await page.getAttribute('html', 'lang'), 'de', `${name}: the page speaks German`);
      if (name.endsWith('visit')) await page.waitForSelector('.ranking');
      if (name === 'drawing') await page.waitForSelector('#evidence-box:not([hidden]) .evidence-item');
      if (name === 'audit') await page.waitForSelector('#audit table');
      if (name === 'privacy') await page.waitForSelector('#seen');
      const text = await page.evaluate(() => document.body.innerText);
      for (const leak of LEAKS) {
        const line = text.split('\n').find((l) => leak.test(l));
        assert.equal(line, undefined, `${name} (${size}): ${leak} shows through in "${line}"`);
      }
      await accessible(page, `${name} in German (${size})`);
      if (size === 'phone') await fitsWidth(page, 390);
      await page.screenshot({ path: join(shots, `german-${name}-${size}.png`), fullPage: true });
    }
    assert.deepEqual(problems, [], 'no errors on the pages');
    await context.close();
  });
}
