-- SPDX-License-Identifier: MIT
-- Identifiers encrypted at rest, and the audit log (docs/audit.md).
--
-- people.external_id now holds "enc1:" and the base64 of XChaCha20-Poly1305
-- ciphertext (src/crypto/ident.c), made with a key kept outside the file.
-- Values written before are encrypted in place by the store right after
-- this runs, in the same transaction (src/store/sqlite.c): SQL cannot reach
-- the key.  The trigger refuses a plaintext identifier to any update.  Not
-- to inserts, which come only through hw_store_insert(): a trigger on
-- people makes SQLite keep a statement journal for every row inserted, and
-- that cost a load of 100,000 people 20%.
CREATE TRIGGER people_external_id_update BEFORE UPDATE OF external_id ON people
WHEN NEW.external_id IS NOT NULL AND substr(NEW.external_id, 1, 5) <> 'enc1:'
BEGIN
    SELECT RAISE(ABORT, 'people.external_id is stored encrypted: write it through the store');
END;

-- The blind index of each person's identifier: keyed BLAKE2b of its normal
-- form, so a person is found by identifier without decrypting the table.
-- A table of its own because people's columns are the vocabulary's; no
-- foreign key, as the store writes a row here only with its person.
CREATE TABLE external_ids (
    person_id   INTEGER PRIMARY KEY,
    blind_index BLOB    NOT NULL
);
CREATE INDEX external_ids_blind_index ON external_ids(blind_index);

-- Every read of a person's record and every write: who, when, what, from
-- where.  hash is keyed BLAKE2b over prev_hash and the entry's fields, id
-- included (src/audit/audit.c), with a key kept outside the file: an entry
-- edited or deleted breaks the chain, and no one without the key can mend
-- it.  Entries are never edited (the trigger).  Deleting cannot be refused
-- to whoever holds the file, which is what the chain is for.
CREATE TABLE audit (
    id              INTEGER PRIMARY KEY, -- 1, 2, 3...: a gap is an entry deleted
    at              TEXT    NOT NULL,    -- UTC, 2026-06-01T12:00:00.000Z
    user_id         INTEGER NOT NULL,    -- 0: not a signed-in user
    organisation_id INTEGER NOT NULL,    -- 0: none
    action          TEXT    NOT NULL,    -- read, create, update, sign_in, import...
    kind            TEXT,
    record_id       INTEGER NOT NULL,
    person_id       INTEGER NOT NULL,    -- whose record it is; 0: no one's
    address         TEXT    NOT NULL,    -- the client's address, or 'cli'
    detail          TEXT,                -- short, never personal
    prev_hash       TEXT    NOT NULL,    -- hex; the first entry's is all zeros
    hash            TEXT    NOT NULL
);
CREATE INDEX audit_person ON audit(person_id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries are never edited');
END;
