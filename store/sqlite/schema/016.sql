-- Schema version 16: the language of an appointment's emails. A person who
-- books online without an account gets their emails in the language of the
-- page they booked on; it is kept with the appointment, so that its
-- reminder, a move or a cancellation days later speaks the same language
-- ('' for none: the person's account decides, else English).
ALTER TABLE appointments ADD COLUMN language TEXT NOT NULL DEFAULT '';
