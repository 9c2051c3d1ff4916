// The pain map: draw on the body chart (or tick regions in the list), ask
// the server what may cause it, show the ranked causes, and colour the
// chosen cause's zone on the chart with a marker where its trigger point
// lies when the atlas gives that place as a region.

import { ApiError, get } from './api.js';
import { $, el, notice, percent, svg } from './dom.js';

const VIEWS = ['front', 'back', 'left', 'right'];
const VIEW_LABELS = { front: 'Front', back: 'Back', left: 'Left side', right: 'Right side' };
const KIND_WORDS = {
  ache: 'Ache', sharp: 'Sharp', burning: 'Burning', tingling: 'Tingling', numb: 'Numb',
};

// Region groups of the list, by the first part of a region's name; a part
// not named here goes to "Other", so a new region never disappears.
const GROUPS = [
  ['Low back and pelvis', ['lumbar', 'lumbar-spine', 'iliac-crest', 'sacroiliac', 'flank', 'sacrum', 'coccyx']],
  ['Buttock, hip and groin', ['buttock', 'hip', 'groin', 'perineum']],
  ['Thigh and knee', ['thigh', 'knee']],
  ['Lower leg and ankle', ['shin', 'leg', 'calf', 'ankle', 'achilles']],
  ['Foot', ['foot', 'big-toe', 'toes', 'arch', 'sole', 'heel']],
  ['Upper body, arms and head', ['thoracic', 'thoracic-spine', 'chest', 'abdomen', 'shoulder', 'arm', 'forearm', 'hand', 'neck', 'head']],
];

// What every map shares and never changes while the page is open: the
// regions, the symptom kinds, the four chart views and the atlas entries.
const cache = { list: null, charts: null, atlas: new Map() };

async function loadShared() {
  if (!cache.list) cache.list = get('/regions');
  if (!cache.charts) cache.charts = Promise.all(VIEWS.map((v) => get(`/chart/${v}.svg`)));
  try {
    return [await cache.list, await cache.charts];
  } catch (err) {
    cache.list = null; // a failed load is tried again on the next page
    cache.charts = null;
    throw err;
  }
}

function atlasEntry(cause) {
  if (!cache.atlas.has(cause)) {
    cache.atlas.set(cause, get(`/atlas/${encodeURIComponent(cause)}`).catch(() => {
      cache.atlas.delete(cause);
      return null;
    }));
  }
  return cache.atlas.get(cause);
}

function causeName(c) {
  const side = c.either_side ? 'either side' : c.side === 'r' ? 'right' : c.side === 'l' ? 'left' : '';
  return side ? `${c.label}, ${side}` : c.label;
}

// What each finding given did to the causes it bears on (the answer's evidence).
function evidenceList(r) {
  const items = (r.evidence || []).map((e) => el('li', { class: 'evidence-item', 'data-finding': e.finding, text: e.text.replace(/ x(?=[0-9])/g, ' ×') }));
  return items.length
    ? el('div', { class: 'finding-effects' }, el('p', { class: 'hint', text: 'What the findings did (likelihood ratios):' }), el('ul', {}, items))
    : null;
}

const LEVEL_WORDS = {
  emergency: 'Emergency: get help now',
  urgent: 'Urgent: see a doctor today',
  soon: 'See a doctor soon',
};

// The markup of the map; the ids are the page's, as only one map is open
// at a time.
function skeleton(options) {
  const answers = Boolean(options.analyse);
  const legend = el('div', { class: 'legend', 'aria-label': 'Legend' },
    el('ul', { id: 'legend-kinds', class: 'legend-kinds' }),
    answers ? el('ul', { class: 'legend-zone' },
      el('li', {}, el('span', { class: 'swatch zone-explains' }), ' explained by the chosen cause'),
      el('li', {}, el('span', { class: 'swatch zone-missing' }), ' usual for it, not marked'),
      el('li', { id: 'legend-site', hidden: true }, el('span', { class: 'swatch site-swatch' }), ' where its trigger point lies')) : null,
    el('ul', { id: 'legend-overlay', class: 'legend-overlay', hidden: true }));
  return el('div', { class: `map-page${options.readOnly ? ' read-only' : ''}` },
    el('div', { id: 'warnings', class: 'warnings', role: 'alert', hidden: true }),
    el('p', { id: 'error', class: 'error', role: 'alert', hidden: true }),
    el('div', { class: answers ? 'layout' : 'layout solo' },
      el('section', { class: 'draw', 'aria-labelledby': 'draw-title' },
        el('h2', { id: 'draw-title' }, answers ? el('span', { class: 'step', text: '1' }) : null,
          answers ? ' ' : null, options.drawTitle || 'Mark what you feel'),
        options.before || null,
        el('div', { class: 'chooser' },
          el('fieldset', { class: 'kinds' },
            el('legend', { text: 'Kind of symptom' }),
            el('div', { id: 'kinds', class: 'kind-list' })),
          el('div', { class: 'intensity' },
            el('label', { for: 'intensity' }, 'How strong ', el('span', { class: 'hint', text: '(1 mild, 10 worst)' })),
            el('div', { class: 'intensity-row' },
              el('input', { id: 'intensity', type: 'range', min: '1', max: '10', step: '1', value: '5' }),
              el('output', { id: 'intensity-value', for: 'intensity', text: '5' })))),
        options.legendAfter ? null : legend,
        el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Body views', id: 'tabs' }),
        el('div', { id: 'chart', class: 'chart', 'aria-describedby': 'chart-help' },
          el('p', { class: 'loading', text: 'Loading the body chart…' })),
        el('p', { id: 'chart-help', class: 'hint' },
          options.readOnly ? "The front view shows the person's right on your left."
            : 'Click or tap a region to mark it with the kind and strength chosen above; click it again '
            + "to remove it. The front view shows the person's right on your left."),
        options.legendAfter ? legend : null,
        el('div', { class: 'marked' },
          el('h3', {}, 'Marked ', el('span', { id: 'marked-count', class: 'count', text: '(none yet)' })),
          el('ul', { id: 'marked-list', class: 'chips' })),
        el('div', { class: 'actions map-actions' },
          answers ? el('button', { id: 'analyse', type: 'button', class: 'primary', text: options.analyseLabel }) : null,
          el('button', { id: 'clear', type: 'button', class: 'secondary', text: options.clearLabel || 'Clear all' })),
        el('details', { id: 'region-list', class: 'region-list' },
          el('summary', { text: 'Choose regions from a list instead' }),
          el('p', { class: 'hint', text: 'Ticking a box marks that region with the kind and strength chosen above.' }),
          el('div', { id: 'region-groups' }))),
      answers ? el('section', {
        id: 'results', class: 'results', 'aria-labelledby': 'results-title', 'aria-live': 'polite',
      },
      el('h2', { id: 'results-title' }, el('span', { class: 'step', text: '2' }), ' What may cause this'),
      el('p', { id: 'results-empty', class: 'placeholder' },
        'Mark at least one region on the body, then press ', el('strong', { text: options.analyseLabel }), '.'),
      el('div', { id: 'results-body', hidden: true },
        el('p', { id: 'stale', class: 'stale', hidden: true },
          'The drawing has changed since: press ', el('strong', { text: options.analyseLabel }), ' again.'),
        el('div', { id: 'pattern', class: 'pattern' }),
        el('p', { id: 'explanation', class: 'explanation' }),
        el('div', { id: 'evidence-box', hidden: true }),
        el('ol', { id: 'candidates', class: 'candidates' }),
        el('div', { id: 'after-results', class: 'after-results' })),
      Object.assign(notice(), { id: 'notice' })) : null));
}

// Puts a pain map into `root`. options:
//   analyse(marks) -> Promise of the map result (POST /map or the record's);
//                  without it the map only draws (no answer beside it)
//   storageKey     where the drawing is kept for a reload (sessionStorage);
//                  null keeps it nowhere
//   analyseLabel   the button's words
//   after(result)  optional: elements to show under the causes (next steps)
//   drawTitle, before, clearLabel   the drawing's heading, elements under
//                  it, the clear button's words
//   readOnly       shows the marks; clicks change nothing
//   legendAfter    the legend under the chart rather than above it
//   onChange(marks)      after every change of the drawing
//   onRegionClick(id)    first say on a click of a region: true takes it
//                        (a visit's plan picks treated areas this way)
// Returns {ready: Promise, getMarks, setMarks, regionName, hasRegion,
// setOverlay}: see each below.
export function mountMap(root, options) {
  options = { analyseLabel: 'What may cause this?', storageKey: 'tpt.marks', ...options };
  const state = {
    regions: new Map(), // id -> {id, label, side, views}
    kinds: [],
    kind: 'ache',
    intensity: 5,
    marks: new Map(), // id -> {kind, intensity}
    result: null,
    selected: -1, // index of the highlighted candidate
  };
  root.append(skeleton(options));

  function regionName(id, withSide = true) {
    const r = state.regions.get(id);
    if (!r) return id;
    return withSide && r.side !== 'midline' ? `${r.side} ${r.label}` : r.label;
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message || '';
    box.hidden = !message;
    if (message) box.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  // ---- the chooser and the legend ----

  function buildChooser() {
    const list = $('kinds');
    const legend = $('legend-kinds');
    for (const kind of state.kinds) {
      const id = `kind-${kind}`;
      list.append(el('label', { class: 'kind', for: id },
        el('input', {
          type: 'radio', name: 'kind', id, value: kind, checked: kind === state.kind,
          onchange: () => { state.kind = kind; },
        }),
        el('span', { class: `swatch kind-${kind}`, 'aria-hidden': 'true' }),
        el('span', { text: KIND_WORDS[kind] || kind })));
      legend.append(el('li', {}, el('span', { class: `swatch kind-${kind}`, 'aria-hidden': 'true' }),
        ` ${KIND_WORDS[kind] || kind}`));
    }
    legend.append(el('li', { class: 'legend-strength' },
      el('span', { class: 'swatch strength-low', 'aria-hidden': 'true' }), ' mild … ',
      el('span', { class: 'swatch strength-high', 'aria-hidden': 'true' }), ' strong'));
    const range = $('intensity');
    const output = $('intensity-value');
    range.value = state.intensity;
    output.textContent = state.intensity;
    range.addEventListener('input', () => {
      state.intensity = Number(range.value);
      output.textContent = range.value;
    });
  }

  // ---- the body chart ----

  function buildChart(texts) {
    const chart = $('chart');
    const tabs = $('tabs');
    chart.textContent = '';
    VIEWS.forEach((view, i) => {
      const doc = new DOMParser().parseFromString(texts[i], 'image/svg+xml');
      const image = document.importNode(doc.documentElement, true);
      if (image.nodeName !== 'svg') throw new ApiError('The body chart could not be read.');
      image.removeAttribute('width'); // the stylesheet sizes it
      image.removeAttribute('height');
      image.setAttribute('aria-label', `Body chart, ${VIEW_LABELS[view].toLowerCase()} view`);
      const panel = el('figure', {
        class: `view${i === 0 ? ' current' : ''}`, id: `view-${view}`, role: 'tabpanel',
        'aria-labelledby': `tab-${view}`, 'data-view': view,
      }, image, el('figcaption', { text: VIEW_LABELS[view] }));
      chart.append(panel);
      tabs.append(el('button', {
        type: 'button', role: 'tab', id: `tab-${view}`, 'aria-controls': `view-${view}`,
        'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? '0' : '-1',
        onclick: () => selectTab(view),
      }, VIEW_LABELS[view], el('span', { class: 'tab-count', hidden: true })));
    });
    tabs.addEventListener('keydown', (e) => {
      const at = VIEWS.indexOf(document.activeElement && document.activeElement.id.replace('tab-', ''));
      if (at < 0) return;
      let next = null;
      if (e.key === 'ArrowRight') next = (at + 1) % VIEWS.length;
      else if (e.key === 'ArrowLeft') next = (at + VIEWS.length - 1) % VIEWS.length;
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = VIEWS.length - 1;
      if (next === null) return;
      e.preventDefault();
      selectTab(VIEWS[next]);
      $(`tab-${VIEWS[next]}`).focus();
    });
    chart.addEventListener('click', (e) => {
      const path = e.target.closest && e.target.closest('path[data-region]');
      if (!path || options.readOnly) return;
      if (options.onRegionClick && options.onRegionClick(path.dataset.region)) return;
      toggleMark(path.dataset.region);
    });
  }

  function selectTab(view) {
    for (const v of VIEWS) {
      const on = v === view;
      $(`tab-${v}`).setAttribute('aria-selected', on ? 'true' : 'false');
      $(`tab-${v}`).tabIndex = on ? 0 : -1;
      $(`view-${v}`).classList.toggle('current', on);
    }
  }

  function pathsOf(id) {
    return document.querySelectorAll(`#chart path[data-region="${CSS.escape(id)}"]`);
  }

  // ---- marks ----

  function toggleMark(id) {
    const old = state.marks.get(id);
    // a second click with the same choice removes the mark; with another
    // kind or strength it changes it
    if (old && old.kind === state.kind && old.intensity === state.intensity) state.marks.delete(id);
    else state.marks.set(id, { kind: state.kind, intensity: state.intensity });
    marksChanged();
  }

  function setMark(id, on) {
    if (on) state.marks.set(id, { kind: state.kind, intensity: state.intensity });
    else state.marks.delete(id);
    marksChanged();
  }

  function marksChanged(silent = false) {
    if (options.storageKey) {
      try {
        sessionStorage.setItem(options.storageKey, JSON.stringify([...state.marks]));
      } catch { /* private mode: the drawing just is not kept */ }
    }
    paintMarks();
    renderMarkedList();
    syncCheckboxes();
    // an answer shown no longer matches the drawing
    if (state.result) $('stale').hidden = false;
    if (!silent && options.onChange) options.onChange(getMarks());
  }

  // The drawing as [{region, kind, intensity}], in the order marked.
  function getMarks() {
    return [...state.marks].map(([region, m]) => ({ region, kind: m.kind, intensity: m.intensity }));
  }

  // Replaces the drawing; marks of unknown regions or kinds are left out.
  // `silent` does not call onChange (a page loading what it kept).
  function setMarks(marks, silent = true) {
    state.marks.clear();
    for (const m of marks) {
      if (!state.regions.has(m.region)) continue;
      const kind = state.kinds.includes(m.kind) ? m.kind : state.kinds[0];
      const intensity = Number.isInteger(m.intensity) && m.intensity >= 1 && m.intensity <= 10 ? m.intensity : 5;
      state.marks.set(m.region, { kind, intensity });
    }
    marksChanged(silent);
  }

  function paintMarks() {
    // how many marks each view shows, on its tab: a phone shows one view at a time
    for (const view of VIEWS) {
      const badge = document.querySelector(`#tab-${view} .tab-count`);
      if (!badge) continue;
      const n = [...state.marks.keys()].filter((id) => document.querySelector(
        `#view-${view} path[data-region="${CSS.escape(id)}"]`)).length;
      badge.textContent = n;
      badge.hidden = n === 0;
    }
    for (const path of document.querySelectorAll('#chart path[data-region]')) {
      const mark = state.marks.get(path.dataset.region);
      if (mark) {
        path.dataset.kind = mark.kind;
        path.dataset.strength = String(mark.intensity);
      } else {
        delete path.dataset.kind;
        delete path.dataset.strength;
      }
    }
  }

  function renderMarkedList() {
    const list = $('marked-list');
    list.textContent = '';
    const n = state.marks.size;
    $('marked-count').textContent = n ? `(${n} region${n === 1 ? '' : 's'})` : '(none yet)';
    for (const [id, mark] of state.marks) {
      list.append(el('li', { class: 'chip', 'data-region': id },
        el('span', { class: `swatch kind-${mark.kind}`, 'aria-hidden': 'true' }),
        el('span', { class: 'chip-text', text: `${regionName(id)}: ${(KIND_WORDS[mark.kind] || mark.kind).toLowerCase()} ${mark.intensity}/10` }),
        options.readOnly ? null : el('button', {
          type: 'button', class: 'chip-remove', 'aria-label': `Remove ${regionName(id)}`, text: '×',
          onclick: () => setMark(id, false),
        })));
    }
  }

  // ---- the list of regions ----

  function groupOf(region) {
    const part = region.id.replace(/^[lr]\./, '').split('.')[0];
    for (const [name, parts] of GROUPS) if (parts.includes(part)) return name;
    return 'Other';
  }

  function buildRegionList() {
    const groups = new Map(GROUPS.map(([name]) => [name, new Map()]));
    groups.set('Other', new Map());
    // one row per body part: its right and left regions, or the midline one
    for (const r of state.regions.values()) {
      const part = r.id.replace(/^[lr]\./, '');
      const rows = groups.get(groupOf(r));
      if (!rows.has(part)) rows.set(part, { label: r.label, right: null, left: null, midline: null });
      rows.get(part)[r.side] = r.id;
    }
    const box = $('region-groups');
    for (const [name, rows] of groups) {
      if (!rows.size) continue;
      const table = el('table', { class: 'regions' },
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col', text: 'Region' }),
          el('th', { scope: 'col', text: 'Right' }),
          el('th', { scope: 'col', text: 'Left' }))));
      const body = el('tbody');
      for (const row of rows.values()) {
        const cell = (id, side) => {
          if (!id) return el('td');
          return el('td', { class: 'check' }, el('input', {
            type: 'checkbox', 'data-region': id,
            'aria-label': side ? `${row.label}, ${side}` : row.label,
            onchange: (e) => setMark(id, e.target.checked),
          }));
        };
        const tr = el('tr', {}, el('th', { scope: 'row', text: row.label }));
        if (row.midline) {
          const td = cell(row.midline, null);
          td.colSpan = 2;
          td.classList.add('midline');
          tr.append(td);
        } else {
          tr.append(cell(row.right, 'right'), cell(row.left, 'left'));
        }
        body.append(tr);
      }
      table.append(body);
      box.append(el('fieldset', { class: 'region-group' }, el('legend', { text: name }), table));
    }
  }

  function syncCheckboxes() {
    for (const box of document.querySelectorAll('#region-groups input[data-region]')) {
      box.checked = state.marks.has(box.dataset.region);
    }
  }

  // ---- the answer ----

  async function analyse() {
    showError('');
    if (!state.marks.size) {
      showError('Mark at least one region first: click where you feel it on the body, or tick it in the list.');
      return;
    }
    const button = $('analyse');
    button.disabled = true;
    button.textContent = 'Working it out…';
    const marks = [...state.marks].map(([region, m]) => ({ region, kind: m.kind, intensity: m.intensity }));
    try {
      const result = await options.analyse(marks);
      state.result = result;
      renderResult(result);
    } catch (err) {
      // a refused drawing still carries the warnings of what could be read
      renderWarnings((err.body && err.body.warnings) || []);
      const why = err.status === 400 && err.body && err.body.error && err.body.error.message;
      showError(why ? `tpt could not use this drawing: ${why}.`.replace(/\.\.$/, '.') : err.message);
    } finally {
      button.disabled = false;
      button.textContent = options.analyseLabel;
    }
  }

  function renderWarnings(warnings) {
    const box = $('warnings');
    box.textContent = '';
    box.hidden = warnings.length === 0;
    for (const w of warnings) {
      box.append(el('section', { class: `warning level-${w.level}`, 'data-warning': w.id },
        el('h2', { text: LEVEL_WORDS[w.level] || 'Warning' }),
        el('p', { text: w.advice })));
    }
    // an emergency is not a moment for an animation
    if (warnings.length) box.scrollIntoView({ block: 'start' });
  }

  function renderResult(r) {
    renderWarnings(r.warnings || []);
    $('results-empty').hidden = true;
    $('results-body').hidden = false;
    $('stale').hidden = true;

    const pattern = $('pattern');
    pattern.textContent = '';
    pattern.append(el('h3', {}, 'Pattern: ', el('span', { class: `pattern-name pattern-${r.pattern}`, text: r.pattern })),
      el('p', { text: r.pattern_sentence || '' }));

    const labels = new Map(r.candidates.map((c) => [`${c.cause}:${c.side}`, causeName(c)]));
    const best = r.explanation.causes.map((c) => labels.get(`${c.cause}:${c.side}`) || c.cause);
    const explanation = $('explanation');
    explanation.textContent = '';
    explanation.append(best.length
      ? el('span', {}, 'Best explanation: ', el('strong', { text: best.join(' with ') }), '.')
      : el('span', { text: 'No cause in the atlas explains this drawing well.' }));
    if (r.explanation.unexplained.length) {
      explanation.append(` Not explained: ${r.explanation.unexplained.map((id) => regionName(id)).join('; ')}.`);
    }
    const evidenceBox = $('evidence-box');
    const evidence = evidenceList(r);
    evidenceBox.textContent = '';
    evidenceBox.hidden = !evidence;
    if (evidence) evidenceBox.append(evidence);

    const list = $('candidates');
    list.textContent = '';
    r.candidates.forEach((c, i) => {
      const bar = el('span', { class: 'bar-fill' });
      bar.style.width = `${Math.max(c.probability * 100, 0.5)}%`;
      const details = el('div', { class: 'cause-details' },
        el('p', {}, el('span', { class: 'tag tag-explains', text: 'explains' }), ' ',
          c.explains.map((id) => regionName(id, false)).join('; ') || 'nothing marked'));
      if (c.missing.length) {
        details.append(el('p', { class: 'cause-missing' }, el('span', { class: 'tag tag-missing', text: 'usual, not marked' }), ' ',
          c.missing.map((id) => regionName(id, false)).join('; ')));
      }
      details.append(el('p', { class: 'cause-location', hidden: true }));
      const button = el('button', {
        type: 'button', class: 'cause-pick', 'aria-pressed': 'false',
        'aria-label': `${causeName(c)}, ${percent(c.probability)}: show its zone on the body`,
        onclick: () => selectCandidate(i),
      },
      el('span', { class: 'rank', text: `${i + 1}.` }),
      el('span', { class: 'cause-name', text: causeName(c) }),
      el('span', { class: 'cause-kind', text: c.kind === 'root' ? 'nerve root' : 'trigger point' }),
      el('span', { class: 'prob', text: percent(c.probability) }),
      el('span', {
        class: 'bar', role: 'img', 'aria-label': `probability ${percent(c.probability)}`,
      }, bar));
      list.append(el('li', { class: 'candidate', 'data-cause': c.cause, 'data-side': c.side }, button, details));
    });
    if (!r.candidates.length) list.append(el('li', { class: 'placeholder', text: 'No candidate causes.' }));

    $('notice').textContent = r.notice || $('notice').textContent;
    const after = $('after-results');
    after.textContent = '';
    if (options.after) after.append(...[options.after(r)].flat().filter(Boolean));
    selectCandidate(r.candidates.length ? 0 : -1);
    if (!(r.warnings && r.warnings.length)) $('results').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  // The place of a trigger point: the atlas says it in words, and when it
  // also names the region (`site`: one side-less region key or a list), a
  // ring and cross mark it on every view that shows that region.
  async function showLocation(i, c) {
    const entry = await atlasEntry(c.cause);
    if (state.selected !== i || !entry) return;
    const item = document.querySelectorAll('#candidates .candidate')[i];
    const line = item && item.querySelector('.cause-location');
    if (line && entry.location) {
      line.textContent = '';
      line.append(el('span', { class: 'tag tag-site', text: c.kind === 'root' ? 'where it leaves the spine' : 'trigger point' }),
        ' ', entry.location);
      line.hidden = false;
    }
    const sites = [entry.site].flat().filter((s) => typeof s === 'string' && s);
    for (const site of sites) {
      const id = state.regions.has(site) ? site : `${c.side}.${site}`;
      for (const path of pathsOf(id)) markSite(path);
    }
    if ($('legend-site')) $('legend-site').hidden = !document.querySelector('#chart .tp-site');
  }

  function markSite(path) {
    const { x, y, size } = placeOf(path);
    const r = Math.max(3, size * 0.32);
    path.ownerSVGElement.append(svg('g', { class: 'tp-site', 'data-site': path.dataset.region, 'aria-hidden': 'true' },
      svg('circle', { cx: x, cy: y, r }),
      svg('path', { d: `M${x - r * 0.6} ${y}H${x + r * 0.6}M${x} ${y - r * 0.6}V${y + r * 0.6}` })));
  }

  // ---- overlays: what a visit found and did, drawn over the regions ----

  // items: [{region, cls, glyph(x, y, r) -> SVG element, title}]; each is
  // drawn on every view that shows its region, several on one region side
  // by side. Replaces the overlay drawn before; [] removes it.
  function setOverlay(items) {
    for (const g of document.querySelectorAll('#chart g.overlay')) g.remove();
    const byRegion = new Map();
    for (const item of items) {
      if (!byRegion.has(item.region)) byRegion.set(item.region, []);
      byRegion.get(item.region).push(item);
    }
    for (const [region, list] of byRegion) {
      for (const path of pathsOf(region)) {
        const { x, y, size } = placeOf(path);
        const r = Math.min(6.5, Math.max(3.6, size * 0.22));
        const cols = Math.ceil(Math.sqrt(list.length));
        const rows = Math.ceil(list.length / cols);
        const step = r * 2.3;
        list.forEach((item, i) => {
          const cx = x + ((i % cols) - (cols - 1) / 2) * step;
          const cy = y + (Math.floor(i / cols) - (rows - 1) / 2) * step;
          path.ownerSVGElement.append(svg('g', {
            class: `overlay ${item.cls}`, 'data-region': region, 'aria-hidden': 'true',
          }, svg('title', { text: item.title || '' }), item.glyph(cx, cy, r)));
        });
      }
    }
  }

  function selectCandidate(i) {
    state.selected = i;
    const items = document.querySelectorAll('#candidates .candidate');
    items.forEach((item, j) => {
      item.classList.toggle('selected', j === i);
      const b = item.querySelector('.cause-pick');
      if (b) b.setAttribute('aria-pressed', j === i ? 'true' : 'false');
    });
    for (const path of document.querySelectorAll('#chart path[data-zone]')) delete path.dataset.zone;
    for (const mark of document.querySelectorAll('#chart .tp-site')) mark.remove();
    $('legend-site').hidden = true;
    const c = i >= 0 && state.result ? state.result.candidates[i] : null;
    if (!c) return;
    for (const id of c.missing) for (const p of pathsOf(id)) p.dataset.zone = 'missing';
    for (const id of c.explains) for (const p of pathsOf(id)) p.dataset.zone = 'explains';
    showLocation(i, c);
  }

  // ---- start ----

  function restoreMarks() {
    if (!options.storageKey) return;
    try {
      const saved = JSON.parse(sessionStorage.getItem(options.storageKey) || '[]');
      for (const [id, m] of saved) {
        if (state.regions.has(id) && state.kinds.includes(m.kind) && m.intensity >= 1 && m.intensity <= 10) {
          state.marks.set(id, { kind: m.kind, intensity: m.intensity });
        }
      }
    } catch { /* nothing kept, or not readable: start empty */ }
  }

  async function start() {
    if ($('analyse')) $('analyse').addEventListener('click', analyse);
    $('clear').addEventListener('click', () => {
      state.marks.clear();
      marksChanged();
    });
    try {
      const [list, charts] = await loadShared();
      state.kinds = list.kinds;
      for (const r of list.regions) state.regions.set(r.id, r);
      if (!state.kinds.includes(state.kind)) state.kind = state.kinds[0];
      buildChooser();
      buildRegionList();
      restoreMarks();
      buildChart(charts);
      paintMarks();
      renderMarkedList();
      syncCheckboxes();
      root.querySelector('.map-page').dataset.ready = 'true';
    } catch (err) {
      $('chart').textContent = '';
      showError(err instanceof ApiError ? err.message : `The body chart could not start: ${err.message}`);
    }
  }

  return {
    ready: start(),
    getMarks,
    setMarks,
    setOverlay,
    regionName,
    hasRegion: (id) => state.regions.has(id),
    // Shows one view where only one is shown at a time (a phone): the one
    // with the most marks, or `fallback` when nothing is marked.
    showBusiestView: (fallback = 'front') => {
      const count = (v) => [...state.marks.keys()].filter((id) => document.querySelector(
        `#view-${v} path[data-region="${CSS.escape(id)}"]`)).length;
      const best = VIEWS.reduce((a, v) => (count(v) > count(a) ? v : a), fallback);
      if ($(`tab-${best}`)) selectTab(best);
    },
    regions: () => [...state.regions.values()],
  };
}

// Where to put a mark on a region's shape, from its outline alone (a view
// hidden on a phone has no layout to measure): the centre of its area and
// its smaller extent, in the chart's units. The outlines are polygons
// (M, L and Z with absolute points).
export function placeOf(path) {
  const n = (path.getAttribute('d') || '').match(/-?\d+(?:\.\d+)?/g) || [];
  const pts = [];
  for (let i = 0; i + 1 < n.length; i += 2) pts.push([Number(n[i]), Number(n[i + 1])]);
  if (!pts.length) return { x: 0, y: 0, size: 0 };
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const size = Math.min(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  let a = 0;
  let cx = 0;
  let cy = 0;
  pts.forEach(([x0, y0], i) => {
    const [x1, y1] = pts[(i + 1) % pts.length];
    const c = x0 * y1 - x1 * y0;
    a += c;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  });
  if (Math.abs(a) < 1e-6) {
    return { x: xs.reduce((t, v) => t + v, 0) / pts.length, y: ys.reduce((t, v) => t + v, 0) / pts.length, size };
  }
  return { x: cx / (3 * a), y: cy / (3 * a), size };
}

// The atlas entry of a cause (GET /atlas/ID), asked once per page load;
// null when it cannot be had.
export { evidenceList, atlasEntry };
