-- tpt on PostgreSQL, schema version 8: the tables of the SQLite schema at its
-- version 8 (store/sqlite/schema/), written for a server shared by several
-- clinics and instances. A PostgreSQL database starts at this version, the
-- one SQLite had when PostgreSQL came; version 9 and later are one file each
-- in both backends.
--
-- Ids are identity columns; times are timestamptz (the store speaks UTC text,
-- "2026-11-21T08:30:00Z", and reads them back through tpt_utc_text); a time
-- that is not there is NULL, where SQLite keeps ''. Clinic 0 is the clinic of
-- no clinic: the records the command line keeps for one person. Names and
-- emails compare in any ASCII case, as SQLite's NOCASE does: lower() under
-- the "C" collation folds A-Z only.
--
-- Tenant isolation: every clinical row carries its clinic, tied to its
-- patient's by a composite foreign key (so a row can never sit in another
-- clinic than its patient's), and row-level security, forced so that it holds
-- for the owner too, shows a transaction only the rows of the clinic it set:
--   SELECT set_config('tpt.clinic', '12', true)   -- this transaction: clinic 12
-- '*' is every clinic (maintenance: migrations, copies, checks); unset or ''
-- is none. A handler that forgets its access check still reads nothing of
-- another clinic. A superuser, or a role with BYPASSRLS, passes every policy:
-- tpt connects as a plain role that owns these tables.

-- The scope a transaction set, as a test on a row's clinic. Inlined by the
-- planner: the policies cost a comparison per row.
CREATE FUNCTION tpt_in_scope(clinic bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE coalesce(current_setting('tpt.clinic', true), '')
               WHEN '*' THEN true
               WHEN '' THEN false
               ELSE clinic = current_setting('tpt.clinic', true)::bigint
           END
$$;

-- The one form times are given back in.
CREATE FUNCTION tpt_utc_text(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE TABLE clinics (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);
INSERT INTO clinics (id, name) OVERRIDING SYSTEM VALUE VALUES (0, 'no clinic');

CREATE TABLE patients (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL DEFAULT 0 REFERENCES clinics (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    is_self boolean NOT NULL DEFAULT false,
    birth_year integer CHECK (birth_year BETWEEN 1900 AND 2100),
    contact text NOT NULL DEFAULT '' CHECK (length(contact) <= 200),
    consent timestamptz,
    archived timestamptz,
    planned_visits integer NOT NULL DEFAULT 6 CHECK (planned_visits BETWEEN 1 AND 50),
    UNIQUE (id, clinic_id) -- what the clinical rows' composite keys point at
);
-- one record of one's own, even when several first uses race
CREATE UNIQUE INDEX patients_one_self ON patients (is_self) WHERE is_self;
CREATE INDEX patients_by_clinic ON patients (clinic_id, lower(name COLLATE "C"), id);

-- A patient moving to a clinic (someone who used tpt alone joining a clinic
-- with their record) takes every row of theirs along: ON UPDATE CASCADE.
CREATE TABLE log_entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    at timestamptz NOT NULL,
    leg_pain smallint CHECK (leg_pain BETWEEN 0 AND 10),
    back_pain smallint CHECK (back_pain BETWEEN 0 AND 10),
    sitting_minutes smallint CHECK (sitting_minutes BETWEEN 0 AND 1440),
    walking_minutes smallint CHECK (walking_minutes BETWEEN 0 AND 1440),
    sleep_disturbed boolean,
    medication text,
    note text,
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE
);
CREATE INDEX log_entries_by_patient ON log_entries (patient_id, at, id);

CREATE TABLE records (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('screen', 'drawing', 'plan', 'session')),
    at timestamptz NOT NULL,
    summary text NOT NULL,
    input text,
    body text NOT NULL,
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE
);
CREATE INDEX records_by_patient ON records (patient_id, kind, at, id);

CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL DEFAULT 0 REFERENCES clinics (id),
    patient_id bigint REFERENCES patients (id),
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name text NOT NULL CHECK (length(name) <= 200),
    role text NOT NULL CHECK (role IN ('admin', 'practitioner', 'patient')),
    password_hash text NOT NULL
);
-- one account an email, whatever its case
CREATE UNIQUE INDEX users_by_email ON users (lower(email COLLATE "C"));

CREATE TABLE auth_sessions (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf text NOT NULL,
    expires timestamptz NOT NULL
);
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id);
CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires);

-- Failed sign-ins per email (a keyed hash of it), known or not.
CREATE TABLE sign_in_failures (
    email_key text PRIMARY KEY,
    failures integer NOT NULL CHECK (failures >= 0),
    locked_until timestamptz,
    at timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);

CREATE TABLE invitations (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    role text NOT NULL CHECK (role IN ('admin', 'practitioner', 'patient')),
    name text NOT NULL,
    email text NOT NULL,
    clinic_id bigint NOT NULL REFERENCES clinics (id),
    patient_id bigint,
    created_by bigint NOT NULL REFERENCES users (id),
    created timestamptz NOT NULL,
    expires timestamptz NOT NULL,
    used timestamptz,
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE
);

CREATE TABLE audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL DEFAULT 0 REFERENCES clinics (id),
    at timestamptz NOT NULL,
    user_id bigint REFERENCES users (id),
    action text NOT NULL,
    patient_id bigint REFERENCES patients (id)
);
CREATE INDEX audit_by_patient ON audit (patient_id, id);
CREATE INDEX audit_by_clinic ON audit (clinic_id, id);

-- Visits in SOAP form, locked once signed; amendments never change.
CREATE TABLE visits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    number integer NOT NULL CHECK (number >= 1),
    at timestamptz NOT NULL,
    author_id bigint REFERENCES users (id),
    note text NOT NULL,
    result text,
    signed_at timestamptz,
    signed_by bigint REFERENCES users (id),
    UNIQUE (patient_id, number),
    UNIQUE (id, clinic_id),
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE
);

CREATE TABLE amendments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL,
    visit_id bigint NOT NULL,
    at timestamptz NOT NULL,
    author_id bigint REFERENCES users (id),
    text text NOT NULL,
    FOREIGN KEY (visit_id, clinic_id) REFERENCES visits (id, clinic_id) ON UPDATE CASCADE
);
CREATE INDEX amendments_by_visit ON amendments (visit_id, id);

-- The locks, with a SQLSTATE of their own (TPT01) that the store recognises
-- by code. A row may only follow its patient to another clinic.
CREATE FUNCTION tpt_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF TG_TABLE_NAME = 'visits' THEN
            IF OLD.signed_at IS NULL THEN
                RETURN NEW; -- a draft
            END IF;
        END IF;
        IF to_jsonb(NEW) - 'clinic_id' = to_jsonb(OLD) - 'clinic_id' THEN
            RETURN NEW; -- the cascade of a patient's move
        END IF;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'TPT01',
        MESSAGE = CASE
            WHEN TG_TABLE_NAME = 'visits' AND TG_OP = 'UPDATE' THEN 'a signed visit note is locked'
            WHEN TG_TABLE_NAME = 'visits' THEN 'visit notes are never deleted'
            WHEN TG_OP = 'UPDATE' THEN 'amendments are never changed'
            ELSE 'amendments are never deleted'
        END;
END
$$;
CREATE TRIGGER visits_locked BEFORE UPDATE OR DELETE ON visits
    FOR EACH ROW EXECUTE FUNCTION tpt_refuse_change();
CREATE TRIGGER visits_not_truncated BEFORE TRUNCATE ON visits
    FOR EACH STATEMENT EXECUTE FUNCTION tpt_refuse_change();
CREATE TRIGGER amendments_kept BEFORE UPDATE OR DELETE ON amendments
    FOR EACH ROW EXECUTE FUNCTION tpt_refuse_change();
CREATE TRIGGER amendments_not_truncated BEFORE TRUNCATE ON amendments
    FOR EACH STATEMENT EXECUTE FUNCTION tpt_refuse_change();

CREATE TABLE measures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    instrument text NOT NULL CHECK (length(instrument) BETWEEN 1 AND 63),
    at timestamptz NOT NULL,
    visit integer,
    author_id bigint REFERENCES users (id),
    answers text NOT NULL,
    names text,
    score double precision NOT NULL,
    band text NOT NULL DEFAULT '',
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE
);
CREATE INDEX measures_by_patient ON measures (patient_id, instrument, at, id);

-- Row-level security on every clinical table; the audit log is written by
-- anyone (a line is never lost to a scope) and read within the scope.
ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
ALTER TABLE log_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE records ENABLE ROW LEVEL SECURITY;
ALTER TABLE visits ENABLE ROW LEVEL SECURITY;
ALTER TABLE amendments ENABLE ROW LEVEL SECURITY;
ALTER TABLE measures ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE patients FORCE ROW LEVEL SECURITY;
ALTER TABLE log_entries FORCE ROW LEVEL SECURITY;
ALTER TABLE records FORCE ROW LEVEL SECURITY;
ALTER TABLE visits FORCE ROW LEVEL SECURITY;
ALTER TABLE amendments FORCE ROW LEVEL SECURITY;
ALTER TABLE measures FORCE ROW LEVEL SECURITY;
ALTER TABLE audit FORCE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON patients USING (tpt_in_scope(clinic_id));
CREATE POLICY in_scope ON log_entries USING (tpt_in_scope(clinic_id));
CREATE POLICY in_scope ON records USING (tpt_in_scope(clinic_id));
CREATE POLICY in_scope ON visits USING (tpt_in_scope(clinic_id));
CREATE POLICY in_scope ON amendments USING (tpt_in_scope(clinic_id));
CREATE POLICY in_scope ON measures USING (tpt_in_scope(clinic_id));
CREATE POLICY read_in_scope ON audit FOR SELECT USING (tpt_in_scope(clinic_id));
CREATE POLICY written_by_all ON audit FOR INSERT WITH CHECK (true);

-- The store's own bookkeeping, apart from the records: a token a
-- transaction that changed something writes just before its COMMIT, so that
-- when the connection is lost during the COMMIT (a failover) the store can
-- ask the new primary whether it committed. Tokens older than a day go.
CREATE TABLE tpt_commits (
    token bytea PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now()
);
