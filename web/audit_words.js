// An audit line in the reader's language. The log keeps each line in the
// English it was written in: the hash chain covers those words, so they are
// never rewritten. A page translates a line when it shows it. A line of
// fixed words is a message id of the catalogues, read by tests/i18n/check.py
// from the C sources that write it; a line with a number, a name or an
// address in it is matched here, part by part (tests/browser/audit_words.test.mjs
// holds an example of every format the sources write).

import { translated, t } from './i18n.js';
import { STATUS_WORDS } from './clock.js';

// The short lines of the first releases, as their present words.
const EARLIER = {
  login: 'signed in',
  logout: 'signed out',
  'login-failed': 'failed sign-in',
  setup: 'created the first account',
  password: 'changed the password',
};

const MAIL_WORDS = {
  get confirmation() { return t('confirmation'); },
  get reminder() { return t('reminder'); },
  get cancellation() { return t('cancellation notice'); },
  get intake() { return t('intake form'); },
};
const mail = (kind) => MAIL_WORDS[kind] || kind;

const SOURCE_WORDS = {
  get staff() { return t('by the clinic'); },
  get online() { return t('online'); },
  get 'command-line'() { return t('on the server'); },
};

// The lines about one account end with its email: "ended the sessions of EMAIL".
const ACCOUNT_LINES = ['made an admin of', 'made a practitioner of', 'disabled the account',
  'enabled the account', 'deleted the account', 'ended the sessions of',
  'issued a password reset link for'];

const KEPT_THINGS = {
  get session() { return t('session'); },
  get 'log entry'() { return t('log entry'); },
  get 'outcome measure'() { return t('outcome measure'); },
};

// [pattern, its words] of the lines made from a format.
const SHAPED = [
  [/^refused (\S+) (.*) \((\d+)\)$/, (m) => t('refused: {method} {path} (answer {status})',
    { method: m[1], path: m[2], status: m[3] })],
  [/^(removed|corrected) (session|log entry|outcome measure) (\d+)$/, (m) => (m[1] === 'removed'
    ? t('removed {thing} {n}', { thing: KEPT_THINGS[m[2]], n: m[3] })
    : t('corrected {thing} {n}', { thing: KEPT_THINGS[m[2]], n: m[3] }))],
  [/^(added|replaced|removed) the clinic's licensed text of (.+)$/, (m) => ({
    added: t("added the clinic's licensed text of {instrument}", { instrument: m[2] }),
    replaced: t("replaced the clinic's licensed text of {instrument}", { instrument: m[2] }),
    removed: t("removed the clinic's licensed text of {instrument}", { instrument: m[2] }),
  }[m[1]])],
  [/^made the operator account (.+)$/, (m) => t('made the operator account {email}', { email: m[1] })],
  [/^withdrew an invitation of (.+)$/, (m) => t('withdrew an invitation of {name}', { name: m[1] })],
  [/^set the audit log's retention to (\d+) days$/, (m) => t("set the audit log's retention to {n} days", { n: m[1] })],
  [/^removed (\d+) audit lines older than (\S+) \(a retention of (\d+) days\)$/, (m) =>
    t('removed {n} audit lines older than {when} (a retention of {days} days)', { n: m[1], when: m[2], days: m[3] })],
  [/^queued the (\S+) email of appointment (\d+)( \(no email address: to tell by hand\))?$/, (m) => (m[3]
    ? t('queued the {mail} of appointment {n}; no email address, so to tell by hand', { mail: mail(m[1]), n: m[2] })
    : t('queued the {mail} of appointment {n}', { mail: mail(m[1]), n: m[2] }))],
  [/^booked appointment (\d+) \((\S+)\)$/, (m) =>
    t('booked appointment {n} ({how})', { n: m[1], how: SOURCE_WORDS[m[2]] || m[2] })],
  [/^moved appointment (\d+)$/, (m) => t('moved appointment {n}', { n: m[1] })],
  [/^cancelled appointment (\d+)( \(late\))?$/, (m) => (m[2]
    ? t('cancelled appointment {n} (late)', { n: m[1] })
    : t('cancelled appointment {n}', { n: m[1] }))],
  [/^marked appointment (\d+) (\S+)$/, (m) =>
    t('marked appointment {n}: {status}', { n: m[1], status: STATUS_WORDS[m[2]] || m[2] })],
  [/^booked a course of (\d+) visits \(series (\d+)\)$/, (m) =>
    t('booked a course of {n} visits (series {series})', { n: m[1], series: m[2] })],
  [/^sent the (\S+) email$/, (m) => t('sent the {mail}', { mail: mail(m[1]) })],
  [/^the relay refused the (\S+) email: (.*)$/, (m) =>
    t('the mail relay refused the {mail}: {why}', { mail: mail(m[1]), why: m[2] })],
  [/^could not send the (\S+) email yet \((.*)\): trying again later$/, (m) =>
    t('could not send the {mail} yet ({why}); trying again later', { mail: mail(m[1]), why: m[2] })],
];

function lineWords(line) {
  const account = ACCOUNT_LINES.find((a) => line.startsWith(`${a} `));
  if (account) return `${translated(account)} ${line.slice(account.length + 1)}`;
  for (const [pattern, words] of SHAPED) {
    const m = line.match(pattern);
    if (m) return words(m);
  }
  return translated(EARLIER[line] || line);
}

// An audit line as a page shows it: "calendar: " (the calendar's lines) and
// " (command line)" (a line written by tpt on the server) are said apart.
export function auditWords(action) {
  let line = String(action);
  const onServer = line.endsWith(' (command line)');
  if (onServer) line = line.slice(0, -' (command line)'.length);
  const calendar = line.startsWith('calendar: ');
  if (calendar) line = line.slice('calendar: '.length);
  const words = lineWords(line);
  return `${calendar ? `${t('Calendar')}: ` : ''}${words}${onServer ? ` (${t('on the server')})` : ''}`;
}
