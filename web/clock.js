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

// "Monday 24 November 2026" (short: "Mon 24 Nov").
export function dateWords(date, short = false) {
  const d = asUtc(date);
  const name = DAY_NAMES[weekday(date)];
  const month = MONTHS[d.getUTCMonth()];
  return short ? `${name.slice(0, 3)} ${d.getUTCDate()} ${month.slice(0, 3)}`
    : `${name} ${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
}

// "Monday 24 November 2026 at 10:00" of a wall time.
export const whenWords = (local) => `${dateWords(local.slice(0, 10))} at ${local.slice(11, 16)}`;

// "HH:MM" as minutes of the day, and back.
export const minutesOf = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export const MODALITY_WORDS = {
  'dry-needling': 'Dry needling',
  acupuncture: 'Acupuncture',
  cupping: 'Cupping',
  massage: 'Massage',
  'manual-compression': 'Manual compression',
  'tui-na': 'Tui Na',
  'gua-sha': 'Gua Sha',
  'moist-heat': 'Moist heat',
  stretching: 'Stretching',
};

export const modalityList = (ids) => (ids || []).map((m) => MODALITY_WORDS[m] || m).join(', ');

export const STATUS_WORDS = {
  booked: 'Booked',
  arrived: 'Arrived',
  'no-show': 'Did not come',
  cancelled: 'Cancelled',
};

export const SERVICE_KINDS = { first: 'First visit', 'follow-up': 'Follow-up', other: 'Other' };
