// The examination of a visit's draft: each test a row, with one choice per
// side ("Straight leg raise: positive / negative / not tested"), so that a
// test is never given both as found and as found normal on one side (the
// engine refuses that). Weakness names its movements in the rows under
// "Leg strength"; normal strength stands for all of them.

import { el } from './dom.js';
import { t } from './i18n.js';
import { examTests, findings, sideWord } from './note_words.js';
import { FieldError } from './visit_fields.js';

const SIDES = ['r', 'l'];
const WEAK = 'weak';

// The table for the findings given ([{finding, side}] or "id:side").
export function examTable(given) {
  const has = new Set((given || []).map((f) => (typeof f === 'string' ? f : `${f.finding}:${f.side}`)));
  const chosen = (test, side) => {
    if (test.weak && test.weak.some((fid) => has.has(`${fid}:${side}`))) return WEAK;
    const c = test.choices.find(([fid]) => has.has(`${fid}:${side}`));
    return c ? c[0] : '';
  };
  const rows = [];
  for (const test of examTests()) {
    rows.push(el('tr', { 'data-test-row': test.id },
      el('th', { scope: 'row' }, el('span', { text: test.label }), el('span', { class: 'hint', text: test.hint })),
      SIDES.map((side) => el('td', { class: 'cell-choice' }, el('select', {
        'data-test': test.id, 'data-side': side, 'aria-label': `${test.label}, ${sideWord(side)}`,
      },
      el('option', { value: '', text: t('not tested') }),
      test.choices.map(([value, word]) => el('option', { value, text: word, selected: chosen(test, side) === value })))))));
    for (const fid of test.weak || []) {
      const [, word, hint] = findings().find(([id]) => id === fid);
      rows.push(el('tr', { class: 'sub-test', 'data-weak-of': test.id },
        el('th', { scope: 'row' }, el('span', { text: word }), el('span', { class: 'hint', text: hint })),
        SIDES.map((side) => el('td', { class: 'cell-check' }, el('input', {
          type: 'checkbox', 'data-finding': fid, 'data-side': side, checked: has.has(`${fid}:${side}`),
          'aria-label': `${word}, ${sideWord(side)}`,
        })))));
    }
  }
  const table = el('table', { class: 'data exam', 'data-field': 'objective.findings' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('Test') }), el('th', { scope: 'col', text: t('Right') }), el('th', { scope: 'col', text: t('Left') }))),
    el('tbody', {}, rows));
  // a weak movement ticked makes the side's strength weak; strength normal
  // or not tested clears the side's weak movements
  table.addEventListener('change', (e) => {
    const x = e.target;
    const { side } = x.dataset;
    if (x.dataset.finding && x.checked) {
      const of = x.closest('tr').dataset.weakOf;
      table.querySelector(`select[data-test="${of}"][data-side="${side}"]`).value = WEAK;
    } else if (x.dataset.test && x.value !== WEAK) {
      const test = examTests().find((k) => k.id === x.dataset.test);
      for (const fid of test.weak || []) {
        table.querySelector(`[data-finding="${fid}"][data-side="${side}"]`).checked = false;
      }
    }
  });
  return table;
}

// The findings the table holds, [{finding, side}]; with `strict`, a
// FieldError when a side's strength is weak but no movement is ticked.
export function examFindings(form, strict) {
  const out = [];
  for (const s of form.querySelectorAll('select[data-test]')) {
    const { side } = s.dataset;
    if (s.value !== WEAK) {
      if (s.value) out.push({ finding: s.value, side });
      continue;
    }
    const weak = [...form.querySelectorAll(`[data-finding][data-side="${side}"]:checked`)];
    if (!weak.length && strict) {
      throw new FieldError('objective.findings', t('tick which movement is weak on the {side}', { side: sideWord(side) }));
    }
    for (const c of weak) out.push({ finding: c.dataset.finding, side });
  }
  return out;
}
