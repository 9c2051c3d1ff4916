-- Schema version 14 (as SQLite's 014.sql): the clinic's calendar. Its
-- public profile and settings, locations, services and who gives them,
-- practitioners' profiles and working hours; appointments; slots held during
-- online booking; the outbox of emails; intake links; calendar feeds; the
-- counters of rate limits. An expansion: a tpt of an earlier version still
-- works here (it never reads these tables).
--
-- What the public pages show (profiles, locations, services, practitioners'
-- profiles) and what holds no person (held slots, rate counters) has no
-- row-level security, as the clinics and accounts have none. What belongs to
-- a patient (appointments, the outbox, intake links, feeds) carries the
-- patient's clinic, tied to the patient by a composite key, under the policy
-- of every clinical table. An intake link and a feed are found by their
-- secret token before anyone is signed in: the policy lets the one row whose
-- token the transaction names (tpt.token, set by the store for that one
-- statement) through as well.
--
-- No two appointments of one practitioner overlap unless cancelled: an
-- exclusion constraint, which holds whichever instance or program writes
-- and whatever the timing (two transactions booking the same slot: the
-- second waits for the first, then fails). The equality on the practitioner
-- in a GiST index needs btree_gist, a trusted extension: the database's
-- owner, tpt's role, may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE clinic_profiles (
    clinic_id bigint PRIMARY KEY REFERENCES clinics (id),
    slug text UNIQUE,
    zone text NOT NULL DEFAULT 'UTC',
    address text NOT NULL DEFAULT '',
    town text NOT NULL DEFAULT '',
    postcode text NOT NULL DEFAULT '',
    phone text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    about text NOT NULL DEFAULT '',
    listed boolean NOT NULL DEFAULT false,
    booking boolean NOT NULL DEFAULT false,
    reminder_hours integer NOT NULL DEFAULT 24,
    late_cancel_hours integer NOT NULL DEFAULT 24,
    series_per_week integer NOT NULL DEFAULT 2,
    series_every_days integer NOT NULL DEFAULT 0,
    slot_minutes integer NOT NULL DEFAULT 15,
    smtp_url text NOT NULL DEFAULT '',
    mail_from text NOT NULL DEFAULT ''
);

CREATE TABLE locations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL REFERENCES clinics (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address text NOT NULL DEFAULT '',
    town text NOT NULL DEFAULT '',
    postcode text NOT NULL DEFAULT '',
    archived boolean NOT NULL DEFAULT false,
    UNIQUE (id, clinic_id)
);

CREATE TABLE services (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL REFERENCES clinics (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('first', 'follow-up', 'other')),
    minutes integer NOT NULL CHECK (minutes BETWEEN 5 AND 480),
    modalities bigint NOT NULL DEFAULT 0,
    online boolean NOT NULL DEFAULT false,
    archived boolean NOT NULL DEFAULT false,
    UNIQUE (id, clinic_id)
);

CREATE TABLE service_staff (
    service_id bigint NOT NULL REFERENCES services (id),
    user_id bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (service_id, user_id)
);

CREATE TABLE practitioners (
    user_id bigint PRIMARY KEY REFERENCES users (id),
    qualifications text NOT NULL DEFAULT '',
    modalities bigint NOT NULL DEFAULT 0,
    bookable boolean NOT NULL DEFAULT true,
    hours text
);

-- An account's clinic, for the composite keys below: a practitioner of
-- another clinic cannot be booked.
ALTER TABLE users ADD CONSTRAINT users_in_clinic UNIQUE (id, clinic_id);

CREATE TABLE appointments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    practitioner_id bigint NOT NULL,
    location_id bigint,
    service_id bigint,
    starts timestamptz NOT NULL,
    ends timestamptz NOT NULL CHECK (ends > starts),
    status text NOT NULL CHECK (status IN ('booked', 'arrived', 'no-show', 'cancelled')),
    late_cancel boolean NOT NULL DEFAULT false,
    cancelled_at timestamptz,
    reason text NOT NULL DEFAULT '',
    note text NOT NULL DEFAULT '',
    series_id bigint REFERENCES appointments (id),
    course_visit integer NOT NULL DEFAULT 0,
    reassessment boolean NOT NULL DEFAULT false,
    visit integer NOT NULL DEFAULT 0,
    source text NOT NULL CHECK (source IN ('staff', 'online', 'command-line')),
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL,
    UNIQUE (id, clinic_id),
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE,
    FOREIGN KEY (practitioner_id, clinic_id) REFERENCES users (id, clinic_id),
    FOREIGN KEY (location_id, clinic_id) REFERENCES locations (id, clinic_id),
    FOREIGN KEY (service_id, clinic_id) REFERENCES services (id, clinic_id),
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
        practitioner_id WITH =, tstzrange(starts, ends) WITH &&) WHERE (status <> 'cancelled')
);
CREATE INDEX appointments_by_clinic ON appointments (clinic_id, starts);
CREATE INDEX appointments_by_patient ON appointments (patient_id, starts);

CREATE TABLE holds (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    clinic_id bigint NOT NULL REFERENCES clinics (id),
    practitioner_id bigint NOT NULL,
    location_id bigint,
    service_id bigint,
    starts timestamptz NOT NULL,
    ends timestamptz NOT NULL CHECK (ends > starts),
    expires timestamptz NOT NULL,
    FOREIGN KEY (practitioner_id, clinic_id) REFERENCES users (id, clinic_id),
    FOREIGN KEY (location_id, clinic_id) REFERENCES locations (id, clinic_id),
    FOREIGN KEY (service_id, clinic_id) REFERENCES services (id, clinic_id)
);
CREATE INDEX holds_by_practitioner ON holds (practitioner_id, starts);
CREATE INDEX holds_by_expiry ON holds (expires);

CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL REFERENCES clinics (id),
    patient_id bigint,
    appointment_id bigint,
    kind text NOT NULL CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'intake')),
    state text NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dropped',
                                         'handled')),
    recipient text NOT NULL DEFAULT '',
    subject text NOT NULL,
    body text NOT NULL,
    links text,
    due timestamptz NOT NULL,
    expires timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt timestamptz,
    lease timestamptz,
    error text NOT NULL DEFAULT '',
    sent_at timestamptz,
    created_at timestamptz NOT NULL,
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE,
    FOREIGN KEY (appointment_id, clinic_id) REFERENCES appointments (id, clinic_id)
        ON UPDATE CASCADE
);
CREATE INDEX outbox_waiting ON outbox (state, due) WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_by_clinic ON outbox (clinic_id, due);
CREATE INDEX outbox_by_appointment ON outbox (appointment_id);

CREATE TABLE intakes (
    appointment_id bigint PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    clinic_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    expires timestamptz NOT NULL,
    subjective text,
    subjective_at timestamptz,
    drawing_id bigint REFERENCES records (id),
    measures integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    FOREIGN KEY (appointment_id, clinic_id) REFERENCES appointments (id, clinic_id)
        ON UPDATE CASCADE,
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE
);

CREATE TABLE feeds (
    patient_id bigint PRIMARY KEY,
    clinic_id bigint NOT NULL,
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    live boolean NOT NULL,
    sessions text NOT NULL DEFAULT '',
    check_minute integer NOT NULL DEFAULT -1,
    created_at timestamptz NOT NULL,
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE
);

CREATE TABLE rate_limits (
    key text PRIMARY KEY,
    "window" timestamptz NOT NULL,
    hits integer NOT NULL
);
CREATE INDEX rate_limits_by_window ON rate_limits ("window");

-- Appointments are cancelled, never deleted; the outbox is the record of
-- what was sent. The store never deletes either: a program that tries fails
-- with SQLSTATE TPT02.
CREATE FUNCTION tpt_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'TPT02',
        MESSAGE = CASE TG_TABLE_NAME
            WHEN 'appointments' THEN 'appointments are never deleted: they are cancelled'
            ELSE TG_TABLE_NAME || ' is never deleted'
        END;
END
$$;
CREATE TRIGGER appointments_kept BEFORE DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION tpt_refuse_delete();
CREATE TRIGGER appointments_not_truncated BEFORE TRUNCATE ON appointments
    FOR EACH STATEMENT EXECUTE FUNCTION tpt_refuse_delete();
CREATE TRIGGER outbox_kept BEFORE DELETE ON outbox
    FOR EACH ROW EXECUTE FUNCTION tpt_refuse_delete();
CREATE TRIGGER outbox_not_truncated BEFORE TRUNCATE ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION tpt_refuse_delete();

-- The token the transaction presents, as bytes (NULL when none).
CREATE FUNCTION tpt_token() RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT decode(nullif(coalesce(current_setting('tpt.token', true), ''), ''), 'hex')
$$;

ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE intakes ENABLE ROW LEVEL SECURITY;
ALTER TABLE feeds ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointments FORCE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
ALTER TABLE intakes FORCE ROW LEVEL SECURITY;
ALTER TABLE feeds FORCE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON appointments USING (tpt_in_scope(clinic_id));
CREATE POLICY in_scope ON outbox USING (tpt_in_scope(clinic_id));
CREATE POLICY in_scope ON intakes USING (tpt_in_scope(clinic_id));
CREATE POLICY in_scope ON feeds USING (tpt_in_scope(clinic_id));
CREATE POLICY by_token ON intakes FOR SELECT USING (token_hash = tpt_token());
CREATE POLICY by_token ON feeds FOR SELECT USING (token_hash = tpt_token());
