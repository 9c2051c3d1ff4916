// The plan of a record: made from the latest safety answers and drawing,
// shown with the home program (each step with its picture, the place to
// press on the person's own chart and its dose), the clinic's treatments,
// the course and the stop rules; printed as it is, or as the one-page
// handout the server writes (plan.html, in the same language).

import { getOrNull, post, url } from './api.js';
import { atlasList } from './chart.js';
import {
  blockBox, el, heldBack, levelWords, notice, percent, showError, when,
} from './dom.js';
import { patientFrame } from './frame.js';
import { language, t, tn } from './i18n.js';
import {
  drawnMarks, stepPicture, stepPlace, timingText,
} from './steps.js';

function modalityName(m) {
  const known = {
    'manual-compression': t('Manual compression'),
    'dry-needling': t('Dry needling'),
    acupuncture: t('Acupuncture'),
    cupping: t('Cupping'),
    'moist-heat': t('Moist heat'),
    heat: t('Heat'),
    'tui-na': t('Tui Na'),
    'gua-sha': t('Gua Sha'),
    stretching: t('Stretching'),
  };
  if (known[m]) return known[m];
  const words = m.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const sideWord = (side) => (side === 'r' ? t('right') : side === 'l' ? t('left') : '');

// A cause in plain words first, the atlas's name after it.
export function causeWords(c, lay) {
  const name = lay ? `${lay} (${c.label})` : c.label;
  const side = sideWord(c.side);
  return side ? t('{name}, {side} side', { name, side }) : name;
}

// A plan made before the latest safety answers or drawing is stale: the
// server leaves its home program out and refuses its handout and sessions
// (plan-stale) until a new plan is made. The box says which is newer and
// makes the new plan in one click; `renewed(plan)` runs after it is kept.
export function staleBox(record, id, renewed) {
  const newer = record.newer || {};
  const what = [
    newer.screen ? t('the latest safety answers ({when})', { when: when(newer.screen.at) }) : null,
    newer.drawing ? t('the latest drawing ({when})', { when: when(newer.drawing.at) }) : null,
  ].filter(Boolean);
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const renew = el('button', { type: 'button', class: 'primary', id: 'renew-plan', text: t('Make a new plan from the latest answers and drawing') });
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
    el('h2', { text: t('This plan is out of date') }),
    el('p', { text: t('It was made {when}, before {newer}. A plan must come from the latest ones, so its home program, the handout and guided sessions are held back until a new plan is made.', {
      when: when(record.at), newer: what.length ? what.join(t(' and ')) : t('the latest safety answers and drawing'),
    }) }),
    el('div', { class: 'actions' }, renew), error);
}

export async function planPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'plan');
  if (!frame) return;
  const { id, info, body } = frame;
  const latest = info.latest || {};
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const shown = el('div', { id: 'plan' });
  const make = el('button', { type: 'button', class: 'primary', id: 'make-plan', text: t('Make the plan') });
  const made = el('p', { class: 'hint' });
  const handout = info.self_care
    ? el('a', {
      class: 'secondary button-link', href: url(`/patients/${id}/plan.html?lang=${language()}`), target: '_blank', rel: 'noopener', id: 'handout', text: t('One-page handout'),
    })
    : null;
  body.append(el('div', { class: 'plan-make no-print' },
    el('p', {}, t('The plan is made from the latest safety answers ({screen}) and the latest drawing ({drawing}).', {
      screen: latest.screen ? when(latest.screen) : t('none yet'),
      drawing: latest.drawing ? when(latest.drawing) : t('none yet'),
    })),
    el('div', { class: 'actions' }, make,
      el('button', { type: 'button', class: 'secondary', text: t('Print'), onclick: () => window.print() }),
      handout)),
  made, error, shown);

  const [causes, marks] = await Promise.all([atlasList().catch(() => []), drawnMarks(id)]);
  const lay = new Map(causes.map((c) => [c.cause, c.lay]));
  const show = (record) => {
    shown.textContent = '';
    if (handout) handout.hidden = !record || record.stale;
    if (!record) {
      shown.append(el('p', { class: 'placeholder', text: t('No plan yet. Answer the safety questions and mark where it hurts, then press Make the plan.') }));
      return;
    }
    made.textContent = record.made_by
      ? t('This plan was made {when} by {name}.', { when: when(record.at), name: record.made_by.name })
      : t('This plan was made {when}.', { when: when(record.at) });
    if (record.stale) shown.append(staleBox(record, id, fresh));
    renderPlan(shown, record.plan, info, id, { lay, marks, stale: record.stale });
  };
  // a plan just made: made from the latest, so never stale
  const fresh = (plan) => show({ plan, at: new Date().toISOString(), stale: false });
  make.addEventListener('click', async () => {
    error.hidden = true;
    make.disabled = true;
    try {
      fresh(await post(`/patients/${id}/plan`, {}));
      shown.scrollIntoView({ block: 'start' });
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      make.disabled = false;
    }
  });
  let record = null;
  try {
    record = info.latest && info.latest.plan ? await getOrNull(`/patients/${id}/plan`) : null;
  } catch (err) {
    if (err.code !== 'self-care-stopped') throw err;
    if (!ctx.alive()) return;
    shown.append(el('section', { id: 'home-program', class: 'plan-part' }, el('h2', { text: t('Home program') }),
      blockBox(info.flags && info.flags.level, t('The home program is stopped'), null, heldBack())),
    el('p', { class: 'hint', text: t('The kept plan is held back while the warning stands. Once the warning is lifted, make a new plan from the latest answers and drawing; clinic treatment is for the clinician to decide after the check.') }),
    notice());
    return;
  }
  if (!ctx.alive()) return;
  show(record);
}

// One step of the home program: its picture and place beside its words.
function homeStep(s, i, lay, marks) {
  return el('li', { class: `home-step kind-${s.kind}`, 'data-step': s.id },
    el('div', { class: 'step-visual' }, stepPicture(s), stepPlace(s, marks)),
    el('div', { class: 'step-words' },
      el('h3', {}, el('span', { class: 'step-number', text: `${i + 1}.` }), ' ', s.title),
      s.cause_label ? el('p', { class: 'step-for', text: t('For: {cause}', { cause: causeWords({ label: s.cause_label, side: s.side }, lay.get(s.cause)) }) }) : null,
      el('p', { class: 'timing', text: timingText(s) }),
      s.placement ? el('p', {}, el('strong', { text: t('Where.') }), ' ', s.placement) : null,
      el('p', { text: s.instructions }),
      s.cautions && s.cautions.length ? el('ul', { class: 'cautions' }, s.cautions.map((c) => el('li', { text: c }))) : null));
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
      modalityName(m.modality), m.avoid ? [' ', el('span', { class: 'tag tag-avoid', text: t('left out for this person') })] : null),
    el('dd', { class: m.avoid ? 'avoided' : null },
      m.avoid ? null : m.detail,
      m.points && m.points.length ? el('ul', { class: 'points' }, m.points.map(pointItem)) : null,
      m.avoided_points && m.avoided_points.length
        ? el('div', { class: 'avoided-points' }, el('strong', { text: t('Points left out:') }), ' ',
          m.avoided_points.map((p) => p.id).join(', '), '.') : null,
      cautions.length ? el('ul', { class: 'cautions' }, cautions.map((c) => el('li', { 'data-caution': c.id },
        c.text, c.source && c.source.length ? el('span', { class: 'source', text: ` [${c.source.join('; ')}]` }) : null))) : null,
      m.guidelines && !m.avoid ? el('p', { class: 'guidelines' }, el('strong', { text: t('Guidelines.') }), ' ', m.guidelines.text) : null),
  ];
}

function renderPlan(box, plan, info, id, { lay, marks, stale = false }) {
  const held = !info.self_care || plan.self_care === 'stop';
  const level = plan.level || 'none';
  const advice = [plan.advice].flat().filter(Boolean);
  // with a warning standing, the banner above the page already gives it
  if (info.self_care) {
    box.append(el('section', {
      class: held ? `warning level-${level === 'none' || level === 'soon' ? 'urgent' : level}` : level === 'soon' ? 'caution' : 'all-clear',
    }, el('h2', { text: held ? (levelWords(level) || t('Self-treatment is stopped')) : levelWords(level) || t('Advice') }),
    advice.map((a) => el('p', { text: a }))));
  }
  for (const w of plan.warnings || []) {
    box.append(el('section', { class: `warning level-${w.level}`, 'data-warning': w.id },
      el('h2', { text: levelWords(w.level) || t('Warning') }), el('p', { text: w.advice })));
  }
  const labels = new Map((plan.causes || []).map((c) => [`${c.cause}:${c.side}`, c.label]));
  if (plan.causes && plan.causes.length) {
    box.append(el('section', { class: 'plan-causes' }, el('h2', { text: t('What the plan treats') }),
      el('ul', {}, plan.causes.map((c) => el('li', { 'data-cause': c.cause },
        el('strong', { text: causeWords(c, lay.get(c.cause)) }), ` (${percent(c.probability)})`))),
      el('p', { class: 'hint', text: t('The percentage is how likely tpt finds it that this trigger point is one of the causes of the pain drawn. It is not a diagnosis.') })));
  }

  const home = el('section', { id: 'home-program', class: 'plan-part' }, el('h2', { text: t('Home program') }));
  if (held) {
    home.append(info.self_care
      ? blockBox(level, t('The home program is stopped'), advice[0], heldBack())
      : blockBox(info.flags && info.flags.level, t('The home program is stopped'), null, heldBack()));
  } else if (stale) {
    home.append(el('p', { class: 'placeholder', text: t('Held back: the home program comes from a new plan made from the latest answers and drawing.') }));
  } else if (!plan.home || !plan.home.steps || !plan.home.steps.length) {
    home.append(el('p', { class: 'placeholder', text: t('This plan has no home program.') }));
  } else {
    if (plan.self_care === 'with-caution' || plan.self_care === 'caution') {
      home.append(el('p', { class: 'caution', text: t('With caution: keep the pressure light and the sessions short until the doctor\'s visit, and stop at the first sign that anything is getting worse.') }));
    }
    if (plan.home.pressure) home.append(el('p', {}, el('strong', { text: t('How hard to press.') }), ' ', plan.home.pressure));
    if (plan.home.sessions_per_day) {
      home.append(el('p', {}, el('strong', { text: t('How often.') }), ' ',
        tn(plan.home.sessions_per_day, 'One session a day.', '{n} sessions a day.')));
    }
    const steps = plan.home.steps.map((s) => ({ ...s, cause_label: labels.get(`${s.cause}:${s.side}`) }));
    home.append(el('ol', { class: 'home-steps' }, steps.map((s, i) => homeStep(s, i, lay, marks))));
    if (plan.home.habits && plan.home.habits.length) {
      home.append(el('h3', { text: t('Everyday habits that help') }),
        el('ul', {}, plan.home.habits.map((h) => el('li', { text: h }))));
    }
    home.append(el('p', { class: 'no-print' }, el('a', { class: 'primary button-link', href: `#/patients/${id}/session`, text: t('Start a guided session') })));
  }
  box.append(home);

  const clinic = el('section', { id: 'clinic-program', class: 'plan-part' }, el('h2', { text: t('Treatment in the clinic') }));
  if (!plan.clinic || !plan.clinic.length) clinic.append(el('p', { class: 'placeholder', text: t('No clinic treatment is listed for this plan.') }));
  for (const c of plan.clinic || []) {
    clinic.append(el('article', { class: 'clinic-cause' },
      el('h3', {}, c.label, sideWord(c.side) ? el('span', { class: 'hint', text: `, ${t('{side} side', { side: sideWord(c.side) })}` }) : null),
      el('dl', { class: 'modalities' }, c.modalities.map(modalityEntry)),
      c.evidence ? el('p', { class: 'evidence' }, el('strong', { text: t('Evidence.') }), ' ', c.evidence) : null));
  }
  box.append(clinic);

  if (plan.course && plan.course.advice) {
    box.append(el('section', { class: 'plan-part' }, el('h2', { text: t('How long to keep going') }), el('p', { text: plan.course.advice })));
  }
  if (plan.stop_rules && plan.stop_rules.length) {
    box.append(el('section', { class: 'plan-part stop-rules' }, el('h2', { text: t('When to stop') }),
      el('ul', {}, plan.stop_rules.map((r) => el('li', { 'data-rule': r.id, text: r.text })))));
  }
  box.append(notice(plan.notice));
}
