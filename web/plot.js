// A small line chart over time, drawn as SVG at about the size it is shown
// so that its words stay readable on a phone: the pain log's leg and back
// ratings, an outcome measure's scores. No charting library: a few lines
// and dots are all the pages need.

import { day, el, svg } from './dom.js';

// series: [{key, points: [{t (ms), v}], label}] — key is the class that
// colours the line. min/max: the scale's ends; ticks: the values labelled.
// line: an optional level to draw across ({v, label, key}), such as the
// score a measure must reach for a change to count.
export function lineChart({ series, min, max, ticks, line = null, label, id = null }) {
  const all = series.flatMap((s) => s.points);
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const W = Math.round(Math.min(600, Math.max(300, document.documentElement.clientWidth - 32)));
  const H = W < 500 ? 200 : 220;
  const L = 40;
  const R = 12;
  const T = 12;
  const B = 30;
  const x = (t) => (t1 === t0 ? L + (W - L - R) / 2 : L + ((t - t0) / (t1 - t0)) * (W - L - R));
  const y = (v) => Math.round((T + (1 - (v - min) / (max - min)) * (H - T - B)) * 10) / 10;
  const grid = ticks.map((v) => svg('g', { class: 'grid' },
    svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v) }),
    svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', text: String(v) })));
  const drawn = series.filter((s) => s.points.length).map((s) => svg('g', { class: `series ${s.key}` },
    svg('polyline', { points: s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ') }),
    s.points.map((p) => svg('circle', { cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 3.5 },
      svg('title', { text: `${s.label}: ${p.v}, ${day(new Date(p.t).toISOString())}` })))));
  const level = line && line.v >= min && line.v <= max ? svg('g', { class: `level ${line.key || ''}` },
    svg('line', { x1: L, x2: W - R, y1: y(line.v), y2: y(line.v) }),
    svg('text', { x: W - R, y: y(line.v) - 5, 'text-anchor': 'end', text: line.label })) : null;
  return svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'pain-chart', role: 'img', id,
    'aria-label': `${label}, from ${day(new Date(t0).toISOString())} to ${day(new Date(t1).toISOString())}`,
  }, grid, level,
  svg('text', { x: L, y: H - 8, class: 'axis', text: day(new Date(t0).toISOString()) }),
  t1 !== t0 ? svg('text', { x: W - R, y: H - 8, 'text-anchor': 'end', class: 'axis', text: day(new Date(t1).toISOString()) }) : null,
  drawn);
}

// The colour key under a chart: [[key class, words], ...].
export function chartKey(entries) {
  return entries.flatMap(([key, words], i) => [i ? '  ' : null, el('span', { class: `key key-${key}` }), ` ${words}`]);
}
