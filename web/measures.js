// Outcome measures: questionnaires filled in by the patient at home or with
// the practitioner at a visit, each scored by the server, and their trends
// judged against the smallest change that matters to patients (MCID). The
// trend cards are shared with the progress page and the course of care.

import {
  ApiError, change, get, post,
} from './api.js';
import { correctButtons, mayCorrect, refusal } from './corrections.js';
import { patientFrame } from './frame.js';
import {
  day, el, errorBox, field, put, showError, when,
} from './dom.js';
import { language, t, tn } from './i18n.js';
import { chartKey, lineChart } from './plot.js';

// A measure the server no longer holds, in words.
const GONE = () => t('This measure is no longer in the record: it may have been removed in another window or by your clinic. Reload the page to see the record as it is.');

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
  const parts = [];
  if (points.value !== null) {
    parts.push(inst.score.unit === 'percent' ? tn(points.value, '{n} percentage point', '{n} percentage points')
      : tn(points.value, '{n} point', '{n} points'));
  }
  if (percent.value !== null) {
    parts.push(inst.score.higher === 'worse' ? t('{p}% of the score at the start', { p: percent.value })
      : t('{p}% of the room to improve at the start', { p: percent.value }));
  }
  return parts.join(t(' or '));
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
    return el('p', { class: 'placeholder', id: 'no-trends', text: t('No outcome measures yet. Fill one in at the start of care, then again every few visits.') });
  }
  return el('div', { class: 'trend-cards', id: 'trend-cards' }, ids.map((id) => {
    const inst = byId.get(id);
    const trend = trends[id];
    const name = inst ? inst.name : id;
    const worse = !inst || inst.score.higher === 'worse';
    const better = worse ? trend.change < 0 : trend.change > 0;
    const known = inst && (inst.mcid.points.value !== null || inst.mcid.percent.value !== null);
    const verdict = trend.count < 2 ? ['once', t('Measured once: the first score is the baseline.')]
      : trend.meaningful ? ['meaningful', t('A change that matters: at least the MCID, for the better.')]
        : better ? ['small', known ? t('Better, but less than the smallest change that matters.') : t('Better than at the first measure.')]
          : trend.change === 0 ? ['none', t('No change since the first measure.')] : ['worse', t('Worse than at the first measure.')];
    const points = measures.filter((m) => m.instrument === id)
      .map((m) => ({ t: new Date(m.at).getTime(), v: m.score }));
    const target = inst ? mcidTarget(inst, trend.baseline) : null;
    const sign = trend.change > 0 ? '+' : '';
    const higher = worse ? t('higher is worse') : t('higher is better');
    return el('article', { class: `trend-card trend-${verdict[0]}`, 'data-instrument': id, 'data-meaningful': trend.meaningful ? 'yes' : 'no' },
      el('h3', { text: name }),
      el('p', { class: 'trend-numbers' },
        el('strong', { text: trend.count > 1 ? `${scoreText(trend.baseline, inst)} → ${scoreText(trend.latest, inst)}` : scoreText(trend.baseline, inst) }),
        ' ', trend.count > 1 ? t('({change}) over {n} measures, {from} to {to}', {
          change: `${sign}${scoreText(trend.change, inst)}`, n: trend.count, from: day(trend.baseline_at), to: day(trend.latest_at),
        }) : t('on {when}', { when: day(trend.baseline_at) })),
      el('p', { class: `trend-verdict verdict-word-${verdict[0]}`, text: verdict[1] }),
      inst && points.length > 1 ? el('figure', { class: 'chart-figure' },
        lineChart({
          series: [{ key: 'score', label: name, points }],
          min: inst.score.min,
          max: inst.score.max,
          ticks: ticksFor(inst.score.min, inst.score.max),
          line: target !== null ? { v: target, label: t('counts as a real change'), key: 'target' } : null,
          label: `${name}, ${higher}`,
        }),
        el('figcaption', {}, chartKey([['score', t('score ({higher})', { higher })]]),
          target !== null ? ['  ', el('span', { class: 'key key-target' }), ` ${t('the level that counts: {score}', { score: scoreText(target, inst) })}`] : null)) : null,
      inst ? el('p', { class: 'hint' }, known
        ? t('The smallest change that matters (MCID): {mcid}.', { mcid: mcidText(inst) })
        : t('No smallest important change is known for this measure: read the change as a guide only.')) : null);
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
function itemFieldset(item, n, lastName, answer) {
  const name = `item-${item.id}`;
  const legend = el('legend', {}, el('span', { class: 'q-number', text: `${n}. ` }), item.text || itemName(item.id));
  const naming = item.named ? el('div', { class: 'field item-name' },
    el('label', { for: `name-${item.id}`, text: t('The activity') }),
    el('input', {
      type: 'text', id: `name-${item.id}`, name: `name-${item.id}`, maxlength: '100', autocomplete: 'off',
      value: lastName || '', placeholder: t('For example: putting on socks'),
    })) : null;
  const radio = (value, text, cls = 'answer') => el('label', { class: cls },
    el('input', {
      type: 'radio', name, value: String(value), checked: answer === value,
    }), el('span', { text }));
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

// The form of an instrument; with `editing` (a measure kept), its answers
// filled in and saved as a correction of it; `target`: where new answers go
// (default: the record's measures).
export function questionnaire(inst, {
  staff, visits, visit, onSaved, id, lastNames, editing, onCancel, target,
}) {
  const box = el('div', { class: 'questionnaire', id: 'questionnaire', 'data-instrument': inst.id });
  const licensedOnly = textMissing(inst);
  box.append(el('p', { class: 'about', text: inst.about }));
  if (licensedOnly && !staff) {
    box.append(el('p', { class: 'caution', id: 'needs-clinic', text: t('The wording of this questionnaire is licensed, and your clinic has not loaded its copy. Your practitioner can go through it with you at a visit.') }));
    return box;
  }
  if (licensedOnly) {
    box.append(el('p', { class: 'caution', id: 'licensed-note' },
      el('strong', { text: t('The wording is licensed and not loaded.') }), ' ',
      t('Go through the clinic\'s own licensed copy with the patient and enter the number of each answer here.'), ' ',
      t('An administrator can keep the clinic\'s licensed copy in tpt so the questions show here (tpt licence add FILE).')));
  }
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const form = el('form', { class: 'form questions measure-form', id: 'measure-form', novalidate: true }, error,
    inst.items.map((item, i) => itemFieldset(item, i + 1, editing ? (editing.names || {})[item.id] : lastNames[item.id],
      editing ? editing.answers[item.id] : undefined)));
  if (editing) {
    form.prepend(el('p', { class: 'caution', id: 'correcting' }, t('Correcting the measure of {when}: change the answers, then save.', { when: when(editing.at) })));
  }
  if (inst.items.some((i) => i.named)) {
    form.prepend(el('p', { class: 'hint', text: t('Name the activities that the pain makes hard, and rate each. Rate the same ones each time: they are filled in from last time.') }));
  }
  let visitSelect = null;
  if (staff && visits && visits.length && !editing) {
    visitSelect = el('select', { name: 'visit', id: 'measure-visit' },
      el('option', { value: '', text: t('Not at a visit') }),
      [...visits].reverse().map((v) => el('option', {
        value: String(v.number), selected: String(v.number) === String(visit),
        text: v.signed_at ? t('Visit {n}, {when}', { n: v.number, when: day(v.at) }) : t('Visit {n}, {when} (draft)', { n: v.number, when: day(v.at) }),
      })));
    form.append(field(t('Taken at'), visitSelect, t('Measures taken at the third visit and at the end of the planned course are the reassessments.')));
  }
  const need = inst.score.min_answered.value;
  const count = inst.items.length;
  form.append(el('p', { class: 'hint', text: need >= count ? t('Answer every question ({n}).', { n: count }) : t('Answer at least {need} of the {n} questions.', { need, n: count }) }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: editing ? t('Score and save the correction') : t('Score and keep it') }),
      editing ? el('button', {
        type: 'button', class: 'secondary', text: t('Cancel'), onclick: onCancel,
      }) : null));
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
        ? tn(missing.length, 'Answer every question: 1 of {count} is not answered yet.', 'Answer every question: {n} of {count} are not answered yet.', { count })
        : tn(count - missing.length, 'Answer at least {need} of the {count} questions: 1 is answered.', 'Answer at least {need} of the {count} questions: {n} are answered.', { need, count }));
      form.querySelector('.question.missing input')?.focus();
      return;
    }
    const body = { instrument: inst.id, answers };
    if (Object.keys(names).length) body.names = names;
    if (visitSelect && visitSelect.value) body.visit = Number(visitSelect.value);
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { measure } = editing
        ? await change(`/patients/${id}/measures/${editing.id}`, { answers, names: body.names || null })
        : await post(target || `/patients/${id}/measures`, body);
      for (const r of form.querySelectorAll('input[type="radio"]:checked')) r.checked = false;
      await onSaved(measure, Boolean(editing));
    } catch (err) {
      showError(error, editing ? refusal(err, GONE()) : err.message);
    } finally {
      button.disabled = false;
    }
  });
  box.append(form);
  return box;
}

function licenceLine(inst) {
  const l = inst.licence;
  const words = [l.notice, l.text_licence ? t('Item text: {licence}', { licence: l.text_licence }) : null].filter(Boolean).join(' ');
  return words ? el('p', { class: 'hint licence', text: words }) : null;
}

// ---- the page ----

export async function measuresPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'measures');
  if (!frame) return;
  const { id, body } = frame;
  const staff = ctx.me.user.role !== 'patient' && !frame.own;
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
    put(listBox, el('h2', { text: t('Every measure') }), el('div', {
      class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Every measure'),
    }, el('table', { class: 'data measure-table' },
      el('thead', {}, el('tr', {}, [t('Date'), t('Questionnaire'), t('Score'), bands && t('Band'), atVisits && t('Visit'), t('Correct')]
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
          atVisits ? el('td', { text: m.visit ? t('Visit {n}', { n: m.visit }) : '—' }) : null,
          el('td', { class: 'row-actions' }, inst && mayCorrect(ctx, id, m.author) ? correctButtons({
            what: {
              change: t('Change the {name} of {when}', { name: inst.name, when: day(m.at) }),
              remove: t('Remove the {name} of {when}', { name: inst.name, when: day(m.at) }),
              gone: GONE(),
            },
            edit: () => show(m),
            ask: {
              title: t('Remove this measure?'),
              text: t('The {name} of {when} leaves the record; the trends and the clinic\'s figures are worked out again without it. The audit log keeps that it was removed.', { name: inst.name, when: day(m.at) }),
            },
            path: `/patients/${id}/measures/${m.id}`,
            removed: async () => {
              result.replaceChildren(el('p', { class: 'ok', text: t('The measure is removed.') }));
              await load();
            },
          }) : null));
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
  // the form of the chosen instrument, or of a measure being corrected
  const show = (editing = null) => {
    const inst = byId.get(editing ? editing.instrument : picker.value);
    if (editing) picker.value = inst.id;
    picker.disabled = Boolean(editing);
    const named = kept.filter((m) => m.instrument === inst.id && m.names);
    formSlot.replaceChildren(questionnaire(inst, {
      staff,
      visits,
      visit,
      id,
      editing,
      lastNames: named.length ? named[named.length - 1].names : {},
      onCancel: () => show(),
      onSaved: async (m, corrected) => {
        // the trends first, so that what the message confirms is shown with
        // it; the message also when they cannot be read again: it is kept
        const band = bandLabel(inst, m.band);
        const score = `${inst.name}: ${scoreText(m.score, inst)}${band ? ` (${band})` : ''}`;
        try {
          await load();
        } finally {
          result.replaceChildren(el('p', { class: 'ok', id: 'measure-saved' }, el('strong', { text: score }), '. ',
            corrected ? t('The correction is kept.') : m.visit ? t('Kept in the record with visit {n}.', { n: m.visit }) : t('Kept in the record.')));
          if (corrected) show();
          result.scrollIntoView({ block: 'nearest' });
        }
      },
    }));
    put(formSlot, licenceLine(inst));
    if (editing) formSlot.scrollIntoView({ block: 'start' });
  };
  picker.addEventListener('change', () => {
    result.textContent = '';
    show();
  });
  body.append(
    el('p', {
      class: 'lead',
      text: staff
        ? t('Questionnaires that show whether the treatment is working: take them at the intake, at the third visit and at the end of the planned course. A change counts when it reaches the smallest change that matters to patients (MCID).')
        : t('Short questionnaires about your pain and what you can do. Fill one in now and again every week or two: the change shows whether the treatment is working.'),
    }),
    el('h2', { text: t('Change so far') }), trendsBox,
    el('section', { class: 'measure-new', id: 'measure-new', 'aria-labelledby': 'measure-new-title' },
      el('h2', { id: 'measure-new-title', text: t('Fill in a questionnaire') }),
      // a questionnaire is valid only in a validated translation: tpt shows the words it was
      // validated in; its own pain ratings (nrs-leg, nrs-back) are translated
      language() === 'en' ? null : el('p', { class: 'hint', id: 'validated-words', text: t("The validated questionnaires are shown in English, the words they were validated in: a translation counts only once it is validated itself. The two 0 to 10 pain ratings are tpt's own words, shown in your language.") }),
      field(t('Questionnaire'), picker), result, formSlot),
    listBox);
  try {
    await load();
  } catch (err) {
    trendsBox.replaceChildren(errorBox(err instanceof ApiError ? err.message : String(err)));
  }
  show();
}
