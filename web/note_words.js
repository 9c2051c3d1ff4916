// What a visit's note may name, and its words. The lists the data holds
// come from the API, each read once per page load: the muscles (the atlas's
// trigger points, GET /atlas), the acupuncture points and the stretches of
// the treatment data (GET /techniques). The note's own vocabulary (the
// examination findings, what keeps the pain going, the treated areas, the
// palpation checks) is the interface's, which lib/visit.c checks; its words
// are here.

import { get } from './api.js';
import { t } from './i18n.js';

// The examination findings of the atlas (GET /atlas/ID names them per cause;
// the list itself is the interface's), each on a side: what a test found,
// and the tests found normal, which weigh against the causes they would
// have shown.
export const findings = () => [
  ['slr', t('Straight leg raise'), t('Leg pain below the knee between 30 and 70 degrees')],
  ['crossed-slr', t('Crossed straight leg raise'), t('Raising the other leg brings on the pain in this leg')],
  ['knee-reflex-reduced', t('Knee reflex reduced'), t('Patellar reflex weaker than the other side, or absent')],
  ['ankle-reflex-reduced', t('Ankle reflex reduced'), t('Achilles reflex weaker than the other side, or absent')],
  ['weak-knee-extension', t('Weak knee extension'), t('Quadriceps')],
  ['weak-big-toe-extension', t('Weak big-toe extension'), t('Or trouble walking on the heels')],
  ['weak-toe-walk', t('Weak toe walking'), t('Pushing the foot down, walking on the toes')],
  ['fair', t('FAIR test'), t('Flexion, adduction and inward turning of the hip (or Freiberg, Pace, Beatty) brings on the buttock and leg pain')],
  ['femoral-stretch', t('Femoral stretch test'), t('Bending the knee lying face down brings on pain in the front of the thigh')],
  ['sitting-pain', t('Pain on sitting'), t('Sitting brings on or worsens the buttock and leg pain')],
  ['slr-negative', t('Straight leg raise negative'), t('No leg pain below the knee on raising the straight leg')],
  ['knee-reflex-normal', t('Knee reflex normal'), t('Present and equal to the other side')],
  ['ankle-reflex-normal', t('Ankle reflex normal'), t('Present and equal to the other side')],
  ['strength-normal', t('Leg strength normal'), t('Knee extension, big-toe lifting, heel and toe walking all normal')],
  ['sensation-normal', t('Feeling in the leg normal'), t('Light touch and pinprick')],
  ['fair-negative', t('FAIR test negative'), t('The hip tests do not bring on the buttock and leg pain')],
];

// The tests found normal (the engine's "negative" findings).
const NORMAL = new Set(['slr-negative', 'knee-reflex-normal', 'ankle-reflex-normal', 'strength-normal', 'sensation-normal', 'fair-negative']);
export const isNormal = (id) => NORMAL.has(id);

// "Straight leg raise negative, right"
export function findingName(f) {
  const x = typeof f === 'string' ? { finding: f.split(':')[0], side: f.split(':')[1] } : f;
  const k = findings().find(([fid]) => fid === x.finding);
  return `${k ? k[1] : x.finding}, ${sideWord(x.side) || x.side}`;
}

// The examination as the form asks it: one choice per test and side, so
// that a test is never both found and found normal on one side. Each choice
// is a finding of the list above; "weak" opens the movements below it
// (the engine's normal strength stands for all of them at once).
export const examTests = () => {
  // a test named as its positive finding is
  const as = (fid) => {
    const [, label, hint] = findings().find(([id]) => id === fid);
    return { id: fid, label, hint };
  };
  return [
    { ...as('slr'), choices: [['slr', t('positive')], ['slr-negative', t('negative')]] },
    { ...as('crossed-slr'), choices: [['crossed-slr', t('positive')]] },
    { id: 'knee-reflex', label: t('Knee reflex'), hint: t('Patellar, against the other side'), choices: [['knee-reflex-reduced', t('reduced or absent')], ['knee-reflex-normal', t('normal')]] },
    { id: 'ankle-reflex', label: t('Ankle reflex'), hint: t('Achilles, against the other side'), choices: [['ankle-reflex-reduced', t('reduced or absent')], ['ankle-reflex-normal', t('normal')]] },
    {
      id: 'strength', label: t('Leg strength'), hint: t('Knee extension, big-toe lifting, heel and toe walking'), choices: [['strength-normal', t('normal')], ['weak', t('weak (tick which below)')]],
      weak: ['weak-knee-extension', 'weak-big-toe-extension', 'weak-toe-walk'],
    },
    { id: 'sensation', label: t('Feeling in the leg'), hint: t('Light touch and pinprick'), choices: [['sensation-normal', t('normal')]] },
    { ...as('fair'), choices: [['fair', t('positive')], ['fair-negative', t('negative')]] },
    { ...as('femoral-stretch'), choices: [['femoral-stretch', t('positive')]] },
    { ...as('sitting-pain'), choices: [['sitting-pain', t('yes')]] },
  ];
};

export const perpetuating = () => [
  ['repetitive-use', t('Repetitive use')],
  ['posture', t('Posture')],
  ['long-sitting', t('Long sitting')],
  ['trauma', t('Trauma or a fall')],
  ['stress', t('Stress')],
];

export const areas = () => [
  ['cupping', t('Cupping')],
  ['tuina', t('Tui Na')],
  ['gua_sha', t('Gua Sha')],
];

export const checks = () => [
  ['tender', t('Tender')],
  ['taut_band', t('Taut band')],
  ['twitch', t('Twitch response')],
  ['reproduces', t('Reproduces the familiar pain')],
];

export const sideWord = (side) => ({ r: t('right'), l: t('left') }[side] || '');

// ---- the lists of the data ----

let wordsLoad = null;

// Map muscle -> {id, label, sites}: every trigger point of the atlas that
// names a muscle, with the regions (side-less) where its points lie.
function musclesOf(causes) {
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
}

// {muscles, acupoints: [{id, name, location}], stretches: [{id, title, muscle}]}
export function loadNoteWords() {
  if (!wordsLoad) {
    wordsLoad = Promise.all([get('/atlas'), get('/techniques')])
      .then(([atlas, techniques]) => ({
        muscles: musclesOf(atlas.causes),
        acupoints: techniques.acupoints,
        stretches: techniques.stretches,
      }))
      .catch((err) => {
        wordsLoad = null;
        throw err;
      });
  }
  return wordsLoad;
}

export function muscleName(muscles, id) {
  const m = muscles.get(id);
  return m ? m.label : id;
}

export const sideName = (muscles, x) => `${muscleName(muscles, x.muscle)}, ${sideWord(x.side) || x.side}`;

// "GB30 Huantiao"; Ashi points by their name alone.
export function pointName(words, id) {
  const p = words.acupoints.find((x) => x.id === id);
  return p ? (p.id === 'Ashi' ? p.name : `${p.id} ${p.name}`) : id;
}

// "Figure-four stretch (piriformis)"
export function stretchName(words, id) {
  const s = words.stretches.find((x) => x.id === id);
  return s ? `${s.title} (${muscleName(words.muscles, s.muscle)})` : id;
}

// "r.buttock.center:ache:6" -> {region, kind, intensity}
export function parseMark(m) {
  if (typeof m !== 'string') return m;
  const [region, kind, intensity] = m.split(':');
  return { region, kind, intensity: intensity ? Number(intensity) : undefined };
}
