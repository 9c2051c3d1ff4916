// The audit log's lines in the reader's language (web/audit_words.js),
// without a browser: every line the C sources write, fixed or made from a
// format, reads in German on a German page, keeping its numbers, names and
// addresses; on an English page it reads as written.
//
//   node tests/browser/audit_words.test.mjs SOURCE_ROOT
//
// The modules are copied beside a package.json that makes them ES modules,
// as the browser takes them; fetch and document are stood in for.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

const root = process.argv[2] || new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tpt-audit-words-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
for (const f of ['audit_words.js', 'i18n.js', 'clock.js']) copyFileSync(join(root, 'web', f), join(dir, f));

const catalogue = JSON.parse(readFileSync(join(root, 'data/messages/de.json'), 'utf8'));
globalThis.document = { documentElement: {} };
globalThis.fetch = async () => ({ ok: true, json: async () => catalogue });
const { auditWords } = await import(join(dir, 'audit_words.js'));
const { useLanguage } = await import(join(dir, 'i18n.js'));

// What the C sources write (tests/i18n/check.py reads it from them).
const written = JSON.parse(execFileSync('python3',
  [join(root, 'tests/i18n/check.py'), '--root', root, '--audit'], { encoding: 'utf8' }));

// A line of each format, with the parts of its own that must be kept.
const EXAMPLES = {
  '%.60s %.*s': ['ended the sessions of ana@north.example', ['ana@north.example']],
  "%s the clinic's licensed text of %s": ["replaced the clinic's licensed text of odi", ['odi']],
  'booked a course of %d visits (series %lld)': ['calendar: booked a course of 6 visits (series 41)', ['6', '41']],
  'booked appointment %lld (%s)': ['calendar: booked appointment 17 (online)', ['17', 'online']],
  'calendar: could not send the %s email yet (%s): trying again later':
    ['calendar: could not send the reminder email yet (421 busy): trying again later', ['421 busy']],
  'calendar: sent the %s email%s': ['calendar: sent the confirmation email', []],
  'calendar: the relay refused the %s email: %s': ['calendar: the relay refused the reminder email: 550 no such user', ['550 no such user']],
  'cancelled appointment %lld%s': ['calendar: cancelled appointment 9 (late)', ['9']],
  'corrected log entry %lld': ['corrected log entry 12', ['12']],
  'corrected outcome measure %lld': ['corrected outcome measure 4', ['4']],
  'corrected session %lld': ['corrected session 3', ['3']],
  'made the operator account %.*s': ['made the operator account ops@tpt.example', ['ops@tpt.example']],
  'marked appointment %lld %s': ['calendar: marked appointment 8 no-show', ['8']],
  'moved appointment %lld': ['calendar: moved appointment 8', ['8']],
  'queued the %s email of appointment %lld%s':
    ['calendar: queued the reminder email of appointment 5 (no email address: to tell by hand)', ['5']],
  'refused %.12s %s (%u)': ['refused GET /api/v1/patients/7 (403)', ['GET', '/api/v1/patients/7', '403']],
  'removed %lld audit lines older than %s (a retention of %d days)':
    ['removed 120 audit lines older than 2025-12-07T00:00:00Z (a retention of 365 days)', ['120', '2025-12-07T00:00:00Z', '365']],
  'removed log entry %lld': ['removed log entry 2', ['2']],
  'removed outcome measure %lld': ['removed outcome measure 6', ['6']],
  'removed session %lld': ['removed session 11', ['11']],
  "removed the clinic's licensed text of %s": ["removed the clinic's licensed text of rmdq", ['rmdq']],
  "set the audit log's retention to %d days": ["set the audit log's retention to 400 days", ['400']],
  'withdrew an invitation of %.*s': ['withdrew an invitation of Ana Lima', ['Ana Lima']],
};

// The same line in its other forms: without its suffix, or its kind.
const MORE = ['calendar: cancelled appointment 9', 'calendar: queued the intake email of appointment 5',
  'calendar: booked appointment 17 (staff)', 'calendar: booked appointment 17 (command-line)',
  "added the clinic's licensed text of sbi", 'made an admin of bo@north.example', 'deleted the account bo@north.example',
  'calendar: sent the cancellation email'];

test('the sources were read, and every format has an example here', () => {
  assert.ok(written.fixed.length > 60, `fixed lines read (${written.fixed.length})`);
  assert.ok(written.fixed.includes('read the report') && written.fixed.includes('made an admin of'));
  const without = written.formats.filter((f) => !(f in EXAMPLES));
  assert.deepEqual(without, [], 'formats the C sources write without an example here (add one, and its words)');
});

test('on an English page a line reads as it was written', async () => {
  await useLanguage('en');
  assert.equal(auditWords('read the report'), 'read the report');
  assert.equal(auditWords('calendar: moved appointment 8'), 'Calendar: moved appointment 8');
  assert.equal(auditWords('opened the record (command line)'), 'opened the record (on the server)');
  assert.equal(auditWords('login'), 'signed in');
  for (const [line] of Object.values(EXAMPLES)) assert.ok(auditWords(line).length > 0);
});

test('on a German page every line the sources write reads in German', async () => {
  assert.equal(await useLanguage('de'), 'de');
  for (const phrase of written.fixed) {
    const de = auditWords(phrase);
    assert.notEqual(de, phrase, `"${phrase}" has German words`);
    assert.equal(auditWords(`${phrase} (command line)`), `${de} (auf dem Server)`);
  }
  for (const [line, kept] of [...Object.values(EXAMPLES), ...MORE.map((l) => [l, []])]) {
    const de = auditWords(line);
    const en = line.replace(/^calendar: /, '');
    assert.ok(!de.includes(en), `"${line}" is not left in English: ${de}`);
    for (const part of kept) assert.ok(de.includes(part), `"${line}" keeps ${part}: ${de}`);
    // no English words of the line's own are left, beyond what it keeps
    const english = en.split(/[\s():;,]+/).filter((w) => /^[a-z]{4,}$/.test(w) && !kept.some((k) => k.includes(w)));
    for (const w of english) assert.ok(!new RegExp(`\\b${w}\\b`).test(de), `"${w}" left in: ${de}`);
  }
  assert.equal(auditWords('calendar: marked appointment 8 no-show'), 'Kalender: hat Termin 8 vermerkt: Nicht erschienen');
  assert.equal(auditWords('login'), 'angemeldet');
});

test('a line no page knows is shown as written, never dropped', async () => {
  await useLanguage('de');
  assert.equal(auditWords('tuned the widget 3'), 'tuned the widget 3');
  assert.equal(auditWords(''), '');
});
