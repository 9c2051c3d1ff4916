-- Schema version 15 (as SQLite's 015.sql): what keeps the records safe. The
-- operator, who runs the installation and belongs to no clinic (clinic 0);
-- accounts that can be disabled and deleted (a deleted account keeps its
-- name for the notes it signed and the audit log; its email is replaced, so
-- that a new account may take it); one-time links that set a forgotten
-- password; invitations with an id that can be listed, withdrawn, and are
-- spent after wrong emails; the audit log with the client's address and each
-- line's hash, chained to the line before through the chain's head; a record
-- kept to its own account until shared; an erased record's tombstone;
-- settings of the installation (the audit log's retention). Columns are
-- added, nothing of an earlier version is rebuilt: whatever it holds stays.
-- Not an expansion: a tpt of an older version would write audit lines
-- outside the chain, so it does not run on a database of this version.

-- The operator is a column, as in SQLite (whose role check cannot change
-- without a rebuild): the account's role reads 'operator' and is kept as
-- 'admin'. A deleted account's email becomes 'deleted-ID@invalid'.
ALTER TABLE users ADD COLUMN operator boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN disabled timestamptz;
ALTER TABLE users ADD COLUMN deleted timestamptz;
CREATE INDEX users_by_clinic ON users (clinic_id, id);

ALTER TABLE invitations ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE;
ALTER TABLE invitations ADD COLUMN withdrawn timestamptz;
ALTER TABLE invitations ADD COLUMN failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0);
CREATE INDEX invitations_by_clinic ON invitations (clinic_id, id);

CREATE TABLE password_resets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id bigint NOT NULL REFERENCES users (id),
    created_by bigint REFERENCES users (id),
    created timestamptz NOT NULL,
    expires timestamptz NOT NULL,
    used timestamptz
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- (the users they name are checked when the transaction commits: a copy
-- between backends brings the patients before the accounts)
ALTER TABLE patients ADD COLUMN private_to bigint
    REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE patients ADD COLUMN erased timestamptz;
ALTER TABLE patients ADD COLUMN erased_by bigint
    REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED;
-- someone who set up tpt for themselves keeps their own record to
-- themselves when colleagues join their clinic
UPDATE patients SET private_to = u.id FROM users u
    WHERE u.patient_id = patients.id AND u.role IN ('admin', 'practitioner');

-- The audit log: the client's address, and each line's hash (BLAKE2b-256 of
-- the line and the hash before it: store/audit.c). The chain's head is one
-- row, locked (SELECT ... FOR UPDATE) by the transaction that adds a line
-- until it commits, so that lines written by several instances at once
-- chain one after the other; it has no row-level security, so that a line
-- is chained to the latest whatever clinic wrote it. Lines older than the
-- retention are removed at maintenance, which sees every clinic.
ALTER TABLE audit ADD COLUMN address text NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN hash bytea;
CREATE INDEX audit_by_user ON audit (user_id, id);
CREATE POLICY pruned_in_scope ON audit FOR DELETE USING (tpt_in_scope(clinic_id));
CREATE TABLE audit_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    line_id bigint NOT NULL DEFAULT 0,
    hash bytea
);
INSERT INTO audit_head (line_id) SELECT coalesce(max(id), 0) FROM audit;

CREATE TABLE settings (
    key text PRIMARY KEY,
    value text NOT NULL
);

-- An erased record's visit notes, their amendments and the clinicians'
-- assessments of its flags go with it; otherwise the locks of version 9.
CREATE OR REPLACE FUNCTION tpt_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF TG_TABLE_NAME = 'amendments' THEN
            IF EXISTS (SELECT 1 FROM visits v JOIN patients p ON p.id = v.patient_id
                       WHERE v.id = OLD.visit_id AND p.erased IS NOT NULL) THEN
                RETURN OLD;
            END IF;
        ELSIF EXISTS (SELECT 1 FROM patients
                      WHERE id = (to_jsonb(OLD) ->> 'patient_id')::bigint
                      AND erased IS NOT NULL) THEN
            RETURN OLD;
        END IF;
    END IF;
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
            WHEN TG_OP = 'UPDATE' THEN TG_TABLE_NAME || ' are never changed'
            ELSE TG_TABLE_NAME || ' are never deleted'
        END;
END
$$;
