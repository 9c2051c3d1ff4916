// The Change and Remove buttons of a row that its author (or the clinic's
// staff) may correct: a log entry, a session, an outcome measure. Remove
// asks first; when the server refuses the change or the removal, the reason
// is said beside the row in the page's language and the row stays as it
// was, so nothing looks gone that the record still holds.

import { remove } from './api.js';
import { confirmBox, el, showError } from './dom.js';
import { t } from './i18n.js';

// Whether this account may correct a row: staff, who entered it, or the
// record's own account for what no account entered (the server checks too).
export function mayCorrect(ctx, id, author) {
  const { user } = ctx.me;
  return user.role !== 'patient' || author === user.id || (!author && String(user.patient) === String(id));
}

// Why the server refused a change or a removal, in words: a row it no
// longer holds (removed in another tab or by a colleague meanwhile) gets the
// kind's own sentence `gone`, any other refusal the plain words of api.js.
export const refusal = (err, gone) => (err.status === 404 ? gone : err.message);

// The buttons, and the box their refusal is said in, for a row's actions:
//   what      {change, remove: the buttons' spoken names; gone: the words
//             for a row the server no longer holds}
//   edit      opens the row's correction (whose form says its own refusals)
//   ask       {title, text} of the question before removing
//   path      the row's address under /api/v1, for DELETE
//   removed   after the removal: draws the list again with its message
export function correctButtons({
  what, edit, ask, path, removed,
}) {
  const error = el('p', { class: 'error row-error', role: 'alert', hidden: true });
  const removeButton = el('button', {
    type: 'button', class: 'link-button danger-link', 'data-action': 'remove', text: t('Remove'), 'aria-label': what.remove,
  });
  removeButton.addEventListener('click', async () => {
    showError(error, '');
    const yes = await confirmBox({ ...ask, confirm: t('Remove'), danger: true });
    if (!yes) return;
    removeButton.disabled = true;
    try {
      await remove(path);
    } catch (err) {
      showError(error, refusal(err, what.gone));
      removeButton.disabled = false;
      removeButton.focus();
      return;
    }
    await removed();
  });
  return [
    el('button', {
      type: 'button', class: 'link-button', 'data-action': 'change', text: t('Change'), 'aria-label': what.change,
      onclick: () => {
        showError(error, '');
        edit();
      },
    }),
    ' ', removeButton, error,
  ];
}
