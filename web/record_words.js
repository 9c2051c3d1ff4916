// The words a record keeps as codes (a drawing's pattern, how a session
// ended, the warning level a screen or plan was made under), said in the
// page's language wherever the record shows them.

import { levelWords } from './dom.js';
import { t } from './i18n.js';

export const patternWords = (p) => ({
  myofascial: t('muscle trigger points'),
  radicular: t('a nerve root'),
  mixed: t('a nerve root and trigger points'),
  unclear: t('unclear'),
}[p] || p);

export const endWords = (end) => ({
  completed: t('completed'), stopped: t('stopped'), 'sharp-or-new-pain': t('stopped for sharp or new pain'),
}[end] || end);

// The one-line summary of a kept record in the history: a screen and a plan
// keep the warning level they were made under, a drawing its pattern, a
// session how it ended.
export function summaryWords(kind, summary) {
  if (!summary) return '';
  if (kind === 'screen' || kind === 'plan') return levelWords(summary) || summary;
  if (kind === 'drawing') return patternWords(summary);
  if (kind === 'session') return endWords(summary);
  return summary;
}
