// A visit's body chart: the drawing, and over it markers for the trigger
// points palpated and the treatments given, with their legend.

import { mountMap } from './chart.js';
import { el, svg } from './dom.js';
import { t } from './i18n.js';
import { areas, checks, sideName } from './note_words.js';

// The region of the body chart (side-less) where each acupuncture point of
// the treatment data lies, to draw it there: the data says where in words
// (GET /techniques); an Ashi point has no fixed place and is not drawn.
const ACUPOINT_SITES = {
  GB30: 'buttock.center',
  GB31: 'thigh.outer.lower',
  GB34: 'leg.outer.upper',
  BL23: 'lumbar.upper',
  BL25: 'lumbar.lower',
  BL36: 'buttock.lower',
  BL37: 'thigh.back.upper',
  BL40: 'knee.back',
  BL54: 'buttock.inner',
  BL57: 'calf.lower',
  BL60: 'ankle.outer',
};

const halo = (d) => svg('path', { d, class: 'halo' });
export const MARKERS = {
  palpated: {
    get label() { return t('Palpated'); },
    glyph: (x, y, r) => svg('circle', { cx: x, cy: y, r }),
  },
  evidence: {
    get label() { return t('Tender and reproduces the pain (evidence)'); },
    glyph: (x, y, r) => [svg('circle', { cx: x, cy: y, r: r * 1.1 }),
      svg('path', { d: `M${x - r * 0.65} ${y}H${x + r * 0.65}M${x} ${y - r * 0.65}V${y + r * 0.65}` })],
  },
  compression: {
    get label() { return t('Manual compression'); },
    glyph: (x, y, r) => svg('rect', { x: x - r * 0.8, y: y - r * 0.8, width: r * 1.6, height: r * 1.6, rx: r * 0.25 }),
  },
  needling: {
    get label() { return t('Dry needling'); },
    glyph: (x, y, r) => {
      const d = `M${x - r * 0.8} ${y - r * 0.8}L${x + r * 0.8} ${y + r * 0.8}M${x + r * 0.8} ${y - r * 0.8}L${x - r * 0.8} ${y + r * 0.8}`;
      return [halo(d), svg('path', { d })];
    },
  },
  acupoint: {
    get label() { return t('Acupuncture point'); },
    glyph: (x, y, r) => svg('path', { d: `M${x} ${y - r}L${x + r} ${y}L${x} ${y + r}L${x - r} ${y}Z` }),
  },
  cupping: {
    get label() { return t('Cupping'); },
    glyph: (x, y, r) => [svg('circle', { cx: x, cy: y, r }), svg('circle', { cx: x, cy: y, r: r * 0.45, class: 'inner' })],
  },
  tuina: {
    get label() { return t('Tui Na'); },
    glyph: (x, y, r) => svg('path', { d: `M${x} ${y - r}L${x + r * 0.95} ${y + r * 0.7}L${x - r * 0.95} ${y + r * 0.7}Z` }),
  },
  gua_sha: {
    get label() { return t('Gua Sha'); },
    glyph: (x, y, r) => {
      const d = [-0.6, 0, 0.6].map((o) => `M${x - r + o * r} ${y + r * 0.7}L${x + o * r} ${y - r * 0.7}`).join('');
      return [halo(d), svg('path', { d })];
    },
  },
};

export function markerSwatch(kind) {
  return svg('svg', { viewBox: '-7 -7 14 14', class: `glyph ov-${kind}`, 'aria-hidden': 'true' },
    MARKERS[kind].glyph(0, 0, 5));
}

// The markers of a note's palpation and treatments, and the legend's
// lines; `data` is {palpation, plan}.
function markersOf(data, muscles, chart) {
  const items = [];
  const legend = new Map();
  const add = (kind, region, title) => {
    if (chart.hasRegion(region)) items.push({ region, cls: `ov-${kind}`, glyph: MARKERS[kind].glyph, title });
  };
  const note = (kind, text) => {
    if (!legend.has(kind)) legend.set(kind, []);
    legend.get(kind).push(text);
  };
  const sites = (muscle, side) => ((muscles.get(muscle) || {}).sites || [])
    .map((s) => (chart.hasRegion(s) ? s : `${side}.${s}`));
  for (const p of data.palpation || []) {
    const kind = p.tender && p.reproduces ? 'evidence' : 'palpated';
    const found = checks().filter(([k]) => p[k]).map(([, w]) => w.toLowerCase());
    const title = `${sideName(muscles, p)}: ${found.length ? found.join(', ') : t('nothing found')}`;
    for (const r of sites(p.muscle, p.side)) add(kind, r, title);
    note(kind, sideName(muscles, p));
  }
  const plan = data.plan || {};
  for (const c of plan.compression || []) {
    for (const r of sites(c.muscle, c.side)) add('compression', r, `${MARKERS.compression.label}: ${sideName(muscles, c)}`);
    note('compression', sideName(muscles, c));
  }
  for (const n of plan.needling || []) {
    const text = `${sideName(muscles, n)}${n.count ? ` ×${n.count}` : ''}`;
    for (const r of sites(n.muscle, n.side)) add('needling', r, `${MARKERS.needling.label}: ${text}`);
    note('needling', text);
  }
  for (const a of plan.acupoints || []) {
    const site = ACUPOINT_SITES[a.point];
    const text = `${a.point}${a.count ? ` ×${a.count}` : ''}`;
    // the note keeps no side for a point: it is shown on both
    if (site) for (const side of ['r', 'l']) add('acupoint', `${side}.${site}`, `${MARKERS.acupoint.label}: ${text}`);
    note('acupoint', text);
  }
  for (const [key] of areas()) {
    for (const region of plan[key] || []) {
      add(key, region, `${MARKERS[key].label}: ${chart.regionName(region)}`);
      note(key, chart.regionName(region));
    }
  }
  return { items, legend };
}

// What of a note goes on the chart besides the drawing.
export const forChart = (n) => ({ palpation: (n.objective || {}).palpation, plan: n.plan });

export function showMarkers(data, muscles, chart) {
  const { items, legend } = markersOf(data, muscles, chart);
  chart.setOverlay(items);
  const list = document.getElementById('legend-overlay');
  if (!list) return;
  list.textContent = '';
  for (const kind of Object.keys(MARKERS)) {
    if (!legend.has(kind)) continue;
    list.append(el('li', { 'data-legend': kind }, markerSwatch(kind),
      el('span', {}, el('strong', { text: MARKERS[kind].label }),
        kind === 'acupoint' ? ` ${t('(both sides shown)')}` : '', `: ${legend.get(kind).join('; ')}`)));
  }
  const plan = data.plan || {};
  if (plan.heat_minutes) list.append(el('li', { 'data-legend': 'heat', text: t('Heat: {n} min', { n: plan.heat_minutes }) }));
  list.hidden = !list.children.length;
}

// The visit's body chart: the drawing, and the markers over it.
export function mountChart(holder, options) {
  return mountMap(holder, {
    storageKey: null,
    drawTitle: t('Body chart of the visit'),
    clearLabel: t('Clear the drawing'),
    legendAfter: true,
    ...options,
  });
}

// The chart stands beside the note on a wide screen (and stays in sight
// while the note scrolls) and inside Objective on a narrow one.
export function placeChart(ctx, chartBox, side, slot) {
  const wide = window.matchMedia('(min-width: 62rem)');
  const place = () => {
    const target = wide.matches ? side : slot;
    if (chartBox.parentNode !== target) target.append(chartBox);
  };
  place();
  wide.addEventListener('change', place);
  ctx.onLeave(() => wide.removeEventListener('change', place));
}

