// The fields of a visit's draft: a mistake said by the field of the note it
// is in (the server names it, "note.plan.needling[0].count"), and the small
// controls of the form.

import { el } from './dom.js';

// ---- errors named by the note's fields ----

const FIELD_WORDS = {
  kind: 'The kind of visit',
  subjective: 'Subjective',
  'subjective.leg_pain': 'Leg pain',
  'subjective.back_pain': 'Back pain',
  'subjective.changes': 'What has changed',
  'subjective.history': 'History',
  'subjective.history.onset': 'When it began',
  'subjective.history.how_started': 'How it began',
  'subjective.history.duration_weeks': 'Weeks since it began',
  'subjective.history.aggravating': 'What makes it worse',
  'subjective.history.easing': 'What eases it',
  'subjective.history.perpetuating': 'What keeps it going',
  'subjective.history.work': 'Work',
  'subjective.history.sitting_hours': 'Hours sitting a day',
  'subjective.history.prior_treatments': 'Treatments tried before',
  objective: 'Objective',
  'objective.marks': 'The drawing',
  'objective.findings': 'Examination findings',
  'objective.palpation': 'Palpation',
  'objective.palpation[].muscle': 'Palpation, muscle',
  'objective.palpation[].side': 'Palpation, side',
  assessment: 'Assessment',
  'assessment.own_words': 'Your assessment',
  plan: 'Plan',
  'plan.compression': 'Manual compression',
  'plan.needling': 'Dry needling',
  'plan.needling[].count': 'Dry needling, needles',
  'plan.acupoints': 'Acupuncture points',
  'plan.acupoints[].count': 'Acupuncture, needles',
  'plan.cupping': 'Cupping',
  'plan.tuina': 'Tui Na',
  'plan.gua_sha': 'Gua Sha',
  'plan.heat_minutes': 'Heat, minutes',
  'plan.stretches': 'Stretches taught',
  'plan.home_program': 'Home program',
  'plan.notes': 'Notes',
};

export class FieldError extends Error {
  constructor(path, what) {
    super(what);
    this.path = path;
  }
}

function fieldWords(path) {
  let p = path.replace(/\[\d+\]/g, '[]');
  let words = FIELD_WORDS[p];
  while (!words && /[.[]/.test(p)) {
    p = p.replace(/(\.[^.[]*|\[\])$/, '');
    words = FIELD_WORDS[p];
  }
  const row = path.match(/\[(\d+)\]/);
  return `${words || 'The note'}${row ? ` (row ${Number(row[1]) + 1})` : ''}`;
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
      value: String(i), text: `${i}${i === 0 ? ' none' : i === 10 ? ' worst' : ''}`, selected: value === i,
    })));
}

export function sideSelect() {
  return el('select', { 'aria-label': 'Side' },
    el('option', { value: 'r', text: 'Right' }), el('option', { value: 'l', text: 'Left' }));
}

export function muscleSelect(muscles) {
  return el('select', { 'aria-label': 'Muscle' },
    [...muscles.values()].map((m) => el('option', { value: m.id, text: m.label })));
}
