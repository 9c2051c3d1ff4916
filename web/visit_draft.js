// A visit's draft: the SOAP form beside the body chart, saved as often as
// wanted and then signed. Subjective (pain, what changed, the intake's
// history), Objective (the drawing, examination findings, palpation per
// muscle and side), Assessment (the engine's two answers and the
// practitioner's own words) and Plan (what was done). Each part is built by
// its own function over one draft, `d`, which holds the form's state and the
// calls the parts make of each other.

import { change, post } from './api.js';
import {
  blockBox, confirmBox, day, el, field, heldBack, put, showError, when,
} from './dom.js';
import { language, t } from './i18n.js';
import {
  areas, checks, perpetuating, muscleName, parseMark, pointName, sideName,
} from './note_words.js';
import { assessmentResult } from './visit_assessment.js';
import { examFindings, examTable } from './visit_exam.js';
import {
  MARKERS, forChart, markerSwatch, mountChart, placeChart, showMarkers,
} from './visit_chart.js';
import {
  FieldError, fieldError, muscleSelect, nonEmpty, painSelect, setIf, sideSelect,
} from './visit_fields.js';
import { visitHeading } from './clinic.js';
import { heldLevel, layout, soap } from './visit_layout.js';

export async function draftForm(page) {
  const { ctx, id, body, info, visit, kind, details } = page;
  const note = (visit && visit.note) || { kind };
  const O = note.objective || {};
  const P = note.plan || {};
  const d = {
    page,
    note,
    muscles: page.words.muscles,
    st: {
      number: visit ? visit.number : null,
      result: visit ? visit.result : null,
      tool: 'draw',
      palpation: (O.palpation || []).map((p) => ({ ...p })),
      compression: (P.compression || []).map((x) => ({ ...x })),
      needling: (P.needling || []).map((x) => ({ ...x })),
      acupoints: (P.acupoints || []).map((x) => ({ ...x })),
      cupping: [...(P.cupping || [])],
      tuina: [...(P.tuina || [])],
      gua_sha: [...(P.gua_sha || [])],
      savedText: '',
      savedObjective: JSON.stringify(O),
      saving: false,
    },
    level: heldLevel(info, visit ? visit.result : null),
    savedNote: visit ? visit.note || { kind } : { kind },
    dirty: false,
    changed: () => {}, /* until the form is whole (saving() gives the real one) */
  };

  if (details && !details.consent) {
    body.append(el('p', { class: 'caution consent-missing', id: 'consent-missing' },
      el('strong', { text: t('Consent to treatment is not recorded.') }), ' ',
      t('Record it in the'), ' ', el('a', { href: `#/patients/${id}`, text: t('patient details') }), ' ', t('before treating.')));
  }
  body.append(el('p', { class: 'visit-status', id: 'visit-status' },
    el('span', { class: 'status status-draft', text: t('Draft') }), ' ',
    visit ? t('Started {when} by {name}.', { when: when(visit.at), name: page.author(visit.author, visit.author_name) }) : t('Not saved yet.'),
    ' ', t('A draft can be changed until it is signed.')));

  const { main, side } = layout(body);
  d.form = el('form', { class: 'visit-form', id: 'visit-form', novalidate: true });
  main.append(d.form);
  await drawingChart(d, side);
  if (!ctx.alive()) return;

  const sS = subjective(d);
  const { section: sO, slot } = objective(d);
  const sA = assessment(d);
  const sP = plan(d);
  const bar = saving(d);
  d.form.append(sS, sO, sA, sP, bar);
  placeChart(ctx, d.chartBox, side, slot);
  d.renderPalpation();
  d.renderPlanLists();

  d.form.addEventListener('input', (e) => {
    if (e.target.removeAttribute) e.target.removeAttribute('aria-invalid');
    d.changed();
  });
  d.form.addEventListener('change', () => d.changed());
  guardLeaving(d);

  d.showResult();
  // the form as loaded is the note as kept (the same fields, in its order)
  const loaded = current(d);
  d.st.savedText = JSON.stringify(loaded);
  d.st.savedObjective = JSON.stringify(loaded.objective || {});
  d.changed();
}

// ---- the chart: the drawing, and the areas treated picked on it ----

async function drawingChart(d, side) {
  const { st } = d;
  const toolbar = el('fieldset', { class: 'tools', id: 'tools' },
    el('legend', { text: t('A click on the chart marks') }),
    el('div', { class: 'kind-list' }, [['draw', t('Symptoms')], ...areas()].map(([tool, label]) => el('label', { class: 'kind tool', for: `tool-${tool}` },
      el('input', {
        type: 'radio', name: 'tool', id: `tool-${tool}`, value: tool, checked: tool === 'draw',
        onchange: () => d.setTool(tool),
      }),
      tool === 'draw' ? null : markerSwatch(tool),
      el('span', { text: label })))),
    el('p', { class: 'hint tool-hint', id: 'tool-hint', hidden: true }));
  d.chartBox = el('div', { class: 'visit-chart', id: 'visit-chart' });
  side.append(d.chartBox);
  d.chart = mountChart(d.chartBox, {
    before: toolbar,
    onChange: () => d.changed(),
    onRegionClick: (region) => {
      if (st.tool === 'draw') return false;
      d.toggleArea(st.tool, region);
      return true;
    },
  });
  d.setTool = (tool) => {
    st.tool = tool;
    d.chartBox.querySelector('.map-page').dataset.tool = tool;
    const hint = document.getElementById('tool-hint');
    hint.hidden = tool === 'draw';
    hint.textContent = tool === 'draw' ? '' : t('Click the regions where {treatment} was given; click again to take one off.', { treatment: MARKERS[tool].label });
  };
  await d.chart.ready;
  d.chart.setMarks(((d.note.objective || {}).marks || []).map(parseMark));
  d.chart.showBusiestView('back');
}

// ---- the form's controls ----

// A control of a field of the note, named by its path ("plan.notes").
function fieldF(path, label, control, hint) {
  control.dataset.field = path;
  control.name = path;
  control.id = `v-${path.replace(/[^a-z0-9]+/gi, '-')}`;
  return field(label, control, hint);
}
const textArea = (value, rows = 2) => el('textarea', { rows: String(rows), maxlength: '4000', text: value || '' });
const line = (value) => el('input', { type: 'text', maxlength: '300', value: value || '' });
const num = (value, attrs) => el('input', { type: 'number', value: value ?? '', ...attrs });

function removeButton(d, label, fn) {
  return el('button', {
    type: 'button', class: 'chip-remove', 'aria-label': label, text: '×',
    onclick: () => {
      fn();
      d.changed();
    },
  });
}

// ---- S ----

function subjective(d) {
  const { kind, previous } = d.page;
  const S = d.note.subjective || {};
  const H = S.history || {};
  const sS = soap('S', t('Subjective'), t('what the patient tells'));
  const prevS = previous && previous.note && previous.note.subjective;
  sS.append(el('div', { class: 'field-row' },
    fieldF('subjective.leg_pain', t('Leg pain now (0–10)'), painSelect(S.leg_pain)),
    fieldF('subjective.back_pain', t('Back pain now (0–10)'), painSelect(S.back_pain))));
  if (prevS && (prevS.leg_pain !== undefined || prevS.back_pain !== undefined)) {
    const part = (w, v) => (v === undefined || v === null ? null : `${w} ${v}`);
    sS.append(el('p', { class: 'hint', id: 'previous-pain', text: t('At visit {n} ({when}): {pain}.', { n: previous.number, when: day(previous.at), pain: [part(t('leg'), prevS.leg_pain), part(t('back'), prevS.back_pain)].filter(Boolean).join(', ') }) }));
  }
  if (kind === 'follow-up' || S.changes) {
    sS.append(fieldF('subjective.changes', t('What has changed since the last visit'), textArea(S.changes, 3),
      t('Better or worse, how long the relief lasted, the home program, anything new.')));
  }
  d.showHistory = kind === 'intake' || Boolean(S.history);
  if (d.showHistory) {
    const perp = new Set(H.perpetuating || []);
    sS.append(el('fieldset', { class: 'history-fields', 'data-field': 'subjective.history' },
      el('legend', { text: t('History') }),
      el('div', { class: 'field-row' },
        fieldF('subjective.history.onset', t('When it began'), line(H.onset), t('A date, or how long ago.')),
        fieldF('subjective.history.duration_weeks', t('Weeks since it began'), num(H.duration_weeks, { min: '0', max: '5200', step: '1', inputmode: 'numeric' }))),
      fieldF('subjective.history.how_started', t('How it began'), textArea(H.how_started)),
      el('div', { class: 'field-row' },
        fieldF('subjective.history.aggravating', t('What makes it worse'), textArea(H.aggravating)),
        fieldF('subjective.history.easing', t('What eases it'), textArea(H.easing))),
      el('fieldset', { class: 'checks', 'data-field': 'subjective.history.perpetuating' },
        el('legend', { text: t('What keeps it going') }),
        el('div', { class: 'check-row' }, perpetuating().map(([pid, w]) => el('label', { class: 'check-pill' },
          el('input', { type: 'checkbox', 'data-perpetuating': pid, checked: perp.has(pid) }), ` ${w}`)))),
      el('div', { class: 'field-row' },
        fieldF('subjective.history.work', t('Work and daily activity'), line(H.work)),
        fieldF('subjective.history.sitting_hours', t('Hours sitting a day'), num(H.sitting_hours, { min: '0', max: '24', step: '0.5', inputmode: 'decimal' }))),
      fieldF('subjective.history.prior_treatments', t('Treatments tried before'), textArea(H.prior_treatments),
        t('What was tried, and what it did.'))));
  }
  return sS;
}

// ---- O ----

function objective(d) {
  const { st, muscles } = d;
  const { previous } = d.page;
  const O = d.note.objective || {};
  const sO = soap('O', t('Objective'), t('what you find'));
  const slot = el('div', { class: 'chart-slot' });
  sO.append(el('p', { class: 'hint wide-only', text: t('Draw where the patient feels it on the body chart beside this note. The palpated trigger points and the treatments appear on it too.') }),
    slot,
    el('h3', { text: t('Examination') }),
    el('p', { class: 'hint', text: t('A test found normal counts too: it weighs against the causes it would have shown.') }),
    el('div', { class: 'table-wrap' }, examTable(O.findings)));
  const palpList = el('ul', { class: 'rows palpation', id: 'palpation', 'data-field': 'objective.palpation' });
  const palpMuscle = muscleSelect(muscles);
  palpMuscle.id = 'palp-muscle';
  const palpSide = sideSelect();
  palpSide.id = 'palp-side';
  sO.append(el('h3', { text: t('Palpation') }),
    el('p', { class: 'hint', text: t('Add each muscle palpated, on its side. A spot that is tender and reproduces the familiar pain counts as evidence for that trigger point, and is marked on the chart.') }),
    palpList,
    el('div', { class: 'adder' }, palpMuscle, palpSide,
      el('button', {
        type: 'button', class: 'secondary small', id: 'add-palpation', text: t('Add'),
        onclick: () => {
          const item = { muscle: palpMuscle.value, side: palpSide.value, tender: false, taut_band: false, twitch: false, reproduces: false };
          if (st.palpation.some((p) => p.muscle === item.muscle && p.side === item.side)) return;
          st.palpation.push(item);
          d.renderPalpation();
          d.renderPlanLists();
          d.changed();
          palpList.lastElementChild.querySelector('input').focus();
        },
      })));
  if (previous && previous.note && previous.note.objective && (previous.note.objective.marks || []).length) {
    sO.append(el('p', {}, el('button', {
      type: 'button', class: 'link-button', id: 'copy-drawing',
      text: t('Start from the drawing of visit {n}', { n: previous.number }),
      onclick: () => {
        d.chart.setMarks(previous.note.objective.marks.map(parseMark), false);
      },
    })));
  }

  d.renderPalpation = () => {
    palpList.textContent = '';
    st.palpation.forEach((p, i) => {
      const evidence = el('span', { class: 'tag tag-evidence', text: t('evidence'), hidden: !(p.tender && p.reproduces) });
      palpList.append(el('li', {
        class: 'row', 'data-field': `objective.palpation[${i}]`, 'data-muscle': p.muscle, 'data-side': p.side,
      },
      el('span', { class: 'row-name' }, el('strong', { text: sideName(muscles, p) }), ' ', evidence),
      removeButton(d, t('Remove {name}', { name: sideName(muscles, p) }), () => {
        st.palpation.splice(i, 1);
        d.renderPalpation();
        d.renderPlanLists();
      }),
      el('span', { class: 'row-checks' }, checks().map(([k, w]) => el('label', { class: 'check-pill' },
        el('input', {
          type: 'checkbox', 'data-check': k, checked: Boolean(p[k]),
          onchange: (e) => {
            p[k] = e.target.checked;
            evidence.hidden = !(p.tender && p.reproduces);
            showMarkers(forChart(current(d)), muscles, d.chart);
          },
        }), ` ${w}`)))));
    });
    if (!st.palpation.length) palpList.append(el('li', { class: 'placeholder', text: t('No muscle palpated yet.') }));
    d.renderStretches();
    showMarkers(forChart(current(d)), muscles, d.chart);
  };
  return { section: sO, slot };
}

// ---- A ----

function assessment(d) {
  const sA = soap('A', t('Assessment'), t('what it points to'));
  const resultBox = el('div', { id: 'assessment-box' });
  d.stale = el('p', { class: 'stale', id: 'assessment-stale', hidden: true,
    text: t('The drawing or the findings have changed since the note was saved: save it to see the new answer.') });
  sA.append(d.stale, resultBox,
    fieldF('assessment.own_words', t('Your assessment in your own words'), textArea((d.note.assessment || {}).own_words, 4),
      t('What you think is going on, and why.')));
  d.showResult = () => {
    resultBox.replaceChildren(assessmentResult(d.st.result, d.savedNote, d.muscles, Boolean(d.st.number)));
  };
  return sA;
}

// ---- P ----

function plan(d) {
  const { st, muscles } = d;
  const { words } = d.page;
  const P = d.note.plan || {};
  const sP = soap('P', t('Plan'), t('what was done today'));
  const planLists = el('div', { class: 'plan-lists' });
  sP.append(planLists);
  const pair = (key, p) => (key === 'needling' ? { muscle: p.muscle, side: p.side, count: 1 } : { muscle: p.muscle, side: p.side });

  function suggestionsFor(key) {
    const have = new Set(st[key].map((x) => `${x.muscle}:${x.side}`));
    const left = st.palpation.filter((p) => !have.has(`${p.muscle}:${p.side}`));
    if (!left.length) return null;
    return el('p', { class: 'suggest' }, el('span', { class: 'hint', text: `${t('Palpated:')} ` }),
      left.map((p) => el('button', {
        type: 'button', class: 'chip-add', 'data-add': `${p.muscle}:${p.side}`, text: `+ ${sideName(muscles, p)}`,
        onclick: () => {
          st[key].push(pair(key, p));
          d.renderPlanLists();
          d.changed();
        },
      })));
  }

  function muscleAdder(key) {
    const m = muscleSelect(muscles);
    const s = sideSelect();
    m.id = `${key}-muscle`;
    s.id = `${key}-side`;
    return el('div', { class: 'adder' }, m, s, el('button', {
      type: 'button', class: 'secondary small', id: `add-${key}`, text: t('Add'),
      onclick: () => {
        if (st[key].some((x) => x.muscle === m.value && x.side === s.value)) return;
        st[key].push(pair(key, { muscle: m.value, side: s.value }));
        d.renderPlanLists();
        d.changed();
      },
    }));
  }

  function regionSelect(key) {
    const sel = el('select', { id: `${key}-region`, 'aria-label': t('Region for {treatment}', { treatment: MARKERS[key].label }) });
    const groups = { right: [], left: [], midline: [] };
    for (const r of d.chart.regions()) (groups[r.side] || groups.midline).push(r);
    const groupWords = { right: t('Right side'), left: t('Left side'), midline: t('Middle') };
    for (const [side, rs] of Object.entries(groups)) {
      if (!rs.length) continue;
      sel.append(el('optgroup', { label: groupWords[side] },
        rs.map((r) => el('option', { value: r.id, text: d.chart.regionName(r.id) }))));
    }
    return sel;
  }

  d.toggleArea = (key, region) => {
    const at = st[key].indexOf(region);
    if (at >= 0) st[key].splice(at, 1);
    else st[key].push(region);
    d.renderPlanLists();
    d.changed();
  };

  // a list of what was done to muscles, each row with a count of needles or not
  const muscleBlock = (key, title, counted) => el('div', { class: 'plan-block', 'data-field': `plan.${key}`, id: `plan-${key}` },
    el('h3', {}, markerSwatch(key), ` ${title}`),
    el('ul', { class: 'rows' }, st[key].map((x, i) => el('li', { class: 'row', 'data-field': `plan.${key}[${i}]`, 'data-muscle': x.muscle, 'data-side': x.side },
      el('span', { class: 'row-name', text: sideName(muscles, x) }),
      counted ? needleCount(x, `plan.${key}[${i}].count`, `${key}-count-${i}`, 50) : null,
      removeButton(d, key === 'compression' ? t('Remove compression of {name}', { name: sideName(muscles, x) }) : t('Remove needling of {name}', { name: sideName(muscles, x) }), () => { st[key].splice(i, 1); d.renderPlanLists(); })))),
    suggestionsFor(key), muscleAdder(key));

  const areaSelects = Object.fromEntries(areas().map(([key]) => [key, regionSelect(key)]));

  d.renderPlanLists = () => {
    const focusId = document.activeElement && document.activeElement.id;
    planLists.textContent = '';
    planLists.append(muscleBlock('compression', t('Manual compression'), false));
    planLists.append(muscleBlock('needling', t('Dry needling'), true));
    // acupoints
    const pointSel = el('select', { id: 'acupoint-point', 'aria-label': t('Acupuncture point') },
      words.acupoints.map((p) => el('option', { value: p.id, text: pointName(words, p.id) })));
    planLists.append(el('div', { class: 'plan-block', 'data-field': 'plan.acupoints', id: 'plan-acupoints' },
      el('h3', {}, markerSwatch('acupoint'), ` ${t('Acupuncture points')}`),
      el('ul', { class: 'rows' }, st.acupoints.map((a, i) => el('li', { class: 'row', 'data-field': `plan.acupoints[${i}]`, 'data-point': a.point },
        el('span', { class: 'row-name', text: pointName(words, a.point) }),
        needleCount(a, `plan.acupoints[${i}].count`, `acupoint-count-${i}`, 20),
        removeButton(d, t('Remove {name}', { name: a.point }), () => { st.acupoints.splice(i, 1); d.renderPlanLists(); })))),
      el('div', { class: 'adder' }, pointSel, el('button', {
        type: 'button', class: 'secondary small', id: 'add-acupoint', text: t('Add'),
        onclick: () => {
          if (st.acupoints.some((a) => a.point === pointSel.value)) return;
          st.acupoints.push({ point: pointSel.value, count: 1 });
          d.renderPlanLists();
          d.changed();
        },
      }))));
    // areas
    for (const [key, label] of areas()) {
      const sel = areaSelects[key];
      planLists.append(el('div', { class: 'plan-block', 'data-field': `plan.${key}`, id: `plan-${key}` },
        el('h3', {}, markerSwatch(key), ` ${label}`),
        st[key].length ? el('ul', { class: 'chips' }, st[key].map((region, i) => el('li', { class: 'chip', 'data-region': region, 'data-field': `plan.${key}[${i}]` },
          el('span', { class: 'chip-text', text: d.chart.regionName(region) }),
          removeButton(d, t('Remove {name}', { name: d.chart.regionName(region) }), () => d.toggleArea(key, region))))) : null,
        el('div', { class: 'adder' }, sel, el('button', {
          type: 'button', class: 'secondary small', id: `add-${key}`, text: t('Add'),
          onclick: () => { if (!st[key].includes(sel.value)) d.toggleArea(key, sel.value); },
        }), el('button', {
          type: 'button', class: 'link-button', id: `pick-${key}`, text: t('or pick on the chart'),
          onclick: () => {
            const radio = document.getElementById(`tool-${key}`);
            radio.checked = true;
            d.setTool(key);
            d.chartBox.scrollIntoView({ block: 'start', behavior: 'smooth' });
          },
        }))));
    }
    showMarkers(forChart(current(d)), muscles, d.chart);
    if (focusId && document.getElementById(focusId)) document.getElementById(focusId).focus();
  };

  const heat = num(P.heat_minutes, { min: '0', max: '60', step: '1', inputmode: 'numeric' });
  const selfCare = el('div', { class: 'plan-self-care', id: 'plan-self-care' });
  const stretchSet = el('fieldset', { class: 'checks stretches', 'data-field': 'plan.stretches', id: 'stretches' });
  const stretchesShown = new Set(P.stretches || []);
  // the stretches for the muscles palpated come first; the others wait
  // behind "Other stretches"
  d.renderStretches = () => {
    if (d.level) return;
    const ticked = stretchSet.children.length
      ? new Set([...stretchSet.querySelectorAll('[data-stretch]:checked')].map((c) => c.dataset.stretch))
      : stretchesShown;
    const wasOpen = Boolean(stretchSet.querySelector('details[open]'));
    const suggested = new Set(st.palpation.map((p) => p.muscle));
    const box = (x) => el('label', { class: 'check-line' },
      el('input', { type: 'checkbox', 'data-stretch': x.id, checked: ticked.has(x.id) }),
      el('span', {}, x.title, el('span', { class: 'hint', text: ` (${muscleName(muscles, x.muscle)})` })));
    const first = words.stretches.filter((x) => suggested.has(x.muscle) || ticked.has(x.id));
    const rest = words.stretches.filter((x) => !first.includes(x));
    stretchSet.textContent = '';
    put(stretchSet, el('legend', { text: t('Stretches taught') }),
      first.length ? el('div', { class: 'check-list' }, first.map(box)) : null,
      el('details', { class: 'more-stretches', open: wasOpen || !first.length },
        el('summary', { text: first.length ? t('Other stretches') : t('Choose the stretches') }),
        el('div', { class: 'check-list' }, rest.map(box))));
  };
  d.renderStretches();
  if (d.level) {
    selfCare.append(blockBox(d.level, t('Stretches and the home program are stopped'), null, heldBack()));
  } else {
    put(selfCare, stretchSet,
      el('label', { class: 'check-line home-program', for: 'v-home-program' },
        el('input', { type: 'checkbox', id: 'v-home-program', 'data-field': 'plan.home_program', checked: Boolean(P.home_program) }),
        el('span', {}, t('Home program assigned'), ' ', el('span', { class: 'hint', text: t('(signing the note makes it the patient\'s plan, from this drawing and these findings)') }))),
      screenNote(d));
  }
  sP.append(fieldF('plan.heat_minutes', t('Heat (minutes)'), heat, t('Moist heat before the work, or after.')),
    selfCare,
    fieldF('plan.notes', t('Notes'), textArea(P.notes, 3), t('Anything else done or advised, and the plan for the next visit.')));
  return sP;
}

// Whether the home program can reach the patient's plan when the note is
// signed: the plan is made from the record's safety questions.
function screenNote(d) {
  const { info, id } = d.page;
  if (info.latest && info.latest.screen) return null;
  return el('p', { class: 'caution', id: 'screen-needed' },
    t('The safety questions of this record are not answered yet: the plan is made from them, so the home program reaches the patient once they are.'), ' ',
    el('a', { href: `#/patients/${id}/screen`, text: t('Answer them with the patient') }), '.');
}

// The number of needles of a row: kept in the row as typed.
function needleCount(row, path, controlId, max) {
  return el('label', { class: 'count' }, t('Needles'), ' ', el('input', {
    type: 'number', min: '1', max: String(max), step: '1', inputmode: 'numeric', value: row.count ?? '',
    'data-field': path, id: controlId,
    oninput: (e) => { row.count = e.target.value; },
  }));
}

// ---- reading the form into a note ----

function ctl(d, path) {
  return d.form.querySelector(`[data-field="${CSS.escape(path)}"]`);
}

function read(d, path, type = 'text') {
  const c = ctl(d, path);
  if (!c) return undefined;
  if (c.validity && c.validity.badInput) throw new FieldError(path, t('is not a number'));
  const v = c.value.trim();
  if (v === '') return undefined;
  return type === 'number' ? Number(v) : v;
}

// The note as the form holds it now; FieldError when a field cannot be read
// and `strict` (else what can be read).
function current(d, strict = false) {
  const { form, st } = d;
  const { kind } = d.page;
  const S = d.note.subjective || {};
  const P = d.note.plan || {};
  const n = { kind };
  const s = {};
  try {
    setIf(s, 'leg_pain', read(d, 'subjective.leg_pain', 'number'));
    setIf(s, 'back_pain', read(d, 'subjective.back_pain', 'number'));
    setIf(s, 'changes', read(d, 'subjective.changes'));
    if (d.showHistory) {
      const h = {};
      for (const k of ['onset', 'how_started', 'aggravating', 'easing', 'work', 'prior_treatments']) {
        setIf(h, k, read(d, `subjective.history.${k}`));
      }
      setIf(h, 'duration_weeks', read(d, 'subjective.history.duration_weeks', 'number'));
      setIf(h, 'sitting_hours', read(d, 'subjective.history.sitting_hours', 'number'));
      setIf(h, 'perpetuating', [...form.querySelectorAll('[data-perpetuating]:checked')].map((c) => c.dataset.perpetuating));
      if (nonEmpty(h)) s.history = h;
    } else if (S.history) {
      s.history = S.history;
    }
  } catch (err) {
    if (strict) throw err;
  }
  if (nonEmpty(s)) n.subjective = s;
  const o = {};
  setIf(o, 'marks', d.chart.getMarks().map((m) => `${m.region}:${m.kind}:${m.intensity}`));
  setIf(o, 'findings', examFindings(form, strict));
  setIf(o, 'palpation', st.palpation.map((p) => ({
    muscle: p.muscle, side: p.side, tender: Boolean(p.tender), taut_band: Boolean(p.taut_band), twitch: Boolean(p.twitch), reproduces: Boolean(p.reproduces),
  })));
  if (nonEmpty(o)) n.objective = o;
  const a = {};
  setIf(a, 'own_words', read(d, 'assessment.own_words'));
  if (nonEmpty(a)) n.assessment = a;
  const p = {};
  const count = (path, v) => {
    const c = ctl(d, path);
    if (c && c.validity.badInput) throw new FieldError(path, t('is not a number'));
    if (v === '' || v === undefined || v === null) throw new FieldError(path, t('give the number of needles'));
    return Number(v);
  };
  try {
    setIf(p, 'compression', st.compression.map((c) => ({ muscle: c.muscle, side: c.side })));
    setIf(p, 'needling', st.needling.map((x, i) => ({ muscle: x.muscle, side: x.side, count: count(`plan.needling[${i}].count`, x.count) })));
    setIf(p, 'acupoints', st.acupoints.map((x, i) => ({ point: x.point, count: count(`plan.acupoints[${i}].count`, x.count) })));
    for (const [key] of areas()) setIf(p, key, [...st[key]]);
    setIf(p, 'heat_minutes', read(d, 'plan.heat_minutes', 'number'));
  } catch (err) {
    if (strict) throw err;
  }
  if (d.level) {
    // stopped while the warning stands: what the draft held stays as it was
    setIf(p, 'stretches', P.stretches);
    if (P.home_program !== undefined) p.home_program = P.home_program;
  } else {
    setIf(p, 'stretches', [...form.querySelectorAll('[data-stretch]:checked')].map((c) => c.dataset.stretch));
    const home = ctl(d, 'plan.home_program');
    if (home && (home.checked || P.home_program !== undefined)) p.home_program = home.checked;
  }
  setIf(p, 'notes', read(d, 'plan.notes'));
  if (nonEmpty(p)) n.plan = p;
  return n;
}

// ---- the bar: save and sign ----

function saving(d) {
  const { st, form, page } = d;
  const { ctx, id, info, kind } = page;
  const error = el('p', { class: 'error', role: 'alert', id: 'visit-error', hidden: true });
  const state = el('span', { class: 'save-state', id: 'save-state', role: 'status' });
  const saveButton = el('button', { type: 'submit', class: 'primary', id: 'save-visit', text: t('Save draft') });
  const signButton = el('button', { type: 'button', class: 'secondary', id: 'sign-visit', text: t('Sign…') });

  // the state of the draft, after every change
  d.changed = () => {
    const now = current(d);
    const text = JSON.stringify(now);
    d.dirty = text !== st.savedText;
    if (!st.number) {
      state.textContent = t('Not saved yet.');
      state.dataset.state = 'new';
    } else {
      state.textContent = d.dirty ? t('Changes not saved.') : st.savedAt ? t('Saved at {time}.', { time: st.savedAt }) : t('Saved.');
      state.dataset.state = d.dirty ? 'dirty' : 'saved';
    }
    d.stale.hidden = !st.number || JSON.stringify(now.objective || {}) === st.savedObjective;
    showMarkers(forChart(now), d.muscles, d.chart);
  };

  function clearErrors() {
    showError(error, '');
    for (const x of form.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    for (const x of form.querySelectorAll('.invalid')) x.classList.remove('invalid');
  }

  function showFieldError(err) {
    const { path, sentence } = fieldError(err);
    showError(error, sentence);
    if (!path) return;
    let p = path;
    let target = ctl(d, p);
    while (!target && /[.[]/.test(p)) {
      p = p.replace(/(\.[^.[]*|\[\d+\])$/, '');
      target = ctl(d, p);
    }
    if (!target) return;
    target.setAttribute('aria-invalid', 'true');
    (target.closest('.field, .row, .plan-block, fieldset, table') || target).classList.add('invalid');
    const focusable = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea, button');
    if (focusable) focusable.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'center' });
  }

  async function save() {
    clearErrors();
    const n = current(d, true);
    let answer;
    if (st.number) {
      answer = await change(`/patients/${id}/visits/${st.number}`, { note: n });
    } else {
      answer = await post(`/patients/${id}/visits`, { note: n });
      st.number = answer.visit.number;
      // the address of the visit now kept, without drawing the page again
      history.replaceState(null, '', `#/patients/${id}/visits/${st.number}`);
      const h1 = document.getElementById('page-title');
      h1.textContent = visitHeading(st.number, kind);
      document.title = `${h1.textContent} · tpt`;
      document.getElementById('visit-status').replaceChildren(el('span', { class: 'status status-draft', text: t('Draft') }),
        ' ', t('Started {when} by {name}.', { when: when(answer.visit.at), name: page.author(answer.visit.author, answer.visit.author_name) }),
        ' ', t('A draft can be changed until it is signed.'));
    }
    d.savedNote = answer.visit.note || n;
    st.savedText = JSON.stringify(n);
    st.savedObjective = JSON.stringify(n.objective || {});
    st.result = answer.visit.result;
    st.savedAt = new Date().toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit' });
    d.showResult();
    d.changed();
    // a warning raised by this drawing stops self-treatment: the plan's
    // stretches and home program give way to it
    if (!d.level && heldLevel(info, st.result)) ctx.go(`/patients/${id}/visits/${st.number}`);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (st.saving) return;
    st.saving = true;
    saveButton.disabled = true;
    try {
      await save();
    } catch (err) {
      showFieldError(err);
    } finally {
      st.saving = false;
      saveButton.disabled = false;
    }
  });

  signButton.addEventListener('click', async () => {
    clearErrors();
    try {
      current(d, true);
    } catch (err) {
      showFieldError(err);
      return;
    }
    const yes = await confirmBox({
      title: t('Sign this note?'),
      text: [t('A signed note cannot be changed. Corrections are added as amendments, kept with their author and time.'),
        d.dirty || !st.number ? t('The changes not yet saved are saved first.') : t('It is signed as it was last saved.')],
      confirm: t('Sign the note'),
    });
    if (!yes) return;
    signButton.disabled = true;
    try {
      if (d.dirty || !st.number) await save();
      const signed = await post(`/patients/${id}/visits/${st.number}/sign`);
      d.dirty = false;
      // the signed page says what reached the patient's own record
      const r = signed.record || {};
      const reached = r.plan ? 'plan' : r.plan_missing || (r.drawing ? 'drawing' : '');
      ctx.go(`/patients/${id}/visits/${st.number}${reached ? `?record=${reached}` : ''}`);
    } catch (err) {
      showFieldError(err);
    } finally {
      signButton.disabled = false;
    }
  });

  return el('div', { class: 'visit-bar' }, error, el('div', { class: 'bar-row' }, state, saveButton, signButton));
}

// Leaving with changes not saved asks first.
function guardLeaving(d) {
  const guardLink = (e) => {
    const a = e.target.closest && e.target.closest('a[href^="#"]');
    if (!a || !d.dirty) return;
    // eslint-disable-next-line no-alert
    if (!window.confirm(t('Leave this visit? The changes not saved will be lost.'))) e.preventDefault();
  };
  const guardUnload = (e) => {
    if (!d.dirty) return;
    e.preventDefault();
    e.returnValue = '';
  };
  document.addEventListener('click', guardLink, true);
  window.addEventListener('beforeunload', guardUnload);
  d.page.ctx.onLeave(() => {
    document.removeEventListener('click', guardLink, true);
    window.removeEventListener('beforeunload', guardUnload);
  });
}
