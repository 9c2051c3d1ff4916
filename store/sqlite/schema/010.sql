-- Schema version 10: who entered a log entry (so that they, and the clinic's
-- staff, may correct it; records keep theirs since version 9), and an
-- account's own settings: the language of its pages ('' follows the
-- browser) and whether it is used at home alone, with the clinic's screens
-- out of sight
ALTER TABLE log_entries ADD COLUMN author_id INTEGER REFERENCES users(id);
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN home INTEGER NOT NULL DEFAULT 0 CHECK (home IN (0, 1));
