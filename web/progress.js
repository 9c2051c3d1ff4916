// Progress and the report of a record: the verdict, baseline and latest
// against the smallest change that counts, the pain over time from the log,
// the outcome measures' trends, the sessions kept (each corrected or removed
// by who kept it or the clinic's staff) and the report to print, with the
// CSV and FHIR downloads.

import { change, get, url } from './api.js';
import { correctButtons, mayCorrect, refusal } from './corrections.js';
import {
  day, duration, el, notice, put, showError, when,
} from './dom.js';
import { patientFrame } from './frame.js';
import { language, t, tn } from './i18n.js';
import { trendCards } from './measures.js';
import { chartKey, lineChart } from './plot.js';
import { endWords } from './record_words.js';
import { ratingRow } from './today.js';

const verdictWords = (v) => ({
  'too-early': t('Too early to judge'),
  improving: t('Improving'),
  'no-change': t('No change'),
  worsening: t('Getting worse'),
  relapse: t('The pain has come back'),
  stop: t('Stop and see a clinician'),
}[v] || v);

function changeText(m) {
  if (!m || m.baseline === null || m.baseline === undefined) return t('no ratings yet');
  const pts = m.change_points;
  const sign = pts > 0 ? '+' : '';
  const points = tn(Math.abs(pts), '{sign}{n} point', '{sign}{n} points', { sign: pts < 0 ? '-' : sign });
  const percent = m.change_percent !== null && m.change_percent !== undefined ? `, ${sign}${Math.round(m.change_percent)}%` : '';
  return `${m.baseline} → ${m.latest} (${points}${percent})`;
}

// Leg and back pain over time from the log, so the progress page shows it
// even before the report is opened.
function painChart(entries) {
  const points = (key) => entries.filter((e) => e[key] !== null && e[key] !== undefined)
    .map((e) => ({ t: new Date(e.at).getTime(), v: e[key] }))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  const series = [
    { key: 'back', label: t('Back pain'), points: points('back_pain') },
    { key: 'leg', label: t('Leg pain'), points: points('leg_pain') },
  ];
  if (!series.some((s) => s.points.length)) return el('p', { class: 'placeholder', text: t('The chart appears once the log has pain ratings.') });
  return el('figure', { class: 'chart-figure', id: 'pain-chart' },
    lineChart({
      series, min: 0, max: 10, ticks: [0, 2, 4, 6, 8, 10], label: t('Leg and back pain, 0 to 10'),
    }),
    el('figcaption', {}, chartKey([['leg', t('leg pain')], ['back', t('back pain (0 none, 10 worst)')]])));
}

// A session the server no longer holds, in words.
const GONE = () => t('This session is no longer in the record: it may have been removed in another window or by your clinic. Reload the page to see the record as it is.');

// The sessions kept, newest first; who kept one (or staff) may correct its
// pain ratings or remove it.
function sessionsSection(id, ctx, sessions, redraw) {
  const box = el('section', { id: 'sessions', 'aria-labelledby': 'sessions-title' },
    el('h2', { id: 'sessions-title', text: t('Sessions kept') }));
  if (!sessions.length) {
    box.append(el('p', { class: 'placeholder', text: t('No session kept yet.') }));
    return box;
  }
  const rows = [...sessions].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  box.append(el('ul', { class: 'session-list' }, rows.map((s) => el('li', { 'data-session': String(s.id), 'data-end': s.end },
    el('span', { class: 'session-when', text: when(s.at) }), ' ',
    el('span', { class: `tag end-${s.end}`, text: endWords(s.end) }), ' ',
    el('span', {
      text: t('{done} of {total} steps, {time}; pain {before} → {after}', {
        done: s.steps_done, total: s.steps_total, time: duration(s.seconds), before: s.pain_before, after: s.pain_after ?? '—',
      }),
    }), ' ',
    mayCorrect(ctx, id, s.author) ? correctButtons({
      what: {
        change: t('Change the pain of the session of {when}', { when: when(s.at) }),
        remove: t('Remove the session of {when}', { when: when(s.at) }),
        gone: GONE(),
      },
      edit: () => correctSession(id, s, redraw),
      ask: {
        title: t('Remove this session?'),
        text: t('The session of {when} leaves the record, and progress is worked out again without it. The audit log keeps that it was removed.', { when: when(s.at) }),
      },
      path: `/patients/${id}/sessions/${s.id}`,
      removed: () => redraw(t('The session is removed.')),
    }) : null))));
  return box;
}

// The pain before and after a session, corrected in a dialog.
function correctSession(id, session, redraw) {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const f = el('form', { class: 'form', novalidate: true }, error,
    ratingRow('pain_before', t('Pain before'), session.pain_before),
    ratingRow('pain_after', t('Pain after'), session.pain_after),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'primary', text: t('Save the correction') }),
      el('button', { type: 'button', class: 'secondary', text: t('Cancel'), onclick: () => close() })));
  const dialog = el('dialog', { class: 'confirm', 'aria-labelledby': 'edit-title' },
    el('h2', { id: 'edit-title', text: t('Correct the session of {when}', { when: when(session.at) }) }), f);
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const pick = (n) => f.querySelector(`input[name="${n}"]:checked`);
    try {
      await change(`/patients/${id}/sessions/${session.id}`, {
        pain_before: Number(pick('pain_before').value),
        pain_after: pick('pain_after') ? Number(pick('pain_after').value) : null,
      });
      close();
      await redraw(t('The session is corrected.'));
    } catch (err) {
      showError(error, refusal(err, GONE()));
    }
  });
  dialog.addEventListener('cancel', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  f.querySelector('input:checked, input').focus();
}

export async function progressPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'progress');
  if (!frame) return;
  const { id, body } = frame;
  const status = el('p', { role: 'status', id: 'progress-status' });
  const content = el('div');
  body.append(status, content);
  const draw = async (message) => {
    const [p, log, { instruments }, measured, { sessions }] = await Promise.all([get(`/patients/${id}/progress`),
      get(`/patients/${id}/log`), get('/instruments'), get(`/patients/${id}/measures`), get(`/patients/${id}/sessions`)]);
    if (!ctx.alive()) return;
    status.className = 'ok';
    status.textContent = message || '';
    content.textContent = '';
    const stops = p.flags && p.flags.stops;
    const heading = verdictWords(p.verdict);
    // the sentence may start with the heading's words: not twice
    const sentence = p.sentence.startsWith(`${heading}.`) ? p.sentence.slice(heading.length + 1).trim() : p.sentence;
    content.append(el('section', { class: `verdict verdict-${p.verdict}${stops ? ' warning level-urgent' : ''}`, 'data-verdict': p.verdict },
      el('h2', { text: heading }),
      el('p', { text: sentence }),
      p.advice ? el('p', { class: 'advice', text: p.advice }) : null,
      stops && p.flags.advice ? el('p', { text: p.flags.advice }) : null));
    put(content, el('dl', { class: 'facts progress-facts' },
      el('dt', { text: t('Leg pain') }), el('dd', { text: changeText(p.leg) }),
      el('dt', { text: t('Back pain') }), el('dd', { text: changeText(p.back) }),
      el('dt', { text: t('Sessions') }), el('dd', { text: p.sessions_sharp ? t('{n} ({sharp} stopped for sharp or new pain)', { n: p.sessions, sharp: p.sessions_sharp }) : String(p.sessions) }),
      el('dt', { text: t('Since') }), el('dd', { text: p.start ? `${day(p.start)} (${tn(p.days, '{n} day', '{n} days')})` : '—' })),
    p.mcid ? el('p', { class: 'hint', text: t('A fall of {points} points or {percent}% is the smallest change that counts.', { points: p.mcid.points, percent: p.mcid.percent }) }) : null);
    content.append(el('h2', { text: t('Pain over time') }), painChart(log.entries || []));
    content.append(el('section', { id: 'progress-measures', 'aria-labelledby': 'progress-measures-title' },
      el('h2', { id: 'progress-measures-title', text: t('Outcome measures') }),
      trendCards(instruments, measured.measures, measured.trends),
      el('p', {}, el('a', { href: `#/patients/${id}/measures`, id: 'to-measures', text: t('Fill in a questionnaire') }))));
    content.append(sessionsSection(id, ctx, sessions, draw));
    content.append(el('h2', { text: t('The report') }),
      el('p', { class: 'no-print' },
        el('a', {
          href: url(`/patients/${id}/report?lang=${language()}`), target: '_blank', rel: 'noopener', class: 'secondary button-link', id: 'open-report', text: t('Open the report to print'),
        }), ' ',
        el('a', { href: `#/patients/${id}/report`, text: t('Report and downloads') })),
      el('iframe', {
        class: 'report-frame', id: 'report-frame', src: url(`/patients/${id}/report?lang=${language()}`), title: t('Progress report'),
      }));
    content.append(notice(p.notice));
  };
  await draw();
}

export async function reportPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'report');
  if (!frame) return;
  const { id, body } = frame;
  view.classList.add('wide');
  body.append(el('div', { class: 'actions no-print' },
    el('a', {
      class: 'primary button-link', href: url(`/patients/${id}/report?lang=${language()}`), target: '_blank', rel: 'noopener', text: t('Open the report to print'),
    }),
    el('a', { class: 'secondary button-link', href: url(`/patients/${id}/export.csv?what=log`), download: `tpt-log-${id}.csv`, text: t('Log (CSV)') }),
    el('a', { class: 'secondary button-link', href: url(`/patients/${id}/export.csv?what=sessions`), download: `tpt-sessions-${id}.csv`, text: t('Sessions (CSV)') }),
    el('a', { class: 'secondary button-link', href: url(`/patients/${id}/export.fhir`), download: `tpt-${id}.fhir.json`, text: t('FHIR R4 bundle') })),
  el('iframe', {
    class: 'report-frame tall', id: 'report-frame', src: url(`/patients/${id}/report?lang=${language()}`), title: t('Progress report'),
  }),
  notice());
}
