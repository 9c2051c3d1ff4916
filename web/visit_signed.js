// A signed visit note, to read: locked, with its amendments, each kept with
// its author and time, and a form to add one.

import { post, url } from './api.js';
import { el, field, notice, put, showError, when } from './dom.js';
import {
  AREAS, CHECKS, FINDINGS, PERPETUATING, SIDE_WORDS, parseMark, pointName, sideName, stretchName,
} from './note_words.js';
import { assessmentResult } from './visit_assessment.js';
import { mountChart, placeChart, showMarkers } from './visit_chart.js';
import { heldLevel, layout, soap } from './visit_layout.js';

function dl(pairs) {
  const rows = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  if (!rows.length) return null;
  return el('dl', { class: 'facts note-facts' }, rows.map(([k, v]) => [el('dt', { text: k }),
    el('dd', {}, Array.isArray(v) ? el('ul', { class: 'plain' }, v.map((x) => el('li', {}, x))) : v)]));
}

const nothing = () => el('p', { class: 'placeholder', text: 'Nothing recorded.' });

export async function signedView(page) {
  const { ctx, id, body, info, visit, words, author } = page;
  const { muscles } = words;
  const note = visit.note || {};
  const S = note.subjective || {};
  const H = S.history || {};
  const O = note.objective || {};
  const P = note.plan || {};
  body.append(el('div', { class: 'signed-box', id: 'visit-status', 'data-signed': 'true' },
    el('p', {}, el('span', { class: 'status status-signed', text: 'Signed' }), ' ',
      `${when(visit.signed_at)} by ${author(visit.signed_by, visit.signed_by_name)}. Written ${when(visit.at)} by ${author(visit.author, visit.author_name)}.`),
    el('p', { class: 'hint', text: 'A signed note cannot be changed. A correction or addition is an amendment, kept below with its author and time.' }),
    el('p', { class: 'actions no-print' },
      el('a', { href: '#amendments', class: 'secondary button-link', id: 'go-amend', text: 'Add an amendment' }),
      el('a', {
        href: url(`/patients/${id}/letters/visit-${visit.number}`), target: '_blank', rel: 'noopener',
        class: 'secondary button-link', id: 'letter-visit', text: 'Summary for the patient',
      }),
      el('a', { href: `#/patients/${id}/measures?visit=${visit.number}`, class: 'secondary button-link', id: 'visit-measures', text: 'Outcome measures' }))));
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
  const sS = soap('S', 'Subjective', 'what the patient told');
  put(sS, dl([
    ['Leg pain', pain(S.leg_pain)],
    ['Back pain', pain(S.back_pain)],
    ['What has changed', S.changes],
    ['When it began', H.onset],
    ['Weeks since it began', H.duration_weeks],
    ['How it began', H.how_started],
    ['What makes it worse', H.aggravating],
    ['What eases it', H.easing],
    ['What keeps it going', (H.perpetuating || []).map((x) => (PERPETUATING.find(([k]) => k === x) || [x, x])[1])],
    ['Work and daily activity', H.work],
    ['Hours sitting a day', H.sitting_hours],
    ['Treatments tried before', H.prior_treatments],
  ]) || nothing());

  const sO = soap('O', 'Objective', 'what was found');
  const slot = el('div', { class: 'chart-slot' });
  const findings = (O.findings || []).map((f) => {
    const x = typeof f === 'string' ? { finding: f.split(':')[0], side: f.split(':')[1] } : f;
    const k = FINDINGS.find(([fid]) => fid === x.finding);
    return `${k ? k[1] : x.finding}, ${SIDE_WORDS[x.side] || x.side}`;
  });
  put(sO, slot, dl([
    ['Drawing', (O.marks || []).map(parseMark).map((m) => `${chart.regionName(m.region)}${m.kind ? `: ${m.kind}` : ''}${m.intensity ? ` ${m.intensity}/10` : ''}`)],
    ['Examination', findings],
  ]));
  if ((O.palpation || []).length) {
    sO.append(el('h3', { text: 'Palpation' }), el('div', { class: 'table-wrap' }, el('table', { class: 'data palpation-table', id: 'palpation' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Muscle' }), CHECKS.map(([, w]) => el('th', { scope: 'col', text: w })))),
      el('tbody', {}, O.palpation.map((p) => el('tr', { 'data-muscle': p.muscle, 'data-side': p.side },
        el('th', { scope: 'row' }, sideName(muscles, p), p.tender && p.reproduces ? [' ', el('span', { class: 'tag tag-evidence', text: 'evidence' })] : null),
        CHECKS.map(([k]) => el('td', { class: p[k] ? 'yes' : 'no', text: p[k] ? 'yes' : '—' }))))))));
  }
  if (!(O.marks || []).length && !findings.length && !(O.palpation || []).length) sO.append(nothing());

  const sA = soap('A', 'Assessment', 'what it points to');
  sA.append(assessmentResult(visit.result, note, muscles, true));
  put(sA, dl([['In your own words', (note.assessment || {}).own_words]]));

  const sP = soap('P', 'Plan', 'what was done');
  const needles = (a) => `${pointName(words, a.point)}: ${a.count} needle${a.count === 1 ? '' : 's'}`;
  put(sP, dl([
    ['Manual compression', (P.compression || []).map((c) => sideName(muscles, c))],
    ['Dry needling', (P.needling || []).map((n) => `${sideName(muscles, n)}: ${n.count} needle${n.count === 1 ? '' : 's'}`)],
    ['Acupuncture', (P.acupoints || []).map(needles)],
    ...AREAS.map(([key, label]) => [label, (P[key] || []).map((r) => chart.regionName(r))]),
    ['Heat', P.heat_minutes ? `${P.heat_minutes} minutes` : undefined],
    ['Stretches taught', (P.stretches || []).map((sid) => stretchName(words, sid))],
    ['Home program', P.home_program === undefined ? undefined : P.home_program ? 'assigned' : 'not assigned'],
    ['Notes', P.notes],
  ]) || nothing());
  if (heldLevel(info, visit.result) && (P.home_program || (P.stretches || []).length)) {
    sP.append(el('p', { class: 'blocked-what', text: 'Self-treatment is stopped now that a warning stands: the stretches and home program above are not to be followed until a clinician has checked the patient.' }));
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
    if (!items.length) amendList.append(el('li', { class: 'placeholder', text: 'No amendments.' }));
  };
  const items = [...(visit.amendments || [])];
  showAmendments(items);
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const textArea = el('textarea', { id: 'amendment-text', name: 'text', rows: '3', maxlength: '4000' });
  const f = el('form', { class: 'form amend-form no-print', id: 'amend-form', novalidate: true }, error,
    field('Add an amendment', textArea, 'What is corrected or added, in full. It is kept with your name and the time, and cannot be changed either.'),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Add the amendment' })));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    const t = textArea.value.trim();
    if (!t) {
      showError(error, 'Write the amendment first.');
      textArea.focus();
      return;
    }
    const button = f.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { amendment } = await post(`/patients/${id}/visits/${visit.number}/amendments`, { text: t });
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
    el('h2', { id: 'amend-title', text: 'Amendments' }), amendList, f);
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
