// A record's privacy page: who has opened or changed it, and who tried and
// was refused (the audit log of this record, as the patient may read it);
// a copy of the record to take away (FHIR, CSV); and, for the clinic's
// admin, erasing the record when its patient asks.

import { get, remove, url } from './api.js';
import { confirmBox, el, errorBox, when } from './dom.js';
import { patientFrame } from './frame.js';
import { t } from './i18n.js';
import { roleWords } from './account.js';
import { auditWords } from './audit_words.js';

// An audit line as it was written ("read the report"), or the attempt refused.
function actionWords(e) {
  if (!e.refused) return auditWords(e.action);
  const status = (e.action.match(/\((\d+)\)$/) || [])[1];
  return status === '401' ? t('tried to open it without signing in, and was refused')
    : t('tried to open it, and was refused');
}

function whoWords(e) {
  if (e.you) return t('You');
  if (!e.who) return t('Someone not signed in');
  return `${e.who.name} (${roleWords(e.who.role)})`;
}

export async function privacyPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'privacy');
  if (!frame) return;
  const { id, info, body } = frame;
  const me = ctx.me.user;
  const own = String(me.patient) === String(id);
  const { entries } = await get(`/patients/${encodeURIComponent(id)}/audit`);
  if (!ctx.alive()) return;

  body.append(el('h2', { text: own ? t('Who has seen your record') : t('Who has seen this record') }),
    el('p', { class: 'lead', text: t('Everyone who opened or changed this record, newest first, and anyone who tried and was refused. tpt keeps this list itself: no one can leave it out.') }));
  const others = entries.filter((e) => !e.you);
  const show = own ? others : entries;
  body.append(show.length
    ? el('div', { class: 'table-wrap' }, el('table', { class: 'data stacked', id: 'seen' },
      el('thead', {}, el('tr', {}, [t('When'), t('Who'), t('What')].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, show.map((e) => el('tr', { class: e.refused ? 'refused' : false, 'data-refused': String(e.refused) },
        el('td', { 'data-label': t('When'), text: when(e.at) }),
        el('td', { 'data-label': t('Who'), text: whoWords(e) }),
        el('td', { 'data-label': t('What'), text: actionWords(e) }))))))
    : el('p', { class: 'placeholder', text: own ? t('No one but you has opened your record.') : t('Nothing is logged yet.') }));

  body.append(el('h2', { text: own ? t('A copy of your record') : t('A copy of the record') }),
    el('p', { text: own
      ? t('Your pain log, safety questions, drawings, plans, sessions and questionnaires, to keep or to give to another clinician: as a FHIR R4 bundle (which other health systems read) or as spreadsheets (CSV).')
      : t('The pain log, safety questions, drawings, plans, sessions and questionnaires, to keep or to give to another clinician: as a FHIR R4 bundle (which other health systems read) or as spreadsheets (CSV).') }),
    el('div', { class: 'actions' },
      el('a', { class: 'secondary button-link', id: 'copy-fhir', href: url(`/patients/${id}/export.fhir`), download: `tpt-${id}.fhir.json`, text: t('FHIR R4 bundle') }),
      el('a', { class: 'secondary button-link', id: 'copy-log', href: url(`/patients/${id}/export.csv?what=log`), download: `tpt-log-${id}.csv`, text: t('Pain log (CSV)') }),
      el('a', { class: 'secondary button-link', id: 'copy-sessions', href: url(`/patients/${id}/export.csv?what=sessions`), download: `tpt-sessions-${id}.csv`, text: t('Sessions (CSV)') })));

  if (own && me.role === 'patient') {
    body.append(el('h2', { text: t('Having your record erased') }),
      el('p', { text: t('Ask your clinic to erase your record. Everything in it is removed; what stays is that a record was erased, when and by whom, and this list of who saw it.') }));
  }
  if (me.role === 'admin' && !own) {
    const error = el('div', { id: 'erase-error' });
    const button = el('button', {
      type: 'button', class: 'danger', id: 'erase', text: t('Erase this record'),
      onclick: async () => {
        const yes = await confirmBox({
          title: t('Erase the record of {name}?', { name: info.patient.name }),
          text: [t('Do this only when the patient asks for it and the law lets you: everything in the record is removed for good (the log, the safety questions, drawings, plans, sessions, visit notes, questionnaires), the patient\'s account is deleted and their invitations withdrawn.'),
            t('What stays is a tombstone: that the record was erased, when and by you, and its audit log.')],
          confirm: t('Erase the record for good'),
          danger: true,
        });
        if (!yes) return;
        try {
          await remove(`/patients/${id}`);
          ctx.go('/patients?erased=1');
        } catch (err) {
          error.replaceChildren(errorBox(err.message));
        }
      },
    });
    body.append(el('h2', { text: t('Erasing the record') }),
      el('p', { text: t('When the patient asks for their record to be erased. Consider first whether the law requires you to keep clinical notes for a time.') }),
      error, button);
  }
}
