import { language, t } from './i18n.js';

// The clinic's clock in the page: dates and wall times as the server gives
// them ("2026-11-24", "2026-11-24T10:00", on the clinic's clock in its
// time zone), never converted through the browser's own zone, so that a
// receptionist abroad and the clinic read the same 10:00. And the words
// the calendar's pages share.

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

const asUtc = (date) => new Date(`${date}T00:00:00Z`);

// "2026-11-24" moved by n days.
export function addDays(date, n) {
  const d = asUtc(date);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// 0 Monday ... 6 Sunday.
export const weekday = (date) => (asUtc(date).getUTCDay() + 6) % 7;

// The Monday of the week of a date.
export const mondayOf = (date) => addDays(date, -weekday(date));

// "Monday 24 November 2026" (short: "Mon 24 Nov"); in another language as
// its own dates read (Intl, on the date itself, never the browser's zone).
export function dateWords(date, short = false) {
  const d = asUtc(date);
  if (language() !== 'en') {
    const form = short ? { weekday: 'short', day: 'numeric', month: 'short' }
      : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
    return new Intl.DateTimeFormat(language(), { ...form, timeZone: 'UTC' }).format(d);
  }
  const name = DAY_NAMES[weekday(date)];
  const month = MONTHS[d.getUTCMonth()];
  return short ? `${name.slice(0, 3)} ${d.getUTCDate()} ${month.slice(0, 3)}`
    : `${name} ${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
}

// "Monday 24 November 2026 at 10:00" of a wall time.
export const whenWords = (local) => t('{date} at {time}', { date: dateWords(local.slice(0, 10)), time: local.slice(11, 16) });

// "HH:MM" as minutes of the day, and back.
export const minutesOf = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

// The words of the ids the server gives, in the page's language (getters,
// so that each reads the language chosen when it is shown).
export const MODALITY_WORDS = {
  get 'dry-needling'() { return t('Dry needling'); },
  get acupuncture() { return t('Acupuncture'); },
  get cupping() { return t('Cupping'); },
  get massage() { return t('Massage'); },
  get 'manual-compression'() { return t('Manual compression'); },
  get 'tui-na'() { return t('Tui Na'); },
  get 'gua-sha'() { return t('Gua Sha'); },
  get 'moist-heat'() { return t('Moist heat'); },
  get stretching() { return t('Stretching'); },
};

export const modalityList = (ids) => (ids || []).map((m) => MODALITY_WORDS[m] || m).join(', ');

export const STATUS_WORDS = {
  get booked() { return t('Booked'); },
  get arrived() { return t('Arrived'); },
  get 'no-show'() { return t('Did not come'); },
  get cancelled() { return t('Cancelled'); },
};

export const SERVICE_KINDS = {
  get first() { return t('First visit'); },
  get 'follow-up'() { return t('Follow-up'); },
  get other() { return t('Other'); },
};
