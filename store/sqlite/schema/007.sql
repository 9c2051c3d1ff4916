-- Schema version 7: the names a person gives a measure's named items (the
-- PSFS's activities), as JSON, so the same things are rated next time
ALTER TABLE measures ADD COLUMN names TEXT;
