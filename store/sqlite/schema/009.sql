-- Schema version 9: who kept each screen, drawing, plan and session (the
-- account, NULL for the command line, and whether a clinician kept it about
-- someone else: a flag it raises is lifted only by a clinician), and the
-- clinicians' assessments of red flags (never changed)
ALTER TABLE records ADD COLUMN author_id INTEGER REFERENCES users(id);
ALTER TABLE records ADD COLUMN clinician INTEGER NOT NULL DEFAULT 0 CHECK (clinician IN (0, 1));
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  at TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  record_id INTEGER NOT NULL REFERENCES records(id),
  flag TEXT NOT NULL,
  finding TEXT NOT NULL);
CREATE INDEX assessments_by_patient ON assessments(patient_id, at);
CREATE TRIGGER assessments_kept BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are never changed'); END;
CREATE TRIGGER assessments_not_deleted BEFORE DELETE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are never deleted'); END;
