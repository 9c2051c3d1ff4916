// The safety questions of a record (the red-flag screen), asked one group at
// a time with the emergency signs first, each in plain words with an
// example. Which questions of the next group are worth asking is the
// server's to say: the answers so far go to POST /screen, which keeps
// nothing, and its `needed` lists the questions whose answer can still
// change the result. So the page never weighs a red flag itself, and an
// emergency ends the questions at once. The tab opens on the last answers
// and their result; "Answer again" goes through the questions once more
// with the last answers filled in.

import { get, getOrNull, post } from './api.js';
import { el, heldBack, levelWords, notice, put, showError, when } from './dom.js';
import { patientFrame } from './frame.js';
import { t, tn } from './i18n.js';

const answerWords = (v) => ({ true: t('Yes'), false: t('No'), 'not-sure': t('Not sure') }[v]);

// A question answered with a whole number (age, weeks) rather than yes or no.
const isNumber = (q) => q.type === 'integer';

export async function screenPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'screen');
  if (!frame) return;
  const { id, body } = frame;
  const [{ groups, questions }, last] = await Promise.all([get('/screen/questions'),
    getOrNull(`/patients/${id}/screen`)]);
  if (!ctx.alive()) return;
  body.append(el('p', {
    class: 'lead',
    text: t('These questions look for signs that need a doctor before any self-treatment. They come a few at a time, the most serious first. If you are not sure, say so. Answer them again whenever something changes.'),
  }));
  const box = el('div', { id: 'screen' });
  body.append(box);
  const asker = { id, groups, questions, box, ctx };
  if (last) showLast(asker, last);
  else ask(asker, {});
}

// The last answers' result, and the way to answer again.
function showLast(asker, last) {
  const again = el('button', { type: 'button', class: 'primary', id: 'answer-again', text: t('Answer again') });
  again.addEventListener('click', () => ask(asker, last.answers || {}));
  asker.box.replaceChildren(
    el('p', { class: 'hint', id: 'screen-last', text: t('Last answered {when}.', { when: when(last.at) }) }),
    resultBox(last.result, asker, again));
}

// ---- asking, a group at a time ----

// Goes through the groups from the first, starting from `prefill` (the last
// answers, or none). `visited` keeps the groups shown and the questions
// asked in each, for Back and for what is sent.
function ask(asker, prefill) {
  const state = { answers: { ...prefill }, visited: [], seq: 0 };
  const first = asker.groups[0].id;
  showGroup(asker, state, 0, asker.questions.filter((q) => q.group === first).map((q) => q.key));
}

// Shows group g, its questions in `open` shown at first; as answers are
// given, questions of the group that can no longer change the result are
// hidden (and come back if an answer changes again).
function showGroup(asker, state, g, open) {
  const { groups, questions, box } = asker;
  const group = groups[g];
  const all = questions.filter((q) => q.group === group.id);
  const step = { g, keys: [] };
  state.visited.push(step);
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const back = el('button', { type: 'button', class: 'secondary', text: t('Back'), hidden: state.visited.length === 1 });
  const next = el('button', { type: 'submit', class: 'primary', text: t('Next') });
  const sets = all.map((q) => {
    const set = questionSet(q, state.answers[q.key]);
    set.hidden = !open.includes(q.key);
    return set;
  });
  const f = el('form', {
    class: 'form questions', novalidate: true, 'data-group': group.id, 'data-step': String(state.visited.length),
  },
  el('div', { class: 'screen-part' },
    el('p', { class: 'part-of', text: t('Part {n} of {count}', { n: g + 1, count: groups.length }) }),
    el('progress', { max: String(groups.length), value: String(g + 1), 'aria-hidden': 'true' })),
  el('h2', { class: 'group-title', tabindex: '-1', text: group.title }),
  el('p', { class: 'hint', text: group.intro }),
  sets, error,
  el('div', { class: 'actions' }, back, next));
  const shown = () => all.filter((q, i) => !sets[i].hidden);
  // a question left shown when the server cannot be asked is only asked once more
  f.addEventListener('change', () => refresh(asker, state, f, all, sets).catch(() => {}));
  back.addEventListener('click', () => {
    state.visited.pop();
    const prev = state.visited.pop();
    showGroup(asker, state, prev.g, prev.keys);
  });
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    const asked = shown();
    if (!readGroup(f, asked, state.answers, error)) return;
    step.keys = asked.map((q) => q.key);
    next.disabled = true;
    back.disabled = true;
    try {
      await onward(asker, state, g);
    } catch (err) {
      showError(error, err.message);
      next.disabled = false;
      back.disabled = false;
    }
  });
  box.replaceChildren(f);
  // keyboard and screen reader users start at the group's title
  if (state.visited.length > 1) f.querySelector('.group-title').focus();
}

// The questions of the group still worth asking, given the answers so far
// and those already chosen in the group: an unanswered one that cannot
// change the result any more is hidden. Only the latest answer counts.
async function refresh(asker, state, f, all, sets) {
  const mine = ++state.seq;
  f.dataset.pending = 'true'; // for tests: the questions shown may change
  const partial = answersSoFar(state);
  all.forEach((q, i) => {
    const v = chosen(f, q);
    if (v !== undefined && !sets[i].hidden) partial[q.key] = v;
  });
  try {
    const r = await post('/screen', partial);
    if (mine !== state.seq || !asker.ctx.alive()) return;
    all.forEach((q, i) => {
      sets[i].hidden = chosen(f, q) === undefined && !r.needed.includes(q.key);
    });
  } finally {
    if (mine === state.seq) delete f.dataset.pending;
  }
}

// After a group: the next group that still has a question worth asking, or
// the result once none has (or once an emergency stands).
async function onward(asker, state, g) {
  const { groups, questions, id, ctx } = asker;
  const sofar = answersSoFar(state);
  const r = await post('/screen', sofar);
  if (!ctx.alive()) return;
  for (let n = g + 1; r.level !== 'emergency' && n < groups.length; n++) {
    const open = questions.filter((q) => q.group === groups[n].id && r.needed.includes(q.key));
    if (open.length) {
      showGroup(asker, state, n, open.map((q) => q.key));
      return;
    }
  }
  const kept = await post(`/patients/${id}/screen`, sofar);
  if (!ctx.alive()) return;
  showLast(asker, { at: new Date().toISOString(), answers: sofar, result: kept });
  asker.box.querySelector('#screen-result').scrollIntoView({ block: 'start' });
}

// The answers of the questions asked so far: what a question left out this
// time was answered before is not sent, as it was not asked.
function answersSoFar(state) {
  const sofar = {};
  for (const { keys } of state.visited) {
    for (const k of keys) if (k in state.answers) sofar[k] = state.answers[k];
  }
  return sofar;
}

// The answer chosen on the form for q, or undefined.
function chosen(f, q) {
  if (isNumber(q)) {
    if (f.elements[`q-${q.key}-unsure`].checked) return 'not-sure';
    const raw = f.elements[`q-${q.key}`].value.trim();
    const n = Number(raw);
    return /^\d+$/.test(raw) && n >= q.min && n <= q.max ? n : undefined;
  }
  const c = f.querySelector(`input[name="q-${CSS.escape(q.key)}"]:checked`);
  if (!c) return undefined;
  return c.value === 'not-sure' ? 'not-sure' : c.value === 'true';
}

function questionSet(q, value) {
  const name = `q-${q.key}`;
  const example = el('p', { class: 'example', id: `${name}-example`, text: q.example });
  const set = el('fieldset', {
    class: 'question', 'data-key': q.key, 'data-level': q.level, 'aria-describedby': example.id,
  }, el('legend', { text: q.question }), example);
  if (isNumber(q)) {
    const input = el('input', {
      type: 'number', name, inputmode: 'numeric', min: q.min ?? 0, max: q.max ?? 9999, step: '1',
      'aria-label': q.question, class: 'number-answer',
      value: typeof value === 'number' ? String(value) : null,
    });
    const unsure = el('input', { type: 'checkbox', name: `${name}-unsure`, value: 'not-sure', checked: value === 'not-sure' });
    input.disabled = unsure.checked;
    unsure.addEventListener('change', () => { input.disabled = unsure.checked; });
    set.append(el('div', { class: 'answer-row' }, input, el('label', { class: 'answer' }, unsure, ' Not sure')));
  } else {
    set.append(el('div', { class: 'answer-row' },
      ['true', 'false', 'not-sure'].map((v) => el('label', { class: 'answer' },
        el('input', { type: 'radio', name, value: v, checked: String(value) === v }), ` ${answerWords(v)}`))));
  }
  return set;
}

// Reads the group's answers into `answers`; false (the unanswered marked,
// the first given focus) while any is missing or out of range.
function readGroup(f, asked, answers, error) {
  const missing = [];
  for (const q of asked) {
    const set = f.querySelector(`[data-key="${CSS.escape(q.key)}"]`);
    set.classList.remove('missing');
    const v = chosen(f, q);
    if (v === undefined) missing.push(set);
    else answers[q.key] = v;
  }
  if (!missing.length) return true;
  for (const set of missing) set.classList.add('missing');
  showError(error, `${tn(missing.length, 'One question is not answered yet: it is marked.', '{n} questions are not answered yet: they are marked.')} ${t('Choose "Not sure" when you do not know.')}`);
  missing[0].querySelector('input').focus();
  return false;
}

// ---- the result ----

// The result of a screen, with `again` (the button to answer again) before
// the notice.
function resultBox(r, { id, questions }, again) {
  const text = new Map(questions.map((q) => [q.key, q.question]));
  const level = r.level || 'none';
  const stop = level === 'emergency' || level === 'urgent' || r.self_care === 'stop';
  const box = el('div', { id: 'screen-result', 'aria-live': 'polite', 'data-level': level });
  const head = el('section', {
    class: stop ? `warning level-${level}` : level === 'soon' ? 'caution' : 'all-clear',
    role: stop ? 'alert' : 'status', 'data-level': level,
  }, el('h2', { text: levelWords(level) || level }));
  // each flag says where to go itself; the level's own words stand alone
  if (!r.flags || !r.flags.length) head.append(el('p', { text: r.advice }));
  else {
    head.append(el('ul', { class: 'flags' }, r.flags.map((f) => el('li', { 'data-flag': f.id },
      el('strong', { text: f.reason || text.get(f.id) || f.id }), ' ', f.advice || ''))));
  }
  if (stop) head.append(el('p', { class: 'blocked-what', text: heldBack() }));
  box.append(head);
  const open = r.missing || [];
  if (!stop && !r.complete && open.length) {
    box.append(el('section', { class: 'caution', id: 'screen-open' },
      el('h2', { text: t('Not yet clear') }),
      el('p', { text: t('These serious questions are not answered, or were answered "not sure", so this screen cannot clear self-treatment yet. Find out (a clinician can help) and answer again:') }),
      el('ul', {}, open.map((k) => el('li', { text: text.get(k) || k })))));
  }
  if (r.unsure && r.unsure.length) {
    box.append(el('p', { class: 'hint', text: tn(r.unsure.length, 'Answered "not sure": 1. Ask a clinician about it.', 'Answered "not sure": {n}. Ask a clinician about them.') }));
  }
  if (!stop && r.complete) {
    box.append(el('p', { class: 'next' },
      el('a', { class: 'primary button-link', href: `#/patients/${id}/map`, text: t('Next: mark where it hurts') })));
  } else if (stop) {
    box.append(el('p', {}, el('a', { href: `#/patients/${id}`, text: t('Back to the record') })));
  }
  return put(box, el('div', { class: 'actions' }, again), notice(r.notice));
}
