/* SPDX-License-Identifier: MIT */
/*
 * The store: where records live.  One interface, one backend per file
 * (src/store/sqlite.c now; PostgreSQL later), chosen by hw_store_open().
 * Everything above the store calls these functions and never SQL.
 *
 * A store handle is used by one thread at a time.
 */
#ifndef HOMEWARD_STORE_H
#define HOMEWARD_STORE_H

#include <stdint.h>

#include "homeward/error.h"
#include "homeward/vocab.h"

typedef struct hw_store hw_store;

enum hw_store_flags {
    HW_STORE_CREATE = 1 << 0,   /* create the database if it does not exist */
    HW_STORE_READONLY = 1 << 1, /* open for reading; never migrates */
    HW_STORE_BULK = 1 << 2,     /* a large cache for bulk writes (import, demo) */
    HW_STORE_SCRATCH = 1 << 3,  /* a new file built whole, then renamed into place by the
                                   caller: no journal, no fsync; a crash loses the file */
};

/*
 * Open the database at `path` and bring its schema up to date (unless
 * HW_STORE_READONLY).  Returns a new handle in *out; close with
 * hw_store_close().  A missing file without HW_STORE_CREATE is HW_ENOTFOUND;
 * a file that is not a Homeward database, or one newer than this program,
 * is HW_EINVAL.
 *
 * The database's key file (keys.h: $HOMEWARD_KEY_FILE, else path + ".key")
 * is loaded too, and made when the database is created or upgraded to
 * encrypted identifiers.  A missing key file, one that others may read, or
 * another database's is HW_EINVAL, the message naming the file.
 */
hw_code hw_store_open(const char *path, unsigned flags, hw_store **out, hw_err *e);

/* Close the handle, rolling back an open transaction.  Accepts NULL. */
void hw_store_close(hw_store *s);

/* The schema version now, and the newest this program knows. */
int hw_store_schema_version(hw_store *s);
/* The schema version the database had when opened, before migrating (0: it was new). */
int hw_store_schema_version_at_open(hw_store *s);
int hw_store_schema_latest(void);

enum hw_begin_flags {
    /*
     * The caller checks every reference of every row it inserts (with
     * hw_store_owner(), as the importer does), so the store skips its own
     * foreign-key check in this transaction: the same lookup twice cost a
     * bulk load 16%.  Other transactions and handles keep the check.
     */
    HW_BEGIN_REFS_CHECKED = 1 << 0,
    /*
     * Only reads: every read until commit or rollback sees one snapshot, the
     * database as it was at the first of them, whatever others commit
     * meanwhile (a page of many queries is of one moment).  Writers are not
     * held up; nothing may be written in it.
     */
    HW_BEGIN_READ = 1 << 1,
};

/*
 * One write transaction at a time (flags: enum hw_begin_flags).  Until
 * commit nothing is visible to others, and a crash or kill at any point
 * leaves the database as it was before begin.
 */
hw_code hw_store_begin(hw_store *s, unsigned flags, hw_err *e);
hw_code hw_store_commit(hw_store *s, hw_err *e);
hw_code hw_store_rollback(hw_store *s, hw_err *e);

/*
 * Announce that many rows of kind k are about to be inserted in the open
 * transaction.  If k's table is empty, its secondary indexes are dropped now
 * and built again in one sorted pass by hw_store_commit(), which is far
 * faster than keeping them up to date row by row; a rollback brings them
 * back as they were.  On a table that has rows it does nothing.
 */
hw_code hw_store_bulk_load(hw_store *s, hw_kind k, hw_err *e);

/*
 * Insert one validated row of kind k (the kind's nfields values, as
 * hw_vocab_parse() makes them).  Borrows `row`.  A clash with an existing id
 * is HW_ECONFLICT; a reference to a record that does not exist is
 * HW_ENOTFOUND with e->field naming the column.  A failed insert changes
 * nothing, and the transaction stays usable.
 *
 * people.external_id is stored encrypted (keys.h) and comes back decrypted
 * from every read; one that does not decrypt (altered, or moved from
 * another row) reads as null, and fails hw_store_scan() and
 * hw_store_scan_people().
 */
hw_code hw_store_insert(hw_store *s, hw_kind k, const hw_value *row, hw_err *e);

/*
 * Does record `id` of kind k exist?  HW_OK with *person_id set to the person
 * it belongs to (0 for kinds without one), or HW_ENOTFOUND.
 */
hw_code hw_store_owner(hw_store *s, hw_kind k, int64_t id, int64_t *person_id, hw_err *e);

/* How many records of kind k there are. */
hw_code hw_store_count(hw_store *s, hw_kind k, int64_t *n, hw_err *e);

/*
 * Call fn for every record of kind k in id order.  `row` (nfields values) is
 * valid only during the call.  fn returns 0 to go on; anything else stops
 * the scan, which then returns HW_ECANCELED.
 */
typedef int (*hw_row_fn)(void *ud, const hw_value *row);
hw_code hw_store_scan(hw_store *s, hw_kind k, hw_row_fn fn, void *ud, hw_err *e);

/* A small key/value table for facts about the database (demo seed, as-of). */
/* What each obligation owes, from one pass over the ledger. */
typedef struct hw_balances hw_balances;

/*
 * Sum the ledger by obligation: assessments and adjustments add, payments
 * and waivers (stored positive) subtract; one person's obligations, or
 * (person_id 0) everyone's.  Free with hw_balances_free().
 */
hw_code hw_store_balances(hw_store *s, int64_t person_id, hw_balances **out, hw_err *e);
/* The balance of an obligation in cents; 0 when it has no ledger entries. */
int64_t hw_balances_get(const hw_balances *b, int64_t obligation_id);
void hw_balances_free(hw_balances *b);
/* The sum of every balance in the table: for one person's (hw_store_balances), all they owe. */
int64_t hw_balances_total(const hw_balances *b);

/*
 * One person and their records, for screening: rows[k] holds n[k] rows of
 * kind k, each of that kind's nfields values, in id order; fields not asked
 * for are null.  balance_cents[i] is what obligation row i owes.  Valid
 * during the callback only.
 */
typedef struct hw_person_records {
    const hw_value *person;
    const hw_value *rows[HW_K_COUNT];
    size_t n[HW_K_COUNT];
    const int64_t *balance_cents;
} hw_person_records;

typedef int (*hw_person_fn)(void *ud, const hw_person_records *pr);

typedef struct hw_people_scan {
    unsigned kinds;              /* records of these kinds (1 << HW_K_*) come with the person */
    uint64_t fields[HW_K_COUNT]; /* per kind, bit i: read field i (0: every field) */
    int64_t first_id, last_id;   /* people in [first_id, last_id]; 0 leaves a side open */
    const hw_balances *balances; /* for balance_cents; NULL gives zeros */
} hw_people_scan;

/*
 * Every person of the range in id order, with their records: one read of
 * each table, not a query per person.  Non-zero from fn stops with
 * HW_ECANCELED.
 */
hw_code hw_store_scan_people(hw_store *s, const hw_people_scan *spec, hw_person_fn fn, void *ud,
                             hw_err *e);

/*
 * The person whose external_id is `external_id`, found through its blind
 * index without decrypting the table; compared without surrounding spaces
 * and without regard to ASCII case.  HW_ENOTFOUND when no one has it;
 * HW_ECONFLICT when more than one person does (agencies of two
 * organisations may number people alike; *person_id is then the first).
 * Messages never quote the identifier.
 */
hw_code hw_store_find_external_id(hw_store *s, const char *external_id, int64_t *person_id,
                                  hw_err *e);
/* The same within one organisation's people (organisation_id 0: everyone's). */
hw_code hw_store_find_external_id_in(hw_store *s, int64_t organisation_id, const char *external_id,
                                     int64_t *person_id, hw_err *e);

/* The id of the person at `offset` in id order (to split work), or HW_ENOTFOUND. */
hw_code hw_store_person_id_at(hw_store *s, int64_t offset, int64_t *id, hw_err *e);

/* The file the store was opened from (another handle may open it to read in parallel). */
const char *hw_store_path(const hw_store *s);

/* A determination as stored (docs/rule-packs.md, "Screening"). */
typedef struct hw_determination_row {
    const char *rule;
    const char *rule_version; /* a hash of the rule file it was judged by */
    hw_kind kind;             /* of the subject */
    int64_t subject_id;
    int64_t person_id;
    const char *status;
    const char *date; /* eligible_on, or NULL */
    const char *as_of;
    const char *reasons; /* JSON, compact: [[holds, values...], ...] in the rule's clause order */
    const char *left;    /* JSON: [{"kind", "text", "date"?, "amount_cents"?}, ...] */
} hw_determination_row;

/*
 * Within a transaction: forget the stored determinations of one rule, or of
 * every rule when `rule` is NULL, for one person or (person_id 0) everyone.
 * Clearing every rule for everyone also drops the table's
 * secondary indexes until the commit, as hw_store_bulk_load() does: a whole
 * screening of millions of rows writes faster and then sorts them once.
 */
hw_code hw_store_determinations_clear(hw_store *s, const char *rule, int64_t person_id, hw_err *e);
/* Within a transaction: store a determination, replacing the one for the same rule and subject. */
hw_code hw_store_determination_put(hw_store *s, const hw_determination_row *d, hw_err *e);

hw_code hw_store_meta_set(hw_store *s, const char *key, const char *value, hw_err *e);
/* Copy the value of `key` into out[size]; HW_ENOTFOUND when unset. */
hw_code hw_store_meta_get(hw_store *s, const char *key, char *out, size_t size, hw_err *e);

#endif
