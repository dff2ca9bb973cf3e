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
CREATE TABLE accounts (
    id   INTEGER PRIMARY KEY,
    kind TEXT    NOT NULL CHECK (kind IN ('donor', 'fund', 'payee')),
    ref  INTEGER,
    name TEXT    NOT NULL
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

CREATE TRIGGER postings_fund_not_negative AFTER INSERT ON postings
WHEN NEW.amount_cents < 0
 AND (SELECT kind FROM accounts WHERE id = NEW.account_id) = 'fund'
 AND (SELECT sum(amount_cents) FROM postings WHERE account_id = NEW.account_id) < 0
BEGIN
    SELECT RAISE(ABORT, 'fund balance would go below zero');
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
