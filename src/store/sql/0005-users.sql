-- Sign-in: users of an organisation, each with one role.  Passwords are
-- stored only as Argon2id hashes (libsodium's crypto_pwhash_str), never as
-- text; the e-mail address is the sign-in name, unique without regard to case.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    email           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    role            TEXT    NOT NULL
        CHECK (role IN ('admin', 'case_manager', 'legal', 'finance', 'funder')),
    password_hash   TEXT    NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    totp_secret     TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL
);
CREATE INDEX users_organisation ON users(organisation_id);
