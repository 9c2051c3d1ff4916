-- Schema version 9: who entered a log entry or a record (so that they, and
-- the clinic's staff, may correct it), and an account's own settings: the
-- language of its pages ('' follows the browser) and whether it is used at
-- home alone, with the clinic's screens out of sight
ALTER TABLE log_entries ADD COLUMN author_id INTEGER REFERENCES users(id);
ALTER TABLE records ADD COLUMN author_id INTEGER REFERENCES users(id);
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN home INTEGER NOT NULL DEFAULT 0 CHECK (home IN (0, 1));
