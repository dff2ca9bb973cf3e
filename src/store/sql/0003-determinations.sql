-- Screening determinations: one per rule and record judged.  They are
-- derived data, rewritten whole for each rule on every screening in one
-- transaction, so a crash leaves the previous screening in place.  No
-- foreign key to people: the rows are replaced, never edited, and a check
-- per row would slow a screening of millions of records for nothing.
CREATE TABLE determinations (
    rule         TEXT    NOT NULL,
    rule_version TEXT    NOT NULL, -- a hash of the rule file: tells when it changed since
    subject_kind TEXT    NOT NULL,
    subject_id   INTEGER NOT NULL,
    person_id    INTEGER NOT NULL,
    status       TEXT    NOT NULL
        CHECK (status IN ('eligible', 'ineligible', 'eligible_on', 'needs_review')),
    eligible_on  TEXT,
    as_of        TEXT    NOT NULL,
    reasons      TEXT    NOT NULL, -- JSON [[holds, values...], ...]: the rule's text completes it
    left_items   TEXT    NOT NULL, -- JSON array: what is left when close
    PRIMARY KEY (subject_kind, subject_id, rule)
) WITHOUT ROWID;
CREATE INDEX determinations_person ON determinations(person_id);
CREATE INDEX determinations_status ON determinations(rule, status);
