-- Schema version 5: a clinic's patient details, visits in SOAP form (locked
-- once signed: the triggers refuse any change), amendments (never changed)
ALTER TABLE patients ADD COLUMN birth_year INTEGER;
ALTER TABLE patients ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN consent TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN archived TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN planned_visits INTEGER NOT NULL DEFAULT 6;
CREATE TABLE visits (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  number INTEGER NOT NULL,
  at TEXT NOT NULL,
  author_id INTEGER REFERENCES users(id),
  note TEXT NOT NULL,
  result TEXT,
  signed_at TEXT NOT NULL DEFAULT '',
  signed_by INTEGER REFERENCES users(id),
  UNIQUE (patient_id, number));
CREATE TRIGGER visits_locked BEFORE UPDATE ON visits WHEN OLD.signed_at != ''
BEGIN SELECT RAISE(ABORT, 'a signed visit note is locked'); END;
CREATE TRIGGER visits_kept BEFORE DELETE ON visits
BEGIN SELECT RAISE(ABORT, 'visit notes are never deleted'); END;
CREATE TABLE amendments (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visits(id),
  at TEXT NOT NULL,
  author_id INTEGER REFERENCES users(id),
  text TEXT NOT NULL);
CREATE INDEX amendments_by_visit ON amendments(visit_id, id);
CREATE TRIGGER amendments_kept BEFORE UPDATE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments are never changed'); END;
CREATE TRIGGER amendments_not_deleted BEFORE DELETE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;
