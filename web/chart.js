// The pain map: draw on the body chart (by click or tap, by the keyboard on
// the chart itself, or by ticking regions in the list), ask the server what
// may cause it, and show the answer (results.js). A drawing can be undone
// step by step; clearing it asks first. A zoom makes the small regions big
// enough to tap on a phone.

import { ApiError, get } from './api.js';
import {
  $, confirmBox, el, notice, svg,
} from './dom.js';
import { t, tn } from './i18n.js';
import { showAnswer, showWarnings } from './results.js';

const VIEWS = ['front', 'back', 'left', 'right'];
const viewLabel = (v) => ({
  front: t('Front'), back: t('Back'), left: t('Left side'), right: t('Right side'),
}[v]);
export const kindWords = (k) => ({
  ache: t('Ache'), sharp: t('Sharp'), burning: t('Burning'), tingling: t('Tingling'), numb: t('Numb'),
}[k] || k);
const ZOOMS = [1, 2, 3];

// Region groups of the list, by the first part of a region's name; a part
// not named here goes to "Other", so a new region never disappears.
const GROUPS = [
  ['back', ['lumbar', 'lumbar-spine', 'iliac-crest', 'sacroiliac', 'flank', 'sacrum', 'coccyx']],
  ['hip', ['buttock', 'hip', 'groin', 'perineum']],
  ['thigh', ['thigh', 'knee']],
  ['leg', ['shin', 'leg', 'calf', 'ankle', 'achilles']],
  ['foot', ['foot', 'big-toe', 'toes', 'arch', 'sole', 'heel']],
  ['upper', ['thoracic', 'thoracic-spine', 'chest', 'abdomen', 'shoulder', 'arm', 'forearm', 'hand', 'neck', 'head']],
];
const groupWords = (g) => ({
  back: t('Low back and pelvis'),
  hip: t('Buttock, hip and groin'),
  thigh: t('Thigh and knee'),
  leg: t('Lower leg and ankle'),
  foot: t('Foot'),
  upper: t('Upper body, arms and head'),
  other: t('Other'),
}[g]);

// What every map shares and never changes while the page is open: the
// regions, the symptom kinds, the four chart views and the atlas entries.
const cache = {
  list: null, charts: null, atlas: new Map(), causes: null,
};

// The regions ({kinds, regions}) and the four views' SVG texts.
export async function loadShared() {
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

// Every cause of the atlas (GET /atlas: id, label, lay name, muscle, site),
// asked once per page load.
export function atlasList() {
  if (!cache.causes) {
    cache.causes = get('/atlas').then((a) => a.causes).catch((err) => {
      cache.causes = null;
      throw err;
    });
  }
  return cache.causes;
}

// The atlas entry of a cause (GET /atlas/ID), asked once per page load;
// null when it cannot be had.
export function atlasEntry(cause) {
  if (!cache.atlas.has(cause)) {
    cache.atlas.set(cause, get(`/atlas/${encodeURIComponent(cause)}`).catch(() => {
      cache.atlas.delete(cause);
      return null;
    }));
  }
  return cache.atlas.get(cause);
}

// The markup of the map; the ids are the page's, as only one map is open
// at a time.
function skeleton(options) {
  const answers = Boolean(options.analyse);
  const legend = el('div', { class: 'legend', role: 'group', 'aria-label': t('Legend') },
    el('ul', { id: 'legend-kinds', class: 'legend-kinds' }),
    answers ? el('ul', { class: 'legend-zone' },
      el('li', {}, el('span', { class: 'swatch zone-explains' }), ` ${t('explained by the chosen cause')}`),
      el('li', {}, el('span', { class: 'swatch zone-missing' }), ` ${t('usual for it, not marked')}`),
      el('li', { id: 'legend-site', hidden: true }, el('span', { class: 'swatch site-swatch' }), ` ${t('where its trigger point lies')}`)) : null,
    el('ul', { id: 'legend-overlay', class: 'legend-overlay', hidden: true }));
  const analyseLabel = options.analyseLabel || t('What may cause this?');
  return el('div', { class: `map-page${options.readOnly ? ' read-only' : ''}` },
    el('div', { id: 'warnings', class: 'warnings', role: 'alert', hidden: true }),
    el('p', { id: 'error', class: 'error', role: 'alert', hidden: true }),
    el('div', { class: answers ? 'layout' : 'layout solo' },
      el('section', { class: 'draw', 'aria-labelledby': 'draw-title' },
        el('h2', { id: 'draw-title' }, answers ? el('span', { class: 'step', text: '1' }) : null,
          answers ? ' ' : null, options.drawTitle || t('Mark what you feel')),
        options.before || null,
        el('div', { class: 'chooser' },
          el('fieldset', { class: 'kinds' },
            el('legend', { text: t('Kind of symptom') }),
            el('div', { id: 'kinds', class: 'kind-list' })),
          el('div', { class: 'intensity' },
            el('label', { for: 'intensity' }, t('How strong'), ' ', el('span', { class: 'hint', text: t('(1 mild, 10 worst)') })),
            el('div', { class: 'intensity-row' },
              el('input', {
                id: 'intensity', type: 'range', min: '1', max: '10', step: '1', value: '5',
              }),
              el('output', { id: 'intensity-value', for: 'intensity', text: '5' })))),
        options.legendAfter ? null : legend,
        el('div', { class: 'chart-tools' },
          el('div', {
            class: 'tabs', role: 'tablist', 'aria-label': t('Body views'), id: 'tabs',
          }),
          el('div', { class: 'zoom', role: 'group', 'aria-label': t('Size of the chart') },
            el('button', {
              type: 'button', class: 'secondary small', id: 'zoom-out', text: '−', 'aria-label': t('Smaller chart'),
            }),
            el('button', {
              type: 'button', class: 'secondary small', id: 'zoom-in', text: '+', 'aria-label': t('Larger chart'),
            }))),
        el('div', { id: 'chart', class: 'chart', 'aria-describedby': 'chart-help' },
          el('p', { class: 'loading', text: t('Loading the body chart…') })),
        el('p', { id: 'chart-help', class: 'hint' },
          options.readOnly ? t("The front view shows the person's right on your left.")
            : t('Click or tap a region to mark it with the kind and strength chosen above; click it again to remove it. With the keyboard: Tab to the chart, the arrow keys move between regions, Enter or Space marks one. + makes the chart larger for small regions. The front view shows the person\'s right on your left.')),
        options.legendAfter ? legend : null,
        el('div', { class: 'marked' },
          el('h3', {}, t('Marked'), ' ', el('span', { id: 'marked-count', class: 'count', text: t('(none yet)') })),
          el('ul', { id: 'marked-list', class: 'chips' })),
        el('div', { class: 'actions map-actions' },
          answers ? el('button', {
            id: 'analyse', type: 'button', class: 'primary', text: analyseLabel,
          }) : null,
          options.readOnly ? null : el('button', {
            id: 'undo', type: 'button', class: 'secondary', text: t('Undo'), disabled: true,
          }),
          options.readOnly ? null : el('button', {
            id: 'clear', type: 'button', class: 'secondary', text: options.clearLabel || t('Clear all'),
          })),
        el('details', { id: 'region-list', class: 'region-list' },
          el('summary', { text: t('Choose regions from a list instead') }),
          el('p', { class: 'hint', text: t('Ticking a box marks that region with the kind and strength chosen above.') }),
          el('div', { id: 'region-groups' }))),
      answers ? el('section', {
        id: 'results', class: 'results', 'aria-labelledby': 'results-title', 'aria-live': 'polite',
      },
      el('h2', { id: 'results-title' }, el('span', { class: 'step', text: '2' }), ` ${t('What may cause this')}`),
      el('p', { id: 'results-empty', class: 'placeholder' },
        t('Mark at least one region on the body, then press'), ' ', el('strong', { text: analyseLabel }), '.'),
      el('div', { id: 'results-body', hidden: true },
        el('p', { id: 'stale', class: 'stale', hidden: true },
          t('The drawing has changed since: press'), ' ', el('strong', { text: analyseLabel }), ' ', t('again.')),
        el('div', { id: 'pattern', class: 'pattern' }),
        el('div', { id: 'explanation', class: 'explanation' }),
        el('div', { id: 'evidence-box', hidden: true }),
        el('p', { id: 'percent-meaning', class: 'hint' }),
        el('ol', { id: 'candidates', class: 'candidates' }),
        el('div', { id: 'more-causes' }),
        el('div', { id: 'after-results', class: 'after-results' })),
      Object.assign(notice(), { id: 'notice' })) : null));
}

// Puts a pain map into `root`. options:
//   analyse(marks) -> Promise of the map result (POST /map or the record's);
//                  without it the map only draws (no answer beside it)
//   storageKey     where the drawing is kept for a reload (sessionStorage);
//                  null keeps it nowhere
//   initial        () -> Promise of {marks, result}: the record's drawing,
//                  shown when nothing newer is kept in the browser
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
  options = { storageKey: 'tpt.marks', ...options };
  const state = {
    regions: new Map(), // id -> {id, label, side, views}
    kinds: [],
    kind: 'ache',
    intensity: 5,
    marks: new Map(), // id -> {kind, intensity}
    undo: [], // the drawings before each change, newest last
    result: null,
    zoom: 0, // index into ZOOMS
  };
  root.append(skeleton(options));

  function regionName(id, withSide = true) {
    const r = state.regions.get(id);
    if (!r) return id;
    if (!withSide || r.side === 'midline') return r.label;
    return t('{region}, {side}', { region: r.label, side: r.side === 'right' ? t('right') : t('left') });
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
        el('span', { text: kindWords(kind) })));
      legend.append(el('li', {}, el('span', { class: `swatch kind-${kind}`, 'aria-hidden': 'true' }),
        ` ${kindWords(kind)}`));
    }
    legend.append(el('li', { class: 'legend-strength' },
      el('span', { class: 'swatch strength-low', 'aria-hidden': 'true' }), ` ${t('mild')} … `,
      el('span', { class: 'swatch strength-high', 'aria-hidden': 'true' }), ` ${t('strong')}`));
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
      if (image.nodeName !== 'svg') throw new ApiError(t('The body chart could not be read.'));
      image.removeAttribute('width'); // the stylesheet sizes it
      image.removeAttribute('height');
      image.setAttribute('role', 'group');
      image.setAttribute('aria-label', t('Body chart, {view} view', { view: viewLabel(view).toLowerCase() }));
      // the chart's own words are English: the view and each region in the page's language
      const own = image.querySelector(':scope > title');
      if (own) own.textContent = viewLabel(view);
      for (const path of image.querySelectorAll('path[data-region]')) {
        const title = path.querySelector('title');
        if (title) title.textContent = regionName(path.dataset.region);
      }
      const panel = el('figure', {
        class: `view${i === 0 ? ' current' : ''}`, id: `view-${view}`, role: 'tabpanel',
        'aria-labelledby': `tab-${view}`, 'data-view': view,
      }, el('div', { class: 'view-scroll' }, image), el('figcaption', { text: viewLabel(view) }));
      chart.append(panel);
      tabs.append(el('button', {
        type: 'button', role: 'tab', id: `tab-${view}`, 'aria-controls': `view-${view}`,
        'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? '0' : '-1',
        onclick: () => selectTab(view),
      }, viewLabel(view), el('span', { class: 'tab-count', hidden: true })));
      if (!options.readOnly) keyboardView(image);
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

  // The chart by the keyboard: each region of a view is a checkbox, one of
  // them in the Tab order at a time; the arrow keys move to the nearest
  // region that way, Enter or Space marks or unmarks it.
  function keyboardView(image) {
    const paths = [...image.querySelectorAll('path[data-region]')];
    const at = new Map(paths.map((p) => [p, placeOf(p)]));
    paths.forEach((p, i) => {
      p.setAttribute('role', 'checkbox');
      p.setAttribute('tabindex', i === 0 ? '0' : '-1');
    });
    image.addEventListener('keydown', (e) => {
      const path = e.target.closest && e.target.closest('path[data-region]');
      if (!path) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        if (options.onRegionClick && options.onRegionClick(path.dataset.region)) return;
        toggleMark(path.dataset.region);
        return;
      }
      const dir = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }[e.key];
      let next = null;
      if (dir) {
        const from = at.get(path);
        let best = Infinity;
        for (const p of paths) {
          const to = at.get(p);
          const dx = to.x - from.x;
          const dy = to.y - from.y;
          const along = dx * dir[0] + dy * dir[1];
          if (p === path || along <= 0.5) continue;
          const across = Math.abs(dx * dir[1] - dy * dir[0]);
          const score = along + 2 * across;
          if (score < best) {
            best = score;
            next = p;
          }
        }
      } else if (e.key === 'Home') next = paths[0];
      else if (e.key === 'End') next = paths[paths.length - 1];
      else return;
      e.preventDefault();
      if (!next) return;
      path.setAttribute('tabindex', '-1');
      next.setAttribute('tabindex', '0');
      next.focus();
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

  // Larger or smaller: the views scroll inside their box when larger.
  function setZoom(level) {
    state.zoom = Math.max(0, Math.min(ZOOMS.length - 1, level));
    const chart = $('chart');
    chart.dataset.zoom = String(ZOOMS[state.zoom]);
    for (const image of chart.querySelectorAll('.view-scroll > svg')) {
      image.style.width = state.zoom ? `${ZOOMS[state.zoom] * 100}%` : '';
    }
    $('zoom-out').disabled = state.zoom === 0;
    $('zoom-in').disabled = state.zoom === ZOOMS.length - 1;
    // keep the middle in sight
    for (const box of chart.querySelectorAll('.view-scroll')) {
      box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
    }
  }

  function pathsOf(id) {
    return document.querySelectorAll(`#chart path[data-region="${CSS.escape(id)}"]`);
  }

  // ---- marks ----

  function remember() {
    state.undo.push(new Map(state.marks));
    if (state.undo.length > 100) state.undo.shift();
  }

  function toggleMark(id) {
    const old = state.marks.get(id);
    remember();
    // a second click with the same choice removes the mark; with another
    // kind or strength it changes it
    if (old && old.kind === state.kind && old.intensity === state.intensity) state.marks.delete(id);
    else state.marks.set(id, { kind: state.kind, intensity: state.intensity });
    marksChanged();
  }

  function setMark(id, on) {
    remember();
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
    if ($('undo')) $('undo').disabled = !state.undo.length;
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
    if (!silent) remember();
    state.marks.clear();
    for (const m of marks) {
      if (!state.regions.has(m.region)) continue;
      const kind = state.kinds.includes(m.kind) ? m.kind : state.kinds[0];
      const intensity = Number.isInteger(m.intensity) && m.intensity >= 1 && m.intensity <= 10 ? m.intensity : 5;
      state.marks.set(m.region, { kind, intensity });
    }
    marksChanged(silent);
  }

  function markWords(id) {
    const mark = state.marks.get(id);
    return mark ? t('{kind} {n}/10', { kind: kindWords(mark.kind).toLowerCase(), n: mark.intensity }) : t('not marked');
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
      if (path.hasAttribute('role')) {
        path.setAttribute('aria-checked', mark ? 'true' : 'false');
        path.setAttribute('aria-label', `${regionName(path.dataset.region)}: ${markWords(path.dataset.region)}`);
      }
    }
  }

  function renderMarkedList() {
    const list = $('marked-list');
    list.textContent = '';
    const n = state.marks.size;
    $('marked-count').textContent = n ? `(${tn(n, '{n} region', '{n} regions')})` : t('(none yet)');
    for (const [id, mark] of state.marks) {
      list.append(el('li', { class: 'chip', 'data-region': id },
        el('span', { class: `swatch kind-${mark.kind}`, 'aria-hidden': 'true' }),
        el('span', { class: 'chip-text', text: `${regionName(id)}: ${markWords(id)}` }),
        options.readOnly ? null : el('button', {
          type: 'button', class: 'chip-remove', 'aria-label': t('Remove {region}', { region: regionName(id) }), text: '×',
          onclick: () => setMark(id, false),
        })));
    }
  }

  // ---- the list of regions ----

  function groupOf(region) {
    const part = region.id.replace(/^[lr]\./, '').split('.')[0];
    for (const [name, parts] of GROUPS) if (parts.includes(part)) return name;
    return 'other';
  }

  function buildRegionList() {
    const groups = new Map(GROUPS.map(([name]) => [name, new Map()]));
    groups.set('other', new Map());
    // one row per body part: its right and left regions, or the midline one
    for (const r of state.regions.values()) {
      const part = r.id.replace(/^[lr]\./, '');
      const rows = groups.get(groupOf(r));
      if (!rows.has(part)) {
        rows.set(part, {
          label: r.label, right: null, left: null, midline: null,
        });
      }
      rows.get(part)[r.side] = r.id;
    }
    const box = $('region-groups');
    for (const [name, rows] of groups) {
      if (!rows.size) continue;
      const table = el('table', { class: 'regions' },
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col', text: t('Region') }),
          el('th', { scope: 'col', text: t('Right') }),
          el('th', { scope: 'col', text: t('Left') }))));
      const body = el('tbody');
      for (const row of rows.values()) {
        const cell = (id, side) => {
          if (!id) return el('td');
          return el('td', { class: 'check' }, el('input', {
            type: 'checkbox', 'data-region': id,
            'aria-label': side ? t('{region}, {side}', { region: row.label, side: side === 'right' ? t('right') : t('left') }) : row.label,
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
      box.append(el('fieldset', { class: 'region-group' }, el('legend', { text: groupWords(name) }), table));
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
      showError(t('Mark at least one region first: click where you feel it on the body, or tick it in the list.'));
      return;
    }
    const button = $('analyse');
    const label = button.textContent;
    button.disabled = true;
    button.textContent = t('Working it out…');
    try {
      const result = await options.analyse(getMarks());
      show(result);
    } catch (err) {
      // a refused drawing still carries the warnings of what could be read
      showWarnings((err.body && err.body.warnings) || []);
      showError(err.message);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  function show(result) {
    state.result = result;
    showAnswer(result, {
      regionName, pathsOf, after: options.after, regions: state.regions,
    });
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

  // ---- start ----

  function restoreMarks() {
    if (!options.storageKey) return false;
    try {
      const saved = JSON.parse(sessionStorage.getItem(options.storageKey) || 'null');
      if (!Array.isArray(saved)) return false;
      for (const [id, m] of saved) {
        if (state.regions.has(id) && state.kinds.includes(m.kind) && m.intensity >= 1 && m.intensity <= 10) {
          state.marks.set(id, { kind: m.kind, intensity: m.intensity });
        }
      }
      return true;
    } catch {
      return false; /* nothing kept, or not readable: start empty */
    }
  }

  async function start() {
    if ($('analyse')) $('analyse').addEventListener('click', analyse);
    if ($('undo')) {
      $('undo').addEventListener('click', () => {
        if (!state.undo.length) return;
        state.marks = state.undo.pop();
        marksChanged();
      });
    }
    if ($('clear')) {
      $('clear').addEventListener('click', async () => {
        if (!state.marks.size) return;
        const yes = await confirmBox({
          title: t('Clear the whole drawing?'),
          text: tn(state.marks.size, 'The one region marked is taken off the chart. Undo brings it back.', 'All {n} regions marked are taken off the chart. Undo brings them back.'),
          confirm: t('Clear all'),
        });
        if (!yes) return;
        remember();
        state.marks.clear();
        marksChanged();
      });
    }
    $('zoom-in').addEventListener('click', () => setZoom(state.zoom + 1));
    $('zoom-out').addEventListener('click', () => setZoom(state.zoom - 1));
    try {
      const [list, charts] = await loadShared();
      state.kinds = list.kinds;
      for (const r of list.regions) state.regions.set(r.id, r);
      if (!state.kinds.includes(state.kind)) state.kind = state.kinds[0];
      buildChooser();
      buildRegionList();
      const restored = restoreMarks();
      buildChart(charts);
      setZoom(0);
      // the record's own drawing, when this browser keeps nothing newer
      const kept = !restored && options.initial ? await options.initial() : null;
      if (kept && kept.marks) setMarks(kept.marks);
      paintMarks();
      renderMarkedList();
      syncCheckboxes();
      if (kept && kept.result) show(kept.result);
      root.querySelector('.map-page').dataset.ready = 'true';
    } catch (err) {
      $('chart').textContent = '';
      showError(err instanceof ApiError ? err.message : t('The body chart could not start: {why}', { why: err.message }));
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
    return { x: xs.reduce((s, v) => s + v, 0) / pts.length, y: ys.reduce((s, v) => s + v, 0) / pts.length, size };
  }
  return { x: cx / (3 * a), y: cy / (3 * a), size };
}
