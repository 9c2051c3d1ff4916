// The Assessment of a visit: the engine's answer for the note's drawing,
// alone and with the practitioner's findings, side by side, with how the
// findings moved each cause in the ranking.

import {
  el, levelWords, notice, percent,
} from './dom.js';
import { t } from './i18n.js';
import {
  findingName, sideWord, sideName,
} from './note_words.js';
import { patternWords } from './record_words.js';
import { evidenceList } from './results.js';

function causeName(c) {
  const side = c.either_side ? t('either side') : sideWord(c.side);
  return side ? `${c.label}, ${side}` : c.label;
}

function rankings(result) {
  const A = result.drawing_only;
  const B = result.with_findings;
  const key = (c) => `${c.cause}:${c.side}`;
  const rankA = new Map(A.candidates.map((c, i) => [key(c), i]));
  const probA = new Map(A.candidates.map((c) => [key(c), c.probability]));
  const TOP = 5;
  const column = (title, r, idName, compare) => el('section', {
    class: 'ranking', id: idName, 'aria-labelledby': `${idName}-title`,
  },
  el('h3', { id: `${idName}-title`, text: title }),
  el('p', { class: 'hint' }, t('Pattern:'), ' ', el('strong', { text: r.pattern ? patternWords(r.pattern) : '—' })),
  r.candidates.length ? el('ol', { class: 'rank-list' }, r.candidates.slice(0, TOP).map((c, i) => {
    const bar = el('span', { class: 'bar-fill' });
    bar.style.width = `${Math.max(c.probability * 100, 0.5)}%`;
    let move = null;
    let moved = 'same';
    if (compare) {
      const was = rankA.get(key(c));
      const pa = probA.get(key(c));
      const change = pa === undefined ? '' : ` (${percent(pa)} → ${percent(c.probability)})`;
      if (was === undefined) {
        moved = 'new';
        move = el('span', { class: 'move move-new', text: t('new in the ranking') });
      } else if (was > i) {
        moved = 'up';
        move = el('span', { class: 'move move-up', text: `▲ ${t('up from place {n}', { n: was + 1 })}${change}` });
      } else if (was < i) {
        moved = 'down';
        move = el('span', { class: 'move move-down', text: `▼ ${t('down from place {n}', { n: was + 1 })}${change}` });
      } else {
        move = el('span', { class: 'move move-same', text: `${t('same place')}${change}` });
      }
    }
    return el('li', {
      class: 'rank-item', 'data-cause': c.cause, 'data-side': c.side, 'data-rank': String(i + 1),
      'data-moved': compare ? moved : false,
    },
    el('span', { class: 'rank', text: `${i + 1}.` }),
    el('span', { class: 'cause-name', text: causeName(c) }),
    el('span', { class: 'prob', text: percent(c.probability) }),
    el('span', { class: 'bar', 'aria-hidden': 'true' }, bar),
    move);
  })) : el('p', { class: 'placeholder', text: t('No candidate causes.') }));
  return el('div', { class: 'rankings' },
    column(t('Drawing alone'), A, 'rank-drawing', false),
    column(t('With your findings'), B, 'rank-findings', true));
}

function findingsWords(note, muscles) {
  const o = note.objective || {};
  const words = [];
  for (const f of o.findings || []) words.push(findingName(f));
  for (const p of o.palpation || []) {
    if (p.tender && p.reproduces) words.push(t('{muscle} tender and reproducing the pain', { muscle: sideName(muscles, p) }));
  }
  return words;
}

export function assessmentResult(result, note, muscles, saved) {
  const box = el('div', { class: 'assessment-result', id: 'assessment-result' });
  if (!result) {
    box.append(el('p', { class: 'placeholder', text: saved
      ? t('The saved note has no drawing. Draw where the patient feels it, then save, to see what may cause it.')
      : t('Save the note to see what the drawing alone points to, and what it points to with your findings.') }));
    return box;
  }
  const B = result.with_findings;
  for (const w of B.warnings || []) {
    box.append(el('section', { class: `warning level-${w.level}`, 'data-warning': w.id },
      el('h2', { text: levelWords(w.level) || t('Warning') }), el('p', { text: w.advice })));
  }
  const used = findingsWords(note, muscles);
  box.append(el('p', { class: 'weighed' }, used.length
    ? [t('Findings weighed:'), ' ', el('strong', { text: used.join('; ') }), '.']
    : t('No examination or palpation findings that count as evidence yet, so both answers are the same.')));
  box.append(rankings(result));
  const evidence = evidenceList(B);
  if (evidence) box.append(evidence);
  const labels = new Map(B.candidates.map((c) => [`${c.cause}:${c.side}`, causeName(c)]));
  const best = ((B.explanation && B.explanation.causes) || []).map((c) => labels.get(`${c.cause}:${c.side}`) || c.cause);
  if (best.length) {
    box.append(el('p', { class: 'explanation' }, t('Best explanation with your findings:'), ' ',
      el('strong', { text: best.join(t(' with ')) }), '.'));
  }
  box.append(notice(B.notice));
  return box;
}
