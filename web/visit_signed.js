// A signed visit note, to read: locked, with its amendments, each kept with
// its author and time, and a form to add one.

import { post, url } from './api.js';
import { el, field, notice, put, showError, when } from './dom.js';
import { language, t, tn } from './i18n.js';
import {
  areas, checks, findingName, isNormal, perpetuating, parseMark, pointName, sideName, stretchName,
} from './note_words.js';
import { kindWords } from './chart.js';
import { assessmentResult } from './visit_assessment.js';
import { mountChart, placeChart, showMarkers } from './visit_chart.js';
import { heldLevel, layout, soap } from './visit_layout.js';

function dl(pairs) {
  const rows = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  if (!rows.length) return null;
  return el('dl', { class: 'facts note-facts' }, rows.map(([k, v]) => [el('dt', { text: k }),
    el('dd', {}, Array.isArray(v) ? el('ul', { class: 'plain' }, v.map((x) => el('li', {}, x))) : v)]));
}

const nothing = () => el('p', { class: 'placeholder', text: t('Nothing recorded.') });

// What signing carried into the patient's own record (the sign's answer).
function reachedRecord(what, id) {
  const words = {
    plan: t('The drawing, the findings and the home program are now the patient\'s own: their record shows this drawing, and the plan is made from it.'),
    drawing: t('The drawing and the findings are now the drawing of the patient\'s own record.'),
    'screen-required': t('The drawing is in the patient\'s own record. The home program becomes their plan once the safety questions are answered:'),
    'self-care-stopped': t('The drawing is in the patient\'s own record. No home program reaches it while a warning stands.'),
  }[what];
  if (!words) return null;
  return el('p', { class: what === 'plan' || what === 'drawing' ? 'ok' : 'caution', id: 'record-reached', role: 'status' }, words,
    what === 'screen-required' ? [' ', el('a', { href: `#/patients/${id}/screen`, text: t('answer them now') }), '.'] : null);
}

export async function signedView(page) {
  const { ctx, id, body, info, visit, words, author } = page;
  const { muscles } = words;
  const note = visit.note || {};
  const S = note.subjective || {};
  const H = S.history || {};
  const O = note.objective || {};
  const P = note.plan || {};
  body.append(el('div', { class: 'signed-box', id: 'visit-status', 'data-signed': 'true' },
    el('p', {}, el('span', { class: 'status status-signed', text: t('Signed') }), ' ',
      t('{signed} by {signer}. Written {written} by {author}.', {
        signed: when(visit.signed_at), signer: author(visit.signed_by, visit.signed_by_name), written: when(visit.at), author: author(visit.author, visit.author_name),
      })),
    el('p', { class: 'hint', text: t('A signed note cannot be changed. A correction or addition is an amendment, kept below with its author and time.') }),
    reachedRecord(ctx.query.get('record'), id),
    el('p', { class: 'actions no-print' },
      el('a', { href: '#amendments', class: 'secondary button-link', id: 'go-amend', text: t('Add an amendment') }),
      el('a', {
        // the patient's summary in the pages' language, as the handout
        href: url(`/patients/${id}/letters/visit-${visit.number}?lang=${language()}`), target: '_blank', rel: 'noopener',
        class: 'secondary button-link', id: 'letter-visit', text: t('Summary for the patient'),
      }),
      el('a', { href: `#/patients/${id}/measures?visit=${visit.number}`, class: 'secondary button-link', id: 'visit-measures', text: t('Outcome measures') }))));
  const { main, side } = layout(body, true);
  const chartBox = el('div', { class: 'visit-chart', id: 'visit-chart' });
  side.append(chartBox);
  const chart = mountChart(chartBox, { readOnly: true });
  await chart.ready;
  if (!ctx.alive()) return;
  chart.setMarks((O.marks || []).map(parseMark));
  chart.showBusiestView('back');
  showMarkers({ palpation: O.palpation, plan: P }, muscles, chart);

  const pain = (v) => (v === undefined || v === null ? undefined : `${v} / 10`);
  const sS = soap('S', t('Subjective'), t('what the patient told'));
  put(sS, dl([
    [t('Leg pain'), pain(S.leg_pain)],
    [t('Back pain'), pain(S.back_pain)],
    [t('What has changed'), S.changes],
    [t('When it began'), H.onset],
    [t('Weeks since it began'), H.duration_weeks],
    [t('How it began'), H.how_started],
    [t('What makes it worse'), H.aggravating],
    [t('What eases it'), H.easing],
    [t('What keeps it going'), (H.perpetuating || []).map((x) => (perpetuating().find(([k]) => k === x) || [x, x])[1])],
    [t('Work and daily activity'), H.work],
    [t('Hours sitting a day'), H.sitting_hours],
    [t('Treatments tried before'), H.prior_treatments],
  ]) || nothing());

  const sO = soap('O', t('Objective'), t('what was found'));
  const slot = el('div', { class: 'chart-slot' });
  const examined = O.findings || [];
  const normal = (f) => isNormal(typeof f === 'string' ? f.split(':')[0] : f.finding);
  put(sO, slot, dl([
    [t('Drawing'), (O.marks || []).map(parseMark).map((m) => `${chart.regionName(m.region)}${m.kind ? `: ${kindWords(m.kind)}` : ''}${m.intensity ? ` ${m.intensity}/10` : ''}`)],
    [t('Examination'), examined.filter((f) => !normal(f)).map(findingName)],
    [t('Found normal'), examined.filter(normal).map(findingName)],
  ]));
  if ((O.palpation || []).length) {
    sO.append(el('h3', { text: t('Palpation') }), el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Palpation') }, el('table', { class: 'data palpation-table', id: 'palpation' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('Muscle') }), checks().map(([, w]) => el('th', { scope: 'col', text: w })))),
      el('tbody', {}, O.palpation.map((p) => el('tr', { 'data-muscle': p.muscle, 'data-side': p.side },
        el('th', { scope: 'row' }, sideName(muscles, p), p.tender && p.reproduces ? [' ', el('span', { class: 'tag tag-evidence', text: t('evidence') })] : null),
        checks().map(([k]) => el('td', { class: p[k] ? 'yes' : 'no', text: p[k] ? t('yes') : '—' }))))))));
  }
  if (!(O.marks || []).length && !examined.length && !(O.palpation || []).length) sO.append(nothing());

  const sA = soap('A', t('Assessment'), t('what it points to'));
  sA.append(assessmentResult(visit.result, note, muscles, true));
  put(sA, dl([[t('In your own words'), (note.assessment || {}).own_words]]));

  const sP = soap('P', t('Plan'), t('what was done'));
  const needles = (a) => `${pointName(words, a.point)}: ${tn(a.count, '{n} needle', '{n} needles')}`;
  put(sP, dl([
    [t('Manual compression'), (P.compression || []).map((c) => sideName(muscles, c))],
    [t('Dry needling'), (P.needling || []).map((n) => `${sideName(muscles, n)}: ${tn(n.count, '{n} needle', '{n} needles')}`)],
    [t('Acupuncture'), (P.acupoints || []).map(needles)],
    ...areas().map(([key, label]) => [label, (P[key] || []).map((r) => chart.regionName(r))]),
    [t('Heat'), P.heat_minutes ? tn(P.heat_minutes, '{n} minute', '{n} minutes') : undefined],
    [t('Stretches taught'), (P.stretches || []).map((sid) => stretchName(words, sid))],
    [t('Home program'), P.home_program === undefined ? undefined : P.home_program ? t('assigned') : t('not assigned')],
    [t('Notes'), P.notes],
  ]) || nothing());
  if (heldLevel(info, visit.result) && (P.home_program || (P.stretches || []).length)) {
    sP.append(el('p', { class: 'blocked-what', text: t('Self-treatment is stopped now that a warning stands: the stretches and home program above are not to be followed until a clinician has checked the patient.') }));
  }

  // ---- amendments ----
  const amendList = el('ol', { class: 'amendments', id: 'amendment-list' });
  const showAmendments = (items) => {
    amendList.textContent = '';
    for (const a of items) {
      amendList.append(el('li', { 'data-amendment': String(a.id) },
        el('p', { class: 'amend-meta' }, el('time', { datetime: a.at, text: when(a.at) }), ` · ${author(a.author, a.author_name)}`),
        el('p', { class: 'amend-text', text: a.text })));
    }
    if (!items.length) amendList.append(el('li', { class: 'placeholder', text: t('No amendments.') }));
  };
  const items = [...(visit.amendments || [])];
  showAmendments(items);
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const textArea = el('textarea', { id: 'amendment-text', name: 'text', rows: '3', maxlength: '4000' });
  const f = el('form', { class: 'form amend-form no-print', id: 'amend-form', novalidate: true }, error,
    field(t('Add an amendment'), textArea, t('What is corrected or added, in full. It is kept with your name and the time, and cannot be changed either.')),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Add the amendment') })));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    const text = textArea.value.trim();
    if (!text) {
      showError(error, t('Write the amendment first.'));
      textArea.focus();
      return;
    }
    const button = f.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { amendment } = await post(`/patients/${id}/visits/${visit.number}/amendments`, { text });
      items.push(amendment);
      showAmendments(items);
      textArea.value = '';
    } catch (err) {
      showError(error, err.message);
    } finally {
      button.disabled = false;
    }
  });
  const amend = el('section', { class: 'amend-section', id: 'amendments', 'aria-labelledby': 'amend-title' },
    el('h2', { id: 'amend-title', text: t('Amendments') }), amendList, f);
  main.append(sS, sO, sA, sP, amend);
  placeChart(ctx, chartBox, side, slot);
  // the answer above says it is not a diagnosis; a note without one says it here
  if (!visit.result) body.append(notice());
  // the link moves focus to the form, not the route
  body.querySelector('#go-amend').addEventListener('click', (e) => {
    e.preventDefault();
    amend.scrollIntoView({ block: 'start' });
    textArea.focus({ preventScroll: true });
  });
}
