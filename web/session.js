// A guided self-treatment session in the browser, as `tpt session` runs one
// on a terminal (lib/protocol.c is the model): pain before, each step of the
// home program with its instructions and a countdown of holds and rests, a
// bell at the end of each hold, pause, skip, the check for sharp or new pain
// after each step, pain after, a summary, and the record kept. The Stop and
// "sharp or new pain" buttons stay on screen until the session has ended.
//
// Timers chain from their deadlines, not from the moment a tick runs, so a
// late tick neither stretches nor shortens a hold; a pause keeps what was
// left. `?scale=0.01` in the address runs every timer at that fraction (tests).

import { getOrNull, post } from './api.js';
import { blockBox, duration, el, errorBox, notice, put, showError } from './dom.js';
import { staleBox } from './care.js';
import { HELD_BACK, patientFrame } from './frame.js';

const END_WORDS = {
  completed: 'Session completed',
  stopped: 'Session stopped',
  'sharp-or-new-pain': 'Stopped for sharp or new pain',
};

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
    const t = this.ctx.currentTime;
    const osc = this.ctx.createOscillator();
    const gain = this.ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.6);
    osc.connect(gain).connect(this.ctx.destination);
    osc.start(t);
    osc.stop(t + 0.65);
  }

  close() {
    if (this.ctx) this.ctx.close().catch(() => {});
    this.ctx = null;
  }
}

// The session as a state machine, driven by events with the time passed
// in: before -> ready -> hold (-> rest -> hold)... -> check -> ready or
// after -> done.
class Session {
  constructor(steps, scale, week = 1) {
    this.steps = steps.map((s) => ({ ...forWeek(s, week), status: 'pending' }));
    this.scale = scale;
    this.week = week;
    this.phase = 'before';
    this.at = 0; // the current step
    this.round = 0; // the hold being done, from 0
    this.deadline = 0;
    this.remaining = 0; // while paused
    this.paused = false;
    this.bells = 0;
    this.end = null;
    this.painBefore = null;
    this.painAfter = null;
    this.started = null; // when the first step started
    this.pausedFor = 0;
    this.pausedAt = 0;
    this.endedAt = null;
    this.total = this.steps.reduce((n, s) => n + Session.work(s), 0);
  }

  static work(s) {
    return s.hold_seconds * s.repeats + s.rest_seconds * Math.max(0, s.repeats - 1);
  }

  ms(seconds) {
    return Math.max(1, seconds * 1000 * this.scale);
  }

  get step() {
    return this.steps[this.at];
  }

  pain(value) {
    if (this.phase === 'before') {
      this.painBefore = value;
      this.phase = 'ready';
    } else if (this.phase === 'after') {
      this.painAfter = value;
      this.phase = 'done';
    }
  }

  start(now) {
    if (this.phase !== 'ready') return;
    if (this.started === null) this.started = now;
    this.round = 0;
    this.phase = 'hold';
    this.paused = false;
    this.deadline = now + this.ms(this.step.hold_seconds);
  }

  tick(now) {
    if (this.paused) return;
    while ((this.phase === 'hold' || this.phase === 'rest') && now >= this.deadline) {
      const s = this.step;
      if (this.phase === 'hold') {
        this.bells++;
        if (this.round + 1 >= s.repeats) {
          this.phase = 'check';
        } else if (s.rest_seconds > 0) {
          this.phase = 'rest';
          this.deadline += this.ms(s.rest_seconds);
        } else {
          this.round++;
          this.deadline += this.ms(s.hold_seconds);
        }
      } else {
        this.round++;
        this.phase = 'hold';
        this.deadline += this.ms(s.hold_seconds);
      }
    }
  }

  pause(now) {
    if (this.paused || (this.phase !== 'hold' && this.phase !== 'rest')) return;
    this.tick(now);
    if (this.phase !== 'hold' && this.phase !== 'rest') return;
    this.paused = true;
    this.pausedAt = now;
    this.remaining = this.deadline - now;
  }

  resume(now) {
    if (!this.paused) return;
    this.paused = false;
    this.pausedFor += now - this.pausedAt;
    this.deadline = now + this.remaining;
  }

  next(now) {
    if (this.at + 1 < this.steps.length) {
      this.at++;
      this.phase = 'ready';
    } else {
      this.finish('completed', now);
    }
  }

  skip(now) {
    if (!['ready', 'hold', 'rest'].includes(this.phase)) return;
    if (this.paused) this.resume(now);
    this.step.status = 'skipped';
    this.next(now);
  }

  check(sharp, now) {
    if (this.phase !== 'check') return;
    this.step.status = 'done';
    if (sharp) this.finish('sharp-or-new-pain', now);
    else this.next(now);
  }

  // Stop, or sharp or new pain: a step under way is stopped, a finished
  // one stays done, the rest are not reached.
  stop(end, now) {
    if (!['before', 'ready', 'hold', 'rest', 'check'].includes(this.phase)) return;
    if (this.paused) this.resume(now);
    if (this.phase === 'hold' || this.phase === 'rest') this.step.status = 'stopped';
    if (this.phase === 'check') this.step.status = end === 'sharp-or-new-pain' ? 'done' : 'stopped';
    this.finish(end, now);
  }

  finish(end, now) {
    this.end = end;
    this.endedAt = now;
    this.paused = false;
    this.phase = 'after';
  }

  timeLeft(now) {
    if (this.phase !== 'hold' && this.phase !== 'rest') return 0;
    return Math.max(0, this.paused ? this.remaining : this.deadline - now);
  }

  // The share of the timed work behind, 0 to 1: steps before the current
  // one count as done.
  progress(now) {
    if (!this.total) return 0;
    if (this.phase === 'after' || this.phase === 'done') return this.end === 'completed' ? 1 : this.doneWork(now) / this.total;
    return this.doneWork(now) / this.total;
  }

  doneWork(now) {
    let work = 0;
    for (let i = 0; i < this.at; i++) work += Session.work(this.steps[i]);
    const s = this.step;
    if (!s) return work;
    if (this.phase === 'check') return work + Session.work(s);
    if (this.phase !== 'hold' && this.phase !== 'rest') return work;
    work += this.round * (s.hold_seconds + s.rest_seconds);
    const length = this.phase === 'hold' ? s.hold_seconds : s.rest_seconds;
    const left = this.timeLeft(now) / (1000 * this.scale);
    work += this.phase === 'rest' ? s.hold_seconds : 0;
    return work + Math.max(0, length - left);
  }

  seconds() {
    if (this.started === null) return 0;
    return Math.max(0, Math.round((this.endedAt - this.started - this.pausedFor) / 1000));
  }

  record() {
    const count = (st) => this.steps.filter((s) => s.status === st).length;
    return {
      end: this.end,
      steps_total: this.steps.length,
      steps_done: count('done'),
      steps_skipped: count('skipped'),
      seconds: this.seconds(),
      pain_before: this.painBefore,
      pain_after: this.painAfter,
      steps: this.steps.map((s) => ({ id: s.id, title: s.title, status: s.status })),
      week: this.week,
    };
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
      'aria-label': `${i}${i === 0 ? ', no pain' : i === 10 ? ', the worst' : ''}`, onclick: () => onPick(i),
    }));
  }
  return el('div', { class: 'pain-ask' },
    el('p', { class: 'question-text', text: label }),
    row,
    el('p', { class: 'pain-ends hint' }, el('span', { text: '0 none' }), el('span', { text: '10 worst' })),
    skip ? el('button', { type: 'button', class: 'link-button', 'data-pain': 'skip', text: 'Skip this question', onclick: () => onPick(null) }) : null);
}

export async function sessionPage(view, ctx) {
  const frame = await patientFrame(view, ctx, 'session');
  if (!frame) return;
  const { id, info, body } = frame;
  if (!info.self_care) {
    body.append(blockBox(info.flags && info.flags.level, 'Guided sessions are stopped', null, HELD_BACK), notice());
    return;
  }
  const latest = await getOrNull(`/patients/${id}/plan`);
  if (!ctx.alive()) return;
  const plan = latest && latest.plan;
  if (!plan) {
    body.append(el('p', {}, 'A session follows the home program of the plan, and there is no plan yet. ',
      el('a', { href: `#/patients/${id}/plan`, text: 'Make the plan first.' })), notice());
    return;
  }
  if (latest.stale) { // made before the latest answers or drawing: no session from it
    body.append(staleBox(latest, id, () => ctx.go(location.hash.slice(1))), notice(plan.notice));
    return;
  }
  if (plan.self_care === 'stop') {
    body.append(blockBox(plan.level, 'Guided sessions are stopped', [plan.advice].flat()[0], HELD_BACK), notice(plan.notice));
    return;
  }
  const steps = (plan.home && plan.home.steps) || [];
  if (!steps.length) {
    body.append(el('p', { class: 'placeholder', text: 'The plan has no home program to follow.' }), notice(plan.notice));
    return;
  }
  const sharpRule = (plan.stop_rules || []).find((r) => r.id === 'sharp-or-new-pain');
  const redRule = (plan.stop_rules || []).find((r) => r.id === 'red-flags');

  // the server counts the weeks since the first session of this plan
  const s = new Session(steps, scaleOf(ctx.query), latest.week || 1);
  const bell = new Bell();
  const now = () => performance.now();

  const stage = el('div', { class: 'session-stage', 'aria-live': 'polite' });
  const bar = el('span', { class: 'bar-fill' });
  const progress = el('div', { class: 'session-progress' },
    el('span', { class: 'bar', role: 'progressbar', 'aria-label': 'Session progress', 'aria-valuemin': '0', 'aria-valuemax': '100' }, bar),
    el('span', { class: 'session-progress-text' }));
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const stopButton = el('button', { type: 'button', class: 'stop-button', id: 'stop-session', text: 'Stop the session' });
  const sharpButton = el('button', { type: 'button', class: 'sharp-button', id: 'sharp-pain', text: 'Sharp or new pain — stop now' });
  const controls = el('div', { class: 'session-stop', role: 'region', 'aria-label': 'Stop' }, stopButton, sharpButton);
  const root = el('div', { class: 'session', id: 'session', 'data-phase': s.phase, 'data-bells': '0' },
    (plan.self_care === 'with-caution' || plan.self_care === 'caution')
      ? el('p', { class: 'caution', text: 'With caution: keep the pressure light and the session short, and stop at the first sign that anything is getting worse.' })
      : null,
    progress, error, stage, controls);
  if (s.scale !== 1) root.append(el('p', { class: 'hint', text: `Timers run at ${s.scale} of their length.` }));
  body.append(root);

  let timer = null;
  let shownPhase = null;
  let shownStep = -1;
  let saved = false;

  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  ctx.onLeave(() => {
    stopTimer();
    bell.close();
    document.removeEventListener('keydown', onKey);
  });

  function act(fn) {
    return () => {
      bell.wake();
      fn(now());
      update();
    };
  }

  stopButton.addEventListener('click', act((t) => {
    if (s.phase === 'before') {
      ctx.go(`/patients/${id}/plan`);
      return;
    }
    s.stop('stopped', t);
  }));
  sharpButton.addEventListener('click', act((t) => s.stop('sharp-or-new-pain', t)));

  // the keys of `tpt session`: p pause, s skip, q stop, x sharp or new pain
  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
    const t = now();
    if (e.key === 'p' && (s.phase === 'hold' || s.phase === 'rest')) {
      if (s.paused) s.resume(t); else s.pause(t);
    } else if (e.key === 's') s.skip(t);
    else if (e.key === 'q' && s.phase !== 'before') s.stop('stopped', t);
    else if (e.key === 'x') s.stop('sharp-or-new-pain', t);
    else return;
    update();
  }
  document.addEventListener('keydown', onKey);

  function stepCard(step, i) {
    return el('article', { class: `session-step kind-${step.kind}`, 'data-step': step.id },
      el('p', { class: 'step-count', text: `Step ${i + 1} of ${s.steps.length}` }),
      el('h2', { text: step.title }),
      el('p', { class: 'timing', text: `${duration(step.hold_seconds)}${step.repeats > 1 ? ` × ${step.repeats}` : ''}${step.repeats > 1 && step.rest_seconds ? `, ${duration(step.rest_seconds)} rest between` : ''}${step.graded ? ` in week ${s.week} of the program; it grows each week up to ${duration(step.graded.max_seconds)}` : ''}` }),
      step.placement ? el('p', {}, el('strong', { text: 'Where. ' }), step.placement) : null,
      el('p', { text: step.instructions }),
      step.cautions && step.cautions.length ? el('ul', { class: 'cautions' }, step.cautions.map((c) => el('li', { text: c }))) : null);
  }

  // Draws the stage when the phase or step changes; the countdown and bar
  // are updated on every tick without rebuilding anything.
  function update() {
    const t = now();
    const before = s.bells;
    s.tick(t);
    if (s.bells > before) {
      bell.ring();
      root.dataset.bells = String(s.bells);
    }
    const p = Math.round(s.progress(t) * 100);
    bar.style.width = `${p}%`;
    progress.querySelector('.bar').setAttribute('aria-valuenow', String(p));
    progress.querySelector('.session-progress-text').textContent = `${p}% of the session`;
    root.dataset.phase = s.phase;
    root.dataset.paused = s.paused ? 'true' : 'false';
    controls.hidden = s.phase === 'after' || s.phase === 'done';
    sharpButton.hidden = s.phase === 'before';
    const timed = s.phase === 'hold' || s.phase === 'rest';
    if (timed && !timer) timer = setInterval(update, 50);
    if (!timed) stopTimer();
    if (s.phase !== shownPhase || s.at !== shownStep) {
      shownPhase = s.phase;
      shownStep = s.at;
      draw();
    }
    if (timed) {
      const left = stage.querySelector('.countdown-time');
      if (left) left.textContent = clock(s.timeLeft(t) / s.scale);
      const what = stage.querySelector('.countdown-what');
      if (what) {
        what.textContent = s.phase === 'rest' ? `Rest, then round ${s.round + 2} of ${s.step.repeats}`
          : s.step.repeats > 1 ? `Hold: round ${s.round + 1} of ${s.step.repeats}` : 'Hold';
      }
      const pause = stage.querySelector('#pause');
      if (pause) pause.textContent = s.paused ? 'Resume' : 'Pause';
      stage.querySelector('.countdown').classList.toggle('paused', s.paused);
      stage.querySelector('.countdown').classList.toggle('resting', s.phase === 'rest');
    }
  }

  function draw() {
    stage.textContent = '';
    const i = s.at;
    switch (s.phase) {
    case 'before':
      put(stage, el('h2', { text: 'Before you start' }),
        sharpRule ? el('p', { class: 'stop-rule' }, el('strong', { text: 'Stop rule. ' }), sharpRule.text) : null,
        el('p', { text: `${s.steps.length} steps, about ${duration(s.total)} of timed work.` }),
        painScale('How bad is the pain right now? (0 none, 10 the worst you can imagine)', (v) => {
          bell.wake();
          s.pain(v);
          update();
        }));
      break;
    case 'ready':
      stage.append(stepCard(s.step, i), el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'primary', id: 'start-step', text: 'Start this step', onclick: act((t) => s.start(t)) }),
        el('button', { type: 'button', class: 'secondary', id: 'skip-step', text: 'Skip this step', onclick: act((t) => s.skip(t)) })));
      stage.querySelector('#start-step').focus({ preventScroll: true });
      break;
    case 'hold':
    case 'rest':
      stage.append(stepCard(s.step, i),
        el('div', { class: 'countdown', role: 'timer', 'aria-live': 'off' },
          el('p', { class: 'countdown-what' }),
          el('p', { class: 'countdown-time', text: '' })),
        el('div', { class: 'actions' },
          el('button', {
            type: 'button', class: 'secondary', id: 'pause',
            text: 'Pause', onclick: act((t) => (s.paused ? s.resume(t) : s.pause(t))),
          }),
          el('button', { type: 'button', class: 'secondary', id: 'skip-step', text: 'Skip this step', onclick: act((t) => s.skip(t)) })));
      break;
    case 'check':
      stage.append(el('section', { class: 'check', id: 'pain-check' },
        el('p', { class: 'step-count', text: `Step ${i + 1} of ${s.steps.length} done: ${s.step.title}` }),
        el('h2', { text: 'Any sharp pain, or a pain you have not had before?' }),
        el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'danger', id: 'check-yes', text: 'Yes', onclick: act((t) => s.check(true, t)) }),
          el('button', { type: 'button', class: 'primary', id: 'check-no', text: 'No', onclick: act((t) => s.check(false, t)) }))));
      stage.querySelector('#check-no').focus({ preventScroll: true });
      break;
    case 'after':
      if (s.end === 'sharp-or-new-pain') {
        stage.append(el('section', { class: 'warning level-urgent', role: 'alert', id: 'stop-advice' },
          el('h2', { text: 'Stop now' }),
          el('p', { text: sharpRule ? sharpRule.text : 'Stop at once: sharp pain or a pain you have not had before.' }),
          el('p', { text: 'Do not go on with this session. If the pain is severe or keeps growing, see a clinician before the next session.' }),
          redRule ? el('p', { text: redRule.text }) : null));
      } else if (s.end === 'stopped') {
        stage.append(el('p', { class: 'stale', text: 'The session is stopped.' }));
      }
      stage.append(painScale('How bad is the pain now? (0 none, 10 the worst)', (v) => {
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

  async function summary() {
    const r = s.record();
    const box = el('section', { class: `summary end-${r.end}`, id: 'summary' },
      el('h2', { text: END_WORDS[r.end] || r.end }),
      el('dl', { class: 'facts' },
        el('dt', { text: 'Steps done' }), el('dd', { text: `${r.steps_done} of ${r.steps_total}${r.steps_skipped ? ` (${r.steps_skipped} skipped)` : ''}` }),
        el('dt', { text: 'Time' }), el('dd', { text: duration(r.seconds) }),
        el('dt', { text: 'Pain' }), el('dd', { text: `${r.pain_before} before, ${r.pain_after === null ? 'not given' : r.pain_after} after` })),
      el('ul', { class: 'step-results' }, s.steps.map((st) => el('li', { 'data-status': st.status },
        el('span', { class: `tag status-${st.status}`, text: st.status }), ` ${st.title}`))));
    const status = el('p', { class: 'hint', role: 'status', text: 'Keeping the session in the record…' });
    stage.append(box, status);
    if (saved) return;
    saved = true;
    try {
      await post(`/patients/${id}/sessions`, r);
      status.textContent = 'Kept in the record.';
      status.className = 'ok';
      root.dataset.saved = 'true';
    } catch (err) {
      status.remove();
      stage.append(errorBox(`The session could not be kept: ${err.message}`));
      if (err.code === 'plan-stale') { // a newer answer or drawing was kept meanwhile
        stage.append(el('p', {}, el('a', { href: `#/patients/${id}/plan`, text: 'Make a new plan from the latest answers and drawing.' })));
      }
      root.dataset.saved = 'false';
    }
    if (!ctx.alive()) return;
    stage.append(el('div', { class: 'actions' },
      el('a', { class: 'primary button-link', href: `#/patients/${id}/log`, text: 'Log how you are' }),
      el('a', { class: 'secondary button-link', href: `#/patients/${id}/progress`, text: 'See progress' })),
    notice(plan.notice));
  }

  showError(error, '');
  update();
}
