-- Schema version 1: patients and the daily log
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  is_self INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)));
CREATE TABLE log_entries (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  at TEXT NOT NULL,
  leg_pain INTEGER CHECK (leg_pain BETWEEN 0 AND 10),
  back_pain INTEGER CHECK (back_pain BETWEEN 0 AND 10),
  sitting_minutes INTEGER CHECK (sitting_minutes BETWEEN 0 AND 1440),
  walking_minutes INTEGER CHECK (walking_minutes BETWEEN 0 AND 1440),
  sleep_disturbed INTEGER CHECK (sleep_disturbed IN (0, 1)),
  medication TEXT,
  note TEXT);
CREATE INDEX log_entries_by_patient ON log_entries(patient_id, at);
