-- Schema version 10 (as SQLite's 010.sql): who entered a log entry (so that
-- they, and the clinic's staff, may correct it; records keep theirs since
-- version 9), and an account's own settings: the language of its pages (''
-- follows the browser) and whether it is used at home alone, with the
-- clinic's screens out of sight. An expansion: a tpt of version 8 or 9 still
-- works here (its log entries are kept with no author, its accounts with the
-- defaults). Correcting and removing log entries, sessions and measures
-- needs no change: those tables were never locked.
ALTER TABLE log_entries ADD COLUMN author_id bigint REFERENCES users (id);
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT ''
    CHECK (language ~ '^([a-z]{2}[a-z-]{0,13})?$');
ALTER TABLE users ADD COLUMN home boolean NOT NULL DEFAULT false;
