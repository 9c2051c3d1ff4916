// The server's refusals in plain words, in the page's language.
//
// An error answer carries {code, message, field} (api/openapi.json). The
// message is English, written for API clients; the pages never show it on a
// page in another language. Each code a person can meet through the pages
// has its words here (WORDS), naming what to do; a refused field
// ("invalid-field") is said by the field's name and what it accepts (FIELDS).
// The list of what the pages can meet, and why the rest is left to the
// server's English, is in docs/internals/web.md ("How refusals are worded").

import { language, t } from './i18n.js';

const PASSWORD = () => t('Use a password of 10 to 256 characters. A few words together are easy to remember and hard to guess.');
const CHOOSE = () => t('Choose one from the list. If the list seems out of date, reload the page.');

// code -> words; a function of the error, for a code whose field changes it.
const WORDS = {
  'bad-credentials': (e) => (e.field === 'current'
    ? t('The current password is not right. Type it again.')
    : t('That email address and password do not match an account.')),
  'weak-password': PASSWORD,
  'slow-down': () => t('Too many tries. Wait a few seconds, then try again. If you have forgotten your password, ask your clinic\'s administrator for a reset link.'),
  'not-signed-in': () => t('Please sign in again: your sign-in has ended.'),
  forbidden: () => t('Your account may not open this.'),
  'own-account': () => t('A reset link is for someone else\'s account. Change your own password on your account page, with your current one.'),
  csrf: () => t('The page was open too long. Reload it, then try again.'),
  'no-secret-key': () => t('This server cannot keep a mail relay\'s password yet: its operator must give it a secret key first. A relay without a password can be saved now.'),
  'screen-required': () => t('Answer the safety questions first: the plan starts from them.'),
  'screen-incomplete': () => t('Answer every safety question, then send them again. The questions without an answer are marked.'),
  'drawing-required': () => t('Mark where it hurts on the body first: the plan starts from the drawing.'),
  'plan-required': () => t('Make a plan with a home program first: a session follows it. Open "Plan" and make one.'),
  'self-care-stopped': () => t('Self-treatment is stopped in this record because a warning sign stands. Follow the advice shown, and see a clinician.'),
  'setup-done': () => t('The first account already exists. Sign in instead.'),
  'account-disabled': () => t('This account is disabled. Ask your clinic\'s administrator.'),
  'link-unusable': () => t('This link cannot be used: it may have been used already, have expired or been withdrawn. Ask for a new one.'),
  'visit-signed': () => t('This visit note is signed, so it cannot be changed. Add an amendment instead.'),
  'visit-draft': () => t('This visit note is still a draft: change the note itself, or sign it first.'),
  'plan-stale': () => t('The plan was made before the latest safety answers or drawing. Make a new plan from them first.'),
  'not-standing': () => t('That warning no longer stands in this record: someone may have lifted it a moment ago. Reload the page.'),
  'not-yours': () => t('Only who entered this, or the clinic\'s staff, may change or remove it.'),
  'kept-for-clinician': () => t('A session stopped for sharp or new pain stays in the record for your clinician. Ask them to remove it if it was kept by mistake.'),
  'invalid-drawing': () => t('tpt could not use this drawing. Check the marked places and how strong each one is, then try again.'),
  'invalid-mark': () => t('One of the marks on the body cannot be used. Remove it and mark the place again.'),
  'invalid-answer': () => t('One of the answers cannot be used. Check the answers, choose again where one is marked, and send them again.'),
  'invalid-finding': () => t('One of the findings cannot be used. Check the findings entered and try again.'),
  'invalid-plan': () => t('tpt could not make a plan from what this record keeps. Check the safety answers and the drawing, or make them again.'),
  'invalid-text': () => t('This file is not a text of the questionnaire that tpt can use. Check that it is the licensed text file, then try again.'),
  'no-licence-needed': () => t('This questionnaire needs no licensed text: tpt already has its words.'),
  'record-unreadable': () => t('Part of this record cannot be read. Ask your clinic\'s administrator to look at it.'),
  'booking-closed': () => t('This clinic takes no bookings online at the moment. Please call the clinic to book.'),
  'booking-stopped': () => t('Your answers to the safety questions mean a doctor should see you first, so this cannot be booked online. Follow the advice shown, or call the clinic.'),
  'slot-taken': () => t('Someone has just taken this time. Choose another time.'),
  'hold-expired': () => t('The time was kept for you only for a few minutes and is free again. Choose a time again.'),
  conflict: () => t('This clashes with something kept meanwhile: the practitioner may have another appointment at that time, or someone changed this a moment ago. Reload the page, check, and try again.'),
  'not-found': () => t('This was not found: it may have been removed meanwhile. Reload the page.'),
  'too-large': () => t('That is too large to send. Make it shorter and try again.'),
  unavailable: () => t('tpt is busy or restarting. Please try again in a moment.'),
};

// field -> words: its name on the form and what it accepts. A field inside a
// list or an object ("times[2]", "subjective.history.onset") goes by its
// last name.
const FIELDS = {
  name: () => t('Name: give a name of at most 200 characters.'),
  email: () => t('Email address: give a whole address, such as anna@example.org.'),
  password: PASSWORD,
  new: PASSWORD,
  current: () => t('Current password: type the password you sign in with now.'),
  phone: () => t('Phone: use digits, spaces and + - ( ) only.'),
  contact: () => t('Contact: at most 200 characters.'),
  birth_year: () => t('Birth year: give a year from 1900 to this year, or leave it empty.'),
  planned_visits: () => t('Planned visits: give a whole number from 1 to 50.'),
  start: () => t('Start: choose a date and a time on the clinic\'s clock, within its opening hours.'),
  first: () => t('First appointment: choose a date and a time on the clinic\'s clock.'),
  times: () => t('Times: each appointment needs a date and a time on the clinic\'s clock.'),
  from: () => t('Date: choose a day from the calendar.'),
  count: () => t('Number of appointments: give a whole number from 1 to 50.'),
  per_week: () => t('Appointments a week: give a whole number from 1 to 7.'),
  every_days: () => t('Days between appointments: give a whole number from 1 to 28.'),
  patient: CHOOSE,
  practitioner: CHOOSE,
  practitioners: CHOOSE,
  service: CHOOSE,
  location: CHOOSE,
  role: CHOOSE,
  kind: CHOOSE,
  reason: () => t('Reason: at most 200 characters.'),
  leg_pain: () => t('Leg pain: choose a number from 0 (none) to 10 (the worst imaginable).'),
  back_pain: () => t('Back pain: choose a number from 0 (none) to 10 (the worst imaginable).'),
  sitting_minutes: () => t('Sitting: give minutes from 0 to 1440.'),
  walking_minutes: () => t('Walking: give minutes from 0 to 1440.'),
  at: () => t('Date: choose a day that is not in the future.'),
  medication: () => t('Medication: the text is too long. Make it shorter.'),
  note: () => t('Note: the text is too long. Make it shorter.'),
  duration_weeks: () => t('How long: give a number of weeks from 0 to 5200.'),
  sitting_hours: () => t('Hours of sitting a day: give a number from 0 to 24.'),
  answers: () => t('Answer every question, then send them again. The questions without an answer are marked.'),
  finding: () => t('Finding: say in a few words what you found. The text is too long if it is longer than a page.'),
  slug: () => t('Web address: use 2 or more small letters, digits and hyphens, such as my-clinic.'),
  zone: () => t('Time zone: choose one from the list.'),
  reminder_hours: () => t('Reminder: give hours from 0 to 168.'),
  late_cancel_hours: () => t('Late cancellation: give hours from 0 to 168.'),
  slot_minutes: () => t('Slot length: give minutes from 5 to 120.'),
  mail_from: () => t('Sender address: give a whole email address, such as desk@example.org.'),
  smtp_url: () => t('Mail relay: give smtp://host:port, or smtps://user:password@host:465 with a password of at most 150 characters.'),
  modalities: CHOOSE,
};

function fieldWords(field) {
  const name = String(field || '').replace(/\[\d+\]/g, '').split('.').pop();
  return Object.hasOwn(FIELDS, name) ? FIELDS[name]() : null;
}

export function plainError(status, body) {
  const error = (body && body.error) || null;
  const code = error && error.code;
  if (code === 'invalid-field') {
    const words = fieldWords(error.field);
    if (words) return words;
  }
  if (code && Object.hasOwn(WORDS, code)) return WORDS[code](error);
  if (status === 413) return WORDS['too-large']();
  if (status >= 500) return t('Something went wrong on the server. Please try again in a moment.');
  if (status === 404 && !error) return t('This was not found.');
  // A code no page sends (a malformed request, a method, a field no form
  // has): the server's English sentence names it, so an English page shows
  // it; any other language gets words of its own.
  if (error && error.message && language() === 'en') {
    const m = error.message.replace(/\.$/, '');
    return `${m.charAt(0).toUpperCase()}${m.slice(1)}.`;
  }
  if (code === 'invalid-field') return t('One entry was not accepted. Check the form, then try again.');
  return t('tpt refused this ({status}). Reload the page and try again; if it happens again, tell your clinic.', { status });
}

// For the tests: the codes and fields that have words.
export const worded = { codes: Object.keys(WORDS), fields: Object.keys(FIELDS) };
