-- Schema version 14: the clinic's calendar. Its public profile and settings,
-- locations, services and who gives them, practitioners' profiles and
-- working hours; appointments, of which no two of one practitioner overlap
-- unless cancelled (the triggers refuse it, whoever writes); slots held
-- during online booking; the outbox of emails; intake links; calendar
-- feeds; the counters of rate limits
CREATE TABLE clinic_profiles (
  clinic_id INTEGER PRIMARY KEY REFERENCES clinics(id),
  slug TEXT UNIQUE,
  zone TEXT NOT NULL DEFAULT 'UTC',
  address TEXT NOT NULL DEFAULT '',
  town TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  about TEXT NOT NULL DEFAULT '',
  listed INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),
  booking INTEGER NOT NULL DEFAULT 0 CHECK (booking IN (0, 1)),
  reminder_hours INTEGER NOT NULL DEFAULT 24,
  late_cancel_hours INTEGER NOT NULL DEFAULT 24,
  series_per_week INTEGER NOT NULL DEFAULT 2,
  series_every_days INTEGER NOT NULL DEFAULT 0,
  slot_minutes INTEGER NOT NULL DEFAULT 15,
  smtp_url TEXT NOT NULL DEFAULT '',
  mail_from TEXT NOT NULL DEFAULT '');
CREATE TABLE locations (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  town TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)));
CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('first', 'follow-up', 'other')),
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480),
  modalities INTEGER NOT NULL DEFAULT 0,
  online INTEGER NOT NULL DEFAULT 0 CHECK (online IN (0, 1)),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)));
CREATE TABLE service_staff (
  service_id INTEGER NOT NULL REFERENCES services(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (service_id, user_id));
CREATE TABLE practitioners (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  qualifications TEXT NOT NULL DEFAULT '',
  modalities INTEGER NOT NULL DEFAULT 0,
  bookable INTEGER NOT NULL DEFAULT 1 CHECK (bookable IN (0, 1)),
  hours TEXT);
CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  practitioner_id INTEGER NOT NULL REFERENCES users(id),
  location_id INTEGER REFERENCES locations(id),
  service_id INTEGER REFERENCES services(id),
  starts TEXT NOT NULL,
  ends TEXT NOT NULL CHECK (ends > starts),
  status TEXT NOT NULL CHECK (status IN ('booked', 'arrived', 'no-show', 'cancelled')),
  late_cancel INTEGER NOT NULL DEFAULT 0 CHECK (late_cancel IN (0, 1)),
  cancelled_at TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  series_id INTEGER REFERENCES appointments(id),
  course_visit INTEGER NOT NULL DEFAULT 0,
  reassessment INTEGER NOT NULL DEFAULT 0 CHECK (reassessment IN (0, 1)),
  visit INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL CHECK (source IN ('staff', 'online', 'command-line')),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL);
CREATE INDEX appointments_by_practitioner ON appointments(practitioner_id, starts);
CREATE INDEX appointments_by_clinic ON appointments(clinic_id, starts);
CREATE INDEX appointments_by_patient ON appointments(patient_id, starts);
-- stored times sort as text, so "starts before the other ends and ends
-- after it starts" is the overlap of two appointments
CREATE TRIGGER appointments_no_overlap BEFORE INSERT ON appointments
WHEN NEW.status != 'cancelled'
BEGIN SELECT RAISE(ABORT, 'the practitioner has another appointment then')
  WHERE EXISTS (SELECT 1 FROM appointments WHERE practitioner_id = NEW.practitioner_id
                AND status != 'cancelled' AND starts < NEW.ends AND ends > NEW.starts); END;
CREATE TRIGGER appointments_no_overlap_moved
BEFORE UPDATE OF practitioner_id, starts, ends, status ON appointments
WHEN NEW.status != 'cancelled'
BEGIN SELECT RAISE(ABORT, 'the practitioner has another appointment then')
  WHERE EXISTS (SELECT 1 FROM appointments WHERE practitioner_id = NEW.practitioner_id
                AND id != NEW.id AND status != 'cancelled'
                AND starts < NEW.ends AND ends > NEW.starts); END;
CREATE TRIGGER appointments_kept BEFORE DELETE ON appointments
BEGIN SELECT RAISE(ABORT, 'appointments are never deleted: they are cancelled'); END;
CREATE TABLE holds (
  token_hash BLOB PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  practitioner_id INTEGER NOT NULL REFERENCES users(id),
  location_id INTEGER REFERENCES locations(id),
  service_id INTEGER REFERENCES services(id),
  starts TEXT NOT NULL,
  ends TEXT NOT NULL CHECK (ends > starts),
  expires TEXT NOT NULL);
CREATE INDEX holds_by_practitioner ON holds(practitioner_id, starts);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER REFERENCES patients(id),
  appointment_id INTEGER REFERENCES appointments(id),
  kind TEXT NOT NULL CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'intake')),
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dropped',
                                       'handled')),
  recipient TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  links TEXT,
  due TEXT NOT NULL,
  expires TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt TEXT NOT NULL DEFAULT '',
  lease TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  sent_at TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL);
CREATE INDEX outbox_waiting ON outbox(state, due);
CREATE INDEX outbox_by_clinic ON outbox(clinic_id, due);
CREATE TRIGGER outbox_kept BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'the outbox is never deleted'); END;
CREATE TABLE intakes (
  appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id),
  token_hash BLOB NOT NULL UNIQUE,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  expires TEXT NOT NULL,
  subjective TEXT,
  subjective_at TEXT NOT NULL DEFAULT '',
  drawing_id INTEGER REFERENCES records(id),
  measures INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL);
CREATE TABLE feeds (
  patient_id INTEGER PRIMARY KEY REFERENCES patients(id),
  token_hash BLOB NOT NULL UNIQUE,
  live INTEGER NOT NULL CHECK (live IN (0, 1)),
  sessions TEXT NOT NULL DEFAULT '',
  check_minute INTEGER NOT NULL DEFAULT -1,
  created_at TEXT NOT NULL);
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window TEXT NOT NULL,
  hits INTEGER NOT NULL);
CREATE INDEX rate_limits_by_window ON rate_limits(window);
