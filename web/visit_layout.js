// The page of a visit: the note's four SOAP parts beside the body chart,
// and whether self-treatment is held back while a warning stands.

import { el } from './dom.js';
import { t } from './i18n.js';

// The four parts of a note, each a section with its letter.
export function soap(letter, title, sub) {
  return el('section', { class: `soap soap-${letter.toLowerCase()}`, id: `soap-${letter.toLowerCase()}`, 'aria-labelledby': `soap-${letter}-title` },
    el('h2', { id: `soap-${letter}-title` }, el('span', { class: 'soap-letter', 'aria-hidden': 'true', text: letter }),
      ` ${title}`, sub ? el('span', { class: 'soap-sub', text: ` · ${sub}` }) : null));
}

export function layout(body, signed = false) {
  const main = el('div', { class: 'visit-main' });
  const side = el('aside', { class: 'visit-side', 'aria-label': t('Body chart of the visit') });
  body.append(el('div', { class: signed ? 'visit signed' : 'visit' }, main, side));
  return { main, side };
}

// Whether self-treatment is stopped for this visit: a warning standing in
// the record, or one raised by the visit's own drawing.
export function heldLevel(info, result) {
  if (!info.self_care) return (info.flags && info.flags.level) || 'urgent';
  const ws = (result && result.with_findings && result.with_findings.warnings) || [];
  const w = ws.find((x) => x.level === 'emergency' || x.level === 'urgent');
  return w ? w.level : null;
}
