-- Schema version 16 (as SQLite's 016.sql): the language of an appointment's
-- emails, the language of the page a person booked on online, kept so that
-- its reminder, a move or a cancellation days later speaks the same
-- language ('' for none: the person's account decides, else English). An
-- expansion: a tpt of version 15 books without it, and its appointments
-- take ''. Held to a language tag's shape, as users.language is.
ALTER TABLE appointments ADD COLUMN language text NOT NULL DEFAULT ''
    CHECK (language ~ '^([a-z]{2}[a-z-]{0,13})?$');
