// The words of the server's refusals (web/refusals.js) without a browser:
// every code the server can answer is either said in plain words or named
// here as one no page can meet; in German each worded code and field gives
// German words, never the server's English; an English page keeps the
// server's sentence only for a code no page can meet.
//
//   node tests/browser/refusals_words.test.mjs SOURCE_ROOT
//
// The two modules are copied beside a package.json that makes them ES
// modules, as the browser takes them; fetch and document are stood in for.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

const root = process.argv[2] || new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tpt-refusals-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
for (const f of ['refusals.js', 'i18n.js']) copyFileSync(join(root, 'web', f), join(dir, f));

const catalogue = JSON.parse(readFileSync(join(root, 'data/messages/de.json'), 'utf8'));
globalThis.document = { documentElement: {} };
globalThis.fetch = async (url) => {
  assert.equal(url, '/api/v1/messages/de');
  return { ok: true, json: async () => catalogue };
};
const { plainError, worded } = await import(join(dir, 'refusals.js'));
const { useLanguage } = await import(join(dir, 'i18n.js'));

// The codes no page can meet: a page always sends a JSON object with its
// content type, from its own origin, by the method the endpoint takes.
// "internal" is any 500, said by its status; "other-release" answers a
// file of the pages themselves, never an API request.
const UNREACHABLE = ['invalid-json', 'method-not-allowed', 'unsupported-media-type', 'cross-origin', 'internal',
  'other-release'];

// The third argument of each srv_reply_error call in src/server/*.c: the
// code, or a choice of codes (a ? "x" : "y").
function serverCodes() {
  const codes = new Set(['invalid-field', 'conflict', 'unavailable', 'internal']); // srv_reply_failed's
  const dirPath = join(root, 'src/server');
  for (const name of readdirSync(dirPath).filter((n) => n.endsWith('.c'))) {
    const src = readFileSync(join(dirPath, name), 'utf8');
    for (const m of src.matchAll(/srv_reply_error\(/g)) {
      let i = m.index + m[0].length;
      let depth = 0;
      let commas = 0;
      let arg = '';
      for (; i < src.length && commas < 3; i++) {
        const c = src[i];
        if (c === '"') {
          const end = src.indexOf('"', i + 1);
          if (commas === 2) arg += src.slice(i, end + 1);
          i = end;
        } else if (c === '(') depth++;
        else if (c === ')') { if (depth-- === 0) break; } else if (c === ',' && depth === 0) commas++;
      }
      for (const lit of arg.matchAll(/"([a-z]+(?:-[a-z]+)*)"/g)) codes.add(lit[1]);
    }
  }
  return codes;
}

const refusal = (code, extra = {}) => ({ error: { code, message: 'the server\'s own english sentence', ...extra } });
const ENGLISH = /server's own english/i; // the refusal's message, never shown for a worded code

test('every code the server answers is worded or named as one no page can meet', () => {
  const codes = serverCodes();
  assert.ok(codes.size > 30, `the codes were read (${codes.size})`);
  for (const code of ['weak-password', 'slot-taken', 'hold-expired', 'booking-closed', 'booking-stopped',
    'plan-required', 'own-account', 'no-licence-needed', 'invalid-drawing', 'screen-incomplete', 'invalid-answer']) {
    assert.ok(codes.has(code), `the server has ${code}`);
  }
  const missing = [...codes].filter((c) => !worded.codes.includes(c) && !UNREACHABLE.includes(c) && c !== 'invalid-field');
  assert.deepEqual(missing, [], 'codes without words');
  for (const c of UNREACHABLE) assert.ok(!worded.codes.includes(c), `${c} is either worded or unreachable`);
});

// The English words of each code, as an English page says them.
const englishWords = new Map();

test('on an English page: the words, and the server\'s sentence only for a code no page meets', async () => {
  assert.equal(await useLanguage('en'), 'en');
  assert.equal(plainError(409, refusal('slot-taken', { field: 'start' })), 'Someone has just taken this time. Choose another time.');
  assert.equal(plainError(400, refusal('weak-password', { field: 'password' })),
    'Use a password of 10 to 256 characters. A few words together are easy to remember and hard to guess.');
  assert.equal(plainError(400, refusal('invalid-field', { field: 'phone' })), 'Phone: use digits, spaces and + - ( ) only.');
  assert.equal(plainError(405, { error: { code: 'method-not-allowed', message: '/me takes GET' } }), '/me takes GET.');
  assert.equal(plainError(400, { error: { code: 'invalid-field', field: 'no_form_has_it', message: 'no such field' } }), 'No such field.');
  assert.equal(plainError(404, null), 'This was not found.');
  assert.equal(plainError(413, null), 'That is too large to send. Make it shorter and try again.');
  for (const code of worded.codes) englishWords.set(code, plainError(409, refusal(code)));
  for (const [code, words] of englishWords) assert.doesNotMatch(words, ENGLISH, code);
});

test('in German every worded code and field is German, never the server\'s English', async () => {
  assert.equal(await useLanguage('de'), 'de');
  for (const code of worded.codes) {
    const words = plainError(409, refusal(code));
    assert.doesNotMatch(words, ENGLISH, code);
    assert.equal(words, catalogue.messages[englishWords.get(code)], `${code}: the catalogue's German`);
  }
  for (const field of worded.fields) {
    const words = plainError(400, refusal('invalid-field', { field }));
    assert.ok(Object.values(catalogue.messages).includes(words), `${field}: "${words}" is German`);
  }
  // a field inside a list or an object goes by its last name
  assert.equal(plainError(400, refusal('invalid-field', { field: 'times[3]' })), plainError(400, refusal('invalid-field', { field: 'times' })));
  assert.equal(plainError(400, refusal('invalid-field', { field: 'subjective.history.sitting_hours' })),
    'Stunden Sitzen am Tag: Geben Sie eine Zahl von 0 bis 24 an.');
  // the current password refused: said as such, not as a sign-in
  assert.equal(plainError(403, refusal('bad-credentials', { field: 'current' })), 'Das jetzige Passwort stimmt nicht. Bitte geben Sie es noch einmal ein.');
  assert.equal(plainError(401, refusal('bad-credentials')), 'Diese E-Mail-Adresse und dieses Passwort passen zu keinem Konto.');
  // a field or a code no page sends: German words, not the English sentence
  assert.equal(plainError(400, refusal('invalid-field', { field: 'no_form_has_it' })),
    'Eine Angabe wurde nicht angenommen. Bitte prüfen Sie das Formular und versuchen Sie es erneut.');
  assert.equal(plainError(405, refusal('method-not-allowed')),
    'tpt hat dies abgelehnt (405). Laden Sie die Seite neu und versuchen Sie es erneut; wenn es wieder passiert, sagen Sie es Ihrer Praxis.');
  assert.equal(plainError(500, refusal('internal')), 'Auf dem Server ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.');
  assert.equal(plainError(503, refusal('unavailable')), 'tpt ist gerade ausgelastet oder startet neu. Bitte versuchen Sie es gleich noch einmal.');
});
