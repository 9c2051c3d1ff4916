-- Schema version 13 (as SQLite's 013.sql): the wording of a licensed
-- outcome measure (ODI, RMDQ, STarT Back) as one clinic holds it under its
-- own licence, one item-text file per clinic and instrument, seen only by
-- that clinic (row-level security, as the clinical tables). An expansion: a
-- tpt of an earlier version still works here (it does not know the table).
-- Refers only to clinics and users, so it applies on top of any version
-- from 9.
CREATE TABLE instrument_texts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL REFERENCES clinics (id) CHECK (clinic_id > 0),
    instrument text NOT NULL CHECK (instrument ~ '^[a-z0-9-]{1,63}$'),
    file text NOT NULL CHECK (length(file) BETWEEN 1 AND 200),
    at timestamptz NOT NULL,
    author_id bigint REFERENCES users (id),
    text text NOT NULL CHECK (octet_length(text) BETWEEN 1 AND 262144),
    UNIQUE (clinic_id, instrument)
);
ALTER TABLE instrument_texts ENABLE ROW LEVEL SECURITY;
ALTER TABLE instrument_texts FORCE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON instrument_texts USING (tpt_in_scope(clinic_id));
