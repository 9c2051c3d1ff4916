-- Schema version 13: the wording of a licensed outcome measure (ODI, RMDQ,
-- STarT Back) as one clinic holds it under its own licence, one item-text
-- file per clinic and instrument (a new one replaces it, keeping its id).
-- Refers only to clinics and users, so it applies on top of any version
-- from 9.
CREATE TABLE instrument_texts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  instrument TEXT NOT NULL,
  file TEXT NOT NULL,
  at TEXT NOT NULL,
  author_id INTEGER REFERENCES users(id),
  text TEXT NOT NULL,
  UNIQUE (clinic_id, instrument));
