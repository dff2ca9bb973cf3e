-- SPDX-License-Identifier: MIT
-- The records core.  Column names are the vocabulary's (src/core/vocab.c);
-- a unit test checks that every table matches it.  Civil dates are TEXT
-- 'YYYY-MM-DD'; money is INTEGER cents; booleans are INTEGER 0/1.
-- Kept to SQL that PostgreSQL also accepts, apart from the PRAGMAs set in
-- code.

CREATE TABLE homeward_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    state TEXT
);

CREATE TABLE people (
    id                       INTEGER PRIMARY KEY,
    organisation_id          INTEGER NOT NULL REFERENCES organisations(id),
    external_id              TEXT,
    given_name               TEXT NOT NULL,
    middle_name              TEXT,
    family_name              TEXT NOT NULL,
    dob                      TEXT NOT NULL,
    sex                      TEXT NOT NULL,
    parent_of_minor          INTEGER,
    household_size           INTEGER,
    monthly_income_cents     INTEGER,
    public_benefits          TEXT,
    citizenship_status       TEXT,
    citizenship_since        TEXT,
    prior_citizenship_status TEXT,
    removal_order            INTEGER,
    phone                    TEXT,
    email                    TEXT,
    address                  TEXT,
    city                     TEXT,
    state                    TEXT,
    postal_code              TEXT,
    contact_consent          INTEGER,
    preferred_contact        TEXT
);
CREATE INDEX people_organisation ON people(organisation_id);
CREATE INDEX people_name ON people(family_name, given_name);

CREATE TABLE convictions (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people(id),
    jurisdiction     TEXT NOT NULL,
    court_type       TEXT NOT NULL,
    court            TEXT,
    case_number      TEXT,
    statute          TEXT NOT NULL,
    description      TEXT,
    offense_class    TEXT NOT NULL,
    offense_degree   TEXT,
    offense_date     TEXT,
    disposition      TEXT NOT NULL,
    disposition_date TEXT,
    violent          INTEGER,
    sex_offense      INTEGER,
    drug             INTEGER,
    drug_type        TEXT,
    drug_conduct     TEXT,
    drug_quantity_mg INTEGER,
    plants           INTEGER,
    role_enhancement INTEGER,
    death_or_injury  INTEGER
);
CREATE INDEX convictions_person ON convictions(person_id);

CREATE TABLE sentences (
    id                     INTEGER PRIMARY KEY,
    person_id              INTEGER NOT NULL REFERENCES people(id),
    conviction_id          INTEGER NOT NULL REFERENCES convictions(id),
    sentence_type          TEXT NOT NULL,
    imposed_date           TEXT NOT NULL,
    start_date             TEXT,
    term_months            INTEGER,
    life                   INTEGER,
    credits_days           INTEGER,
    programming_days       INTEGER,
    risk_level             TEXT,
    prior_risk_level       TEXT,
    facility               TEXT,
    projected_release_date TEXT,
    release_date           TEXT
);
CREATE INDEX sentences_person ON sentences(person_id);

CREATE TABLE supervision (
    id                 INTEGER PRIMARY KEY,
    person_id          INTEGER NOT NULL REFERENCES people(id),
    sentence_id        INTEGER REFERENCES sentences(id),
    supervision_type   TEXT NOT NULL,
    jurisdiction       TEXT NOT NULL,
    start_date         TEXT NOT NULL,
    scheduled_end_date TEXT,
    end_date           TEXT,
    officer            TEXT,
    level              TEXT,
    status             TEXT NOT NULL,
    conditions         TEXT
);
CREATE INDEX supervision_person ON supervision(person_id);

CREATE TABLE obligations (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people(id),
    conviction_id INTEGER REFERENCES convictions(id),
    kind          TEXT NOT NULL,
    description   TEXT,
    payee         TEXT,
    jurisdiction  TEXT,
    imposed_date  TEXT NOT NULL
);
CREATE INDEX obligations_person ON obligations(person_id);

CREATE TABLE ledger (
    id            INTEGER PRIMARY KEY,
    obligation_id INTEGER NOT NULL REFERENCES obligations(id),
    entry_date    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL,
    reference     TEXT,
    memo          TEXT
);
CREATE INDEX ledger_obligation ON ledger(obligation_id);

-- starts_utc is starts_at as Unix seconds, kept by the store for range queries.
CREATE TABLE appointments (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    supervision_id INTEGER REFERENCES supervision(id),
    kind           TEXT NOT NULL,
    starts_at      TEXT NOT NULL,
    starts_utc     INTEGER NOT NULL,
    location       TEXT,
    status         TEXT NOT NULL
);
CREATE INDEX appointments_person ON appointments(person_id);
CREATE INDEX appointments_start ON appointments(starts_utc);

CREATE TABLE violations (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    supervision_id INTEGER REFERENCES supervision(id),
    violation_date TEXT NOT NULL,
    violation_type TEXT NOT NULL,
    category       TEXT,
    description    TEXT,
    outcome        TEXT,
    outcome_date   TEXT
);
CREATE INDEX violations_person ON violations(person_id);

CREATE TABLE custody_events (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    sentence_id INTEGER REFERENCES sentences(id),
    event_date  TEXT NOT NULL,
    event       TEXT NOT NULL,
    reason      TEXT,
    facility    TEXT
);
CREATE INDEX custody_events_person ON custody_events(person_id);
