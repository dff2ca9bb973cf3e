-- Fees relief: donors, funds, a double-entry ledger of every cent, and plans.
--
-- Money moves only as transactions whose postings sum to zero: a gift moves
-- it from a donor's account (which goes negative by what they gave) to a
-- fund's, a payment from a fund's to a payee's.  So every account's balance
-- is derived, the sum of all accounts is zero, and a fund's balance is what
-- it holds.  Triggers refuse a fund below zero and an unbalanced or edited
-- transaction, whatever program writes to the file.

CREATE TABLE donors (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    name            TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE funds (
    id                   INTEGER PRIMARY KEY,
    organisation_id      INTEGER NOT NULL REFERENCES organisations(id),
    name                 TEXT    NOT NULL,
    restriction          TEXT,    -- JSON Logic over {person, obligation}; NULL admits every one
    per_person_cap_cents INTEGER CHECK (per_person_cap_cents > 0),
    created_at           TEXT    NOT NULL,
    UNIQUE (organisation_id, name)
);

-- kind donor: ref is donors.id; fund: funds.id; payee: NULL, name is the payee.
-- balance_cents is the sum of the account's postings, kept by a trigger so
-- that refusing an overdraft costs one row, not a sum over every posting
-- (`homeward fund check` compares the two).
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('donor', 'fund', 'payee')),
    ref           INTEGER,
    name          TEXT    NOT NULL,
    balance_cents INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT fund_not_negative CHECK (kind <> 'fund' OR balance_cents >= 0)
);
CREATE UNIQUE INDEX accounts_ref ON accounts(kind, ref, name);

-- key makes a transaction idempotent: posting the same key twice is refused,
-- so a payment retried after a crash is never made twice.
CREATE TABLE transactions (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL CHECK (kind IN ('gift', 'payment')),
    entry_date  TEXT    NOT NULL,
    memo        TEXT,
    created_at  TEXT    NOT NULL
);

CREATE TABLE postings (
    txn_id       INTEGER NOT NULL REFERENCES transactions(id),
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
    PRIMARY KEY (txn_id, account_id)
) WITHOUT ROWID;
CREATE INDEX postings_account ON postings(account_id);

CREATE TRIGGER postings_balance AFTER INSERT ON postings
BEGIN
    UPDATE accounts SET balance_cents = balance_cents + NEW.amount_cents
     WHERE id = NEW.account_id;
END;

CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN
    SELECT RAISE(ABORT, 'postings are never edited: post a new transaction');
END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN
    SELECT RAISE(ABORT, 'postings are never deleted: post a new transaction');
END;

-- A plan as made: what it would pay and why.  Its payments carry the
-- balance each obligation had when planned; a commit refuses if any changed.
CREATE TABLE plans (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    created_at      TEXT    NOT NULL,
    as_of           TEXT    NOT NULL,
    objective       TEXT    NOT NULL CHECK (objective IN ('people', 'weighted')),
    funds           TEXT    NOT NULL, -- JSON array of fund ids
    method          TEXT    NOT NULL,
    optimal         INTEGER NOT NULL,
    objective_value INTEGER NOT NULL,
    bound           INTEGER NOT NULL,
    budget_cents    INTEGER NOT NULL,
    spent_cents     INTEGER NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'committing', 'committed')),
    committed_at    TEXT
);

CREATE TABLE plan_people (
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    person_id  INTEGER NOT NULL,
    cost_cents INTEGER NOT NULL,
    owed_cents INTEGER NOT NULL,  -- all they owed when planned: new debt since makes it stale
    value      INTEGER NOT NULL,
    outcome    TEXT    NOT NULL,  -- discharge, discharge_on or conditions_met
    months     INTEGER NOT NULL,  -- supervision-months avoided
    reason     TEXT    NOT NULL,
    PRIMARY KEY (plan_id, person_id)
) WITHOUT ROWID;

CREATE TABLE plan_payments (
    plan_id       INTEGER NOT NULL REFERENCES plans(id),
    obligation_id INTEGER NOT NULL,
    fund_id       INTEGER NOT NULL REFERENCES funds(id),
    person_id     INTEGER NOT NULL,
    payee         TEXT    NOT NULL,
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    balance_cents INTEGER NOT NULL, -- the obligation's balance when planned
    PRIMARY KEY (plan_id, obligation_id)
) WITHOUT ROWID;
