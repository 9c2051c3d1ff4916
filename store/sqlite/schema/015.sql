-- Schema version 15: what keeps the records safe.
-- The operator, who runs the installation and belongs to no clinic; accounts
-- that can be disabled and deleted (a deleted account keeps its name for the
-- notes it signed and the audit log, and frees its email); one-time links
-- that set a forgotten password; invitations with an id that can be listed,
-- withdrawn, and are spent after wrong emails; the audit log with the
-- client's address and each line's hash, chained to the line before; a
-- record kept to its own account until shared; an erased record's tombstone;
-- settings of the installation (the audit log's retention).
-- Invitations are rebuilt with foreign keys off (the migration turns them off
-- for its connection and checks every reference before it commits).
-- Columns are added, never a table of another version rebuilt, so that
-- whatever earlier versions added to users stays. The operator is a column
-- (the role's check cannot change without a rebuild): such an account's role
-- reads 'operator'. The email stays unique: a deleted account's is replaced.
ALTER TABLE users ADD COLUMN operator INTEGER NOT NULL DEFAULT 0 CHECK (operator IN (0, 1));
ALTER TABLE users ADD COLUMN disabled TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN deleted TEXT NOT NULL DEFAULT '';
CREATE INDEX users_by_clinic ON users(clinic_id, id);

CREATE TABLE invitations_new (
  id INTEGER PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'practitioner', 'patient')),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER REFERENCES patients(id),
  created_by INTEGER NOT NULL REFERENCES users(id),
  created TEXT NOT NULL,
  expires TEXT NOT NULL,
  used TEXT NOT NULL DEFAULT '',
  withdrawn TEXT NOT NULL DEFAULT '',
  failures INTEGER NOT NULL DEFAULT 0);
INSERT INTO invitations_new (token_hash, role, name, email, clinic_id, patient_id, created_by,
                             created, expires, used)
  SELECT token_hash, role, name, email, clinic_id, patient_id, created_by, created, expires, used
  FROM invitations ORDER BY created;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;
CREATE INDEX invitations_by_clinic ON invitations(clinic_id, id);

CREATE TABLE password_resets (
  id INTEGER PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_by INTEGER REFERENCES users(id),
  created TEXT NOT NULL,
  expires TEXT NOT NULL,
  used TEXT NOT NULL DEFAULT '');

ALTER TABLE audit ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN hash BLOB;
CREATE INDEX audit_by_user ON audit(user_id, id);

ALTER TABLE patients ADD COLUMN private_to INTEGER REFERENCES users(id);
ALTER TABLE patients ADD COLUMN erased TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN erased_by INTEGER REFERENCES users(id);
-- someone who set up tpt for themselves keeps their own record to
-- themselves when colleagues join their clinic
UPDATE patients SET private_to = (SELECT u.id FROM users u WHERE u.patient_id = patients.id
                                   AND u.role IN ('admin', 'practitioner'))
  WHERE EXISTS (SELECT 1 FROM users u WHERE u.patient_id = patients.id
                AND u.role IN ('admin', 'practitioner'));

-- an erased record's visit notes, their amendments and the clinicians'
-- assessments of its flags go with it; otherwise they are never deleted
DROP TRIGGER visits_kept;
CREATE TRIGGER visits_kept BEFORE DELETE ON visits
WHEN (SELECT erased FROM patients WHERE id = OLD.patient_id) = ''
BEGIN SELECT RAISE(ABORT, 'visit notes are never deleted'); END;
DROP TRIGGER amendments_not_deleted;
CREATE TRIGGER amendments_not_deleted BEFORE DELETE ON amendments
WHEN (SELECT p.erased FROM visits v JOIN patients p ON p.id = v.patient_id
      WHERE v.id = OLD.visit_id) = ''
BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;
DROP TRIGGER assessments_not_deleted;
CREATE TRIGGER assessments_not_deleted BEFORE DELETE ON assessments
WHEN (SELECT erased FROM patients WHERE id = OLD.patient_id) = ''
BEGIN SELECT RAISE(ABORT, 'assessments are never deleted'); END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);
