// What the plan page and the guided session show of a step of the home
// program: its picture (GET /api/v1/pictures/ID.svg, a line drawing of the
// technique), the place to press on the person's own body chart (the
// chart's view with their marks, and the trigger point's place in dark red
// with a ring), and its dose in words.

import { get } from './api.js';
import {
  atlasList, loadShared, placeOf,
} from './chart.js';
import { duration, el, svg } from './dom.js';
import { language, t, tn } from './i18n.js';

const pictures = new Map();

// The picture of a technique as an SVG element, or null when it has none.
// In a language other than English its title is the step's own (the
// pictures' words are English) and its English description is left out.
async function pictureOf(id, title) {
  if (!pictures.has(id)) {
    pictures.set(id, get(`/pictures/${encodeURIComponent(id)}.svg`).catch(() => null));
  }
  const text = await pictures.get(id);
  if (typeof text !== 'string') return null;
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const image = document.importNode(doc.documentElement, true);
  if (image.nodeName !== 'svg') return null;
  image.removeAttribute('width');
  image.removeAttribute('height');
  image.setAttribute('class', 'step-svg');
  if (language() !== 'en') {
    const own = image.querySelector('title');
    if (own) own.textContent = title;
    const desc = image.querySelector('desc');
    if (desc) desc.remove();
  }
  return image;
}

// A figure that fills with the step's picture when it has come.
export function stepPicture(step) {
  const figure = el('figure', { class: 'step-picture', 'data-picture': step.id });
  pictureOf(step.id, step.title).then((image) => {
    if (image) figure.append(image);
    else figure.remove();
  });
  return figure;
}

// The views a region shows in, those that face it first.
function viewFor(region) {
  const order = ['back', 'front', region.side === 'left' ? 'left' : 'right', region.side === 'left' ? 'right' : 'left'];
  return order.find((v) => region.views.includes(v));
}

// The region a pressure step presses: its trigger point's site on its side.
async function siteOf(step) {
  if (step.kind !== 'pressure' || !step.cause) return null;
  const causes = await atlasList();
  const cause = causes.find((c) => c.cause === step.cause);
  const sites = cause ? [cause.site].flat().filter((s) => typeof s === 'string' && s) : [];
  if (!sites.length) return null;
  const [{ regions }] = await loadShared();
  const byId = new Map(regions.map((r) => [r.id, r]));
  return byId.get(sites[0]) || byId.get(`${step.side}.${sites[0]}`) || null;
}

// The place to press on the person's own chart: the view that shows it,
// their marks coloured as they drew them, the place in dark red and ringed.
// marks: [{region, kind}] of their latest drawing (may be empty).
export function stepPlace(step, marks = []) {
  const figure = el('figure', { class: 'step-place', hidden: true });
  (async () => {
    const site = await siteOf(step);
    if (!site) {
      figure.remove();
      return;
    }
    const [, texts] = await loadShared();
    const views = ['front', 'back', 'left', 'right'];
    const view = viewFor(site);
    const doc = new DOMParser().parseFromString(texts[views.indexOf(view)], 'image/svg+xml');
    const image = document.importNode(doc.documentElement, true);
    image.removeAttribute('width');
    image.removeAttribute('height');
    image.setAttribute('class', 'place-chart');
    image.setAttribute('role', 'img');
    image.setAttribute('aria-label', t('Where to press: {place}, shown on your body chart', { place: placeName(site) }));
    for (const m of marks) {
      for (const p of image.querySelectorAll(`path[data-region="${CSS.escape(m.region)}"]`)) p.dataset.kind = m.kind;
    }
    const paths = image.querySelectorAll(`path[data-region="${CSS.escape(site.id)}"]`);
    for (const p of paths) p.dataset.press = 'true';
    if (paths.length) {
      const { x, y, size } = placeOf(paths[0]);
      const r = Math.max(4, size * 0.4);
      image.append(svg('circle', {
        class: 'press-ring', cx: x, cy: y, r, 'aria-hidden': 'true',
      }));
    }
    figure.append(image, el('figcaption', {}, el('strong', { text: t('Where to press') }), el('span', { text: `: ${placeName(site)}` })));
    figure.hidden = false;
  })().catch(() => figure.remove());
  return figure;
}

// "middle of the buttock, right"
function placeName(region) {
  const side = region.side === 'right' ? t('right') : region.side === 'left' ? t('left') : '';
  return side ? `${region.label}, ${side}` : region.label;
}

// The step's dose in words: "Hold 60 s, rest 30 s, 2 times".
// `week`: the week of the program in a session, where a graded step (the
// walk) has grown to that week's time; on the plan, its weekly schedule.
export function timingText(s, week = null) {
  if (s.graded && !week) {
    return t('Week 1: {first}, then {more} more each week, up to {most}', {
      first: duration(s.hold_seconds), more: duration(s.graded.weekly_seconds), most: duration(s.graded.max_seconds),
    });
  }
  if (s.graded) {
    return t('About {time} in week {week} of the program; it grows each week up to {most}', {
      time: duration(s.hold_seconds), week, most: duration(s.graded.max_seconds),
    });
  }
  const parts = [];
  if (s.id === 'moist-heat') parts.push(t('Heat for {time}', { time: duration(s.hold_seconds) }));
  else if (s.kind === 'general') parts.push(t('About {time}', { time: duration(s.hold_seconds) }));
  else parts.push(t('Hold {time}', { time: duration(s.hold_seconds) }));
  if (s.repeats > 1) {
    if (s.rest_seconds) parts.push(t('rest {time}', { time: duration(s.rest_seconds) }));
    parts.push(tn(s.repeats, 'once', '{n} times'));
  }
  return parts.join(', ');
}

// What the timer of a step counts, in words: heat is heat, not a hold.
export function timerWord(step) {
  if (step.id === 'moist-heat') return t('Heat');
  if (step.id === 'short-walk' || step.id === 'graded-walking') return t('Walk');
  if (step.id === 'relaxation') return t('Relax');
  if (step.kind === 'stretch') return t('Stretch');
  return t('Hold');
}

// The person's latest drawing's marks ([{region, kind}]), for the place charts.
export async function drawnMarks(id) {
  try {
    const drawing = await get(`/patients/${id}/map`);
    return drawing.marks.map((m) => {
      const [region, kind] = m.split(':');
      return { region, kind: kind || 'ache' };
    });
  } catch {
    return [];
  }
}
