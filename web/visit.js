// A clinic visit in SOAP form (include/tpt/visit.h is the note's checker):
// the page loads the visit, the one before it, the patient's details and
// the words a note may use (note_words.js), then shows a draft's form
// (visit_draft.js) or a signed note with its amendments (visit_signed.js).
// The body chart and its markers are visit_chart.js; the engine's two
// answers, visit_assessment.js.

import { ApiError, get, getOrNull } from './api.js';
import { authorNames, visitHeading } from './clinic.js';
import { el } from './dom.js';
import { t } from './i18n.js';
import { patientFrame } from './frame.js';
import { loadNoteWords } from './note_words.js';
import { draftForm } from './visit_draft.js';
import { signedView } from './visit_signed.js';

export async function visitPage(view, ctx) {
  const id = ctx.params.id;
  const asked = ctx.params.n;
  if (asked !== undefined && !/^[1-9]\d{0,8}$/.test(asked)) throw new ApiError(t('There is no visit at this address.'));
  const number = asked ? Number(asked) : null;
  const [visit, list, details, words] = await Promise.all([
    number ? get(`/patients/${id}/visits/${number}`).then((a) => a.visit) : null,
    get(`/patients/${id}/visits`),
    get(`/patients/${id}/details`).then((a) => a.patient).catch(() => null),
    loadNoteWords(),
  ]);
  const author = authorNames(ctx);
  if (!ctx.alive()) return;
  const kind = visit ? (visit.note && visit.note.kind) || visit.kind
    : ctx.query.get('kind') === 'follow-up' ? 'follow-up' : 'intake';
  const heading = visitHeading(visit && visit.number, kind);
  // the visit before this one, to compare with
  const earlier = list.visits.filter((v) => !number || v.number < number).sort((a, b) => b.number - a.number)[0];
  const previous = earlier ? ((await getOrNull(`/patients/${id}/visits/${earlier.number}`)) || {}).visit : null;
  if (!ctx.alive()) return;
  const frame = await patientFrame(view, ctx, 'visits', heading);
  if (!frame) return;
  view.classList.add('wide');
  const page = {
    ctx, id, info: frame.info, body: frame.body, visit, kind, previous, details, words, author,
  };
  frame.body.append(el('p', { class: 'back-link' }, el('a', { href: `#/patients/${id}/visits`, text: `‹ ${t('All visits')}` })));
  if (visit && visit.signed_at) await signedView(page);
  else await draftForm(page);
}
