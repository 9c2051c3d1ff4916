// A guided self-treatment session in the browser, as `tpt session` runs one
// on a terminal (the state machine is session_machine.js): pain before,
// each step of the home program with its picture, the place to press on
// the person's own chart and the countdown together, a bell at the end of
// each hold, pause, skip, the check for sharp or new pain after each step,
// pain after, a summary, and the record kept.
//
// Once it starts, the session fills the screen: the step scrolls in its own
// box and the Stop and "sharp or new pain" buttons sit below it, so nothing
// is ever under them. The screen stays awake during holds (Wake Lock); a
// link, the back button or closing the tab asks first; a session finished
// without a connection is kept on the device and sent when it is back
// (outbox.js). `?scale=0.01` in the address runs every timer at that
// fraction (tests).

import { getOrNull, post } from './api.js';
import {
  blockBox, confirmBox, duration, el, errorBox, heldBack, notice, put,
} from './dom.js';
import { patientFrame } from './frame.js';
import { t, tn } from './i18n.js';
import { keep, newClientId, waitingBox } from './outbox.js';
import { Session } from './session_machine.js';
import {
  drawnMarks, stepPicture, stepPlace, timerWord, timingText,
} from './steps.js';
import { staleBox } from './plan.js';

const endWords = (end) => ({
  completed: t('Session completed'),
  stopped: t('Session stopped'),
  'sharp-or-new-pain': t('Stopped for sharp or new pain'),
}[end] || end);

const statusWords = (status) => ({
  done: t('done'), skipped: t('skipped'), stopped: t('stopped'), pending: t('not reached'),
}[status] || status);

function scaleOf(query) {
  const s = Number(query.get('scale'));
  return s > 0 && s <= 1 ? s : 1;
}

// One short tone; the context is made on the first press of a button, as
// browsers allow sound only after the person has done something.
class Bell {
  constructor() {
    this.ctx = null;
  }

  wake() {
    if (this.ctx) return;
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      this.ctx = new Context();
    } catch {
      this.ctx = null;
    }
  }

  ring() {
    if (!this.ctx) return;
    const at = this.ctx.currentTime;
    const osc = this.ctx.createOscillator();
    const gain = this.ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.6);
    osc.connect(gain).connect(this.ctx.destination);
    osc.start(at);
    osc.stop(at + 0.65);
  }

  close() {
    if (this.ctx) this.ctx.close().catch(() => {});
    this.ctx = null;
  }
}

// The screen kept awake while a timer runs, where the browser can
// (navigator.wakeLock); a lock the system took back is asked for again
// when the page is seen again.
class Awake {
  constructor() {
    this.lock = null;
    this.wanted = false;
    this.onVisible = () => {
      if (this.wanted && document.visibilityState === 'visible') this.take();
    };
    document.addEventListener('visibilitychange', this.onVisible);
  }

  async take() {
    if (!navigator.wakeLock || (this.lock && !this.lock.released)) return;
    try {
      this.lock = await navigator.wakeLock.request('screen');
      document.body.dataset.awake = 'true';
      this.lock.addEventListener('release', () => { delete document.body.dataset.awake; });
    } catch { /* not allowed now (battery saver, hidden page): the timers run anyway */ }
  }

  want(on) {
    this.wanted = on;
    if (on) this.take();
    else if (this.lock) {
      this.lock.release().catch(() => {});
      this.lock = null;
    }
  }

  close() {
    this.want(false);
    document.removeEventListener('visibilitychange', this.onVisible);
  }
}

// A graded step (the walk) grows with the week of the program, as
// tpt_program_set_week does: the first week's time, the weekly addition for
// each week since, never past its most.
function forWeek(step, week) {
  if (!step.graded) return step;
  const grown = step.hold_seconds + (week - 1) * step.graded.weekly_seconds;
  return { ...step, hold_seconds: Math.min(grown, step.graded.max_seconds) };
}

function clock(ms) {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// A row of eleven buttons, 0 to 10; `skip` adds "Skip" for an answer that
// may be left out.
function painScale(label, onPick, skip) {
  const row = el('div', { class: 'pain-scale', role: 'group', 'aria-label': label });
  for (let i = 0; i <= 10; i++) {
    row.append(el('button', {
      type: 'button', class: 'pain-button', 'data-pain': String(i), text: String(i),
      'aria-label': i === 0 ? t('0, no pain') : i === 10 ? t('10, the worst') : String(i), onclick: () => onPick(i),
    }));
  }
  return el('div', { class: 'pain-ask' },
    el('p', { class: 'question-text', text: label }),
    row,
    el('p', { class: 'pain-ends hint' }, el('span', { text: t('0 none') }), el('span', { text: t('10 worst') })),
    skip ? el('button', { type: 'button', class: 'link-button', 'data-pain': 'skip', text: t('Skip this question'), onclick: () => onPick(null) }) : null);
}

export async function sessionPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'session');
  if (!frame) return;
  const { id, info, body } = frame;
  if (!info.self_care) {
    body.append(blockBox(info.flags && info.flags.level, t('Guided sessions are stopped'), null, heldBack()), notice());
    return;
  }
  const [latest, marks] = await Promise.all([getOrNull(`/patients/${id}/plan`), drawnMarks(id)]);
  if (!ctx.alive()) return;
  const plan = latest && latest.plan;
  if (!plan) {
    body.append(el('p', {}, t('A session follows the home program of the plan, and there is no plan yet.'), ' ',
      el('a', { href: `#/patients/${id}/plan`, text: t('Make the plan first.') })), notice());
    return;
  }
  if (latest.stale) { // made before the latest answers or drawing: no session from it
    body.append(staleBox(latest, id, () => ctx.go(location.hash.slice(1))), notice(plan.notice));
    return;
  }
  if (plan.self_care === 'stop') {
    body.append(blockBox(plan.level, t('Guided sessions are stopped'), [plan.advice].flat()[0], heldBack()), notice(plan.notice));
    return;
  }
  const steps = (plan.home && plan.home.steps) || [];
  if (!steps.length) {
    body.append(el('p', { class: 'placeholder', text: t('The plan has no home program to follow.') }), notice(plan.notice));
    return;
  }
  const sharpRule = (plan.stop_rules || []).find((r) => r.id === 'sharp-or-new-pain');
  const redRule = (plan.stop_rules || []).find((r) => r.id === 'red-flags');

  // the server counts the weeks since the first session of this plan
  const s = new Session(steps, scaleOf(ctx.query), latest.week || 1);
  const bell = new Bell();
  const awake = new Awake();
  const now = () => performance.now();
  const clientId = newClientId();

  const stage = el('div', { class: 'session-stage', 'aria-live': 'polite' });
  const bar = el('span', { class: 'bar-fill' });
  const progress = el('div', { class: 'session-progress' },
    el('span', { class: 'bar', role: 'progressbar', 'aria-label': t('Session progress'), 'aria-valuemin': '0', 'aria-valuemax': '100' }, bar),
    el('span', { class: 'session-progress-text' }));
  const stopButton = el('button', { type: 'button', class: 'stop-button', id: 'stop-session', text: t('Stop the session') });
  const sharpButton = el('button', { type: 'button', class: 'sharp-button', id: 'sharp-pain', text: t('Sharp or new pain — stop now') });
  const controls = el('div', { class: 'session-stop', role: 'region', 'aria-label': t('Stop') }, stopButton, sharpButton);
  const root = el('div', { class: 'session', id: 'session', 'data-phase': s.phase, 'data-bells': '0' },
    (plan.self_care === 'with-caution' || plan.self_care === 'caution')
      ? el('p', { class: 'caution', text: t('With caution: keep the pressure light and the session short, and stop at the first sign that anything is getting worse.') })
      : null,
    progress, stage, controls);
  if (s.scale !== 1) root.append(el('p', { class: 'hint', text: t('Timers run at {scale} of their length.', { scale: s.scale }) }));
  body.append(root);

  let timer = null;
  let shownPhase = null;
  let shownStep = -1;
  let saved = false;
  const running = () => !['before', 'done'].includes(s.phase);

  // Filling the screen while the session runs: the rest of the page is out
  // of reach (inert) until it ends.
  const others = () => [document.querySelector('.top'), document.querySelector('.foot'),
    ...[...view.children].filter((c) => c !== body), ...[...body.children].filter((c) => c !== root)].filter(Boolean);
  function focusMode(on) {
    if (root.classList.contains('focus') === on) return;
    root.classList.toggle('focus', on);
    document.body.classList.toggle('in-session', on);
    for (const e of others()) e.inert = on;
  }

  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const unload = (e) => {
    if (!running()) return;
    e.preventDefault();
    e.returnValue = '';
  };
  window.addEventListener('beforeunload', unload);
  // leaving by a link or the back button asks; a session left is kept as stopped
  ctx.guardLeave(async () => {
    if (!running()) return true;
    const paused = (s.phase === 'hold' || s.phase === 'rest') && !s.paused;
    if (paused) s.pause(now());
    update();
    const leave = await confirmBox({
      title: t('Leave the session?'),
      text: t('The session under way stops here, and what was done is kept in the record.'),
      confirm: t('Stop and leave'),
      cancel: t('Go on with the session'),
    });
    if (!leave) {
      if (paused) s.resume(now());
      update();
      return false;
    }
    if (running() && s.phase !== 'after') s.stop('stopped', now());
    s.pain(null);
    send(s.record());
    return true;
  });
  ctx.onLeave(() => {
    stopTimer();
    bell.close();
    awake.close();
    focusMode(false);
    window.removeEventListener('beforeunload', unload);
    document.removeEventListener('keydown', onKey);
  });

  function act(fn) {
    return () => {
      bell.wake();
      fn(now());
      update();
    };
  }

  stopButton.addEventListener('click', act((at) => {
    if (s.phase === 'before') {
      ctx.go(`/patients/${id}/plan`);
      return;
    }
    s.stop('stopped', at);
  }));
  sharpButton.addEventListener('click', act((at) => s.stop('sharp-or-new-pain', at)));

  // the keys of `tpt session`: p pause, s skip, q stop, x sharp or new pain
  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
    if (document.querySelector('dialog[open]')) return;
    const at = now();
    if (e.key === 'p' && (s.phase === 'hold' || s.phase === 'rest')) {
      if (s.paused) s.resume(at); else s.pause(at);
    } else if (e.key === 's') s.skip(at);
    else if (e.key === 'q' && s.phase !== 'before') s.stop('stopped', at);
    else if (e.key === 'x') s.stop('sharp-or-new-pain', at);
    else return;
    update();
  }
  document.addEventListener('keydown', onKey);

  // The step: its picture and place to press side by side, then its words.
  function stepCard(step, i, timed) {
    return el('article', { class: `session-step kind-${step.kind}`, 'data-step': step.id },
      el('p', { class: 'step-count', text: t('Step {i} of {n}', { i: i + 1, n: s.steps.length }) }),
      el('h2', { text: step.title }),
      el('div', { class: 'step-visual' }, stepPicture(step), stepPlace(step, marks)),
      timed,
      el('p', { class: 'timing', text: timingText(step, s.week) }),
      step.placement ? el('p', {}, el('strong', { text: t('Where.') }), ' ', step.placement) : null,
      el('p', { text: step.instructions }),
      step.cautions && step.cautions.length ? el('ul', { class: 'cautions' }, step.cautions.map((c) => el('li', { text: c }))) : null);
  }

  // Draws the stage when the phase or step changes; the countdown and bar
  // are updated on every tick without rebuilding anything.
  function update() {
    const at = now();
    const before = s.bells;
    s.tick(at);
    if (s.bells > before) {
      bell.ring();
      root.dataset.bells = String(s.bells);
    }
    const p = Math.round(s.progress(at) * 100);
    bar.style.width = `${p}%`;
    progress.querySelector('.bar').setAttribute('aria-valuenow', String(p));
    progress.querySelector('.session-progress-text').textContent = t('{p}% of the session', { p });
    root.dataset.phase = s.phase;
    root.dataset.paused = s.paused ? 'true' : 'false';
    controls.hidden = s.phase === 'after' || s.phase === 'done';
    sharpButton.hidden = s.phase === 'before';
    focusMode(running() && s.phase !== 'after');
    const timed = s.phase === 'hold' || s.phase === 'rest';
    awake.want(timed && !s.paused);
    if (timed && !timer) timer = setInterval(update, 50);
    if (!timed) stopTimer();
    if (s.phase !== shownPhase || s.at !== shownStep) {
      shownPhase = s.phase;
      shownStep = s.at;
      draw();
    }
    if (timed) {
      const left = stage.querySelector('.countdown-time');
      if (left) left.textContent = clock(s.timeLeft(at) / s.scale);
      const what = stage.querySelector('.countdown-what');
      const word = timerWord(s.step);
      if (what) {
        what.textContent = s.phase === 'rest' ? t('Rest, then round {r} of {n}', { r: s.round + 2, n: s.step.repeats })
          : s.step.repeats > 1 ? t('{what}: round {r} of {n}', { what: word, r: s.round + 1, n: s.step.repeats }) : word;
      }
      const pause = stage.querySelector('#pause');
      if (pause) pause.textContent = s.paused ? t('Resume') : t('Pause');
      stage.querySelector('.countdown').classList.toggle('paused', s.paused);
      stage.querySelector('.countdown').classList.toggle('resting', s.phase === 'rest');
    }
  }

  function draw() {
    stage.textContent = '';
    stage.scrollTop = 0;
    const i = s.at;
    switch (s.phase) {
    case 'before':
      put(stage, el('h2', { text: t('Before you start') }),
        sharpRule ? el('p', { class: 'stop-rule' }, el('strong', { text: t('Stop rule.') }), ' ', sharpRule.text) : null,
        el('p', { text: t('{steps}, about {time} of timed work.', { steps: tn(s.steps.length, 'One step', '{n} steps'), time: duration(s.total) }) }),
        el('p', { class: 'hint', text: t('The session fills the screen once it starts, and the screen stays on during the timers. Stop it at any moment with the buttons at the bottom.') }),
        painScale(t('How bad is the pain right now? (0 none, 10 the worst you can imagine)'), (v) => {
          bell.wake();
          s.pain(v);
          update();
        }));
      break;
    case 'ready':
      stage.append(stepCard(s.step, i, el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary', id: 'start-step', text: t('Start this step'), onclick: act((at) => s.start(at)) }),
        el('button', { type: 'button', class: 'secondary', id: 'skip-step', text: t('Skip this step'), onclick: act((at) => s.skip(at)) }))));
      stage.querySelector('#start-step').focus({ preventScroll: true });
      break;
    case 'hold':
    case 'rest':
      stage.append(stepCard(s.step, i, el('div', { class: 'countdown-row' },
        el('div', { class: 'countdown', role: 'timer', 'aria-live': 'off', 'data-timer': s.step.id === 'moist-heat' ? 'heat' : s.step.kind },
          el('p', { class: 'countdown-what' }),
          el('p', { class: 'countdown-time', text: '' })),
        el('div', { class: 'actions' },
          el('button', {
            type: 'button', class: 'secondary', id: 'pause',
            text: t('Pause'), onclick: act((at) => (s.paused ? s.resume(at) : s.pause(at))),
          }),
          el('button', { type: 'button', class: 'secondary', id: 'skip-step', text: t('Skip this step'), onclick: act((at) => s.skip(at)) })))));
      break;
    case 'check':
      stage.append(el('section', { class: 'check', id: 'pain-check' },
        el('p', { class: 'step-count', text: t('Step {i} of {n} done: {title}', { i: i + 1, n: s.steps.length, title: s.step.title }) }),
        el('h2', { text: t('Any sharp pain, or a pain you have not had before?') }),
        el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'danger', id: 'check-yes', text: t('Yes'), onclick: act((at) => s.check(true, at)) }),
          el('button', { type: 'button', class: 'primary', id: 'check-no', text: t('No'), onclick: act((at) => s.check(false, at)) }))));
      stage.querySelector('#check-no').focus({ preventScroll: true });
      break;
    case 'after':
      if (s.end === 'sharp-or-new-pain') {
        stage.append(el('section', { class: 'warning level-urgent', role: 'alert', id: 'stop-advice' },
          el('h2', { text: t('Stop now') }),
          el('p', { text: sharpRule ? sharpRule.text : t('Stop at once: sharp pain or a pain you have not had before.') }),
          el('p', { text: t('Do not go on with this session. If the pain is severe or keeps growing, see a clinician before the next session.') }),
          redRule ? el('p', { text: redRule.text }) : null));
      } else if (s.end === 'stopped') {
        stage.append(el('p', { class: 'stale', text: t('The session is stopped.') }));
      }
      stage.append(painScale(t('How bad is the pain now? (0 none, 10 the worst)'), (v) => {
        s.pain(v);
        update();
      }, true));
      break;
    case 'done':
      summary();
      break;
    default:
      break;
    }
  }

  // Keeps the summary in the record, or on this device when the server
  // cannot be reached; says which.
  async function send(r, status) {
    const summary = { ...r, client_id: clientId, at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    try {
      await post(`/patients/${id}/sessions`, summary);
      if (status) {
        status.textContent = t('Kept in the record.');
        status.className = 'ok';
      }
      root.dataset.saved = 'true';
    } catch (err) {
      if (err.offline || err.status >= 500) {
        keep(id, summary);
        if (status) {
          status.replaceWith(el('p', { class: 'caution', role: 'status', id: 'kept-here', text: t('tpt could not reach its server, so the session is kept on this device and sent as soon as the connection is back.') }),
            waitingBox(id));
        }
        root.dataset.saved = 'waiting';
      } else {
        if (status) status.replaceWith(errorBox(t('The session could not be kept: {why}', { why: err.message })));
        if (err.code === 'plan-stale') { // a newer answer or drawing was kept meanwhile
          stage.append(el('p', {}, el('a', { href: `#/patients/${id}/plan`, text: t('Make a new plan from the latest answers and drawing.') })));
        }
        root.dataset.saved = 'false';
      }
    }
  }

  async function summary() {
    const r = s.record();
    const box = el('section', { class: `summary end-${r.end}`, id: 'summary' },
      el('h2', { text: endWords(r.end) }),
      el('dl', { class: 'facts' },
        el('dt', { text: t('Steps done') }), el('dd', {
          text: r.steps_skipped ? t('{done} of {total} ({skipped} skipped)', { done: r.steps_done, total: r.steps_total, skipped: r.steps_skipped })
            : t('{done} of {total}', { done: r.steps_done, total: r.steps_total }),
        }),
        el('dt', { text: t('Time') }), el('dd', { text: duration(r.seconds) }),
        el('dt', { text: t('Pain') }), el('dd', {
          text: r.pain_after === null ? t('{before} before, not given after', { before: r.pain_before })
            : t('{before} before, {after} after', { before: r.pain_before, after: r.pain_after }),
        })),
      el('ul', { class: 'step-results' }, s.steps.map((st) => el('li', { 'data-status': st.status },
        el('span', { class: `tag status-${st.status}`, text: statusWords(st.status) }), ` ${st.title}`))));
    const status = el('p', { class: 'hint', role: 'status', text: t('Keeping the session in the record…') });
    stage.append(box, status);
    if (saved) return;
    saved = true;
    await send(r, status);
    if (!ctx.alive()) return;
    stage.append(el('div', { class: 'actions' },
      el('a', { class: 'primary button-link', href: `#/patients/${id}/log`, text: t('Log how you are') }),
      el('a', { class: 'secondary button-link', href: `#/patients/${id}/progress`, text: t('See progress') })),
    notice(plan.notice));
  }

  update();
}
