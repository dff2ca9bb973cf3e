/* SPDX-License-Identifier: MIT */
/* Unit tests of the store: open and migrate, insert, references, scan, metadata. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "homeward/store.h"
#include "unit.h"

static hw_value iv(int64_t i)
{
    return (hw_value){false, 0, i, NULL, 0};
}

static hw_value sv(const char *s)
{
    return (hw_value){false, 0, 0, s, strlen(s)};
}

static hw_value nv(void)
{
    return (hw_value){true, 0, 0, NULL, 0};
}

TEST(store_open_and_migrate)
{
    hw_store *s = NULL;
    hw_err e;

    EXPECT_CODE(hw_store_open(unit_path("none.db"), 0, &s, &e), HW_ENOTFOUND);
    EXPECT(strstr(e.msg, "homeward init") != NULL);
    EXPECT_CODE_E(hw_store_open(unit_path("s1.db"), HW_STORE_CREATE, &s, &e), HW_OK, &e);
    EXPECT_INT(hw_store_schema_version_at_open(s), 0);
    EXPECT_INT(hw_store_schema_version(s), hw_store_schema_latest());
    hw_store_close(s);
    EXPECT_CODE(hw_store_open(unit_path("s1.db"), HW_STORE_READONLY, &s, &e), HW_OK);
    EXPECT_INT(hw_store_schema_version_at_open(s), hw_store_schema_latest());
    hw_store_close(s);
    unit_write_file(unit_path("junk.db"), "this is not a database, just some text........"
                                          "...............................................");
    EXPECT_CODE(hw_store_open(unit_path("junk.db"), 0, &s, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "not a database") != NULL);
    hw_store_close(NULL);
}

TEST(store_schema_matches_vocabulary)
{
    sqlite3 *db;
    hw_store *s = NULL;

    EXPECT_CODE(hw_store_open(unit_path("s2.db"), HW_STORE_CREATE, &s, NULL), HW_OK);
    hw_store_close(s);
    EXPECT(sqlite3_open(unit_path("s2.db"), &db) == SQLITE_OK);
    for (int k = 0; k < HW_K_COUNT; k++) {
        const hw_kind_desc *d = hw_vocab_kind((hw_kind)k);
        char sql[128];
        sqlite3_stmt *st;
        size_t i = 0;

        snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s') ORDER BY cid",
                 d->table);
        EXPECT(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *col = (const char *)sqlite3_column_text(st, 0);

            if (strstr(col, "_utc"))
                continue; /* the store's own copy of a time, in seconds */
            if (i < d->nfields)
                EXPECT_STR(col, d->fields[i].name);
            i++;
        }
        EXPECT_INT(i, d->nfields);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

TEST(store_insert_and_references)
{
    hw_store *s = NULL;
    hw_value org[3] = {iv(1), sv("Keystone"), sv("PA")};
    hw_value person[24];
    hw_value led[7] = {iv(1), iv(99), sv("2025-01-01"), sv("payment"), iv(500), nv(), nv()};
    int64_t owner = -1, n = 0;
    char value[32];
    hw_err e;

    for (int i = 0; i < 24; i++)
        person[i] = nv();
    person[0] = iv(7);
    person[1] = iv(1);
    person[3] = sv("Ana");
    person[5] = sv("Diaz");
    person[6] = sv("1990-05-01");
    person[7] = sv("female");

    EXPECT_CODE(hw_store_open(unit_path("s3.db"), HW_STORE_CREATE, &s, &e), HW_OK);
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE_E(hw_store_insert(s, HW_K_ORGANISATIONS, org, &e), HW_OK, &e);
    EXPECT_CODE(hw_store_insert(s, HW_K_ORGANISATIONS, org, &e), HW_ECONFLICT);
    EXPECT(strstr(e.msg, "duplicate id 1") != NULL);
    EXPECT_CODE_E(hw_store_insert(s, HW_K_PEOPLE, person, &e), HW_OK, &e);
    person[0] = iv(8);
    person[1] = iv(5);
    EXPECT_CODE(hw_store_insert(s, HW_K_PEOPLE, person, &e), HW_ENOTFOUND);
    EXPECT_STR(e.field, "organisation_id");
    EXPECT(strstr(e.msg, "no organisation with id 5") != NULL);
    EXPECT_CODE(hw_store_insert(s, HW_K_LEDGER, led, &e), HW_ENOTFOUND);
    EXPECT_STR(e.field, "obligation_id");
    EXPECT_CODE(hw_store_commit(s, &e), HW_OK); /* failed inserts left the rest intact */
    EXPECT_CODE(hw_store_count(s, HW_K_PEOPLE, &n, &e), HW_OK);
    EXPECT_INT(n, 1);
    EXPECT_CODE(hw_store_owner(s, HW_K_PEOPLE, 7, &owner, &e), HW_OK);
    EXPECT_INT(owner, 0);
    EXPECT_CODE(hw_store_owner(s, HW_K_PEOPLE, 8, &owner, &e), HW_ENOTFOUND);
    EXPECT_CODE(hw_store_meta_set(s, "demo.seed", "42", &e), HW_OK);
    EXPECT_CODE(hw_store_meta_set(s, "demo.seed", "43", &e), HW_OK);
    EXPECT_CODE(hw_store_meta_get(s, "demo.seed", value, sizeof(value), &e), HW_OK);
    EXPECT_STR(value, "43");
    EXPECT_CODE(hw_store_meta_get(s, "nothing", value, sizeof(value), &e), HW_ENOTFOUND);
    hw_store_close(s);
}

TEST(store_rollback_leaves_nothing)
{
    hw_store *s = NULL;
    hw_value org[3] = {iv(1), sv("A"), nv()};
    int64_t n = -1;
    hw_err e;

    EXPECT_CODE(hw_store_open(unit_path("s4.db"), HW_STORE_CREATE, &s, &e), HW_OK);
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_EBUG); /* one at a time */
    EXPECT_CODE(hw_store_insert(s, HW_K_ORGANISATIONS, org, &e), HW_OK);
    EXPECT_CODE(hw_store_rollback(s, &e), HW_OK);
    EXPECT_CODE(hw_store_count(s, HW_K_ORGANISATIONS, &n, &e), HW_OK);
    EXPECT_INT(n, 0);
    /* Closing with a transaction open rolls it back too. */
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE(hw_store_insert(s, HW_K_ORGANISATIONS, org, &e), HW_OK);
    hw_store_close(s);
    EXPECT_CODE(hw_store_open(unit_path("s4.db"), 0, &s, &e), HW_OK);
    EXPECT_CODE(hw_store_count(s, HW_K_ORGANISATIONS, &n, &e), HW_OK);
    EXPECT_INT(n, 0);
    hw_store_close(s);
}

/* A read transaction sees the database as it was at its first read, whatever is committed. */
TEST(store_read_transaction_is_one_snapshot)
{
    hw_store *r = NULL, *w = NULL;
    hw_value a[3] = {iv(1), sv("A"), nv()}, b[3] = {iv(2), sv("B"), nv()};
    int64_t n = -1;
    hw_err e;

    EXPECT_CODE(hw_store_open(unit_path("s9.db"), HW_STORE_CREATE, &w, &e), HW_OK);
    EXPECT_CODE(hw_store_open(unit_path("s9.db"), 0, &r, &e), HW_OK);
    if (!r || !w)
        goto out;
    EXPECT_CODE(hw_store_begin(w, 0, &e), HW_OK);
    EXPECT_CODE(hw_store_insert(w, HW_K_ORGANISATIONS, a, &e), HW_OK);
    EXPECT_CODE(hw_store_commit(w, &e), HW_OK);
    EXPECT_CODE(hw_store_begin(r, HW_BEGIN_READ, &e), HW_OK);
    EXPECT_CODE(hw_store_count(r, HW_K_ORGANISATIONS, &n, &e), HW_OK);
    EXPECT_INT(n, 1);
    /* The writer is not held up by the reader, and the reader does not see its commit. */
    EXPECT_CODE(hw_store_begin(w, 0, &e), HW_OK);
    EXPECT_CODE(hw_store_insert(w, HW_K_ORGANISATIONS, b, &e), HW_OK);
    EXPECT_CODE(hw_store_commit(w, &e), HW_OK);
    EXPECT_CODE(hw_store_count(r, HW_K_ORGANISATIONS, &n, &e), HW_OK);
    EXPECT_INT(n, 1);
    EXPECT_CODE(hw_store_rollback(r, &e), HW_OK);
    EXPECT_CODE(hw_store_count(r, HW_K_ORGANISATIONS, &n, &e), HW_OK);
    EXPECT_INT(n, 2);
out:
    hw_store_close(r);
    hw_store_close(w);
}

/* The number of indexes on `table`, read straight from the file. */
static int index_count(const char *path, const char *table)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;

    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                           " AND tbl_name = ?1 AND sql IS NOT NULL",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

TEST(store_bulk_load_rebuilds_indexes)
{
    const char *path = unit_path("s5.db");
    hw_value org[3] = {iv(1), sv("A"), nv()};
    hw_store *s = NULL;
    int64_t owner = 0;
    hw_err e;

    EXPECT_CODE(hw_store_open(path, HW_STORE_CREATE, &s, &e), HW_OK);
    EXPECT_INT(index_count(path, "people"), 2);
    /* Rolled back: the dropped indexes come back. */
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE_E(hw_store_bulk_load(s, HW_K_PEOPLE, &e), HW_OK, &e);
    EXPECT_CODE(hw_store_rollback(s, &e), HW_OK);
    EXPECT_INT(index_count(path, "people"), 2);
    /* Committed: built again. */
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE_E(hw_store_bulk_load(s, HW_K_ORGANISATIONS, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_store_bulk_load(s, HW_K_APPOINTMENTS, &e), HW_OK, &e);
    EXPECT_CODE(hw_store_insert(s, HW_K_ORGANISATIONS, org, &e), HW_OK);
    EXPECT_CODE_E(hw_store_commit(s, &e), HW_OK, &e);
    EXPECT_INT(index_count(path, "appointments"), 2);
    /* A table with rows keeps its indexes, and lookups still work. */
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE(hw_store_bulk_load(s, HW_K_ORGANISATIONS, &e), HW_OK);
    EXPECT_CODE(hw_store_owner(s, HW_K_ORGANISATIONS, 1, &owner, &e), HW_OK);
    EXPECT_CODE(hw_store_commit(s, &e), HW_OK);
    EXPECT_CODE(hw_store_bulk_load(s, HW_K_PEOPLE, &e), HW_EBUG); /* outside a transaction */
    hw_store_close(s);
}

TEST(store_refs_checked_is_one_transaction_only)
{
    hw_store *s = NULL;
    hw_value led[7] = {iv(1), iv(99), sv("2025-01-01"), sv("payment"), iv(500), nv(), nv()};
    hw_err e;

    EXPECT_CODE(hw_store_open(unit_path("s6.db"), HW_STORE_CREATE, &s, &e), HW_OK);
    EXPECT_CODE(hw_store_begin(s, HW_BEGIN_REFS_CHECKED, &e), HW_OK);
    EXPECT_CODE(hw_store_commit(s, &e), HW_OK);
    /* The next transaction checks references again. */
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE(hw_store_insert(s, HW_K_LEDGER, led, &e), HW_ENOTFOUND);
    EXPECT_STR(e.field, "obligation_id");
    EXPECT_CODE(hw_store_rollback(s, &e), HW_OK);
    EXPECT_CODE(hw_store_begin(s, HW_BEGIN_REFS_CHECKED, &e), HW_OK);
    EXPECT_CODE(hw_store_rollback(s, &e), HW_OK);
    EXPECT_CODE(hw_store_begin(s, 0, &e), HW_OK);
    EXPECT_CODE(hw_store_insert(s, HW_K_LEDGER, led, &e), HW_ENOTFOUND);
    EXPECT_CODE(hw_store_rollback(s, &e), HW_OK);
    hw_store_close(s);
}
