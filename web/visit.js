// A clinic visit in SOAP form (include/tpt/visit.h is the note's checker):
// Subjective (pain, what changed, the intake's history), Objective (the
// drawing on the body chart, examination findings, palpation per muscle
// and side), Assessment (the engine's ranking from the drawing alone and
// with the findings, side by side, and the practitioner's own words) and
// Plan (what was done). Palpated trigger points and the treatments given
// are drawn on the visit's body chart. A draft is saved as often as wanted;
// signed, the note is locked and corrections are amendments.

import { ApiError, change, get, getOrNull, post, url } from './api.js';
import { evidenceList, mountMap } from './chart.js';
import { HELD_BACK, patientFrame } from './care.js';
import { KIND_WORDS, authorNames } from './clinic.js';
import {
  LEVEL_WORDS, blockBox, confirmBox, day, el, field, notice, percent, put, showError, svg, when,
} from './dom.js';

// ---- what a note may name (lib/visit.c checks the same) ----

// The examination findings of the atlas (GET /atlas/ID names them per cause;
// the list itself is the interface's), each on a side.
const FINDINGS = [
  ['slr', 'Straight leg raise', 'Leg pain below the knee between 30 and 70 degrees'],
  ['crossed-slr', 'Crossed straight leg raise', 'Raising the other leg brings on the pain in this leg'],
  ['knee-reflex-reduced', 'Knee reflex reduced', 'Patellar reflex weaker than the other side, or absent'],
  ['ankle-reflex-reduced', 'Ankle reflex reduced', 'Achilles reflex weaker than the other side, or absent'],
  ['weak-knee-extension', 'Weak knee extension', 'Quadriceps'],
  ['weak-big-toe-extension', 'Weak big-toe extension', 'Or trouble walking on the heels'],
  ['weak-toe-walk', 'Weak toe walking', 'Pushing the foot down, walking on the toes'],
  ['fair', 'FAIR test', 'Flexion, adduction and inward turning of the hip (or Freiberg, Pace, Beatty) brings on the buttock and leg pain'],
  ['femoral-stretch', 'Femoral stretch test', 'Bending the knee lying face down brings on pain in the front of the thigh'],
  ['sitting-pain', 'Pain on sitting', 'Sitting brings on or worsens the buttock and leg pain'],
];

const PERPETUATING = [
  ['repetitive-use', 'Repetitive use'],
  ['posture', 'Posture'],
  ['long-sitting', 'Long sitting'],
  ['trauma', 'Trauma or a fall'],
  ['stress', 'Stress'],
];

// The acupuncture points of data/techniques.json, with the chart region
// each lies in (side-less; Ashi points have no fixed place).
const ACUPOINTS = [
  ['GB30', 'Huantiao', 'buttock.center'],
  ['GB31', 'Fengshi', 'thigh.outer.lower'],
  ['GB34', 'Yanglingquan', 'leg.outer.upper'],
  ['BL23', 'Shenshu', 'lumbar.upper'],
  ['BL25', 'Dachangshu', 'lumbar.lower'],
  ['BL36', 'Chengfu', 'buttock.lower'],
  ['BL37', 'Yinmen', 'thigh.back.upper'],
  ['BL40', 'Weizhong', 'knee.back'],
  ['BL54', 'Zhibian', 'buttock.inner'],
  ['BL57', 'Chengshan', 'calf.lower'],
  ['BL60', 'Kunlun', 'ankle.outer'],
  ['Ashi', 'Ashi point', null],
];

// The stretches of data/techniques.json, by the muscle they are for.
const STRETCHES = [
  ['piriformis-figure-four', 'Figure-four stretch', 'piriformis'],
  ['gluteus-minimus-anterior-wall-lean', 'Standing side-of-hip stretch', 'gluteus-minimus'],
  ['gluteus-minimus-posterior-knee-to-shoulder', 'Knee towards the opposite shoulder', 'gluteus-minimus'],
  ['gluteus-medius-knee-across', 'Knee across the body', 'gluteus-medius'],
  ['gluteus-maximus-knee-to-chest', 'Knee to chest', 'gluteus-maximus'],
  ['obturator-internus-figure-four', 'Figure-four stretch', 'obturator-internus'],
  ['tensor-fasciae-latae-side-hang', 'Side-lying leg hang', 'tensor-fasciae-latae'],
  ['quadratus-lumborum-side-bend', 'Standing side bend', 'quadratus-lumborum'],
  ['iliocostalis-lumborum-side-reach', 'Kneeling side reach', 'iliocostalis-lumborum'],
  ['longissimus-thoracis-knees-to-chest', 'Both knees to chest', 'longissimus-thoracis'],
  ['multifidus-lying-twist', 'Knees-side-to-side twist', 'multifidus'],
  ['iliopsoas-kneeling-lunge', 'Kneeling hip-front stretch', 'iliopsoas'],
  ['vastus-lateralis-standing-thigh', 'Standing front-of-thigh stretch', 'vastus-lateralis'],
  ['biceps-femoris-towel-stretch', 'Towel hamstring stretch', 'biceps-femoris'],
  ['medial-hamstrings-seated-stretch', 'Seated hamstring stretch', 'medial-hamstrings'],
  ['adductor-magnus-straddle', 'Seated wide-leg stretch', 'adductor-magnus'],
  ['gastrocnemius-wall-stretch', 'Straight-knee calf stretch', 'gastrocnemius'],
  ['soleus-bent-knee-stretch', 'Bent-knee calf stretch', 'soleus'],
  ['peroneus-longus-ankle-turn', 'Seated ankle turn-in', 'peroneus-longus'],
  ['tibialis-anterior-kneeling', 'Kneeling shin stretch', 'tibialis-anterior'],
];

const AREAS = [
  ['cupping', 'Cupping'],
  ['tuina', 'Tui Na'],
  ['gua_sha', 'Gua Sha'],
];

const CHECKS = [
  ['tender', 'Tender'],
  ['taut_band', 'Taut band'],
  ['twitch', 'Twitch response'],
  ['reproduces', 'Reproduces the familiar pain'],
];

const SIDE_WORDS = { r: 'right', l: 'left' };

// ---- the muscles, from the atlas ----

let musclesLoad = null;

// Map muscle -> {id, label, sites}: every trigger point of the atlas that
// names a muscle, with the regions (side-less) where its points lie.
export function loadMuscles() {
  if (!musclesLoad) {
    musclesLoad = (async () => {
      const { causes } = await get('/atlas');
      const muscles = new Map();
      for (const e of causes.filter((c) => c.kind === 'trigger-point')) {
        if (!e || !e.muscle) continue;
        if (!muscles.has(e.muscle)) muscles.set(e.muscle, { id: e.muscle, labels: [], sites: [] });
        const m = muscles.get(e.muscle);
        m.labels.push(e.label);
        for (const s of [e.site].flat()) if (typeof s === 'string' && s && !m.sites.includes(s)) m.sites.push(s);
      }
      for (const m of muscles.values()) {
        // "Gluteus minimus, anterior part" and "..., posterior part": one muscle
        const heads = [...new Set(m.labels.map((l) => l.split(',')[0]))];
        m.label = m.labels.length === 1 ? m.labels[0] : heads.length === 1 ? heads[0] : m.id.replace(/-/g, ' ');
      }
      return muscles;
    })().catch((err) => {
      musclesLoad = null;
      throw err;
    });
  }
  return musclesLoad;
}

function muscleName(muscles, id) {
  const m = muscles.get(id);
  return m ? m.label : id;
}

const sideName = (muscles, x) => `${muscleName(muscles, x.muscle)}, ${SIDE_WORDS[x.side] || x.side}`;

function ordinal(n) {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] || s[v] || s[0]}`;
}

function causeName(c) {
  const side = c.either_side ? 'either side' : SIDE_WORDS[c.side];
  return side ? `${c.label}, ${side}` : c.label;
}

// "r.buttock.center:ache:6" -> {region, kind, intensity}
function parseMark(m) {
  if (typeof m !== 'string') return m;
  const [region, kind, intensity] = m.split(':');
  return { region, kind, intensity: intensity ? Number(intensity) : undefined };
}

// ---- the markers on the chart ----

const halo = (d) => svg('path', { d, class: 'halo' });
const MARKERS = {
  palpated: {
    label: 'Palpated',
    glyph: (x, y, r) => svg('circle', { cx: x, cy: y, r }),
  },
  evidence: {
    label: 'Tender and reproduces the pain (evidence)',
    glyph: (x, y, r) => [svg('circle', { cx: x, cy: y, r: r * 1.1 }),
      svg('path', { d: `M${x - r * 0.65} ${y}H${x + r * 0.65}M${x} ${y - r * 0.65}V${y + r * 0.65}` })],
  },
  compression: {
    label: 'Manual compression',
    glyph: (x, y, r) => svg('rect', { x: x - r * 0.8, y: y - r * 0.8, width: r * 1.6, height: r * 1.6, rx: r * 0.25 }),
  },
  needling: {
    label: 'Dry needling',
    glyph: (x, y, r) => {
      const d = `M${x - r * 0.8} ${y - r * 0.8}L${x + r * 0.8} ${y + r * 0.8}M${x + r * 0.8} ${y - r * 0.8}L${x - r * 0.8} ${y + r * 0.8}`;
      return [halo(d), svg('path', { d })];
    },
  },
  acupoint: {
    label: 'Acupuncture point',
    glyph: (x, y, r) => svg('path', { d: `M${x} ${y - r}L${x + r} ${y}L${x} ${y + r}L${x - r} ${y}Z` }),
  },
  cupping: {
    label: 'Cupping',
    glyph: (x, y, r) => [svg('circle', { cx: x, cy: y, r }), svg('circle', { cx: x, cy: y, r: r * 0.45, class: 'inner' })],
  },
  tuina: {
    label: 'Tui Na',
    glyph: (x, y, r) => svg('path', { d: `M${x} ${y - r}L${x + r * 0.95} ${y + r * 0.7}L${x - r * 0.95} ${y + r * 0.7}Z` }),
  },
  gua_sha: {
    label: 'Gua Sha',
    glyph: (x, y, r) => {
      const d = [-0.6, 0, 0.6].map((o) => `M${x - r + o * r} ${y + r * 0.7}L${x + o * r} ${y - r * 0.7}`).join('');
      return [halo(d), svg('path', { d })];
    },
  },
};

function markerSwatch(kind) {
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
    const found = CHECKS.filter(([k]) => p[k]).map(([, w]) => w.toLowerCase());
    const title = `${sideName(muscles, p)}: ${found.length ? found.join(', ') : 'nothing found'}`;
    for (const r of sites(p.muscle, p.side)) add(kind, r, title);
    note(kind, sideName(muscles, p));
  }
  const plan = data.plan || {};
  for (const c of plan.compression || []) {
    for (const r of sites(c.muscle, c.side)) add('compression', r, `Compression: ${sideName(muscles, c)}`);
    note('compression', sideName(muscles, c));
  }
  for (const n of plan.needling || []) {
    const text = `${sideName(muscles, n)}${n.count ? ` ×${n.count}` : ''}`;
    for (const r of sites(n.muscle, n.side)) add('needling', r, `Dry needling: ${text}`);
    note('needling', text);
  }
  for (const a of plan.acupoints || []) {
    const point = ACUPOINTS.find(([pid]) => pid === a.point);
    const text = `${a.point}${a.count ? ` ×${a.count}` : ''}`;
    // the note keeps no side for a point: it is shown on both
    if (point && point[2]) for (const side of ['r', 'l']) add('acupoint', `${side}.${point[2]}`, `Acupuncture: ${text}`);
    note('acupoint', text);
  }
  for (const [key] of AREAS) {
    for (const region of plan[key] || []) {
      add(key, region, `${MARKERS[key].label}: ${chart.regionName(region)}`);
      note(key, chart.regionName(region));
    }
  }
  return { items, legend };
}

// What of a note goes on the chart besides the drawing.
const forChart = (n) => ({ palpation: (n.objective || {}).palpation, plan: n.plan });

function showMarkers(data, muscles, chart) {
  const { items, legend } = markersOf(data, muscles, chart);
  chart.setOverlay(items);
  const list = document.getElementById('legend-overlay');
  if (!list) return;
  list.textContent = '';
  for (const kind of Object.keys(MARKERS)) {
    if (!legend.has(kind)) continue;
    list.append(el('li', { 'data-legend': kind }, markerSwatch(kind),
      el('span', {}, el('strong', { text: MARKERS[kind].label }),
        kind === 'acupoint' ? ' (both sides shown)' : '', `: ${legend.get(kind).join('; ')}`)));
  }
  const plan = data.plan || {};
  if (plan.heat_minutes) list.append(el('li', { 'data-legend': 'heat', text: `Heat: ${plan.heat_minutes} min` }));
  list.hidden = !list.children.length;
}

// The visit's body chart: the drawing, and the markers over it.
function mountChart(holder, options) {
  return mountMap(holder, {
    storageKey: null,
    drawTitle: 'Body chart of the visit',
    clearLabel: 'Clear the drawing',
    legendAfter: true,
    ...options,
  });
}

// The chart stands beside the note on a wide screen (and stays in sight
// while the note scrolls) and inside Objective on a narrow one.
function placeChart(ctx, chartBox, side, slot) {
  const wide = window.matchMedia('(min-width: 62rem)');
  const place = () => {
    const target = wide.matches ? side : slot;
    if (chartBox.parentNode !== target) target.append(chartBox);
  };
  place();
  wide.addEventListener('change', place);
  ctx.onLeave(() => wide.removeEventListener('change', place));
}

// ---- errors named by the note's fields ----

const FIELD_WORDS = {
  kind: 'The kind of visit',
  subjective: 'Subjective',
  'subjective.leg_pain': 'Leg pain',
  'subjective.back_pain': 'Back pain',
  'subjective.changes': 'What has changed',
  'subjective.history': 'History',
  'subjective.history.onset': 'When it began',
  'subjective.history.how_started': 'How it began',
  'subjective.history.duration_weeks': 'Weeks since it began',
  'subjective.history.aggravating': 'What makes it worse',
  'subjective.history.easing': 'What eases it',
  'subjective.history.perpetuating': 'What keeps it going',
  'subjective.history.work': 'Work',
  'subjective.history.sitting_hours': 'Hours sitting a day',
  'subjective.history.prior_treatments': 'Treatments tried before',
  objective: 'Objective',
  'objective.marks': 'The drawing',
  'objective.findings': 'Examination findings',
  'objective.palpation': 'Palpation',
  'objective.palpation[].muscle': 'Palpation, muscle',
  'objective.palpation[].side': 'Palpation, side',
  assessment: 'Assessment',
  'assessment.own_words': 'Your assessment',
  plan: 'Plan',
  'plan.compression': 'Manual compression',
  'plan.needling': 'Dry needling',
  'plan.needling[].count': 'Dry needling, needles',
  'plan.acupoints': 'Acupuncture points',
  'plan.acupoints[].count': 'Acupuncture, needles',
  'plan.cupping': 'Cupping',
  'plan.tuina': 'Tui Na',
  'plan.gua_sha': 'Gua Sha',
  'plan.heat_minutes': 'Heat, minutes',
  'plan.stretches': 'Stretches taught',
  'plan.home_program': 'Home program',
  'plan.notes': 'Notes',
};

class FieldError extends Error {
  constructor(path, what) {
    super(what);
    this.path = path;
  }
}

function fieldWords(path) {
  let p = path.replace(/\[\d+\]/g, '[]');
  let words = FIELD_WORDS[p];
  while (!words && /[.[]/.test(p)) {
    p = p.replace(/(\.[^.[]*|\[\])$/, '');
    words = FIELD_WORDS[p];
  }
  const row = path.match(/\[(\d+)\]/);
  return `${words || 'The note'}${row ? ` (row ${Number(row[1]) + 1})` : ''}`;
}

// A refused note (400, field "note.<path>") or one that could not be read
// here, as {path, sentence}.
function fieldError(err) {
  if (err instanceof FieldError) {
    return { path: err.path, sentence: `${fieldWords(err.path)}: ${err.message}.` };
  }
  const f = err.field || '';
  if (err.status === 400 && f.startsWith('note')) {
    const path = f.replace(/^note\.?/, '');
    const raw = (err.body && err.body.error && err.body.error.message) || err.message;
    const what = raw.includes(': ') ? raw.slice(raw.indexOf(': ') + 2) : raw;
    return { path, sentence: `${fieldWords(path)}: ${what.replace(/\.$/, '')}.` };
  }
  return { path: null, sentence: err.message };
}

// o[k] = v unless v is nothing (undefined, or an empty list)
function setIf(o, k, v) {
  if (v !== undefined && !(Array.isArray(v) && !v.length)) o[k] = v;
}

const nonEmpty = (o) => Object.keys(o).length > 0;

// ---- small controls ----

function painSelect(value) {
  return el('select', {},
    el('option', { value: '', text: '—' }),
    Array.from({ length: 11 }, (_, i) => el('option', {
      value: String(i), text: `${i}${i === 0 ? ' none' : i === 10 ? ' worst' : ''}`, selected: value === i,
    })));
}

function sideSelect() {
  return el('select', { 'aria-label': 'Side' },
    el('option', { value: 'r', text: 'Right' }), el('option', { value: 'l', text: 'Left' }));
}

function muscleSelect(muscles) {
  return el('select', { 'aria-label': 'Muscle' },
    [...muscles.values()].map((m) => el('option', { value: m.id, text: m.label })));
}

// ---- the page ----

export async function visitPage(view, ctx) {
  const id = ctx.params.id;
  const asked = ctx.params.n;
  if (asked !== undefined && !/^[1-9]\d{0,8}$/.test(asked)) throw new ApiError('There is no visit at this address.');
  const number = asked ? Number(asked) : null;
  const [visit, list, details, muscles] = await Promise.all([
    number ? get(`/patients/${id}/visits/${number}`).then((a) => a.visit) : null,
    get(`/patients/${id}/visits`),
    get(`/patients/${id}/details`).then((a) => a.patient).catch(() => null),
    loadMuscles(),
  ]);
  const author = authorNames(ctx);
  if (!ctx.alive()) return;
  const kind = visit ? (visit.note && visit.note.kind) || visit.kind
    : ctx.query.get('kind') === 'follow-up' ? 'follow-up' : 'intake';
  const heading = visit ? `Visit ${visit.number}: ${KIND_WORDS[kind].toLowerCase()}` : `New ${KIND_WORDS[kind].toLowerCase()}`;
  // the visit before this one, to compare with
  const earlier = list.visits.filter((v) => !number || v.number < number).sort((a, b) => b.number - a.number)[0];
  const previous = earlier ? ((await getOrNull(`/patients/${id}/visits/${earlier.number}`)) || {}).visit : null;
  if (!ctx.alive()) return;
  const frame = await patientFrame(view, ctx, 'visits', heading);
  if (!frame) return;
  view.classList.add('wide');
  const page = {
    ctx, id, info: frame.info, body: frame.body, visit, kind, previous, details, muscles, author,
  };
  frame.body.append(el('p', { class: 'back-link' }, el('a', { href: `#/patients/${id}/visits`, text: '‹ All visits' })));
  if (visit && visit.signed_at) await signedView(page);
  else await draftForm(page);
}

// The four parts of a note, each a section with its letter.
function soap(letter, title, sub) {
  return el('section', { class: `soap soap-${letter.toLowerCase()}`, id: `soap-${letter.toLowerCase()}`, 'aria-labelledby': `soap-${letter}-title` },
    el('h2', { id: `soap-${letter}-title` }, el('span', { class: 'soap-letter', 'aria-hidden': 'true', text: letter }),
      ` ${title}`, sub ? el('span', { class: 'soap-sub', text: ` · ${sub}` }) : null));
}

function layout(body, signed = false) {
  const main = el('div', { class: 'visit-main' });
  const side = el('aside', { class: 'visit-side', 'aria-label': 'Body chart of the visit' });
  body.append(el('div', { class: signed ? 'visit signed' : 'visit' }, main, side));
  return { main, side };
}

// Whether self-treatment is stopped for this visit: a warning standing in
// the record, or one raised by the visit's own drawing.
function heldLevel(info, result) {
  if (!info.self_care) return (info.flags && info.flags.level) || 'urgent';
  const ws = (result && result.with_findings && result.with_findings.warnings) || [];
  const w = ws.find((x) => x.level === 'emergency' || x.level === 'urgent');
  return w ? w.level : null;
}

// ---- the engine's two answers ----

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
  el('p', { class: 'hint' }, 'Pattern: ', el('strong', { text: r.pattern || '—' })),
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
        move = el('span', { class: 'move move-new', text: 'new in the ranking' });
      } else if (was > i) {
        moved = 'up';
        move = el('span', { class: 'move move-up', text: `▲ up from ${ordinal(was + 1)}${change}` });
      } else if (was < i) {
        moved = 'down';
        move = el('span', { class: 'move move-down', text: `▼ down from ${ordinal(was + 1)}${change}` });
      } else {
        move = el('span', { class: 'move move-same', text: `same place${change}` });
      }
    }
    return el('li', {
      class: 'rank-item', 'data-cause': c.cause, 'data-side': c.side, 'data-rank': String(i + 1),
      'data-moved': compare ? moved : false,
    },
    el('span', { class: 'rank', text: `${i + 1}.` }),
    el('span', { class: 'cause-name', text: causeName(c) }),
    el('span', { class: 'prob', text: percent(c.probability) }),
    el('span', { class: 'bar', role: 'img', 'aria-label': `probability ${percent(c.probability)}` }, bar),
    move);
  })) : el('p', { class: 'placeholder', text: 'No candidate causes.' }));
  return el('div', { class: 'rankings' },
    column('Drawing alone', A, 'rank-drawing', false),
    column('With your findings', B, 'rank-findings', true));
}

function findingsWords(note, muscles) {
  const o = note.objective || {};
  const words = [];
  for (const f of o.findings || []) {
    const x = typeof f === 'string' ? { finding: f.split(':')[0], side: f.split(':')[1] } : f;
    const known = FINDINGS.find(([fid]) => fid === x.finding);
    words.push(`${known ? known[1].toLowerCase() : x.finding} (${SIDE_WORDS[x.side] || x.side})`);
  }
  for (const p of o.palpation || []) {
    if (p.tender && p.reproduces) words.push(`${sideName(muscles, p)} tender and reproducing the pain`);
  }
  return words;
}

function assessmentResult(result, note, muscles, saved) {
  const box = el('div', { class: 'assessment-result', id: 'assessment-result' });
  if (!result) {
    box.append(el('p', { class: 'placeholder', text: saved
      ? 'The saved note has no drawing. Draw where the patient feels it, then save, to see what may cause it.'
      : 'Save the note to see what the drawing alone points to, and what it points to with your findings.' }));
    return box;
  }
  const B = result.with_findings;
  for (const w of B.warnings || []) {
    box.append(el('section', { class: `warning level-${w.level}`, 'data-warning': w.id },
      el('h2', { text: LEVEL_WORDS[w.level] || 'Warning' }), el('p', { text: w.advice })));
  }
  const used = findingsWords(note, muscles);
  box.append(el('p', { class: 'weighed' }, used.length
    ? ['Findings weighed: ', el('strong', { text: used.join('; ') }), '.']
    : 'No examination or palpation findings that count as evidence yet, so both answers are the same.'));
  box.append(rankings(result));
  const evidence = evidenceList(B);
  if (evidence) box.append(evidence);
  const labels = new Map(B.candidates.map((c) => [`${c.cause}:${c.side}`, causeName(c)]));
  const best = ((B.explanation && B.explanation.causes) || []).map((c) => labels.get(`${c.cause}:${c.side}`) || c.cause);
  if (best.length) {
    box.append(el('p', { class: 'explanation' }, 'Best explanation with your findings: ',
      el('strong', { text: best.join(' with ') }), '.'));
  }
  box.append(notice(B.notice));
  return box;
}

// ---- a draft: the form ----

async function draftForm(page) {
  const { ctx, id, body, info, visit, kind, previous, details, muscles } = page;
  const note = (visit && visit.note) || { kind };
  const S = note.subjective || {};
  const H = S.history || {};
  const O = note.objective || {};
  const P = note.plan || {};
  const st = {
    number: visit ? visit.number : null,
    result: visit ? visit.result : null,
    tool: 'draw',
    palpation: (O.palpation || []).map((p) => ({ ...p })),
    compression: (P.compression || []).map((x) => ({ ...x })),
    needling: (P.needling || []).map((x) => ({ ...x })),
    acupoints: (P.acupoints || []).map((x) => ({ ...x })),
    cupping: [...(P.cupping || [])],
    tuina: [...(P.tuina || [])],
    gua_sha: [...(P.gua_sha || [])],
    savedText: '',
    savedObjective: JSON.stringify(O),
    saving: false,
  };

  if (details && !details.consent) {
    body.append(el('p', { class: 'caution consent-missing', id: 'consent-missing' },
      el('strong', { text: 'Consent to treatment is not recorded. ' }),
      'Record it in the ', el('a', { href: `#/patients/${id}`, text: 'patient details' }), ' before treating.'));
  }
  body.append(el('p', { class: 'visit-status', id: 'visit-status' },
    el('span', { class: 'status status-draft', text: 'Draft' }), ' ',
    visit ? `Started ${when(visit.at)} by ${page.author(visit.author, visit.author_name)}. ` : 'Not saved yet. ',
    'A draft can be changed until it is signed.'));

  const { main, side } = layout(body);
  const form = el('form', { class: 'visit-form', id: 'visit-form', novalidate: true });
  main.append(form);

  // the chart first: the area pickers need its regions
  const toolbar = el('fieldset', { class: 'tools', id: 'tools' },
    el('legend', { text: 'A click on the chart marks' }),
    el('div', { class: 'kind-list' }, [['draw', 'Symptoms'], ...AREAS].map(([t, label]) => el('label', { class: 'kind tool', for: `tool-${t}` },
      el('input', {
        type: 'radio', name: 'tool', id: `tool-${t}`, value: t, checked: t === 'draw',
        onchange: () => setTool(t),
      }),
      t === 'draw' ? null : markerSwatch(t),
      el('span', { text: label })))),
    el('p', { class: 'hint tool-hint', id: 'tool-hint', hidden: true }));
  const chartBox = el('div', { class: 'visit-chart', id: 'visit-chart' });
  side.append(chartBox);
  const chart = mountChart(chartBox, {
    before: toolbar,
    onChange: () => changed(),
    onRegionClick: (region) => {
      if (st.tool === 'draw') return false;
      toggleArea(st.tool, region);
      return true;
    },
  });
  await chart.ready;
  if (!ctx.alive()) return;
  chart.setMarks((O.marks || []).map(parseMark));
  chart.showBusiestView('back');

  function setTool(t) {
    st.tool = t;
    chartBox.querySelector('.map-page').dataset.tool = t;
    const hint = document.getElementById('tool-hint');
    hint.hidden = t === 'draw';
    hint.textContent = t === 'draw' ? '' : `Click the regions where ${MARKERS[t].label} was given; click again to take one off.`;
  }

  // ---- S ----
  const fieldF = (path, label, control, hint) => {
    control.dataset.field = path;
    control.name = path;
    control.id = `v-${path.replace(/[^a-z0-9]+/gi, '-')}`;
    return field(label, control, hint);
  };
  const text = (value, rows = 2) => el('textarea', { rows: String(rows), maxlength: '4000', text: value || '' });
  const line = (value) => el('input', { type: 'text', maxlength: '300', value: value || '' });
  const num = (value, attrs) => el('input', { type: 'number', value: value ?? '', ...attrs });

  const sS = soap('S', 'Subjective', 'what the patient tells');
  const prevS = previous && previous.note && previous.note.subjective;
  sS.append(el('div', { class: 'field-row' },
    fieldF('subjective.leg_pain', 'Leg pain now (0–10)', painSelect(S.leg_pain)),
    fieldF('subjective.back_pain', 'Back pain now (0–10)', painSelect(S.back_pain))));
  if (prevS && (prevS.leg_pain !== undefined || prevS.back_pain !== undefined)) {
    const part = (w, v) => (v === undefined || v === null ? null : `${w} ${v}`);
    sS.append(el('p', { class: 'hint', id: 'previous-pain', text: `At visit ${previous.number} (${day(previous.at)}): ${[part('leg', prevS.leg_pain), part('back', prevS.back_pain)].filter(Boolean).join(', ')}.` }));
  }
  if (kind === 'follow-up' || S.changes) {
    sS.append(fieldF('subjective.changes', 'What has changed since the last visit', text(S.changes, 3),
      'Better or worse, how long the relief lasted, the home program, anything new.'));
  }
  const showHistory = kind === 'intake' || Boolean(S.history);
  if (showHistory) {
    const perp = new Set(H.perpetuating || []);
    sS.append(el('fieldset', { class: 'history-fields', 'data-field': 'subjective.history' },
      el('legend', { text: 'History' }),
      el('div', { class: 'field-row' },
        fieldF('subjective.history.onset', 'When it began', line(H.onset), 'A date, or how long ago.'),
        fieldF('subjective.history.duration_weeks', 'Weeks since it began', num(H.duration_weeks, { min: '0', max: '5200', step: '1', inputmode: 'numeric' }))),
      fieldF('subjective.history.how_started', 'How it began', text(H.how_started)),
      el('div', { class: 'field-row' },
        fieldF('subjective.history.aggravating', 'What makes it worse', text(H.aggravating)),
        fieldF('subjective.history.easing', 'What eases it', text(H.easing))),
      el('fieldset', { class: 'checks', 'data-field': 'subjective.history.perpetuating' },
        el('legend', { text: 'What keeps it going' }),
        el('div', { class: 'check-row' }, PERPETUATING.map(([pid, w]) => el('label', { class: 'check-pill' },
          el('input', { type: 'checkbox', 'data-perpetuating': pid, checked: perp.has(pid) }), ` ${w}`)))),
      el('div', { class: 'field-row' },
        fieldF('subjective.history.work', 'Work and daily activity', line(H.work)),
        fieldF('subjective.history.sitting_hours', 'Hours sitting a day', num(H.sitting_hours, { min: '0', max: '24', step: '0.5', inputmode: 'decimal' }))),
      fieldF('subjective.history.prior_treatments', 'Treatments tried before', text(H.prior_treatments),
        'What was tried, and what it did.')));
  }

  // ---- O ----
  const sO = soap('O', 'Objective', 'what you find');
  const slot = el('div', { class: 'chart-slot' });
  const given = new Set((O.findings || []).map((f) => (typeof f === 'string' ? f : `${f.finding}:${f.side}`)));
  sO.append(el('p', { class: 'hint wide-only', text: 'Draw where the patient feels it on the body chart beside this note. The palpated trigger points and the treatments appear on it too.' }),
    slot,
    el('h3', { text: 'Examination' }),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data exam', 'data-field': 'objective.findings' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Finding' }), el('th', { scope: 'col', text: 'Right' }), el('th', { scope: 'col', text: 'Left' }))),
      el('tbody', {}, FINDINGS.map(([fid, label, hint]) => el('tr', {},
        el('th', { scope: 'row' }, el('span', { text: label }), el('span', { class: 'hint', text: hint })),
        ['r', 'l'].map((side) => el('td', { class: 'cell-check' }, el('input', {
          type: 'checkbox', 'data-finding': fid, 'data-side': side, checked: given.has(`${fid}:${side}`),
          'aria-label': `${label}, ${SIDE_WORDS[side]}`,
        })))))))));
  const palpList = el('ul', { class: 'rows palpation', id: 'palpation', 'data-field': 'objective.palpation' });
  const palpMuscle = muscleSelect(muscles);
  palpMuscle.id = 'palp-muscle';
  const palpSide = sideSelect();
  palpSide.id = 'palp-side';
  sO.append(el('h3', { text: 'Palpation' }),
    el('p', { class: 'hint', text: 'Add each muscle palpated, on its side. A spot that is tender and reproduces the familiar pain counts as evidence for that trigger point, and is marked on the chart.' }),
    palpList,
    el('div', { class: 'adder' }, palpMuscle, palpSide,
      el('button', {
        type: 'button', class: 'secondary small', id: 'add-palpation', text: 'Add',
        onclick: () => {
          const item = { muscle: palpMuscle.value, side: palpSide.value, tender: false, taut_band: false, twitch: false, reproduces: false };
          if (st.palpation.some((p) => p.muscle === item.muscle && p.side === item.side)) return;
          st.palpation.push(item);
          renderPalpation();
          renderPlanLists();
          changed();
          palpList.lastElementChild.querySelector('input').focus();
        },
      })));
  if (previous && previous.note && previous.note.objective && (previous.note.objective.marks || []).length) {
    sO.append(el('p', {}, el('button', {
      type: 'button', class: 'link-button', id: 'copy-drawing',
      text: `Start from the drawing of visit ${previous.number}`,
      onclick: () => {
        chart.setMarks(previous.note.objective.marks.map(parseMark), false);
      },
    })));
  }

  function renderPalpation() {
    palpList.textContent = '';
    st.palpation.forEach((p, i) => {
      const evidence = el('span', { class: 'tag tag-evidence', text: 'evidence', hidden: !(p.tender && p.reproduces) });
      palpList.append(el('li', {
        class: 'row', 'data-field': `objective.palpation[${i}]`, 'data-muscle': p.muscle, 'data-side': p.side,
      },
      el('span', { class: 'row-name' }, el('strong', { text: sideName(muscles, p) }), ' ', evidence),
      removeButton(`Remove ${sideName(muscles, p)}`, () => {
        st.palpation.splice(i, 1);
        renderPalpation();
        renderPlanLists();
      }),
      el('span', { class: 'row-checks' }, CHECKS.map(([k, w]) => el('label', { class: 'check-pill' },
        el('input', {
          type: 'checkbox', 'data-check': k, checked: Boolean(p[k]),
          onchange: (e) => {
            p[k] = e.target.checked;
            evidence.hidden = !(p.tender && p.reproduces);
            showMarkers(forChart(current()), muscles, chart);
          },
        }), ` ${w}`)))));
    });
    if (!st.palpation.length) palpList.append(el('li', { class: 'placeholder', text: 'No muscle palpated yet.' }));
    renderStretches();
    showMarkers(forChart(current()), muscles, chart);
  }

  function removeButton(label, fn) {
    return el('button', {
      type: 'button', class: 'chip-remove', 'aria-label': label, text: '×',
      onclick: () => {
        fn();
        changed();
      },
    });
  }

  // ---- A ----
  const sA = soap('A', 'Assessment', 'what it points to');
  const resultBox = el('div', { id: 'assessment-box' });
  const stale = el('p', { class: 'stale', id: 'assessment-stale', hidden: true,
    text: 'The drawing or the findings have changed since the note was saved: save it to see the new answer.' });
  sA.append(stale, resultBox,
    fieldF('assessment.own_words', 'Your assessment in your own words', text((note.assessment || {}).own_words, 4),
      'What you think is going on, and why.'));
  const showResult = () => {
    resultBox.replaceChildren(assessmentResult(st.result, savedNote(), muscles, Boolean(st.number)));
  };

  // ---- P ----
  const sP = soap('P', 'Plan', 'what was done today');
  const planLists = el('div', { class: 'plan-lists' });
  sP.append(planLists);

  function suggestionsFor(key) {
    const have = new Set(st[key].map((x) => `${x.muscle}:${x.side}`));
    const left = st.palpation.filter((p) => !have.has(`${p.muscle}:${p.side}`));
    if (!left.length) return null;
    return el('p', { class: 'suggest' }, el('span', { class: 'hint', text: 'Palpated: ' }),
      left.map((p) => el('button', {
        type: 'button', class: 'chip-add', 'data-add': `${p.muscle}:${p.side}`, text: `+ ${sideName(muscles, p)}`,
        onclick: () => {
          st[key].push(key === 'needling' ? { muscle: p.muscle, side: p.side, count: 1 } : { muscle: p.muscle, side: p.side });
          renderPlanLists();
          changed();
        },
      })));
  }

  function muscleAdder(key) {
    const m = muscleSelect(muscles);
    const s = sideSelect();
    m.id = `${key}-muscle`;
    s.id = `${key}-side`;
    return el('div', { class: 'adder' }, m, s, el('button', {
      type: 'button', class: 'secondary small', id: `add-${key}`, text: 'Add',
      onclick: () => {
        if (st[key].some((x) => x.muscle === m.value && x.side === s.value)) return;
        st[key].push(key === 'needling' ? { muscle: m.value, side: s.value, count: 1 } : { muscle: m.value, side: s.value });
        renderPlanLists();
        changed();
      },
    }));
  }

  function regionSelect(key) {
    const sel = el('select', { id: `${key}-region`, 'aria-label': `Region for ${MARKERS[key].label}` });
    const groups = { right: [], left: [], midline: [] };
    for (const r of chart.regions()) (groups[r.side] || groups.midline).push(r);
    for (const [sideWord, rs] of Object.entries(groups)) {
      if (!rs.length) continue;
      sel.append(el('optgroup', { label: sideWord === 'midline' ? 'Middle' : `${sideWord[0].toUpperCase()}${sideWord.slice(1)} side` },
        rs.map((r) => el('option', { value: r.id, text: chart.regionName(r.id) }))));
    }
    return sel;
  }

  function toggleArea(key, region) {
    const at = st[key].indexOf(region);
    if (at >= 0) st[key].splice(at, 1);
    else st[key].push(region);
    renderPlanLists();
    changed();
  }

  const areaSelects = Object.fromEntries(AREAS.map(([key]) => [key, regionSelect(key)]));
  const stretchesShown = new Set(P.stretches || []);
  const level = heldLevel(info, st.result);

  function renderPlanLists() {
    const focusId = document.activeElement && document.activeElement.id;
    planLists.textContent = '';
    // compression
    planLists.append(el('div', { class: 'plan-block', 'data-field': 'plan.compression', id: 'plan-compression' },
      el('h3', {}, markerSwatch('compression'), ' Manual compression'),
      el('ul', { class: 'rows' }, st.compression.map((c, i) => el('li', { class: 'row', 'data-field': `plan.compression[${i}]`, 'data-muscle': c.muscle, 'data-side': c.side },
        el('span', { class: 'row-name', text: sideName(muscles, c) }),
        removeButton(`Remove compression of ${sideName(muscles, c)}`, () => { st.compression.splice(i, 1); renderPlanLists(); })))),
      suggestionsFor('compression'), muscleAdder('compression')));
    // needling
    planLists.append(el('div', { class: 'plan-block', 'data-field': 'plan.needling', id: 'plan-needling' },
      el('h3', {}, markerSwatch('needling'), ' Dry needling'),
      el('ul', { class: 'rows' }, st.needling.map((n, i) => el('li', { class: 'row', 'data-field': `plan.needling[${i}]`, 'data-muscle': n.muscle, 'data-side': n.side },
        el('span', { class: 'row-name', text: sideName(muscles, n) }),
        el('label', { class: 'count' }, 'Needles ', el('input', {
          type: 'number', min: '1', max: '50', step: '1', inputmode: 'numeric', value: n.count ?? '',
          'data-field': `plan.needling[${i}].count`, id: `needling-count-${i}`,
          oninput: (e) => { n.count = e.target.value; },
        })),
        removeButton(`Remove needling of ${sideName(muscles, n)}`, () => { st.needling.splice(i, 1); renderPlanLists(); })))),
      suggestionsFor('needling'), muscleAdder('needling')));
    // acupoints
    const pointSel = el('select', { id: 'acupoint-point', 'aria-label': 'Acupuncture point' },
      ACUPOINTS.map(([pid, name]) => el('option', { value: pid, text: pid === 'Ashi' ? name : `${pid} ${name}` })));
    planLists.append(el('div', { class: 'plan-block', 'data-field': 'plan.acupoints', id: 'plan-acupoints' },
      el('h3', {}, markerSwatch('acupoint'), ' Acupuncture points'),
      el('ul', { class: 'rows' }, st.acupoints.map((a, i) => el('li', { class: 'row', 'data-field': `plan.acupoints[${i}]`, 'data-point': a.point },
        el('span', { class: 'row-name', text: (() => { const p = ACUPOINTS.find(([pid]) => pid === a.point); return p ? (p[0] === 'Ashi' ? p[1] : `${p[0]} ${p[1]}`) : a.point; })() }),
        el('label', { class: 'count' }, 'Needles ', el('input', {
          type: 'number', min: '1', max: '20', step: '1', inputmode: 'numeric', value: a.count ?? '',
          'data-field': `plan.acupoints[${i}].count`, id: `acupoint-count-${i}`,
          oninput: (e) => { a.count = e.target.value; },
        })),
        removeButton(`Remove ${a.point}`, () => { st.acupoints.splice(i, 1); renderPlanLists(); })))),
      el('div', { class: 'adder' }, pointSel, el('button', {
        type: 'button', class: 'secondary small', id: 'add-acupoint', text: 'Add',
        onclick: () => {
          if (st.acupoints.some((a) => a.point === pointSel.value)) return;
          st.acupoints.push({ point: pointSel.value, count: 1 });
          renderPlanLists();
          changed();
        },
      }))));
    // areas
    for (const [key, label] of AREAS) {
      const sel = areaSelects[key];
      planLists.append(el('div', { class: 'plan-block', 'data-field': `plan.${key}`, id: `plan-${key}` },
        el('h3', {}, markerSwatch(key), ` ${label}`),
        st[key].length ? el('ul', { class: 'chips' }, st[key].map((region, i) => el('li', { class: 'chip', 'data-region': region, 'data-field': `plan.${key}[${i}]` },
          el('span', { class: 'chip-text', text: chart.regionName(region) }),
          removeButton(`Remove ${chart.regionName(region)}`, () => toggleArea(key, region))))) : null,
        el('div', { class: 'adder' }, sel, el('button', {
          type: 'button', class: 'secondary small', id: `add-${key}`, text: 'Add',
          onclick: () => { if (!st[key].includes(sel.value)) toggleArea(key, sel.value); },
        }), el('button', {
          type: 'button', class: 'link-button', id: `pick-${key}`, text: 'or pick on the chart',
          onclick: () => {
            const radio = document.getElementById(`tool-${key}`);
            radio.checked = true;
            setTool(key);
            chartBox.scrollIntoView({ block: 'start', behavior: 'smooth' });
          },
        }))));
    }
    showMarkers(forChart(current()), muscles, chart);
    if (focusId && document.getElementById(focusId)) document.getElementById(focusId).focus();
  }

  const heat = num(P.heat_minutes, { min: '0', max: '60', step: '1', inputmode: 'numeric' });
  const selfCare = el('div', { class: 'plan-self-care', id: 'plan-self-care' });
  const stretchSet = el('fieldset', { class: 'checks stretches', 'data-field': 'plan.stretches', id: 'stretches' });
  // the stretches for the muscles palpated come first; the others wait
  // behind "Other stretches"
  function renderStretches() {
    if (level) return;
    const ticked = stretchSet.children.length
      ? new Set([...stretchSet.querySelectorAll('[data-stretch]:checked')].map((c) => c.dataset.stretch))
      : stretchesShown;
    const wasOpen = Boolean(stretchSet.querySelector('details[open]'));
    const suggested = new Set(st.palpation.map((p) => p.muscle));
    const box = (x) => el('label', { class: 'check-line' },
      el('input', { type: 'checkbox', 'data-stretch': x[0], checked: ticked.has(x[0]) }),
      el('span', {}, x[1], el('span', { class: 'hint', text: ` (${muscleName(muscles, x[2])})` })));
    const first = STRETCHES.filter((x) => suggested.has(x[2]) || ticked.has(x[0]));
    const rest = STRETCHES.filter((x) => !first.includes(x));
    stretchSet.textContent = '';
    put(stretchSet, el('legend', { text: 'Stretches taught' }),
      first.length ? el('div', { class: 'check-list' }, first.map(box)) : null,
      el('details', { class: 'more-stretches', open: wasOpen || !first.length },
        el('summary', { text: first.length ? 'Other stretches' : 'Choose the stretches' }),
        el('div', { class: 'check-list' }, rest.map(box))));
  }
  renderStretches();
  if (level) {
    selfCare.append(blockBox(level, 'Stretches and the home program are stopped', null, HELD_BACK));
  } else {
    selfCare.append(stretchSet,
    el('label', { class: 'check-line home-program', for: 'v-home-program' },
      el('input', { type: 'checkbox', id: 'v-home-program', 'data-field': 'plan.home_program', checked: Boolean(P.home_program) }),
      el('span', {}, 'Home program assigned ', el('span', { class: 'hint', text: '(the record\'s plan page makes and prints it)' }))));
  }
  sP.append(fieldF('plan.heat_minutes', 'Heat (minutes)', heat, 'Moist heat before the work, or after.'),
    selfCare,
    fieldF('plan.notes', 'Notes', text(P.notes, 3), 'Anything else done or advised, and the plan for the next visit.'));

  // ---- the bar: save and sign ----
  const error = el('p', { class: 'error', role: 'alert', id: 'visit-error', hidden: true });
  const state = el('span', { class: 'save-state', id: 'save-state', role: 'status' });
  const saveButton = el('button', { type: 'submit', class: 'primary', id: 'save-visit', text: 'Save draft' });
  const signButton = el('button', { type: 'button', class: 'secondary', id: 'sign-visit', text: 'Sign…' });
  const bar = el('div', { class: 'visit-bar' }, error, el('div', { class: 'bar-row' }, state, saveButton, signButton));
  form.append(sS, sO, sA, sP, bar);
  placeChart(ctx, chartBox, side, slot);
  renderPalpation();
  renderPlanLists();

  // ---- reading the form into a note ----
  function ctl(path) {
    return form.querySelector(`[data-field="${CSS.escape(path)}"]`);
  }
  function read(path, type = 'text') {
    const c = ctl(path);
    if (!c) return undefined;
    if (c.validity && c.validity.badInput) throw new FieldError(path, 'is not a number');
    const v = c.value.trim();
    if (v === '') return undefined;
    return type === 'number' ? Number(v) : v;
  }

  // The note as the form holds it now; FieldError when a field cannot be read.
  function current(strict = false) {
    const n = { kind };
    const s = {};
    try {
      setIf(s, 'leg_pain', read('subjective.leg_pain', 'number'));
      setIf(s, 'back_pain', read('subjective.back_pain', 'number'));
      setIf(s, 'changes', read('subjective.changes'));
      if (showHistory) {
        const h = {};
        for (const k of ['onset', 'how_started', 'aggravating', 'easing', 'work', 'prior_treatments']) {
          setIf(h, k, read(`subjective.history.${k}`));
        }
        setIf(h, 'duration_weeks', read('subjective.history.duration_weeks', 'number'));
        setIf(h, 'sitting_hours', read('subjective.history.sitting_hours', 'number'));
        setIf(h, 'perpetuating', [...form.querySelectorAll('[data-perpetuating]:checked')].map((c) => c.dataset.perpetuating));
        if (nonEmpty(h)) s.history = h;
      } else if (S.history) {
        s.history = S.history;
      }
    } catch (err) {
      if (strict) throw err;
    }
    if (nonEmpty(s)) n.subjective = s;
    const o = {};
    setIf(o, 'marks', chart.getMarks().map((m) => `${m.region}:${m.kind}:${m.intensity}`));
    setIf(o, 'findings', [...form.querySelectorAll('[data-finding]:checked')].map((c) => ({ finding: c.dataset.finding, side: c.dataset.side })));
    setIf(o, 'palpation', st.palpation.map((p) => ({
      muscle: p.muscle, side: p.side, tender: Boolean(p.tender), taut_band: Boolean(p.taut_band), twitch: Boolean(p.twitch), reproduces: Boolean(p.reproduces),
    })));
    if (nonEmpty(o)) n.objective = o;
    const a = {};
    setIf(a, 'own_words', read('assessment.own_words'));
    if (nonEmpty(a)) n.assessment = a;
    const p = {};
    const count = (path, v) => {
      const c = ctl(path);
      if (c && c.validity.badInput) throw new FieldError(path, 'is not a number');
      if (v === '' || v === undefined || v === null) throw new FieldError(path, 'give the number of needles');
      return Number(v);
    };
    try {
      setIf(p, 'compression', st.compression.map((c) => ({ muscle: c.muscle, side: c.side })));
      setIf(p, 'needling', st.needling.map((x, i) => ({ muscle: x.muscle, side: x.side, count: count(`plan.needling[${i}].count`, x.count) })));
      setIf(p, 'acupoints', st.acupoints.map((x, i) => ({ point: x.point, count: count(`plan.acupoints[${i}].count`, x.count) })));
      for (const [key] of AREAS) setIf(p, key, [...st[key]]);
      setIf(p, 'heat_minutes', read('plan.heat_minutes', 'number'));
    } catch (err) {
      if (strict) throw err;
    }
    if (level) {
      // stopped while the warning stands: what the draft held stays as it was
      setIf(p, 'stretches', P.stretches);
      if (P.home_program !== undefined) p.home_program = P.home_program;
    } else {
      setIf(p, 'stretches', [...form.querySelectorAll('[data-stretch]:checked')].map((c) => c.dataset.stretch));
      const home = ctl('plan.home_program');
      if (home && (home.checked || P.home_program !== undefined)) p.home_program = home.checked;
    }
    setIf(p, 'notes', read('plan.notes'));
    if (nonEmpty(p)) n.plan = p;
    return n;
  }

  let savedNoteValue = visit ? visit.note || { kind } : { kind };
  function savedNote() {
    return savedNoteValue;
  }

  // ---- the state of the draft ----
  let dirty = false;
  function changed() {
    const now = current();
    const text = JSON.stringify(now);
    dirty = text !== st.savedText;
    if (!st.number) {
      state.textContent = 'Not saved yet.';
      state.dataset.state = 'new';
    } else {
      state.textContent = dirty ? 'Changes not saved.' : `Saved${st.savedAt ? ` at ${st.savedAt}` : ''}.`;
      state.dataset.state = dirty ? 'dirty' : 'saved';
    }
    stale.hidden = !st.number || JSON.stringify(now.objective || {}) === st.savedObjective;
    showMarkers(forChart(now), muscles, chart);
  }
  form.addEventListener('input', (e) => {
    if (e.target.removeAttribute) e.target.removeAttribute('aria-invalid');
    changed();
  });
  form.addEventListener('change', changed);

  function clearErrors() {
    showError(error, '');
    for (const x of form.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    for (const x of form.querySelectorAll('.invalid')) x.classList.remove('invalid');
  }

  function showFieldError(err) {
    const { path, sentence } = fieldError(err);
    showError(error, sentence);
    if (!path) return;
    let p = path;
    let target = ctl(p);
    while (!target && /[.[]/.test(p)) {
      p = p.replace(/(\.[^.[]*|\[\d+\])$/, '');
      target = ctl(p);
    }
    if (!target) return;
    target.setAttribute('aria-invalid', 'true');
    (target.closest('.field, .row, .plan-block, fieldset, table') || target).classList.add('invalid');
    const focusable = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea, button');
    if (focusable) focusable.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'center' });
  }

  async function save() {
    clearErrors();
    const n = current(true);
    let answer;
    if (st.number) {
      answer = await change(`/patients/${id}/visits/${st.number}`, { note: n });
    } else {
      answer = await post(`/patients/${id}/visits`, { note: n });
      st.number = answer.visit.number;
      // the address of the visit now kept, without drawing the page again
      history.replaceState(null, '', `#/patients/${id}/visits/${st.number}`);
      const h1 = document.getElementById('page-title');
      h1.textContent = `Visit ${st.number}: ${KIND_WORDS[kind].toLowerCase()}`;
      document.title = `${h1.textContent} · tpt`;
      document.getElementById('visit-status').replaceChildren(el('span', { class: 'status status-draft', text: 'Draft' }),
        ` Started ${when(answer.visit.at)} by ${page.author(answer.visit.author, answer.visit.author_name)}. A draft can be changed until it is signed.`);
    }
    savedNoteValue = answer.visit.note || n;
    st.savedText = JSON.stringify(n);
    st.savedObjective = JSON.stringify(n.objective || {});
    st.result = answer.visit.result;
    st.savedAt = new Date().toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    showResult();
    changed();
    // a warning raised by this drawing stops self-treatment: the plan's
    // stretches and home program give way to it
    if (!level && heldLevel(info, st.result)) ctx.go(`/patients/${id}/visits/${st.number}`);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (st.saving) return;
    st.saving = true;
    saveButton.disabled = true;
    try {
      await save();
    } catch (err) {
      showFieldError(err);
    } finally {
      st.saving = false;
      saveButton.disabled = false;
    }
  });

  signButton.addEventListener('click', async () => {
    clearErrors();
    try {
      current(true);
    } catch (err) {
      showFieldError(err);
      return;
    }
    const yes = await confirmBox({
      title: 'Sign this note?',
      text: ['A signed note cannot be changed. Corrections are added as amendments, kept with their author and time.',
        dirty || !st.number ? 'The changes not yet saved are saved first.' : 'It is signed as it was last saved.'],
      confirm: 'Sign the note',
    });
    if (!yes) return;
    signButton.disabled = true;
    try {
      if (dirty || !st.number) await save();
      await post(`/patients/${id}/visits/${st.number}/sign`);
      dirty = false;
      ctx.go(`/patients/${id}/visits/${st.number}`);
    } catch (err) {
      showFieldError(err);
    } finally {
      signButton.disabled = false;
    }
  });

  // leaving with changes not saved asks first
  const guardLink = (e) => {
    const a = e.target.closest && e.target.closest('a[href^="#"]');
    if (!a || !dirty) return;
    // eslint-disable-next-line no-alert
    if (!window.confirm('Leave this visit? The changes not saved will be lost.')) e.preventDefault();
  };
  const guardUnload = (e) => {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = '';
  };
  document.addEventListener('click', guardLink, true);
  window.addEventListener('beforeunload', guardUnload);
  ctx.onLeave(() => {
    document.removeEventListener('click', guardLink, true);
    window.removeEventListener('beforeunload', guardUnload);
  });

  showResult();
  // the form as loaded is the note as kept (the same fields, in its order)
  const loaded = current();
  st.savedText = JSON.stringify(loaded);
  st.savedObjective = JSON.stringify(loaded.objective || {});
  changed();
}

// ---- a signed note: to read, with its amendments ----

function dl(pairs) {
  const rows = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  if (!rows.length) return null;
  return el('dl', { class: 'facts note-facts' }, rows.map(([k, v]) => [el('dt', { text: k }),
    el('dd', {}, Array.isArray(v) ? el('ul', { class: 'plain' }, v.map((x) => el('li', {}, x))) : v)]));
}

const nothing = () => el('p', { class: 'placeholder', text: 'Nothing recorded.' });

async function signedView(page) {
  const { ctx, id, body, info, visit, muscles, author } = page;
  const note = visit.note || {};
  const S = note.subjective || {};
  const H = S.history || {};
  const O = note.objective || {};
  const P = note.plan || {};
  body.append(el('div', { class: 'signed-box', id: 'visit-status', 'data-signed': 'true' },
    el('p', {}, el('span', { class: 'status status-signed', text: 'Signed' }), ' ',
      `${when(visit.signed_at)} by ${author(visit.signed_by, visit.signed_by_name)}. Written ${when(visit.at)} by ${author(visit.author, visit.author_name)}.`),
    el('p', { class: 'hint', text: 'A signed note cannot be changed. A correction or addition is an amendment, kept below with its author and time.' }),
    el('p', { class: 'actions no-print' },
      el('a', { href: '#amendments', class: 'secondary button-link', id: 'go-amend', text: 'Add an amendment' }),
      el('a', {
        href: url(`/patients/${id}/letters/visit-${visit.number}`), target: '_blank', rel: 'noopener',
        class: 'secondary button-link', id: 'letter-visit', text: 'Summary for the patient',
      }),
      el('a', { href: `#/patients/${id}/measures?visit=${visit.number}`, class: 'secondary button-link', id: 'visit-measures', text: 'Outcome measures' }))));
  const { main, side } = layout(body, true);
  const chartBox = el('div', { class: 'visit-chart', id: 'visit-chart' });
  side.append(chartBox);
  const chart = mountChart(chartBox, { readOnly: true });
  await chart.ready;
  if (!ctx.alive()) return;
  chart.setMarks((O.marks || []).map(parseMark));
  chart.showBusiestView('back');
  showMarkers({ palpation: O.palpation, plan: P }, muscles, chart);

  const pain = (v) => (v === undefined || v === null ? undefined : `${v} / 10`);
  const sS = soap('S', 'Subjective', 'what the patient told');
  put(sS, dl([
    ['Leg pain', pain(S.leg_pain)],
    ['Back pain', pain(S.back_pain)],
    ['What has changed', S.changes],
    ['When it began', H.onset],
    ['Weeks since it began', H.duration_weeks],
    ['How it began', H.how_started],
    ['What makes it worse', H.aggravating],
    ['What eases it', H.easing],
    ['What keeps it going', (H.perpetuating || []).map((x) => (PERPETUATING.find(([k]) => k === x) || [x, x])[1])],
    ['Work and daily activity', H.work],
    ['Hours sitting a day', H.sitting_hours],
    ['Treatments tried before', H.prior_treatments],
  ]) || nothing());

  const sO = soap('O', 'Objective', 'what was found');
  const slot = el('div', { class: 'chart-slot' });
  const findings = (O.findings || []).map((f) => {
    const x = typeof f === 'string' ? { finding: f.split(':')[0], side: f.split(':')[1] } : f;
    const k = FINDINGS.find(([fid]) => fid === x.finding);
    return `${k ? k[1] : x.finding}, ${SIDE_WORDS[x.side] || x.side}`;
  });
  put(sO, slot, dl([
    ['Drawing', (O.marks || []).map(parseMark).map((m) => `${chart.regionName(m.region)}${m.kind ? `: ${m.kind}` : ''}${m.intensity ? ` ${m.intensity}/10` : ''}`)],
    ['Examination', findings],
  ]));
  if ((O.palpation || []).length) {
    sO.append(el('h3', { text: 'Palpation' }), el('div', { class: 'table-wrap' }, el('table', { class: 'data palpation-table', id: 'palpation' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Muscle' }), CHECKS.map(([, w]) => el('th', { scope: 'col', text: w })))),
      el('tbody', {}, O.palpation.map((p) => el('tr', { 'data-muscle': p.muscle, 'data-side': p.side },
        el('th', { scope: 'row' }, sideName(muscles, p), p.tender && p.reproduces ? [' ', el('span', { class: 'tag tag-evidence', text: 'evidence' })] : null),
        CHECKS.map(([k]) => el('td', { class: p[k] ? 'yes' : 'no', text: p[k] ? 'yes' : '—' }))))))));
  }
  if (!(O.marks || []).length && !findings.length && !(O.palpation || []).length) sO.append(nothing());

  const sA = soap('A', 'Assessment', 'what it points to');
  sA.append(assessmentResult(visit.result, note, muscles, true));
  put(sA, dl([['In your own words', (note.assessment || {}).own_words]]));

  const sP = soap('P', 'Plan', 'what was done');
  const pointName = (a) => {
    const p = ACUPOINTS.find(([pid]) => pid === a.point);
    return `${p ? (p[0] === 'Ashi' ? p[1] : `${p[0]} ${p[1]}`) : a.point}: ${a.count} needle${a.count === 1 ? '' : 's'}`;
  };
  put(sP, dl([
    ['Manual compression', (P.compression || []).map((c) => sideName(muscles, c))],
    ['Dry needling', (P.needling || []).map((n) => `${sideName(muscles, n)}: ${n.count} needle${n.count === 1 ? '' : 's'}`)],
    ['Acupuncture', (P.acupoints || []).map(pointName)],
    ...AREAS.map(([key, label]) => [label, (P[key] || []).map((r) => chart.regionName(r))]),
    ['Heat', P.heat_minutes ? `${P.heat_minutes} minutes` : undefined],
    ['Stretches taught', (P.stretches || []).map((sid) => {
      const s = STRETCHES.find(([x]) => x === sid);
      return s ? `${s[1]} (${muscleName(muscles, s[2])})` : sid;
    })],
    ['Home program', P.home_program === undefined ? undefined : P.home_program ? 'assigned' : 'not assigned'],
    ['Notes', P.notes],
  ]) || nothing());
  if (heldLevel(info, visit.result) && (P.home_program || (P.stretches || []).length)) {
    sP.append(el('p', { class: 'blocked-what', text: 'Self-treatment is stopped now that a warning stands: the stretches and home program above are not to be followed until a clinician has checked the patient.' }));
  }

  // ---- amendments ----
  const amendList = el('ol', { class: 'amendments', id: 'amendment-list' });
  const showAmendments = (items) => {
    amendList.textContent = '';
    for (const a of items) {
      amendList.append(el('li', { 'data-amendment': String(a.id) },
        el('p', { class: 'amend-meta' }, el('time', { datetime: a.at, text: when(a.at) }), ` · ${author(a.author, a.author_name)}`),
        el('p', { class: 'amend-text', text: a.text })));
    }
    if (!items.length) amendList.append(el('li', { class: 'placeholder', text: 'No amendments.' }));
  };
  const items = [...(visit.amendments || [])];
  showAmendments(items);
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const textArea = el('textarea', { id: 'amendment-text', name: 'text', rows: '3', maxlength: '4000' });
  const f = el('form', { class: 'form amend-form no-print', id: 'amend-form', novalidate: true }, error,
    field('Add an amendment', textArea, 'What is corrected or added, in full. It is kept with your name and the time, and cannot be changed either.'),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Add the amendment' })));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(error, '');
    const t = textArea.value.trim();
    if (!t) {
      showError(error, 'Write the amendment first.');
      textArea.focus();
      return;
    }
    const button = f.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { amendment } = await post(`/patients/${id}/visits/${visit.number}/amendments`, { text: t });
      items.push(amendment);
      showAmendments(items);
      textArea.value = '';
    } catch (err) {
      showError(error, err.message);
    } finally {
      button.disabled = false;
    }
  });
  const amend = el('section', { class: 'amend-section', id: 'amendments', 'aria-labelledby': 'amend-title' },
    el('h2', { id: 'amend-title', text: 'Amendments' }), amendList, f);
  main.append(sS, sO, sA, sP, amend);
  placeChart(ctx, chartBox, side, slot);
  // the answer above says it is not a diagnosis; a note without one says it here
  if (!visit.result) body.append(notice());
  // the link moves focus to the form, not the route
  body.querySelector('#go-amend').addEventListener('click', (e) => {
    e.preventDefault();
    amend.scrollIntoView({ block: 'start' });
    textArea.focus({ preventScroll: true });
  });
}
