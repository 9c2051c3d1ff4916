// A patient's record: the overview, the drawing, the plan, the log,
// progress and the report. The safety questions are screen.js, the guided
// session session.js. While an emergency or urgent flag stands, every page of
// the record says so at the top, and the self-care parts are replaced by
// the advice.

import { get, getOrNull, post, url } from './api.js';
import { mountMap } from './chart.js';
import { HELD_BACK, patientFrame } from './frame.js';
import { trendCards } from './measures.js';
import { lineChart, chartKey } from './plot.js';
import { detailsSection } from './clinic.js';
import {
  LEVEL_WORDS, blockBox, copyField, day, duration, el, errorBox, field, notice, percent, put,
  showError, when,
} from './dom.js';

function nextLink(href, text) {
  return el('p', { class: 'next' }, el('a', { class: 'primary button-link', href, text }));
}

// ---- overview ----

const STEP_TEXT = {
  screen: 'Answer the safety questions: warning signs come first.',
  map: 'Mark on the body where you feel pain, tingling or numbness.',
  plan: 'The treatment plan: clinic treatments and the home program.',
  session: 'A guided self-treatment session with timers and the stop rules.',
  log: 'How bad the leg and back pain are, and what you can do.',
  measures: 'Short questionnaires that show whether the treatment is working.',
  progress: 'Change since the start, judged against what counts as a real change.',
};

export async function overviewPage(view, ctx) {
  const frame = await patientFrame(view, ctx, '');
  if (!frame) return;
  const { id, info, body } = frame;
  const latest = info.latest || {};
  const steps = [
    ['screen', 'Safety questions', latest.screen],
    ['map', 'Where it hurts', latest.drawing],
    ['plan', 'Plan', latest.plan],
    ['session', 'Guided session', latest.session],
    ['log', 'Log', null],
    ['measures', 'Questionnaires', null],
    ['progress', 'Progress and report', null],
  ];
  const list = el('ol', { class: 'steps' });
  for (const [s, label, at] of steps) {
    const held = !info.self_care && s === 'session';
    list.append(el('li', { class: `step-card${held ? ' held' : ''}` },
      el('a', { href: `#/patients/${id}/${s}` }, el('strong', { text: label })),
      el('p', { text: held ? 'Stopped while the warning stands.' : STEP_TEXT[s] }),
      at !== undefined && at !== null ? el('p', { class: 'hint', text: `Last: ${when(at)}` })
        : (s === 'screen' || s === 'map' || s === 'plan') ? el('p', { class: 'hint', text: 'Not done yet.' }) : null));
  }
  body.append(list);
  if (!latest.screen) body.append(nextLink(`#/patients/${id}/screen`, 'Start with the safety questions'));
  else if (!latest.drawing) body.append(nextLink(`#/patients/${id}/map`, 'Next: mark where it hurts'));
  else if (!latest.plan) body.append(nextLink(`#/patients/${id}/plan`, 'Next: make the plan'));

  if (ctx.me.user.role !== 'patient') {
    body.prepend(await detailsSection(id, ctx));
    if (!ctx.alive()) return;
    body.append(invitePatient(id, info.patient.name));
  }

  const history = el('section', { class: 'history' }, el('h2', { text: 'History' }));
  body.append(history);
  try {
    const h = await get(`/patients/${id}/history`);
    // what was kept (screens, drawings, plans, sessions), newest first
    const items = [...(h.records || h.items || [])].sort((a, b) => String(b.at).localeCompare(String(a.at)));
    if (!items.length) history.append(el('p', { class: 'placeholder', text: 'Nothing kept in the record yet.' }));
    else {
      history.append(el('ul', { class: 'timeline' }, items.map((item) => el('li', { 'data-kind': item.kind },
        el('time', { datetime: item.at, text: when(item.at) }), ' ',
        el('span', { class: 'tag tag-kind', text: KIND_WORDS[item.kind] || item.kind }), ' ', item.summary || ''))));
    }
    if (h.log_entries) {
      history.append(el('p', {}, `${h.log_entries} log entr${h.log_entries === 1 ? 'y' : 'ies'}: `,
        el('a', { href: `#/patients/${id}/log`, text: 'see the log' }), '.'));
    }
  } catch (err) {
    history.append(errorBox(err.message));
  }
  body.append(notice());
}

const KIND_WORDS = { screen: 'safety questions', drawing: 'drawing', plan: 'plan', session: 'session' };

// A practitioner gives the patient a one-time link to their own record.
function invitePatient(id, name) {
  const box = el('section', { class: 'invite' }, el('h2', { text: 'Invite the patient' }),
    el('p', { class: 'hint', text: `A one-time link for ${name} to make an account that opens only this record, to log pain and follow the home program from home.` }));
  const out = el('div', { class: 'invite-link' });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const email = el('input', { type: 'email', name: 'email', autocomplete: 'off' });
  const f = el('form', { class: 'form inline-form' },
    field('Their email address (optional)', email),
    el('button', { type: 'submit', class: 'secondary', text: 'Make an invitation link' }));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    try {
      const body = { role: 'patient', name, patient: Number(id) };
      if (email.value.trim()) body.email = email.value.trim();
      const inv = await post('/invitations', body);
      out.replaceChildren(invitationLink(inv));
    } catch (err) {
      showError(error, err.message);
    }
  });
  box.append(error, f, out);
  return box;
}

// The link an invitation answers with, whole, with a Copy button.
export function invitationLink(inv) {
  const link = /^https?:/.test(inv.link) ? inv.link : `${location.origin}${inv.link}`;
  return el('div', { class: 'link-box', 'data-invitation': inv.role },
    el('p', {}, el('strong', { text: 'Send this link to the person. ' }),
      'It works once', inv.expires ? `, until ${when(inv.expires)}` : '', '; whoever opens it first makes the account.'),
    copyField(link, 'Invitation link'));
}

// ---- the drawing ----

export async function drawPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'map');
  if (!frame) return;
  const { id, info, body } = frame;
  view.classList.add('wide');
  if (info.latest && info.latest.drawing) {
    body.append(el('p', { class: 'hint', text: `The last drawing was kept ${when(info.latest.drawing)}. A new one is kept beside it.` }));
  }
  const box = el('div');
  body.append(box);
  const { ready } = mountMap(box, {
    storageKey: `tpt.marks.${id}`,
    analyseLabel: 'What may cause this?',
    analyse: (marks) => post(`/patients/${id}/map`, { marks }),
    after: (r) => {
      // a warning of the drawing itself (saddle numbness, both legs) stands
      // in the record as a screen's flag does
      const stop = (r.warnings || []).some((w) => w.level === 'emergency' || w.level === 'urgent');
      return [
        el('p', { class: 'hint', text: 'This drawing and its answer are kept in the record.' }),
        stop ? el('p', { class: 'blocked-what', text: HELD_BACK })
          : nextLink(`#/patients/${id}/plan`, 'Next: make the plan'),
      ];
    },
  });
  await ready;
}

// ---- the plan ----

const MODALITY_WORDS = {
  'manual-compression': 'Manual compression',
  'dry-needling': 'Dry needling',
  acupuncture: 'Acupuncture',
  cupping: 'Cupping',
  'moist-heat': 'Moist heat',
  heat: 'Heat',
  'tui-na': 'Tui Na',
  'gua-sha': 'Gua Sha',
  stretching: 'Stretching',
};

function modalityName(m) {
  if (MODALITY_WORDS[m]) return MODALITY_WORDS[m];
  const words = m.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function timing(s) {
  if (s.graded) {
    return `Week 1: ${duration(s.hold_seconds)}, then ${duration(s.graded.weekly_seconds)} more each week, up to ${duration(s.graded.max_seconds)}`;
  }
  const parts = [`${s.kind === 'stretch' ? 'Hold' : s.kind === 'general' ? 'About' : 'Hold'} ${duration(s.hold_seconds)}`];
  if (s.repeats > 1) {
    if (s.rest_seconds) parts.push(`rest ${duration(s.rest_seconds)}`);
    parts.push(`${s.repeats} times`);
  }
  return parts.join(', ');
}

function sideWord(side) {
  return side === 'r' ? 'right' : side === 'l' ? 'left' : '';
}

// A plan made before the latest safety answers or drawing is stale: the
// server leaves its home program out and refuses its handout and sessions
// (plan-stale) until a new plan is made. The box says which is newer and
// makes the new plan in one click; `renewed(plan)` runs after it is kept.
export function staleBox(record, id, renewed) {
  const newer = record.newer || {};
  const what = [
    newer.screen ? `the latest safety answers (${when(newer.screen.at)})` : null,
    newer.drawing ? `the latest drawing (${when(newer.drawing.at)})` : null,
  ].filter(Boolean);
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const renew = el('button', { type: 'button', class: 'primary', id: 'renew-plan', text: 'Make a new plan from the latest answers and drawing' });
  renew.addEventListener('click', async () => {
    showError(error, '');
    renew.disabled = true;
    try {
      renewed(await post(`/patients/${id}/plan`, {}));
    } catch (err) {
      showError(error, err.message);
      renew.disabled = false;
    }
  });
  return el('section', { class: 'caution stale-plan', id: 'stale-plan', role: 'status' },
    el('h2', { text: 'This plan is out of date' }),
    el('p', {}, `It was made ${when(record.at)}, before `, what.length ? what.join(' and ') : 'the latest safety answers and drawing',
      '. A plan must come from the latest ones, so its home program, the handout and guided sessions are held back until a new plan is made.'),
    el('div', { class: 'actions' }, renew), error);
}

export async function planPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'plan');
  if (!frame) return;
  const { id, info, body } = frame;
  const latest = info.latest || {};
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const shown = el('div', { id: 'plan' });
  const make = el('button', { type: 'button', class: 'primary', id: 'make-plan', text: 'Make the plan' });
  const made = el('p', { class: 'hint' });
  const handout = info.self_care
    ? el('a', { class: 'secondary button-link', href: url(`/patients/${id}/plan.html`), target: '_blank', rel: 'noopener', id: 'handout', text: 'One-page handout' })
    : null;
  body.append(el('div', { class: 'plan-make no-print' },
    el('p', {}, 'The plan is made from the latest safety answers',
      latest.screen ? ` (${when(latest.screen)})` : ' (none yet)', ' and the latest drawing',
      latest.drawing ? ` (${when(latest.drawing)})` : ' (none yet)', '.'),
    el('div', { class: 'actions' }, make,
      el('button', { type: 'button', class: 'secondary', text: 'Print', onclick: () => window.print() }),
      handout)),
  made, error, shown);

  const show = (record) => {
    shown.textContent = '';
    if (handout) handout.hidden = !record || record.stale;
    if (!record) {
      shown.append(el('p', { class: 'placeholder', text: 'No plan yet. Answer the safety questions and mark where it hurts, then press Make the plan.' }));
      return;
    }
    made.textContent = `This plan was made ${when(record.at)}.`;
    if (record.stale) shown.append(staleBox(record, id, fresh));
    renderPlan(shown, record.plan, info, id, record.stale);
  };
  // a plan just made: made from the latest, so never stale
  const fresh = (plan) => show({ at: new Date().toISOString(), plan, stale: false });
  make.addEventListener('click', async () => {
    showError(error, '');
    make.disabled = true;
    try {
      fresh(await post(`/patients/${id}/plan`, {}));
    } catch (err) {
      const extra = err.code === 'screen-required' ? ` #/patients/${id}/screen`
        : err.code === 'drawing-required' ? ` #/patients/${id}/map` : '';
      showError(error, err.message);
      if (extra) {
        error.append(' ', el('a', { href: extra.trim(), text: err.code === 'screen-required' ? 'Answer them now.' : 'Draw now.' }));
      }
    } finally {
      make.disabled = false;
    }
  });
  let record;
  try {
    record = await getOrNull(`/patients/${id}/plan`);
  } catch (err) {
    // the server holds back a plan while a warning sign stands
    if (err.code !== 'self-care-stopped') throw err;
    if (!ctx.alive()) return;
    shown.append(el('section', { id: 'home-program', class: 'plan-part' }, el('h2', { text: 'Home program' }),
      blockBox(info.flags && info.flags.level, 'The home program is stopped', null, HELD_BACK)),
    el('p', { class: 'hint', text: 'The kept plan is held back while the warning stands. Once the warning is lifted, make a new plan from the latest answers and drawing; clinic treatment is for the clinician to decide after the check.' }),
    notice());
    return;
  }
  if (!ctx.alive()) return;
  show(record);
}

const pointItem = (p) => el('li', {},
  el('strong', { text: `${p.id}${p.name && p.name !== p.id ? ` (${p.name})` : ''}` }), `: ${p.location}`);

// A clinic modality as it stands for this person: left out (and why), its
// points and those left out, its cautions with their sources, and what the
// guidelines say of it.
function modalityEntry(m) {
  const cautions = m.cautions || [];
  return [
    el('dt', { 'data-modality': m.modality, 'data-avoid': m.avoid ? 'true' : null },
      modalityName(m.modality), m.avoid ? el('span', { class: 'tag tag-avoid', text: 'left out for this person' }) : null),
    el('dd', { class: m.avoid ? 'avoided' : null },
      m.avoid ? null : m.detail,
      m.points && m.points.length ? el('ul', { class: 'points' }, m.points.map(pointItem)) : null,
      m.avoided_points && m.avoided_points.length
        ? el('div', { class: 'avoided-points' }, el('strong', { text: 'Points left out: ' }),
          m.avoided_points.map((p) => p.id).join(', '), '.') : null,
      cautions.length ? el('ul', { class: 'cautions' }, cautions.map((c) => el('li', { 'data-caution': c.id },
        c.text, c.source && c.source.length ? el('span', { class: 'source', text: ` [${c.source.join('; ')}]` }) : null))) : null,
      m.guidelines && !m.avoid ? el('p', { class: 'guidelines' }, el('strong', { text: 'Guidelines. ' }), m.guidelines.text) : null),
  ];
}

function renderPlan(box, plan, info, id, stale = false) {
  const held = !info.self_care || plan.self_care === 'stop';
  const level = plan.level || 'none';
  const advice = [plan.advice].flat().filter(Boolean);
  // with a warning standing, the banner above the page already gives it
  if (info.self_care) {
    box.append(el('section', {
      class: held ? `warning level-${level === 'none' || level === 'soon' ? 'urgent' : level}` : level === 'soon' ? 'caution' : 'all-clear',
    }, el('h2', { text: held ? (LEVEL_WORDS[level] || 'Self-treatment is stopped') : LEVEL_WORDS[level] || 'Advice' }),
    advice.map((a) => el('p', { text: a }))));
  }
  for (const w of plan.warnings || []) {
    box.append(el('section', { class: `warning level-${w.level}`, 'data-warning': w.id },
      el('h2', { text: LEVEL_WORDS[w.level] || 'Warning' }), el('p', { text: w.advice })));
  }
  if (plan.causes && plan.causes.length) {
    box.append(el('section', { class: 'plan-causes' }, el('h2', { text: 'What the plan treats' }),
      el('ul', {}, plan.causes.map((c) => el('li', {},
        el('strong', { text: c.label }), sideWord(c.side) ? `, ${sideWord(c.side)} side` : '',
        ` (${percent(c.probability)})`))),
      plan.pattern ? el('p', { class: 'hint', text: `Pattern of the drawing: ${plan.pattern}.` }) : null));
  }

  const home = el('section', { id: 'home-program', class: 'plan-part' }, el('h2', { text: 'Home program' }));
  if (held) {
    home.append(info.self_care
      ? blockBox(level, 'The home program is stopped', advice[0], HELD_BACK)
      : blockBox(info.flags && info.flags.level, 'The home program is stopped', null, HELD_BACK));
  } else if (stale) {
    home.append(el('p', { class: 'placeholder', text: 'Held back: the home program comes from a new plan made from the latest answers and drawing.' }));
  } else if (!plan.home || !plan.home.steps || !plan.home.steps.length) {
    home.append(el('p', { class: 'placeholder', text: 'This plan has no home program.' }));
  } else {
    if (plan.self_care === 'with-caution' || plan.self_care === 'caution') {
      home.append(el('p', { class: 'caution', text: 'With caution: keep the pressure light and the sessions short until the doctor\'s visit, and stop at the first sign that anything is getting worse.' }));
    }
    if (plan.home.pressure) home.append(el('p', {}, el('strong', { text: 'How hard to press. ' }), plan.home.pressure));
    if (plan.home.sessions_per_day) {
      home.append(el('p', {}, el('strong', { text: 'How often. ' }), `${plan.home.sessions_per_day} session${plan.home.sessions_per_day === 1 ? '' : 's'} a day.`));
    }
    home.append(el('ol', { class: 'home-steps' }, plan.home.steps.map((s) => el('li', { class: `home-step kind-${s.kind}`, 'data-step': s.id },
      el('h3', { text: s.title }),
      el('p', { class: 'timing', text: timing(s) }),
      s.placement ? el('p', {}, el('strong', { text: 'Where. ' }), s.placement) : null,
      el('p', { text: s.instructions }),
      s.cautions && s.cautions.length ? el('ul', { class: 'cautions' }, s.cautions.map((c) => el('li', { text: c }))) : null))));
    if (plan.home.habits && plan.home.habits.length) {
      home.append(el('h3', { text: 'Everyday habits that help' }),
        el('ul', {}, plan.home.habits.map((h) => el('li', { text: h }))));
    }
    home.append(el('p', { class: 'no-print' }, el('a', { class: 'primary button-link', href: `#/patients/${id}/session`, text: 'Start a guided session' })));
  }
  box.append(home);

  const clinic = el('section', { id: 'clinic-program', class: 'plan-part' }, el('h2', { text: 'Treatment in the clinic' }));
  if (!plan.clinic || !plan.clinic.length) clinic.append(el('p', { class: 'placeholder', text: 'No clinic treatment is listed for this plan.' }));
  for (const c of plan.clinic || []) {
    clinic.append(el('article', { class: 'clinic-cause' },
      el('h3', {}, c.label, sideWord(c.side) ? el('span', { class: 'hint', text: `, ${sideWord(c.side)} side` }) : null),
      el('dl', { class: 'modalities' }, c.modalities.map(modalityEntry)),
      c.evidence ? el('p', { class: 'evidence' }, el('strong', { text: 'Evidence. ' }), c.evidence) : null));
  }
  box.append(clinic);

  if (plan.course && plan.course.advice) {
    box.append(el('section', { class: 'plan-part' }, el('h2', { text: 'How long to keep going' }), el('p', { text: plan.course.advice })));
  }
  if (plan.stop_rules && plan.stop_rules.length) {
    box.append(el('section', { class: 'plan-part stop-rules' }, el('h2', { text: 'When to stop' }),
      el('ul', {}, plan.stop_rules.map((r) => el('li', { 'data-rule': r.id, text: r.text })))));
  }
  box.append(notice(plan.notice));
}

// ---- the log ----

function painSelect(name) {
  return el('select', { name },
    el('option', { value: '', text: '—' }),
    Array.from({ length: 11 }, (_, i) => el('option', { value: String(i), text: `${i}${i === 0 ? ' none' : i === 10 ? ' worst' : ''}` })));
}

export async function logPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'log');
  if (!frame) return;
  const { id, body } = frame;
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const saved = el('p', { class: 'ok', role: 'status', hidden: true });
  const list = el('div', { id: 'log-entries' });
  const f = el('form', { class: 'form log-form', novalidate: true },
    el('div', { class: 'field-row' },
      field('Leg pain now (0–10)', painSelect('leg_pain')),
      field('Back pain now (0–10)', painSelect('back_pain'))),
    el('div', { class: 'field-row' },
      field('How long can you sit? (minutes)', el('input', { type: 'number', name: 'sitting_minutes', min: '0', max: '1440', inputmode: 'numeric' })),
      field('How long can you walk? (minutes)', el('input', { type: 'number', name: 'walking_minutes', min: '0', max: '1440', inputmode: 'numeric' }))),
    field('Did pain disturb your sleep last night?', el('select', { name: 'sleep_disturbed' },
      el('option', { value: '', text: '—' }), el('option', { value: 'yes', text: 'Yes' }), el('option', { value: 'no', text: 'No' }))),
    field('Medication taken', el('input', { type: 'text', name: 'medication', maxlength: '200' })),
    field('Note', el('textarea', { name: 'note', rows: '2', maxlength: '1000' })),
    field('When (leave empty for now)', el('input', { type: 'datetime-local', name: 'at' })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Add to the log' })));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    saved.hidden = true;
    const v = (n) => f.elements[n].value.trim();
    const entry = {};
    if (v('leg_pain')) entry.leg_pain = Number(v('leg_pain'));
    if (v('back_pain')) entry.back_pain = Number(v('back_pain'));
    for (const n of ['sitting_minutes', 'walking_minutes']) {
      if (!v(n)) continue;
      if (!/^\d+$/.test(v(n)) || Number(v(n)) > 1440) {
        showError(error, 'Minutes are a whole number from 0 to 1440.');
        f.elements[n].focus();
        return;
      }
      entry[n] = Number(v(n));
    }
    if (v('sleep_disturbed')) entry.sleep_disturbed = v('sleep_disturbed') === 'yes';
    if (v('medication')) entry.medication = v('medication');
    if (v('note')) entry.note = v('note');
    const measures = ['leg_pain', 'back_pain', 'sitting_minutes', 'walking_minutes', 'sleep_disturbed'];
    if (!measures.some((m) => m in entry)) {
      showError(error, 'Give at least one measure: leg or back pain, sitting or walking time, or sleep.');
      return;
    }
    if (v('at')) {
      const at = new Date(v('at'));
      if (Number.isNaN(at.getTime())) {
        showError(error, 'The time could not be read.');
        return;
      }
      if (at.getTime() > Date.now() + 60000) {
        showError(error, 'The time is in the future.');
        return;
      }
      entry.at = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    const button = f.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await post(`/patients/${id}/log`, entry);
      f.reset();
      await showLog(list, id);
      saved.textContent = 'Added to the log.';
      saved.hidden = false;
    } catch (err) {
      showError(error, err.message);
    } finally {
      button.disabled = false;
    }
  });
  body.append(el('p', { class: 'lead', text: 'Rate your pain from 0 (none) to 10 (the worst you can imagine). A few entries a week are enough to see change; several a day are fine.' }),
    error, saved, f, el('h2', { text: 'Entries' }), list,
    nextLink(`#/patients/${id}/progress`, 'See progress'));
  await showLog(list, id);
}

async function showLog(box, id) {
  const { entries } = await get(`/patients/${id}/log`);
  box.textContent = '';
  if (!entries.length) {
    box.append(el('p', { class: 'placeholder', text: 'No entries yet.' }));
    return;
  }
  const rows = [...entries].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  const cell = (v, unit = '') => (v === null || v === undefined ? '—' : `${v}${unit}`);
  box.append(el('div', { class: 'table-wrap' }, el('table', { class: 'data log-table' },
    el('thead', {}, el('tr', {}, ['When', 'Leg', 'Back', 'Sit', 'Walk', 'Sleep disturbed', 'Note'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows.map((e) => el('tr', {},
      el('td', { text: when(e.at) }),
      el('td', { text: cell(e.leg_pain) }),
      el('td', { text: cell(e.back_pain) }),
      el('td', { text: cell(e.sitting_minutes, ' min') }),
      el('td', { text: cell(e.walking_minutes, ' min') }),
      el('td', { text: e.sleep_disturbed === true ? 'yes' : e.sleep_disturbed === false ? 'no' : '—' }),
      el('td', { text: [e.medication, e.note].filter(Boolean).join('; ') }))))),
  ));
}

// ---- progress ----

const VERDICT_WORDS = {
  'too-early': 'Too early to judge',
  improving: 'Improving',
  'no-change': 'No change',
  worsening: 'Getting worse',
  relapse: 'The pain has come back',
  stop: 'Stop and see a clinician',
};

function changeText(m) {
  if (!m || m.baseline === null || m.baseline === undefined) return 'no ratings yet';
  const pts = m.change_points;
  const sign = pts > 0 ? '+' : '';
  return `${m.baseline} → ${m.latest} (${sign}${pts} point${Math.abs(pts) === 1 ? '' : 's'}${m.change_percent !== null && m.change_percent !== undefined ? `, ${sign}${Math.round(m.change_percent)}%` : ''})`;
}

// Leg and back pain over time from the log, so the progress page shows it
// even before the report is opened.
function painChart(entries) {
  const points = (key) => entries.filter((e) => e[key] !== null && e[key] !== undefined)
    .map((e) => ({ t: new Date(e.at).getTime(), v: e[key] }))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  const series = [
    { key: 'back', label: 'Back pain', points: points('back_pain') },
    { key: 'leg', label: 'Leg pain', points: points('leg_pain') },
  ];
  if (!series.some((s) => s.points.length)) return el('p', { class: 'placeholder', text: 'The chart appears once the log has pain ratings.' });
  return el('figure', { class: 'chart-figure', id: 'pain-chart' },
    lineChart({ series, min: 0, max: 10, ticks: [0, 2, 4, 6, 8, 10], label: 'Leg and back pain, 0 to 10' }),
    el('figcaption', {}, chartKey([['leg', 'leg pain'], ['back', 'back pain (0 none, 10 worst)']])));
}

export async function progressPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'progress');
  if (!frame) return;
  const { id, body } = frame;
  const [p, log, { instruments }, measured] = await Promise.all([get(`/patients/${id}/progress`),
    get(`/patients/${id}/log`), get('/instruments'), get(`/patients/${id}/measures`)]);
  if (!ctx.alive()) return;
  const stops = p.flags && p.flags.stops;
  body.append(el('section', { class: `verdict verdict-${p.verdict}${stops ? ' warning level-urgent' : ''}`, 'data-verdict': p.verdict },
    el('h2', { text: VERDICT_WORDS[p.verdict] || p.verdict }),
    el('p', { text: p.sentence.startsWith(`${VERDICT_WORDS[p.verdict]}.`) ? p.sentence.slice(VERDICT_WORDS[p.verdict].length + 1).trim() : p.sentence }),
    p.advice ? el('p', { class: 'advice', text: p.advice }) : null,
    stops && p.flags.advice ? el('p', { text: p.flags.advice }) : null));
  put(body, el('dl', { class: 'facts progress-facts' },
    el('dt', { text: 'Leg pain' }), el('dd', { text: changeText(p.leg) }),
    el('dt', { text: 'Back pain' }), el('dd', { text: changeText(p.back) }),
    el('dt', { text: 'Sessions' }), el('dd', { text: `${p.sessions}${p.sessions_sharp ? ` (${p.sessions_sharp} stopped for sharp or new pain)` : ''}` }),
    el('dt', { text: 'Since' }), el('dd', { text: p.start ? `${day(p.start)} (${p.days} day${p.days === 1 ? '' : 's'})` : '—' })),
  p.mcid ? el('p', { class: 'hint', text: `A fall of ${p.mcid.points} points or ${p.mcid.percent}% is the smallest change that counts.` }) : null);
  body.append(el('h2', { text: 'Pain over time' }), painChart(log.entries || []));
  body.append(el('section', { id: 'progress-measures', 'aria-labelledby': 'progress-measures-title' },
    el('h2', { id: 'progress-measures-title', text: 'Outcome measures' }),
    trendCards(instruments, measured.measures, measured.trends),
    el('p', {}, el('a', { href: `#/patients/${id}/measures`, id: 'to-measures', text: 'Fill in a questionnaire' }))));
  body.append(el('h2', { text: 'The report' }),
    el('p', { class: 'no-print' },
      el('a', { href: url(`/patients/${id}/report`), target: '_blank', rel: 'noopener', class: 'secondary button-link', id: 'open-report', text: 'Open the report to print' }), ' ',
      el('a', { href: `#/patients/${id}/report`, text: 'Report and downloads' })),
    el('iframe', { class: 'report-frame', id: 'report-frame', src: url(`/patients/${id}/report`), title: 'Progress report' }));
  body.append(notice(p.notice));
}

export async function reportPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'report');
  if (!frame) return;
  const { id, body } = frame;
  view.classList.add('wide');
  body.append(el('div', { class: 'actions no-print' },
    el('a', { class: 'primary button-link', href: url(`/patients/${id}/report`), target: '_blank', rel: 'noopener', text: 'Open the report to print' }),
    el('a', { class: 'secondary button-link', href: url(`/patients/${id}/export.csv?what=log`), download: `tpt-log-${id}.csv`, text: 'Log (CSV)' }),
    el('a', { class: 'secondary button-link', href: url(`/patients/${id}/export.csv?what=sessions`), download: `tpt-sessions-${id}.csv`, text: 'Sessions (CSV)' }),
    el('a', { class: 'secondary button-link', href: url(`/patients/${id}/export.fhir`), download: `tpt-${id}.fhir.json`, text: 'FHIR R4 bundle' })),
  el('iframe', { class: 'report-frame tall', id: 'report-frame', src: url(`/patients/${id}/report`), title: 'Progress report' }),
  notice());
}
