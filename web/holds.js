// The warning signs that hold self-treatment back in a record, as the
// record's banner lists them: what each is, what raised it and who kept
// that, and who may lift it. The clinic's staff get, under each, the form to
// record that they assessed it, which lifts it (POST
// /patients/{id}/assessments); a patient reads that their clinician must
// review a clinician's hold. The server decides and checks all of it
// (record/flags.c); this page only says it.

import { post } from './api.js';
import { el, field, submitForm, when } from './dom.js';
import { t } from './i18n.js';

// A drawing's warnings carry advice but no short name of their own.
const drawingWords = (id) => ({
  'cauda-equina': t('Numbness or tingling between the legs, or symptoms in both legs, on the drawing'),
  'saddle-pain': t('Pain between the legs or around the back passage on the drawing'),
  numbness: t('Numbness on the drawing'),
}[id]);

function title(f) {
  return f.reason || drawingWords(f.id) || t('A warning of the drawing');
}

function origin(f, own) {
  const vars = { when: when(f.at) };
  if (f.raised_by.clinician) {
    vars.name = f.raised_by.name || t('a clinician');
    return f.source === 'drawing' ? t('Raised by {name} (clinician), from the drawing of {when}.', vars)
      : t('Raised by {name} (clinician), from the safety answers of {when}.', vars);
  }
  if (own) {
    return f.source === 'drawing' ? t('Raised by you, from the drawing of {when}.', vars)
      : t('Raised by you, from the safety answers of {when}.', vars);
  }
  return f.source === 'drawing' ? t('Raised by the patient, from the drawing of {when}.', vars)
    : t('Raised by the patient, from the safety answers of {when}.', vars);
}

// Who may lift it, in the reader's words: the patient's own view, or the staff's.
function lifter(f, own) {
  const lasting = f.lasting
    ? ` ${t('It is about something that does not go away: once a clinician has assessed it, later answers that give it again no longer stop self-treatment.')}`
    : '';
  if (f.lifted_by === 'clinician') {
    return (own
      ? t('Your clinician must review it before self-treatment can start again: only a clinician can lift it.')
      : t('Only a clinician can lift it: by recording an assessment, by signing a visit whose drawing no longer shows it, or by answering the safety questions with the patient.')) + lasting;
  }
  if (f.lifted_by === 'drawing') {
    return (own
      ? t('It stands while this drawing is the latest: no answer to the safety questions lifts it. A clinician who has checked you can lift it.')
      : t('It stands while this drawing is the latest, whatever the safety answers say; a clinician\'s assessment lifts it.')) + lasting;
  }
  return (own
    ? t('Once a clinician has checked you, answer the safety questions again; a clinician can also lift it.')
    : t('A later complete screen without it lifts it; so does a clinician\'s assessment.')) + lasting;
}

// The form to record an assessment of one hold; `done` runs after it is kept.
function assessForm(id, f, done) {
  const finding = el('textarea', { name: 'finding', rows: '3', maxlength: '4096', required: true });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const form = el('form', { class: 'form assess-form', 'data-flag': f.id, novalidate: true },
    field(t('What you found'), finding, t('Kept for good with your name and the time, and written to the audit log. It lifts this warning.')),
    error,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('Record the assessment') })));
  submitForm(form, error, async () => {
    const text = finding.value.trim();
    if (!text) {
      finding.focus();
      throw new Error(t('Say what you found: it is what lifts the warning.'));
    }
    await post(`/patients/${id}/assessments`, { flag: f.id, finding: text });
    done();
  });
  return el('details', { class: 'assess' }, el('summary', { text: t('Record your assessment') }), form);
}

// The holds (flags at urgent or above) as a list. `own`: the reader is the
// patient of this record; `assess`: the reader may record assessments
// (staff, on a record not their own); `done` runs after one is kept.
export function holdsList(flags, { id, own, assess, done }) {
  return el('ul', { class: 'holds' }, flags.map((f) => el('li', {
    class: 'hold', 'data-flag-id': f.id, 'data-lifted-by': f.lifted_by,
  },
  el('strong', { class: 'hold-what', text: title(f) }),
  el('p', { class: 'hold-origin', text: origin(f, own) }),
  el('p', { class: 'hold-lift', text: lifter(f, own) }),
  assess ? assessForm(id, f, done) : null)));
}
