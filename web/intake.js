// Before the first visit (#/intake/TOKEN), without an account: the person
// tells the history of their pain, marks where it hurts on the body chart
// and fills in the questionnaires; the practitioner opens the visit with
// all of it there. The link shows when and where, and which parts are done;
// nothing else of the record.

import { ApiError, get, post, change } from './api.js';
import { mountMap } from './chart.js';
import { el, errorBox, field, notice, pageTitle, put, submitForm } from './dom.js';
import { whenWords } from './clock.js';
import { t } from './i18n.js';
import { questionnaire } from './measures.js';

const FACTORS = () => ({
  'repetitive-use': t('The same movement again and again (work, sport)'),
  posture: t('Posture'),
  'long-sitting': t('Long spells of sitting or driving'),
  trauma: t('A fall, a knock or a strain'),
  stress: t('Stress'),
});

function painSelect(name, label) {
  return field(label, el('select', { name, id: `intake-${name}` },
    el('option', { value: '', text: t('Choose') }),
    Array.from({ length: 11 }, (_, i) => el('option', { value: String(i), text: i === 0 ? t('{n} (none)', { n: i }) : i === 10 ? t('{n} (the worst)', { n: i }) : String(i) }))));
}

function historyForm(token, done) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const text = (name, label, hint) => field(label, el('textarea', { name, id: `intake-${name}`, rows: '2', maxlength: '2000' }), hint);
  const f = el('form', { class: 'form', id: 'intake-history', novalidate: true }, error,
    el('div', { class: 'field-row' }, painSelect('leg_pain', t('Leg pain now, 0 to 10')), painSelect('back_pain', t('Back pain now, 0 to 10'))),
    text('onset', t('When did it start?'), t('For example: three weeks ago, after gardening.')),
    text('how_started', t('How did it start?')),
    field(t('How many weeks has it lasted?'), el('input', { type: 'number', name: 'duration_weeks', id: 'intake-duration_weeks', min: '0', max: '5200', inputmode: 'numeric' })),
    text('aggravating', t('What makes it worse?')),
    text('easing', t('What eases it?')),
    el('fieldset', { class: 'modality-boxes' }, el('legend', { text: t('What may keep it going (tick any)') }),
      Object.entries(FACTORS()).map(([id, words]) => el('label', { class: 'check-line' },
        el('input', { type: 'checkbox', name: 'perpetuating', value: id }), el('span', { text: words })))),
    text('work', t('Your work, and how you spend the day')),
    field(t('Hours of sitting a day'), el('input', { type: 'number', name: 'sitting_hours', id: 'intake-sitting_hours', min: '0', max: '24', step: '0.5', inputmode: 'decimal' })),
    text('prior_treatments', t('Treatments so far (and how they helped)')),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Send my answers') })));
  submitForm(f, error, async () => {
    const v = (n) => f.elements[n].value.trim();
    const history = {};
    for (const n of ['onset', 'how_started', 'aggravating', 'easing', 'work', 'prior_treatments']) if (v(n)) history[n] = v(n);
    if (v('duration_weeks')) history.duration_weeks = Number(v('duration_weeks'));
    if (v('sitting_hours')) history.sitting_hours = Number(v('sitting_hours'));
    const factors = [...f.querySelectorAll('input[name="perpetuating"]:checked')].map((i) => i.value);
    if (factors.length) history.perpetuating = factors;
    const subjective = { history };
    if (v('leg_pain') !== '') subjective.leg_pain = Number(v('leg_pain'));
    if (v('back_pain') !== '') subjective.back_pain = Number(v('back_pain'));
    if (!Object.keys(history).length && subjective.leg_pain === undefined) {
      throw new ApiError(t('Answer at least one question.'), 0, { error: { field: 'onset' } });
    }
    try {
      await change(`/intake/${token}`, { subjective });
    } catch (err) {
      // "subjective.history.duration_weeks" names the input "duration_weeks"
      const name = (err.field || '').split('.').pop();
      throw new ApiError(err.message, err.status, { error: { code: err.code, field: name } });
    }
    done();
  }, true);
  return f;
}

function part(id, title, done, ...children) {
  return el('section', { class: `intake-part${done ? ' done' : ''}`, id, 'data-done': done ? 'yes' : 'no' },
    el('h2', {}, title, done ? el('span', { class: 'done-mark', text: t(' · done') }) : null), ...children);
}

export async function intakePage(view, ctx) {
  view.classList.add('wide');
  const token = ctx.params.token;
  let intake;
  try {
    intake = await get(`/intake/${encodeURIComponent(token)}`);
  } catch (err) {
    // one answer for a link that never was, is over or was withdrawn: the
    // server tells nobody which tokens once existed
    view.append(pageTitle(t('Before your visit')), errorBox(err.code === 'link-unusable'
      ? t('This link cannot be used: it may have been withdrawn or never existed. Check that the whole link was copied from the email, or ask your clinic for a new one.')
      : err.message));
    return;
  }
  if (!ctx.alive()) return;
  const a = intake.appointment;
  view.append(pageTitle(t('Before your visit')),
    el('p', { class: 'lead', id: 'intake-when' },
      a.practitioner
        ? t('{clinic}, {when} ({zone} time) with {name}.', { clinic: intake.clinic.name, when: whenWords(a.local_start), zone: a.zone, name: a.practitioner.name })
        : t('{clinic}, {when} ({zone} time).', { clinic: intake.clinic.name, when: whenWords(a.local_start), zone: a.zone }),
      ' ', t('Your practitioner reads what you give here before you meet.'), ' ',
      t('Each part is saved on its own: do them in any order, and stop when you like.')));
  const said = el('p', { class: 'ok', role: 'status', hidden: true });
  const reload = (text) => {
    sessionStorage.setItem('tpt-intake-said', text);
    ctx.go(`/intake/${token}`);
  };
  const before = sessionStorage.getItem('tpt-intake-said');
  if (before) {
    said.textContent = before;
    said.hidden = false;
    sessionStorage.removeItem('tpt-intake-said');
  }
  view.append(said);
  const d = intake.done;
  view.append(part('intake-part-history', t('1. Your pain and its history'), d.history,
    d.history ? el('p', { class: 'hint', text: t('Sent. You may send it again to change it.') }) : null,
    historyForm(token, () => reload(t('Thank you: your history is saved.')))));
  const chart = el('div', { id: 'intake-chart' });
  view.append(part('intake-part-drawing', t('2. Where it hurts'), d.drawing,
    el('p', { class: 'hint', text: t('Mark where you feel pain, tingling or numbness, then press the button under the chart to send it.') }), chart));
  const { ready } = mountMap(chart, {
    analyse: async (marks) => {
      const answer = await post(`/intake/${token}/map`, { marks });
      said.textContent = t('Thank you: your drawing is saved.');
      said.hidden = false;
      return answer;
    },
    storageKey: `tpt-intake-${token.slice(0, 12)}`,
  });
  await ready;
  const forms = el('div', { id: 'intake-measures' });
  view.append(part('intake-part-measures', t('3. Short questionnaires'), d.measures > 0,
    el('p', { class: 'hint', text: d.measures ? t('{n} sent. You may send others.', { n: d.measures }) : t('They show later whether the treatment helps.') }), forms));
  for (const inst of intake.instruments) {
    const q = questionnaire(inst, {
      staff: false, lastNames: {}, target: `/intake/${token}/measures`,
      onSaved: async () => reload(t('Thank you: {name} is saved.', { name: inst.name })),
    });
    // several on one page: their ids would repeat
    for (const withId of [q, ...q.querySelectorAll('#measure-form')]) withId.removeAttribute('id');
    forms.append(el('details', { class: 'intake-instrument', 'data-instrument': inst.id },
      el('summary', { text: inst.name }), q));
  }
  put(view, notice());
}
