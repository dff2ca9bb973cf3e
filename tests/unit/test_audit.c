/* SPDX-License-Identifier: MIT */
/* The audit log: appending from many threads, and every kind of tampering found. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "homeward/audit.h"
#include "homeward/import.h"
#include "homeward/store.h"
#include "unit.h"

enum { THREADS = 4, PER_THREAD = 200, APPENDS = 200 };

/* The chain of the database at path, or (reads) of its read log. */
static hw_audit_report verify_log(const char *path, bool reads)
{
    hw_audit_report r;
    hw_store *s = NULL, *log = NULL;
    hw_err e;

    memset(&r, 0, sizeof(r));
    EXPECT_CODE_E(hw_store_open(path, HW_STORE_READONLY, &s, &e), HW_OK, &e);
    if (s && reads)
        EXPECT_CODE_E(hw_audit_reads_open(s, false, &log, &e), HW_OK, &e);
    if (s && (log || !reads))
        EXPECT_CODE_E(hw_audit_verify(reads ? log : s, &r, &e), HW_OK, &e);
    hw_store_close(log);
    hw_store_close(s);
    return r;
}

static hw_audit_report verify(const char *path)
{
    return verify_log(path, false);
}

static hw_audit_report verify_reads(const char *path)
{
    return verify_log(path, true);
}

/* The read log's file beside the database at path. */
static const char *reads_path(const char *name)
{
    static char p[600];

    snprintf(p, sizeof(p), "%s.reads", unit_path(name));
    return p;
}

struct reader {
    hw_audit_log *log;
    int n;
    hw_code rc;
};

static void *read_many(void *arg)
{
    struct reader *t = arg;
    char detail[32];

    for (int i = 0; i < PER_THREAD && !t->rc; i++) {
        hw_audit_entry a = {.user_id = t->n + 1,
                            .organisation_id = 1,
                            .action = "read",
                            .kind = "people",
                            .record_id = i + 1,
                            .person_id = i + 1,
                            .address = "192.0.2.7",
                            .detail = detail};

        snprintf(detail, sizeof(detail), "thread %d", t->n);
        t->rc = hw_audit_log_write(t->log, &a, NULL);
    }
    return NULL;
}

/* Four threads read through the log while writes append: 800 entries in the read log, and
 * 200 and the migration's in the database. */
static void make_log(const char *path)
{
    struct reader t[THREADS];
    pthread_t th[THREADS];
    hw_audit_log *log = NULL;
    hw_store *s = NULL;
    hw_err e;

    EXPECT_CODE_E(hw_store_open(path, HW_STORE_CREATE, &s, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_audit_log_open(path, &log, &e), HW_OK, &e);
    for (int i = 0; i < THREADS; i++) {
        t[i] = (struct reader){log, i, HW_OK};
        EXPECT(pthread_create(&th[i], NULL, read_many, &t[i]) == 0);
    }
    for (int i = 0; i < APPENDS; i++) {
        hw_audit_entry a = {.user_id = 9,
                            .organisation_id = 1,
                            .action = "update",
                            .kind = "ledger",
                            .record_id = i + 1,
                            .address = "cli"};

        EXPECT_CODE_E(hw_store_begin(s, 0, &e), HW_OK, &e);
        EXPECT_CODE_E(hw_audit_append(s, &a, &e), HW_OK, &e);
        EXPECT_CODE_E(hw_store_commit(s, &e), HW_OK, &e);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        EXPECT_CODE(t[i].rc, HW_OK);
    }
    hw_audit_log_close(log);
    hw_store_close(s);
}

TEST(audit_chain_from_threads_and_transactions)
{
    const char *db = unit_path("a1.db");
    hw_audit_report r = {0};

    make_log(db);
    r = verify(db);
    EXPECT(r.ok);
    EXPECT_INT(r.checked, 1 + APPENDS);
    EXPECT_INT(r.head_id, r.checked);
    EXPECT_INT(strlen(r.head), HW_AUDIT_HASH_HEX);
    EXPECT_INT(r.break_id, 0);
    r = verify_reads(db);
    EXPECT(r.ok);
    EXPECT_INT(r.checked, THREADS * PER_THREAD);
    EXPECT_INT(r.head_id, r.checked);
    EXPECT_INT(strlen(r.head), HW_AUDIT_HASH_HEX);
}

struct merged {
    int main, reads;
    int64_t last_main, last_reads;
    char last_at[32];
    bool in_order;
};

static int on_merged(void *ud, const hw_audit_row *r)
{
    struct merged *m = ud;
    bool reads = strcmp(r->log, "reads") == 0;
    int64_t *last = reads ? &m->last_reads : &m->last_main;

    EXPECT(reads || strcmp(r->log, "main") == 0);
    m->in_order &= strcmp(m->last_at, r->at) <= 0 && r->id == *last + 1;
    *last = r->id;
    snprintf(m->last_at, sizeof(m->last_at), "%s", r->at);
    ++*(reads ? &m->reads : &m->main);
    return 0;
}

/* Listed, both logs come merged in time order, each whole and in id order. */
TEST(audit_list_merges_the_read_log)
{
    const char *db = unit_path("a7.db");
    struct merged m = {.in_order = true};
    hw_store *s = NULL;
    hw_err e;

    make_log(db);
    EXPECT_CODE_E(hw_store_open(db, HW_STORE_READONLY, &s, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_audit_list(s, 0, on_merged, &m, &e), HW_OK, &e);
    EXPECT_INT(m.main, 1 + APPENDS);
    EXPECT_INT(m.reads, THREADS * PER_THREAD);
    EXPECT(m.in_order);
    memset(&m, 0, sizeof(m));
    m.in_order = true;
    EXPECT_CODE_E(hw_audit_list(s, 5, on_merged, &m, &e), HW_OK, &e);
    EXPECT_INT(m.main, 0);
    EXPECT_INT(m.reads, THREADS); /* person 5, read once by each thread */
    hw_store_close(s);
    /* The read log has the database's trigger too: its rows are never updated. */
    EXPECT(unit_sql_exec(reads_path("a7.db"), "UPDATE audit SET detail = 'x' WHERE id = 1") !=
           SQLITE_OK);
}

/* Each column edited in turn breaks the chain at that entry; put back, it holds again. */
TEST(audit_any_edit_is_caught_at_its_entry)
{
    static const struct {
        const char *edit, *undo;
        hw_audit_problem problem;
    } cases[] = {
        {"at = at || ' '", "at = rtrim(at)", HW_AUDIT_EDITED},
        {"user_id = user_id + 1", "user_id = user_id - 1", HW_AUDIT_EDITED},
        {"organisation_id = 2", "organisation_id = 1", HW_AUDIT_EDITED},
        {"action = 'update'", "action = 'read'", HW_AUDIT_EDITED},
        {"kind = NULL", "kind = 'people'", HW_AUDIT_EDITED},
        {"record_id = 0", "record_id = 5", HW_AUDIT_EDITED},
        {"person_id = 6", "person_id = 5", HW_AUDIT_EDITED},
        {"address = '198.51.100.1'", "address = '192.0.2.7'", HW_AUDIT_EDITED},
        {"detail = detail || 'x'", "detail = substr(detail, 1, length(detail) - 1)",
         HW_AUDIT_EDITED},
        {"user_id = CAST(user_id AS TEXT) || 'x'", "user_id = CAST(rtrim(user_id, 'x') AS INTEGER)",
         HW_AUDIT_EDITED},
        {"detail = CAST(detail AS BLOB)", "detail = CAST(detail AS TEXT)", HW_AUDIT_EDITED},
        {"hash = replace(hash, substr(hash, 1, 1), 'x')", "hash = (SELECT hash FROM saved)",
         HW_AUDIT_EDITED},
        {"prev_hash = replace(prev_hash, substr(prev_hash, 1, 1), 'x')",
         "prev_hash = (SELECT prev_hash FROM saved)", HW_AUDIT_UNLINKED},
    };
    const char *db = unit_path("a2.db"), *log = reads_path("a2.db");
    hw_audit_report r;
    char sql[600];
    int id = 0;

    make_log(db);
    /* Entry `id` of the read log is a read of person 5, record 5, by one of the threads. */
    EXPECT(unit_sql_exec(log, "CREATE TABLE saved AS SELECT * FROM audit WHERE action = 'read'"
                              " AND person_id = 5 AND user_id = 1") == SQLITE_OK);
    {
        sqlite3 *h;
        sqlite3_stmt *st;

        sqlite3_open(log, &h);
        sqlite3_prepare_v2(h, "SELECT id FROM saved", -1, &st, NULL);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(h);
    }
    EXPECT(id > 1);
    EXPECT(unit_sql_exec(log, "DROP TRIGGER audit_no_update") == SQLITE_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(sql, sizeof(sql), "UPDATE audit SET %s WHERE id = %d", cases[i].edit, id);
        EXPECT_INT(unit_sql_exec(log, sql), SQLITE_OK);
        r = verify_reads(db);
        if (r.ok || r.break_id != id || r.problem != cases[i].problem)
            printf("#   edit %s: ok %d, break at %lld (want %d), problem %d\n", cases[i].edit, r.ok,
                   (long long)r.break_id, id, (int)r.problem);
        EXPECT(!r.ok);
        EXPECT_INT(r.break_id, id);
        EXPECT_INT(r.problem, cases[i].problem);
        EXPECT_INT(r.checked, id - 1);
        snprintf(sql, sizeof(sql), "UPDATE audit SET %s WHERE id = %d", cases[i].undo, id);
        EXPECT_INT(unit_sql_exec(log, sql), SQLITE_OK);
        r = verify_reads(db);
        if (!r.ok)
            printf("#   undoing %s: %s\n", cases[i].edit, r.what);
        EXPECT(r.ok);
    }
    snprintf(sql, sizeof(sql), "UPDATE audit SET detail = 'thread 3' WHERE id = %d", id);
    unit_sql_exec(log, sql);
    r = verify_reads(db);
    snprintf(sql, sizeof(sql), "audit entry %d was edited: its hash does not match its contents",
             id);
    EXPECT_STR(r.what, sql);
    /* Renumbered, it is missed where it was and edited where it went. */
    snprintf(sql, sizeof(sql), "UPDATE audit SET detail = 'thread 0', id = 5000 WHERE id = %d", id);
    unit_sql_exec(log, sql);
    r = verify_reads(db);
    EXPECT(!r.ok && r.problem == HW_AUDIT_DELETED && r.break_id == id + 1);
    EXPECT_INT(r.head_id, 5000);
}

TEST(audit_deleted_entries_are_caught)
{
    const char *db = unit_path("a3.db");
    hw_audit_report r, before;
    hw_store *s = NULL, *log = NULL;
    int64_t at = 0;
    char want[200];
    hw_err e;

    make_log(db);
    before = verify_reads(db);
    EXPECT(before.ok);
    /* Deleting cannot be refused to whoever holds the file; the chain shows it. */
    EXPECT(unit_sql_exec(reads_path("a3.db"), "DELETE FROM audit WHERE id IN (500, 501)") ==
           SQLITE_OK);
    r = verify_reads(db);
    EXPECT(!r.ok && r.problem == HW_AUDIT_DELETED);
    EXPECT_INT(r.break_id, 502);
    EXPECT_INT(r.missing, 2);
    EXPECT_INT(r.checked, 499);
    snprintf(want, sizeof(want),
             "audit entry 502 does not follow entry 499: 2 entries deleted "
             "before it");
    EXPECT_STR(r.what, want);
    EXPECT_STR(r.head, before.head);
    EXPECT(unit_sql_exec(db, "DELETE FROM audit WHERE id = 1") == SQLITE_OK);
    r = verify(db);
    EXPECT_STR(r.what, "audit entry 2 is the first: 1 entry deleted before it");
    EXPECT_INT(r.checked, 0);
    EXPECT(verify_reads(db).problem == HW_AUDIT_DELETED); /* each log is checked on its own */

    /* The tail cut off leaves a chain that holds: only the head recorded elsewhere tells. */
    db = unit_path("a4.db");
    make_log(db);
    before = verify_reads(db);
    EXPECT(unit_sql_exec(reads_path("a4.db"), "DELETE FROM audit WHERE id > 790") == SQLITE_OK);
    r = verify_reads(db);
    EXPECT(r.ok);
    EXPECT_INT(r.head_id, 790);
    EXPECT_CODE(hw_store_open(db, HW_STORE_READONLY, &s, &e), HW_OK);
    EXPECT_CODE_E(hw_audit_reads_open(s, false, &log, &e), HW_OK, &e);
    if (log) {
        EXPECT_CODE(hw_audit_find(log, before.head, &at, &e), HW_ENOTFOUND);
        EXPECT_CODE_E(hw_audit_find(log, r.head, &at, &e), HW_OK, &e);
        EXPECT_INT(at, 790);
        EXPECT_CODE(hw_audit_find(log, "not a hash", &at, &e), HW_EINVAL);
    }
    hw_store_close(log);
    hw_store_close(s);
}

TEST(audit_rows_are_never_updated)
{
    const char *db = unit_path("a5.db");
    sqlite3 *h;
    hw_store *s = NULL;
    hw_err e;

    EXPECT_CODE(hw_store_open(db, HW_STORE_CREATE, &s, &e), HW_OK);
    hw_store_close(s);
    sqlite3_open(db, &h);
    EXPECT(sqlite3_exec(h, "UPDATE audit SET detail = 'x' WHERE id = 1", NULL, NULL, NULL) !=
           SQLITE_OK);
    EXPECT(strstr(sqlite3_errmsg(h), "audit entries are never edited") != NULL);
    sqlite3_close(h);
    EXPECT(verify(db).ok);
}

struct listed {
    int n;
    int64_t last_person;
    char last_detail[64];
};

static int on_entry(void *ud, const hw_audit_row *r)
{
    struct listed *l = ud;

    l->n++;
    l->last_person = r->entry.person_id;
    snprintf(l->last_detail, sizeof(l->last_detail), "%s", r->entry.detail ? r->entry.detail : "");
    return 0;
}

TEST(audit_append_rules_list_and_import)
{
    const char *db = unit_path("a6.db");
    hw_audit_entry a = {.action = "read", .kind = "people", .person_id = 3, .address = "cli"};
    hw_import_opts o = {.kind = HW_K_ORGANISATIONS, .format = HW_FORMAT_CSV};
    const char *paths[1] = {HW_TEST_DATA "/small/organisations.csv"};
    hw_import_report rep;
    struct listed l = {0};
    hw_store *s = NULL;
    hw_err e;

    EXPECT_CODE(hw_store_open(db, HW_STORE_CREATE, &s, &e), HW_OK);
    EXPECT_CODE(hw_audit_append(s, &a, &e), HW_EBUG); /* only inside a transaction */
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE_E(hw_audit_append(s, &a, &e), HW_OK, &e);
    EXPECT_CODE(hw_store_rollback(s, &e), HW_OK); /* and it goes with the transaction */
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    a.action = "Read";
    EXPECT_CODE(hw_audit_append(s, &a, &e), HW_EINVAL);
    EXPECT_STR(e.field, "action");
    a.action = "read";
    a.address = "";
    EXPECT_CODE(hw_audit_append(s, &a, &e), HW_EINVAL);
    a.address = "10.0.0.1";
    a.detail = "line\nbreak";
    EXPECT_CODE(hw_audit_append(s, &a, &e), HW_EINVAL);
    a.detail = NULL;
    a.person_id = -1;
    EXPECT_CODE(hw_audit_append(s, &a, &e), HW_EINVAL);
    a.person_id = 3;
    EXPECT_CODE_E(hw_audit_append(s, &a, &e), HW_OK, &e);
    EXPECT_CODE(hw_store_commit(s, &e), HW_OK);
    /* The library's own writes: an import is one entry, in the name of the handle's actor. */
    hw_audit_set_actor(s, 12, 1, "203.0.113.9");
    EXPECT_CODE_E(hw_import(s, &o, paths, 1, &rep, &e), HW_OK, &e);
    hw_import_report_release(&rep);
    EXPECT_CODE(hw_audit_list(s, 0, on_entry, &l, &e), HW_OK);
    EXPECT_INT(l.n, 3); /* the migration, the read, the import */
    EXPECT_STR(l.last_detail, "organisations 2");
    memset(&l, 0, sizeof(l));
    EXPECT_CODE(hw_audit_list(s, 3, on_entry, &l, &e), HW_OK);
    EXPECT_INT(l.n, 1);
    EXPECT_INT(l.last_person, 3);
    hw_store_close(s);
    EXPECT(verify(db).ok);
}
