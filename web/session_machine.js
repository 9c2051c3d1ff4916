// The guided session as a state machine, as lib/protocol.c runs it for
// `tpt session`: pain before, then for each step READY -> HOLD (-> REST ->
// HOLD)... -> CHECK, then pain after and DONE. Events carry the time, so
// timers chain from their deadlines: a late tick neither stretches nor
// shortens a hold, and a pause keeps what was left. No page, no clock of
// its own: session.js drives it.

// A graded step (the walk) grows with the week of the program, as
// tpt_program_set_week does: the first week's time, the weekly addition for
// each week since, never past its most.
export function forWeek(step, week) {
  if (!step.graded) return step;
  const grown = step.hold_seconds + (week - 1) * step.graded.weekly_seconds;
  return { ...step, hold_seconds: Math.min(grown, step.graded.max_seconds) };
}

export class Session {
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

  // The summary POST /patients/ID/sessions takes.
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
