-- Schema version 2: what tpt produced for a patient
CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  kind TEXT NOT NULL CHECK (kind IN ('screen', 'drawing', 'plan', 'session')),
  at TEXT NOT NULL,
  summary TEXT NOT NULL,
  input TEXT,
  body TEXT NOT NULL);
CREATE INDEX records_by_patient ON records(patient_id, kind, at);
CREATE UNIQUE INDEX patients_one_self ON patients(is_self) WHERE is_self = 1;
