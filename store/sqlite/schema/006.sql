-- Schema version 6: outcome measures, each as answered and as scored
CREATE TABLE measures (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  instrument TEXT NOT NULL,
  at TEXT NOT NULL,
  visit INTEGER,
  author_id INTEGER REFERENCES users(id),
  answers TEXT NOT NULL,
  score REAL NOT NULL,
  band TEXT NOT NULL DEFAULT '');
CREATE INDEX measures_by_patient ON measures(patient_id, instrument, at);
