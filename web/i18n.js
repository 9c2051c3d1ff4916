// The words of the pages in the person's language. The pages are written in
// English; every text goes through t() (or tn() for a count), which looks it
// up in the language's catalogue (GET /api/v1/messages/LANG, the file
// data/messages/LANG.json) and falls back to the English. {name} in a text
// is filled from the values given: t('Step {i} of {n}', {i: 2, n: 5}).
// The language is the account's choice, else the browser's first that tpt
// speaks, else English; the server answers in the same one (api.js sends it
// as Accept-Language), so data texts and the pages' words agree.

let lang = 'en';
let messages = {};
let plurals = new Intl.PluralRules('en');
let known = [{ id: 'en', name: 'English' }];

export const language = () => lang;
export const languages = () => known;

function fill(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in vars ? String(vars[key]) : whole));
}

// A text of the pages in the chosen language.
export function t(text, vars) {
  const found = messages[text];
  return fill(typeof found === 'string' && found ? found : text, vars);
}

// A text written elsewhere, looked up as t() does: an audit line's fixed
// words, which tests/i18n/check.py reads where the C sources write them.
export const translated = (text) => t(text);

// A text with a count: `other` is its key ("{n} steps"); the catalogue gives
// the language's forms ({one, other, few...} as Intl.PluralRules names them).
export function tn(n, one, other, vars) {
  const forms = messages[other];
  let text;
  if (forms && typeof forms === 'object') text = forms[plurals.select(n)] || forms.other;
  else text = n === 1 ? one : other;
  return fill(text, { n, ...vars });
}

// The languages tpt speaks (GET /api/v1/languages), once at start.
export async function loadLanguages() {
  try {
    const r = await fetch('/api/v1/languages', { credentials: 'same-origin' });
    if (r.ok) known = (await r.json()).languages;
  } catch { /* English only, then */ }
  return known;
}

// The language to use: the one chosen (an account's), else the browser's.
export function pick(chosen) {
  const ids = known.map((l) => l.id);
  if (chosen && ids.includes(chosen)) return chosen;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const primary = String(tag).toLowerCase().split(/[-_]/)[0];
    if (ids.includes(primary)) return primary;
  }
  return 'en';
}

// Loads the catalogue of a language and makes it the pages' language.
export async function useLanguage(id) {
  let next = {};
  if (id !== 'en') {
    try {
      const r = await fetch(`/api/v1/messages/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
      if (!r.ok) throw new Error(String(r.status));
      next = (await r.json()).messages || {};
    } catch {
      id = 'en'; // the English words rather than none
    }
  }
  lang = id;
  messages = next;
  plurals = new Intl.PluralRules(id);
  document.documentElement.lang = id;
  return id;
}
