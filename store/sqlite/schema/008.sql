-- Schema version 8: failed sign-ins per email (a hash of it), known or not,
-- in place of the accounts' own counts, which told which emails have an
-- account
CREATE TABLE sign_in_failures (
  email_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  locked_until TEXT NOT NULL,
  at TEXT NOT NULL);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures(at);
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
