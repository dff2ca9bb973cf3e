/* SPDX-License-Identifier: MIT */
/*
 * The audit log: every read of a person's record and every write, with who,
 * when, what and from where.  Entries are hash-chained: each one's hash is
 * keyed BLAKE2b (the key file's audit subkey, keys.h) over the hash before
 * it and its own fields, its id included.  An entry edited or deleted breaks
 * the chain, and without the key file no one can mend it.  Cutting entries
 * off the end is seen only against a head hash recorded elsewhere
 * (docs/audit.md).
 */
#ifndef HOMEWARD_AUDIT_H
#define HOMEWARD_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "homeward/error.h"
#include "homeward/store.h"

enum { HW_AUDIT_HASH_HEX = 64 }; /* a hash as hex digits, without the NUL */

typedef struct hw_audit_entry {
    int64_t user_id;         /* 0: not a signed-in user (CLI, failed sign-in) */
    int64_t organisation_id; /* 0 if none */
    const char *action;      /* "read", "create", "update", ... */
    const char *kind;        /* "people", "ledger", ... or NULL */
    int64_t record_id;       /* 0 if none */
    int64_t person_id;       /* whose record it is, 0 if none */
    const char *address;     /* client address, or "cli" */
    const char *detail;      /* short, never personal; may be NULL */
} hw_audit_entry;

/*
 * An entry's limits, refused with HW_EINVAL naming the field: action 1-32
 * characters of a-z and '_'; kind NULL or 1-32 of a-z, '_' and '-'; address
 * 1-64 printable ASCII characters; detail NULL or at most 200 bytes without
 * control characters; the ids zero or more.
 */
hw_code hw_audit_check(const hw_audit_entry *a, hw_err *e);

/*
 * Append inside the caller's open write transaction (hw_store_begin): a
 * write and its audit entry commit or roll back together.  Borrows `a`.
 * HW_EBUG when no transaction is open.
 */
hw_code hw_audit_append(hw_store *s, const hw_audit_entry *a, hw_err *e);

/*
 * Who the library's own summary entries (one per import, one per plan
 * commit) name on handle s, until changed: by default user 0, organisation
 * 0, address "cli".  The address is copied (cut at 64 bytes).
 */
void hw_audit_set_actor(hw_store *s, int64_t user_id, int64_t organisation_id, const char *address);

/* Append an entry in the name of s's actor, inside the open transaction, as hw_audit_append(). */
hw_code hw_audit_note(hw_store *s, const char *action, const char *kind, int64_t record_id,
                      const char *detail, hw_err *e);

/*
 * For reads from many threads: a log with its own writer thread that
 * group-commits entries to the read log, below.  hw_audit_log_write()
 * returns once the entry is committed (durable: the read log syncs every
 * commit), so many concurrent readers share one commit.
 */
typedef struct hw_audit_log hw_audit_log;

/* The log of the database at db_path: its read log, made if missing; close with
 * hw_audit_log_close(). */
hw_code hw_audit_log_open(const char *db_path, hw_audit_log **out, hw_err *e);
/* Any number of threads at once.  Borrows `a` until it returns. */
hw_code hw_audit_log_write(hw_audit_log *l, const hw_audit_entry *a, hw_err *e);
/* Writes what is queued, then stops.  No write may be under way or start.  Accepts NULL. */
void hw_audit_log_close(hw_audit_log *l);

/*
 * The read log: a file beside the database, FILE.reads, with an audit table
 * of its own and a chain of its own, keyed by the same key.  It holds what
 * hw_audit_log_write() appends: reads and sign-ins, which change no record.
 * Writes stay in the database's own table, in their transactions.  (Kept
 * apart for speed: every commit to the database itself made the server's
 * other handles drop their page caches.)  Open it to verify or search it
 * with the functions below; `db` must stay open while it is.  Read-only
 * (writable false) when there is none gives HW_ENOTFOUND.
 */
hw_code hw_audit_reads_open(hw_store *db, bool writable, hw_store **out, hw_err *e);

typedef enum hw_audit_problem {
    HW_AUDIT_INTACT,   /* the chain holds */
    HW_AUDIT_EDITED,   /* an entry's hash does not match its contents */
    HW_AUDIT_DELETED,  /* entries are missing before break_id */
    HW_AUDIT_UNLINKED, /* an entry's prev_hash is not the hash of the entry before it */
} hw_audit_problem;

typedef struct hw_audit_report {
    int64_t checked;                  /* entries that verified, in id order, before any break */
    bool ok;                          /* the whole chain holds */
    hw_audit_problem problem;         /* the first break */
    int64_t break_id;                 /* the entry where it breaks; 0 when ok */
    int64_t missing;                  /* HW_AUDIT_DELETED: how many entries are missing before it */
    char what[200];                   /* the break in words: "audit entry 12 was edited: ..." */
    int64_t head_id;                  /* the last entry; 0 when the log is empty */
    char head[HW_AUDIT_HASH_HEX + 1]; /* its hash as stored, hex; "" when empty */
} hw_audit_report;

/*
 * Walk the chain of s's audit table (a database's, or a read log's) in id
 * order; report the first break.  HW_OK whether or not the chain holds
 * (r->ok says); other codes are failures to read.
 */
hw_code hw_audit_verify(hw_store *s, hw_audit_report *r, hw_err *e);

/*
 * The id of the entry whose hash is `hash` (hex), or HW_ENOTFOUND: a head
 * recorded earlier that the log no longer holds means its tail was cut.
 */
hw_code hw_audit_find(hw_store *s, const char *hash, int64_t *id, hw_err *e);

/* An entry as stored; its text is valid during the callback only. */
typedef struct hw_audit_row {
    int64_t id;
    const char *at; /* UTC, "2026-06-01T12:00:00.000Z" */
    hw_audit_entry entry;
    const char *prev_hash, *hash;
    const char *log; /* "main", the database's table, or "reads", the read log */
} hw_audit_row;

/* Non-zero from fn stops the listing with HW_ECANCELED. */
typedef int (*hw_audit_fn)(void *ud, const hw_audit_row *r);

/*
 * The entries of database s and of its read log, if it has one, merged in
 * time order (each log's in id order): all of them, or (person_id > 0)
 * those about one person.
 */
hw_code hw_audit_list(hw_store *s, int64_t person_id, hw_audit_fn fn, void *ud, hw_err *e);

#endif
