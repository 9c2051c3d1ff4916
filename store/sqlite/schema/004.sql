-- Schema version 4: clinics, accounts tied to a clinic (and a patient to
-- their record), invitations; accounts made before clinics existed join the
-- first one
CREATE TABLE clinics (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL);
ALTER TABLE users ADD COLUMN clinic_id INTEGER REFERENCES clinics(id);
ALTER TABLE users ADD COLUMN patient_id INTEGER REFERENCES patients(id);
ALTER TABLE patients ADD COLUMN clinic_id INTEGER REFERENCES clinics(id);
INSERT INTO clinics (id, name) SELECT 1, 'Clinic' WHERE EXISTS (SELECT 1 FROM users);
UPDATE users SET clinic_id = 1;
CREATE INDEX patients_by_clinic ON patients(clinic_id, name);
CREATE TABLE invitations (
  token_hash BLOB PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'practitioner', 'patient')),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER REFERENCES patients(id),
  created_by INTEGER NOT NULL REFERENCES users(id),
  created TEXT NOT NULL,
  expires TEXT NOT NULL,
  used TEXT NOT NULL DEFAULT '');
CREATE INDEX audit_by_patient ON audit(patient_id, id);
