// The fields of a visit's draft: a mistake said by the field of the note it
// is in (the server names it, "note.plan.needling[0].count"), and the small
// controls of the form.

import { el } from './dom.js';
import { t } from './i18n.js';

// ---- errors named by the note's fields ----

const fieldNames = () => ({
  kind: t('The kind of visit'),
  subjective: t('Subjective'),
  'subjective.leg_pain': t('Leg pain'),
  'subjective.back_pain': t('Back pain'),
  'subjective.changes': t('What has changed'),
  'subjective.history': t('History'),
  'subjective.history.onset': t('When it began'),
  'subjective.history.how_started': t('How it began'),
  'subjective.history.duration_weeks': t('Weeks since it began'),
  'subjective.history.aggravating': t('What makes it worse'),
  'subjective.history.easing': t('What eases it'),
  'subjective.history.perpetuating': t('What keeps it going'),
  'subjective.history.work': t('Work'),
  'subjective.history.sitting_hours': t('Hours sitting a day'),
  'subjective.history.prior_treatments': t('Treatments tried before'),
  objective: t('Objective'),
  'objective.marks': t('The drawing'),
  'objective.findings': t('Examination findings'),
  'objective.palpation': t('Palpation'),
  'objective.palpation[].muscle': t('Palpation, muscle'),
  'objective.palpation[].side': t('Palpation, side'),
  assessment: t('Assessment'),
  'assessment.own_words': t('Your assessment'),
  plan: t('Plan'),
  'plan.compression': t('Manual compression'),
  'plan.needling': t('Dry needling'),
  'plan.needling[].count': t('Dry needling, needles'),
  'plan.acupoints': t('Acupuncture points'),
  'plan.acupoints[].count': t('Acupuncture, needles'),
  'plan.cupping': t('Cupping'),
  'plan.tuina': t('Tui Na'),
  'plan.gua_sha': t('Gua Sha'),
  'plan.heat_minutes': t('Heat, minutes'),
  'plan.stretches': t('Stretches taught'),
  'plan.home_program': t('Home program'),
  'plan.notes': t('Notes'),
});

export class FieldError extends Error {
  constructor(path, what) {
    super(what);
    this.path = path;
  }
}

function fieldWords(path) {
  let p = path.replace(/\[\d+\]/g, '[]');
  const names = fieldNames();
  let words = names[p];
  while (!words && /[.[]/.test(p)) {
    p = p.replace(/(\.[^.[]*|\[\])$/, '');
    words = names[p];
  }
  const row = path.match(/\[(\d+)\]/);
  return `${words || t('The note')}${row ? ` ${t('(row {n})', { n: Number(row[1]) + 1 })}` : ''}`;
}

// A refused note (400, field "note.<path>") or one that could not be read
// here, as {path, sentence}.
export function fieldError(err) {
  if (err instanceof FieldError) {
    return { path: err.path, sentence: `${fieldWords(err.path)}: ${err.message}.` };
  }
  const f = err.field || '';
  if (err.status === 400 && f.startsWith('note')) {
    const path = f.replace(/^note\.?/, '');
    const raw = (err.body && err.body.error && err.body.error.message) || err.message;
    const what = raw.includes(': ') ? raw.slice(raw.indexOf(': ') + 2) : raw;
    return { path, sentence: `${fieldWords(path)}: ${what.replace(/\.$/, '')}.` };
  }
  return { path: null, sentence: err.message };
}

// o[k] = v unless v is nothing (undefined, or an empty list)
export function setIf(o, k, v) {
  if (v !== undefined && !(Array.isArray(v) && !v.length)) o[k] = v;
}

export const nonEmpty = (o) => Object.keys(o).length > 0;

// ---- small controls ----

export function painSelect(value) {
  return el('select', {},
    el('option', { value: '', text: '—' }),
    Array.from({ length: 11 }, (_, i) => el('option', {
      value: String(i), text: i === 0 ? t('0 none') : i === 10 ? t('10 worst') : String(i), selected: value === i,
    })));
}

export function sideSelect() {
  return el('select', { 'aria-label': t('Side') },
    el('option', { value: 'r', text: t('Right') }), el('option', { value: 'l', text: t('Left') }));
}

export function muscleSelect(muscles) {
  return el('select', { 'aria-label': t('Muscle') },
    [...muscles.values()].map((m) => el('option', { value: m.id, text: m.label })));
}
