// Outcome measures: questionnaires filled in by the patient at home or with
// the practitioner at a visit, each scored by the server, and their trends
// judged against the smallest change that matters to patients (MCID). The
// trend cards are shared with the progress page and the course of care.

import { ApiError, get, post } from './api.js';
import { patientFrame } from './frame.js';
import { day, el, errorBox, field, put, showError, when } from './dom.js';
import { chartKey, lineChart } from './plot.js';

// ---- scores and their words ----

export function scoreText(value, inst) {
  if (value === null || value === undefined) return '—';
  const v = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return inst && inst.score.unit === 'percent' ? `${v}%` : v;
}

function bandLabel(inst, id) {
  if (!id || !inst || !inst.bands) return null;
  const band = inst.bands.list.find((b) => b.id === id);
  return band ? band.label : id;
}

// The MCID in words: "2 points or 30% of the score at the start".
function mcidText(inst) {
  const { points, percent } = inst.mcid;
  const unit = inst.score.unit === 'percent' ? ' percentage points' : ' points';
  const parts = [];
  if (points.value !== null) parts.push(`${points.value}${points.value === 1 ? ' point' : unit}`);
  if (percent.value !== null) {
    parts.push(`${percent.value}% of the ${inst.score.higher === 'worse' ? 'score at the start' : 'room to improve at the start'}`);
  }
  return parts.join(' or ');
}

// The score a later measure must reach for the change from `baseline` to
// count, the easier of the MCID's points and percent (as the server judges);
// null when the instrument has no known MCID.
export function mcidTarget(inst, baseline) {
  const worse = inst.score.higher === 'worse';
  const room = worse ? baseline - inst.score.min : inst.score.max - baseline;
  const gains = [];
  if (inst.mcid.points.value !== null) gains.push(inst.mcid.points.value);
  if (inst.mcid.percent.value !== null && room > 0) gains.push((inst.mcid.percent.value / 100) * room);
  if (!gains.length) return null;
  const gain = Math.min(...gains);
  const target = worse ? baseline - gain : baseline + gain;
  return Math.round(target * 10) / 10;
}

function ticksFor(min, max) {
  const span = max - min;
  const step = [1, 2, 3, 5, 10, 20, 25, 50].find((s) => span / s <= 6) || span;
  const ticks = [];
  for (let v = min; v <= max + 1e-9; v += step) ticks.push(v);
  return ticks;
}

// ---- trends ----

// One card per instrument measured: first and latest score, whether the
// change counts, and the scores over time with the level that would count.
export function trendCards(instruments, measures, trends) {
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const ids = Object.keys(trends || {});
  if (!ids.length) {
    return el('p', { class: 'placeholder', id: 'no-trends', text: 'No outcome measures yet. Fill one in at the start of care, then again every few visits.' });
  }
  return el('div', { class: 'trend-cards', id: 'trend-cards' }, ids.map((id) => {
    const inst = byId.get(id);
    const t = trends[id];
    const name = inst ? inst.name : id;
    const worse = !inst || inst.score.higher === 'worse';
    const better = worse ? t.change < 0 : t.change > 0;
    const known = inst && (inst.mcid.points.value !== null || inst.mcid.percent.value !== null);
    const verdict = t.count < 2 ? ['once', 'Measured once: the first score is the baseline.']
      : t.meaningful ? ['meaningful', 'A change that matters: at least the MCID, for the better.']
        : better ? ['small', known ? 'Better, but less than the smallest change that matters.' : 'Better than at the first measure.']
          : t.change === 0 ? ['none', 'No change since the first measure.'] : ['worse', 'Worse than at the first measure.'];
    const points = measures.filter((m) => m.instrument === id)
      .map((m) => ({ t: new Date(m.at).getTime(), v: m.score }));
    const target = inst ? mcidTarget(inst, t.baseline) : null;
    const sign = t.change > 0 ? '+' : '';
    return el('article', { class: `trend-card trend-${verdict[0]}`, 'data-instrument': id, 'data-meaningful': t.meaningful ? 'yes' : 'no' },
      el('h3', { text: name }),
      el('p', { class: 'trend-numbers' },
        el('strong', { text: t.count > 1 ? `${scoreText(t.baseline, inst)} → ${scoreText(t.latest, inst)}` : scoreText(t.baseline, inst) }),
        t.count > 1 ? ` (${sign}${scoreText(t.change, inst)}) over ${t.count} measures, ${day(t.baseline_at)} to ${day(t.latest_at)}` : ` on ${day(t.baseline_at)}`),
      el('p', { class: `trend-verdict verdict-word-${verdict[0]}`, text: verdict[1] }),
      inst && points.length > 1 ? el('figure', { class: 'chart-figure' },
        lineChart({
          series: [{ key: 'score', label: name, points }],
          min: inst.score.min,
          max: inst.score.max,
          ticks: ticksFor(inst.score.min, inst.score.max),
          line: target !== null ? { v: target, label: 'counts as a real change', key: 'target' } : null,
          label: `${name}, ${worse ? 'higher is worse' : 'higher is better'}`,
        }),
        el('figcaption', {}, chartKey([['score', `score (${worse ? 'higher is worse' : 'higher is better'})`]]),
          target !== null ? ['  ', el('span', { class: 'key key-target' }), ` the level that counts: ${scoreText(target, inst)}`] : null)) : null,
      inst ? el('p', { class: 'hint' }, known
        ? `The smallest change that matters (MCID): ${mcidText(inst)}.`
        : 'No smallest important change is known for this measure: read the change as a guide only.') : null);
  }));
}

// ---- the questionnaire ----

// "section-3" → "Section 3": the name of an item whose words are licensed.
function itemName(id) {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const textMissing = (inst) => inst.items.some((i) => !i.text || (i.options && i.options.some((o) => !o.text)));

// One question: a row of numbers for a rating, a list of statements for a
// choice. Answers are radio buttons named by the item's id. A named item
// (a PSFS activity) has a box for what is rated, filled with last time's.
function itemFieldset(item, n, lastName) {
  const name = `item-${item.id}`;
  const legend = el('legend', {}, el('span', { class: 'q-number', text: `${n}. ` }), item.text || itemName(item.id));
  const naming = item.named ? el('div', { class: 'field item-name' },
    el('label', { for: `name-${item.id}`, text: 'The activity' }),
    el('input', {
      type: 'text', id: `name-${item.id}`, name: `name-${item.id}`, maxlength: '100', autocomplete: 'off',
      value: lastName || '', placeholder: 'For example: putting on socks',
    })) : null;
  const radio = (value, text, cls = 'answer') => el('label', { class: cls },
    el('input', { type: 'radio', name, value: String(value) }), el('span', { text }));
  if (item.range) {
    const values = [];
    for (let v = item.range.min; v <= item.range.max; v++) values.push(v);
    const row = el('div', { class: 'scale-row' }, values.map((v) => radio(v, String(v), 'answer scale-answer')));
    row.style.gridTemplateColumns = `repeat(${values.length}, minmax(0, 1fr))`;
    const anchors = item.range.anchors || [];
    const lo = anchors.find((a) => a.value === item.range.min);
    const hi = anchors.find((a) => a.value === item.range.max);
    return el('fieldset', { class: 'question', 'data-item': item.id }, legend, naming, row,
      lo || hi ? el('p', { class: 'pain-ends hint' }, el('span', { text: lo ? `${lo.value}: ${lo.text}` : '' }),
        el('span', { text: hi ? `${hi.value}: ${hi.text}` : '' })) : null);
  }
  const worded = item.options.every((o) => o.text);
  return el('fieldset', { class: 'question', 'data-item': item.id }, legend,
    el('div', { class: worded ? 'choice-list' : 'answer-row' },
      item.options.map((o) => radio(o.value, o.text || String(o.value), worded ? 'answer choice' : 'answer'))));
}

function questionnaire(inst, { staff, visits, visit, onSaved, id, lastNames }) {
  const box = el('div', { class: 'questionnaire', id: 'questionnaire', 'data-instrument': inst.id });
  const licensedOnly = textMissing(inst);
  box.append(el('p', { class: 'about', text: inst.about }));
  if (licensedOnly && !staff) {
    box.append(el('p', { class: 'caution', id: 'needs-clinic', text: 'The wording of this questionnaire is licensed, and your clinic has not loaded its copy. Your practitioner can go through it with you at a visit.' }));
    return box;
  }
  if (licensedOnly) {
    box.append(el('p', { class: 'caution', id: 'licensed-note' },
      el('strong', { text: 'The wording is licensed and not loaded. ' }),
      'Go through the clinic\'s own licensed copy with the patient and enter the number of each answer here. ',
      'An administrator can load the clinic\'s copy so the questions show here (tpt serve --instrument-text).'));
  }
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const form = el('form', { class: 'form questions measure-form', id: 'measure-form', novalidate: true }, error,
    inst.items.map((item, i) => itemFieldset(item, i + 1, lastNames[item.id])));
  if (inst.items.some((i) => i.named)) {
    form.prepend(el('p', { class: 'hint', text: 'Name the activities that the pain makes hard, and rate each. Rate the same ones each time: they are filled in from last time.' }));
  }
  let visitSelect = null;
  if (staff && visits && visits.length) {
    visitSelect = el('select', { name: 'visit', id: 'measure-visit' },
      el('option', { value: '', text: 'Not at a visit' }),
      [...visits].reverse().map((v) => el('option', {
        value: String(v.number), selected: String(v.number) === String(visit),
        text: `Visit ${v.number}, ${day(v.at)}${v.signed_at ? '' : ' (draft)'}`,
      })));
    form.append(field('Taken at', visitSelect, 'Measures taken at the third visit and at the end of the planned course are the reassessments.'));
  }
  const need = inst.score.min_answered.value;
  const count = inst.items.length;
  form.append(el('p', { class: 'hint', text: need >= count ? `Answer every question (${count}).` : `Answer at least ${need} of the ${count} questions.` }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Score and keep it' })));
  form.addEventListener('change', (e) => e.target.closest('.question')?.classList.remove('missing'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    const answers = {};
    const names = {};
    const missing = [];
    for (const item of inst.items) {
      const picked = form.querySelector(`input[name="item-${CSS.escape(item.id)}"]:checked`);
      if (picked) answers[item.id] = Number(picked.value);
      else missing.push(item.id);
      const named = item.named && form.elements[`name-${item.id}`].value.trim();
      if (named && picked) names[item.id] = named;
    }
    for (const q of form.querySelectorAll('.question')) q.classList.toggle('missing', missing.includes(q.dataset.item) && count - missing.length < need);
    if (count - missing.length < need) {
      showError(error, need >= count
        ? `Answer every question: ${missing.length} of ${count} ${missing.length === 1 ? 'is' : 'are'} not answered yet.`
        : `Answer at least ${need} of the ${count} questions: ${count - missing.length} ${count - missing.length === 1 ? 'is' : 'are'} answered.`);
      form.querySelector('.question.missing input')?.focus();
      return;
    }
    const body = { instrument: inst.id, answers };
    if (Object.keys(names).length) body.names = names;
    if (visitSelect && visitSelect.value) body.visit = Number(visitSelect.value);
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { measure } = await post(`/patients/${id}/measures`, body);
      for (const r of form.querySelectorAll('input[type="radio"]:checked')) r.checked = false;
      await onSaved(measure);
    } catch (err) {
      showError(error, err.message);
    } finally {
      button.disabled = false;
    }
  });
  box.append(form);
  return box;
}

function licenceLine(inst) {
  const l = inst.licence;
  const words = [l.notice, l.text_licence ? `Item text: ${l.text_licence}` : null].filter(Boolean).join(' ');
  return words ? el('p', { class: 'hint licence', text: words }) : null;
}

// ---- the page ----

export async function measuresPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'measures');
  if (!frame) return;
  const { id, body } = frame;
  const staff = ctx.me.user.role !== 'patient';
  const [{ instruments }, visitList] = await Promise.all([
    get('/instruments'),
    staff ? get(`/patients/${id}/visits`).catch(() => null) : null,
  ]);
  if (!ctx.alive()) return;
  const visits = visitList ? visitList.visits : [];
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const trendsBox = el('div', { id: 'measure-trends' });
  const listBox = el('div', { id: 'measure-list' });
  const result = el('div', { id: 'measure-result', role: 'status' });

  let kept = [];
  async function load() {
    const { measures, trends } = await get(`/patients/${id}/measures`);
    kept = measures;
    trendsBox.replaceChildren(trendCards(instruments, measures, trends));
    listBox.textContent = '';
    if (!measures.length) return;
    const rows = [...measures].reverse();
    // band and visit columns only where some measure has one, to fit a phone
    const bands = rows.some((m) => m.band);
    const atVisits = rows.some((m) => m.visit);
    put(listBox, el('h2', { text: 'Every measure' }), el('div', { class: 'table-wrap' }, el('table', { class: 'data measure-table' },
      el('thead', {}, el('tr', {}, ['Date', 'Questionnaire', 'Score', bands && 'Band', atVisits && 'Visit']
        .filter(Boolean).map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows.map((m) => {
        const inst = byId.get(m.instrument);
        return el('tr', { 'data-measure': String(m.id) },
          el('td', {}, el('time', { datetime: m.at, title: when(m.at), text: day(m.at) })),
          el('td', {}, inst ? inst.name : m.instrument, m.names ? el('span', {
            class: 'hint measure-names',
            text: Object.entries(m.names).map(([item, name]) => `${name}: ${m.answers[item]}`).join('; '),
          }) : null),
          el('td', { class: 'num', text: scoreText(m.score, inst) }),
          bands ? el('td', { text: bandLabel(inst, m.band) || '—' }) : null,
          atVisits ? el('td', { text: m.visit ? `Visit ${m.visit}` : '—' }) : null);
      })))));
  }

  // the visit a measure is for: the one asked for, else a draft (the visit
  // under way), else none
  const draft = [...visits].reverse().find((v) => !v.signed_at);
  const visit = ctx.query.get('visit') || (draft ? draft.number : '');
  const chosen = byId.has(ctx.query.get('instrument')) ? ctx.query.get('instrument') : 'nrs-leg';
  const picker = el('select', { id: 'measure-instrument', name: 'instrument' },
    instruments.map((i) => el('option', { value: i.id, selected: i.id === chosen, text: i.name })));
  const formSlot = el('div', {});
  const show = () => {
    const inst = byId.get(picker.value);
    const named = kept.filter((m) => m.instrument === inst.id && m.names);
    formSlot.replaceChildren(questionnaire(inst, {
      staff, visits, visit, id, lastNames: named.length ? named[named.length - 1].names : {},
      onSaved: async (m) => {
        // the trends first, so that what the message confirms is shown with
        // it; the message also when they cannot be read again: it is kept
        const band = bandLabel(inst, m.band);
        try {
          await load();
        } finally {
          result.replaceChildren(el('p', { class: 'ok', id: 'measure-saved' },
            el('strong', { text: `${inst.name}: ${scoreText(m.score, inst)}` }),
            band ? ` (${band})` : '', '. Kept in the record', m.visit ? ` with visit ${m.visit}.` : '.'));
          result.scrollIntoView({ block: 'nearest' });
        }
      },
    }));
    put(formSlot, licenceLine(inst));
  };
  picker.addEventListener('change', () => {
    result.textContent = '';
    show();
  });
  body.append(
    el('p', { class: 'lead', text: staff
      ? 'Questionnaires that show whether the treatment is working: take them at the intake, at the third visit and at the end of the planned course. A change counts when it reaches the smallest change that matters to patients (MCID).'
      : 'Short questionnaires about your pain and what you can do. Fill one in now and again every week or two: the change shows whether the treatment is working.' }),
    el('h2', { text: 'Change so far' }), trendsBox,
    el('section', { class: 'measure-new', id: 'measure-new', 'aria-labelledby': 'measure-new-title' },
      el('h2', { id: 'measure-new-title', text: 'Fill in a questionnaire' }),
      field('Questionnaire', picker), result, formSlot),
    listBox);
  try {
    await load();
  } catch (err) {
    trendsBox.replaceChildren(errorBox(err instanceof ApiError ? err.message : String(err)));
  }
  show();
}
