// The answer of the pain map in plain words: the warnings first, the
// pattern, the best explanation, what it leaves out (and which causes of the
// list could explain that), what the percentages mean, and the five likeliest
// causes (more on request), each named in everyday words first with the
// atlas's name after it. The chosen cause's zone is coloured on the chart,
// with a ring where its trigger point lies; on a phone, where the chart is
// far above, a small copy of the chart shows it under the cause itself.

import { atlasEntry, atlasList, placeOf } from './chart.js';
import { $, el, percent, svg } from './dom.js';
import { t, tn } from './i18n.js';
import { findings } from './note_words.js';
import { patternWords } from './record_words.js';

const SHOWN = 5;
const narrow = () => window.matchMedia('(max-width: 62rem)').matches;

const levelWords = (level) => ({
  emergency: t('Emergency: get help now'),
  urgent: t('Urgent: see a doctor today'),
  soon: t('See a doctor soon'),
}[level] || t('Warning'));

const sideWords = (side) => (side === 'r' ? t('right') : side === 'l' ? t('left') : '');

// "The deep muscle in the middle of the buttock (Piriformis), right"; a
// cause reached only through midline marks is on either side.
export function causeName(c, lay) {
  const name = lay ? `${lay.charAt(0).toUpperCase()}${lay.slice(1)} (${c.label})` : c.label;
  const side = c.either_side ? t('either side') : sideWords(c.side);
  return side ? `${name}, ${side}` : name;
}

// A likelihood ratio as the engine writes it: 2, 1.3, 0.39, 46.
const ratio = (x) => (x >= 10 ? String(Math.round(x)) : String(Number(x.toPrecision(2))));

// What each finding given did to the causes it bears on (the answer's
// evidence): "straight leg raise on the right: S1 nerve root ×2, ...".
// A finding is named in the page's words (the answer's name is the
// atlas's English).
export function evidenceList(r) {
  const items = (r.evidence || []).map((e) => {
    const name = e.finding.startsWith('tender:')
      ? t('a tender spot that reproduces the pain in {muscle}', { muscle: (e.effects[0] && e.effects[0].label) || e.finding.split(':')[1] })
      : (findings().find(([id]) => id === e.finding) || [])[1] || e.name;
    return el('li', { class: 'evidence-item', 'data-finding': e.finding },
      t('{finding} on the {side}:', { finding: name, side: sideWords(e.side) }), ' ',
      e.effects.length ? e.effects.map((x) => `${x.label} ×${ratio(x.lr)}`).join(', ') : t('bears on no cause of the atlas'));
  });
  // the engine counts several tests found normal as the strongest of them
  const normal = (r.evidence || []).filter((e) => e.negative).length;
  return items.length
    ? el('div', { class: 'finding-effects' }, el('p', { class: 'hint', text: t('What the findings did (likelihood ratios):') }), el('ul', {}, items),
      normal > 1 ? el('p', { class: 'hint', 'data-note': 'normal-findings', text: t('The tests found normal count together as the strongest of them for each cause, not one after another.') }) : null)
    : null;
}

export function showWarnings(warnings) {
  const box = $('warnings');
  box.textContent = '';
  box.hidden = warnings.length === 0;
  for (const w of warnings) {
    box.append(el('section', { class: `warning level-${w.level}`, 'data-warning': w.id },
      el('h2', { text: levelWords(w.level) }),
      el('p', { text: w.advice })));
  }
  // an emergency is not a moment for an animation
  if (warnings.length) box.scrollIntoView({ block: 'start' });
}

// The best explanation, and what it leaves out said consistently with the
// list: a region another cause of the list explains is named with it.
function explanation(r, names, regionName) {
  const box = $('explanation');
  box.textContent = '';
  const key = (c) => `${c.cause}:${c.side}`;
  const best = r.explanation.causes.map((c) => names.get(key(c)) || c.cause);
  box.append(el('p', {}, best.length
    ? [t('Best explanation:'), ' ', el('strong', { text: best.join(t(' with ')) }), '.']
    : t('No cause in the atlas explains this drawing well.')));
  if (!r.explanation.unexplained.length) return;
  const others = r.explanation.unexplained.map((id) => ({
    id,
    by: r.candidates.map((c, i) => (c.explains.includes(id) ? i + 1 : 0)).filter(Boolean),
  }));
  const none = others.filter((o) => !o.by.length);
  const some = others.filter((o) => o.by.length);
  if (some.length) {
    box.append(el('p', { class: 'left-out' }, best.length ? t('Outside the best explanation:') : t('Explained only by causes further down:'), ' ',
      some.map((o, i) => [i ? '; ' : '', regionName(o.id), ' ',
        el('span', { class: 'hint', text: tn(o.by.length, '(cause {list} of the list explains it)', '(causes {list} of the list explain it)', { list: o.by.slice(0, 4).join(', ') }) })])));
  }
  if (none.length) {
    box.append(el('p', { class: 'unexplained' }, t('Explained by no cause listed:'), ' ',
      none.map((o) => regionName(o.id)).join('; '), '.'));
  }
}

export async function showAnswer(r, {
  regionName, pathsOf, after, regions,
}) {
  const causes = await atlasList().catch(() => []);
  const lay = new Map(causes.map((c) => [c.cause, c.lay]));
  showWarnings(r.warnings || []);
  $('results-empty').hidden = true;
  $('results-body').hidden = false;
  $('stale').hidden = true;

  const pattern = $('pattern');
  pattern.textContent = '';
  pattern.append(el('h3', {}, t('Pattern:'), ' ', el('span', { class: `pattern-name pattern-${r.pattern}`, text: patternWords(r.pattern) })),
    el('p', { text: r.pattern_sentence || '' }));

  const names = new Map(r.candidates.map((c) => [`${c.cause}:${c.side}`, causeName(c, lay.get(c.cause))]));
  explanation(r, names, regionName);
  const evidence = evidenceList(r);
  $('evidence-box').replaceChildren(...(evidence ? [evidence] : []));
  $('evidence-box').hidden = !evidence;
  $('percent-meaning').textContent = t('Each percentage is the chance that this cause is one of the causes of the pain drawn, weighed on its own; several can be likely at once, so they do not add up to 100%.');

  const list = $('candidates');
  list.textContent = '';
  const more = $('more-causes');
  more.textContent = '';
  r.candidates.forEach((c, i) => {
    const bar = el('span', { class: 'bar-fill' });
    bar.style.width = `${Math.max(c.probability * 100, 0.5)}%`;
    const details = el('div', { class: 'cause-details', id: `cause-${i}-details` },
      el('p', {}, el('span', { class: 'tag tag-explains', text: t('explains') }), ' ',
        c.explains.map((id) => regionName(id, false)).join('; ') || t('nothing marked')));
    if (c.missing.length) {
      details.append(el('p', { class: 'cause-missing' }, el('span', { class: 'tag tag-missing', text: t('usual, not marked') }), ' ',
        c.missing.map((id) => regionName(id, false)).join('; ')));
    }
    details.append(el('p', { class: 'cause-location', hidden: true }));
    const button = el('button', {
      type: 'button', class: 'cause-pick', 'aria-pressed': 'false', 'aria-describedby': 'zone-hint',
      onclick: () => select(i),
    },
    el('span', { class: 'rank', text: `${i + 1}.` }),
    el('span', { class: 'cause-name', text: names.get(`${c.cause}:${c.side}`) }),
    el('span', { class: 'cause-kind', text: c.kind === 'root' ? t('nerve root') : t('trigger point') }),
    el('span', { class: 'prob', text: percent(c.probability) }),
    el('span', { class: 'bar', 'aria-hidden': 'true' }, bar));
    list.append(el('li', {
      class: 'candidate', 'data-cause': c.cause, 'data-side': c.side, hidden: i >= SHOWN,
    }, button, details));
  });
  if (!r.candidates.length) list.append(el('li', { class: 'placeholder', text: t('No candidate causes.') }));
  more.append(el('span', { id: 'zone-hint', hidden: true, text: t('Shows its zone on the body chart.') }));
  const hidden = r.candidates.length - SHOWN;
  if (hidden > 0) {
    more.append(el('button', {
      type: 'button', class: 'secondary small', id: 'show-more', 'aria-expanded': 'false',
      text: tn(hidden, 'Show 1 more cause', 'Show {n} more causes'),
      onclick: (e) => {
        for (const item of list.querySelectorAll('.candidate[hidden]')) item.hidden = false;
        e.target.remove();
        list.querySelectorAll('.cause-pick')[SHOWN].focus();
      },
    }));
  }

  $('notice').textContent = r.notice || $('notice').textContent;
  const afterBox = $('after-results');
  afterBox.textContent = '';
  if (after) afterBox.append(...[after(r)].flat().filter(Boolean));

  // The chosen cause: its zone on the chart, where its trigger point lies.
  function select(i) {
    const items = document.querySelectorAll('#candidates .candidate');
    items.forEach((item, j) => {
      item.classList.toggle('selected', j === i);
      const b = item.querySelector('.cause-pick');
      if (b) b.setAttribute('aria-pressed', j === i ? 'true' : 'false');
      const copy = item.querySelector('.zone-copy');
      if (copy) copy.remove();
    });
    for (const path of document.querySelectorAll('#chart path[data-zone]')) delete path.dataset.zone;
    for (const mark of document.querySelectorAll('#chart .tp-site')) mark.remove();
    $('legend-site').hidden = true;
    const c = i >= 0 ? r.candidates[i] : null;
    if (!c) return;
    for (const id of c.missing) for (const p of pathsOf(id)) p.dataset.zone = 'missing';
    for (const id of c.explains) for (const p of pathsOf(id)) p.dataset.zone = 'explains';
    showLocation(i, c).then(() => {
      if (narrow()) zoneCopy(items[i], c);
    });
  }

  // The place of a trigger point: the atlas says it in words, and when it
  // also names the region (`site`: one side-less region key or a list), a
  // ring and cross mark it on every view that shows that region.
  async function showLocation(i, c) {
    const entry = await atlasEntry(c.cause);
    const item = document.querySelectorAll('#candidates .candidate')[i];
    if (!entry || !item || !item.classList.contains('selected')) return;
    const line = item.querySelector('.cause-location');
    if (line && entry.location) {
      line.textContent = '';
      line.append(el('span', { class: 'tag tag-site', text: c.kind === 'root' ? t('where it leaves the spine') : t('trigger point') }),
        ' ', entry.location);
      line.hidden = false;
    }
    const sites = [entry.site].flat().filter((s) => typeof s === 'string' && s);
    for (const site of sites) {
      const id = regions.has(site) ? site : `${c.side}.${site}`;
      for (const path of pathsOf(id)) markSite(path);
    }
    if ($('legend-site')) $('legend-site').hidden = !document.querySelector('#chart .tp-site');
  }

  // On a phone the chart is above, out of sight: a copy of the view that
  // shows most of the zone goes under the cause.
  function zoneCopy(item, c) {
    const views = [...document.querySelectorAll('#chart figure.view')];
    const count = (v) => v.querySelectorAll('path[data-zone]').length;
    const view = views.reduce((a, v) => (count(v) > count(a) ? v : a), views[0]);
    if (!view || !count(view)) return;
    const image = view.querySelector('svg').cloneNode(true);
    image.removeAttribute('style');
    image.setAttribute('role', 'img');
    image.setAttribute('aria-label', t('The zone of {cause} on the body chart, {view} view', {
      cause: causeName(c, lay.get(c.cause)), view: view.querySelector('figcaption').textContent.toLowerCase(),
    }));
    for (const p of image.querySelectorAll('[role], [tabindex], [aria-label], [aria-checked]')) {
      p.removeAttribute('role');
      p.removeAttribute('tabindex');
      p.removeAttribute('aria-label');
      p.removeAttribute('aria-checked');
    }
    // the chart's legend of the zone, which is as far out of sight, with it
    const legend = document.querySelector('.legend .legend-zone');
    const key = legend ? legend.cloneNode(true) : null;
    if (key) {
      for (const li of key.querySelectorAll('li')) {
        li.removeAttribute('id');
        if (li.hidden) li.remove();
      }
      key.classList.add('zone-copy-key');
    }
    const details = item.querySelector('.cause-details');
    details.append(el('figure', { class: 'zone-copy' }, image,
      el('figcaption', { text: view.querySelector('figcaption').textContent }), key));
  }

  select(r.candidates.length ? 0 : -1);
  if (!(r.warnings && r.warnings.length)) $('results').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

function markSite(path) {
  const { x, y, size } = placeOf(path);
  const r = Math.max(3, size * 0.32);
  path.ownerSVGElement.append(svg('g', { class: 'tp-site', 'data-site': path.dataset.region, 'aria-hidden': 'true' },
    svg('circle', { cx: x, cy: y, r }),
    svg('path', { d: `M${x - r * 0.6} ${y}H${x + r * 0.6}M${x} ${y - r * 0.6}V${y + r * 0.6}` })));
}
