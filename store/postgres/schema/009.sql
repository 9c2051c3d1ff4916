-- Schema version 9 (as SQLite's 009.sql): who kept each screen, drawing,
-- plan and session (the account, NULL for the command line, and whether a
-- clinician kept it about someone else: a flag it raises is lifted only by a
-- clinician), and the clinicians' assessments of red flags, never changed.
-- An expansion: a tpt of version 8 still works here (its records are kept
-- with no author, as the command line's).
ALTER TABLE records ADD COLUMN author_id bigint REFERENCES users (id);
ALTER TABLE records ADD COLUMN clinician boolean NOT NULL DEFAULT false;

CREATE TABLE assessments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id bigint NOT NULL,
    patient_id bigint NOT NULL,
    at timestamptz NOT NULL,
    author_id bigint NOT NULL REFERENCES users (id),
    record_id bigint NOT NULL REFERENCES records (id),
    flag text NOT NULL CHECK (flag ~ '^[a-z0-9-]{1,63}$'),
    finding text NOT NULL CHECK (length(finding) >= 1),
    FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id) ON UPDATE CASCADE
);
CREATE INDEX assessments_by_patient ON assessments (patient_id, at, id);
ALTER TABLE assessments ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessments FORCE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON assessments USING (tpt_in_scope(clinic_id));

-- The locks of version 8, and assessments kept as amendments are.
CREATE OR REPLACE FUNCTION tpt_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
            WHEN TG_OP = 'UPDATE' THEN TG_TABLE_NAME || ' are never changed'
            ELSE TG_TABLE_NAME || ' are never deleted'
        END;
END
$$;
CREATE TRIGGER assessments_kept BEFORE UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION tpt_refuse_change();
CREATE TRIGGER assessments_not_truncated BEFORE TRUNCATE ON assessments
    FOR EACH STATEMENT EXECUTE FUNCTION tpt_refuse_change();
