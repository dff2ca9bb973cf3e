/* SPDX-License-Identifier: MIT */
/* Funds and the double-entry ledger: what it refuses, and its invariants under random use. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/funds.h"
#include "homeward/rng.h"
#include "unit.h"

static hw_store *funds_db(const char *name, int orgs)
{
    hw_store *s = NULL;
    sqlite3 *db;
    char sql[128];

    if (hw_store_open(unit_path(name), HW_STORE_CREATE, &s, NULL))
        return NULL;
    hw_store_close(s);
    sqlite3_open(unit_path(name), &db);
    for (int i = 1; i <= orgs; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO organisations(id, name) VALUES (%d, 'Org %d')", i,
                 i);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    sqlite3_close(db);
    hw_store_open(unit_path(name), 0, &s, NULL);
    return s;
}

static int64_t balance(hw_store *s, int64_t fund)
{
    hw_arena a;
    hw_fund f = {0};

    hw_arena_init(&a, 0, 0);
    hw_fund_get(s, fund, &a, &f, NULL);
    hw_arena_release(&a);
    return f.balance_cents;
}

TEST(funds_refuse_bad_input)
{
    hw_store *s = funds_db("f1.db", 2);
    int64_t id = 0, donor = 0, txn = 0;
    hw_err e;

    EXPECT(s != NULL);
    /* Two organisations: the fund must say which. */
    EXPECT_CODE_E(hw_fund_add(s, 0, "General", NULL, 0, &id, &e), HW_EINVAL, &e);
    EXPECT_STR(e.field, "org");
    EXPECT_CODE(hw_fund_add(s, 3, "General", NULL, 0, &id, &e), HW_ENOTFOUND);
    EXPECT_CODE_E(hw_fund_add(s, 1, "General", NULL, 0, &id, &e), HW_OK, &e);
    EXPECT_CODE(hw_fund_add(s, 1, "General", NULL, 0, &id, &e), HW_ECONFLICT);
    EXPECT_CODE(hw_fund_add(s, 2, "General", NULL, 0, &id, &e), HW_OK);
    EXPECT_CODE(hw_fund_add(s, 1, "X", "{\"==\": [1", 0, &id, &e), HW_EINVAL);
    EXPECT_STR(e.field, "restrict");
    EXPECT_CODE(
        hw_fund_add(s, 1, "X", "{\"==\": [{\"var\": \"person.sate\"}, \"PA\"]}", 0, &id, &e),
        HW_EINVAL);
    EXPECT(strstr(e.msg, "person.sate") != NULL);
    EXPECT_CODE(hw_fund_add(s, 1, "X", "{\"=<\": [1, 2]}", 0, &id, &e), HW_EINVAL);
    EXPECT_CODE(hw_fund_add(s, 1, "X", NULL, -5, &id, &e), HW_EINVAL);
    EXPECT_CODE_E(hw_fund_add(s, 1, "Fees",
                              "{\"in\": [{\"var\": \"obligation.kind\"}, [\"fine\", \"fee\"]]}", 0,
                              &id, &e),
                  HW_OK, &e);

    EXPECT_CODE(hw_donor_id(s, 1, "Ada", &donor, &e), HW_OK);
    int64_t funds[2] = {1, 99}, amounts[2] = {100, 200};
    EXPECT_CODE(hw_gift(s, donor, 2, funds, amounts, "2026-01-01", NULL, "g1", &txn, &e),
                HW_ENOTFOUND);
    funds[1] = 2;
    amounts[1] = 0;
    EXPECT_CODE(hw_gift(s, donor, 2, funds, amounts, "2026-01-01", NULL, "g1", &txn, &e),
                HW_EINVAL);
    amounts[1] = 200;
    EXPECT_CODE(hw_gift(s, donor, 2, funds, amounts, "2026-13-01", NULL, "g1", &txn, &e),
                HW_EINVAL);
    EXPECT_CODE_E(hw_gift(s, donor, 2, funds, amounts, "2026-01-01", NULL, "g1", &txn, &e), HW_OK,
                  &e);
    /* The same key again is refused and changes nothing: a retried gift is not counted twice. */
    EXPECT_CODE(hw_gift(s, donor, 2, funds, amounts, "2026-01-01", NULL, "g1", &txn, &e),
                HW_ECONFLICT);
    EXPECT_INT(balance(s, 1), 100);
    EXPECT_INT(balance(s, 2), 200);

    /* Unbalanced, zero, and a fund paying more than it holds: refused. */
    hw_posting legs[2] = {{.kind = HW_ACCOUNT_FUND, .ref = 1, .amount_cents = -50},
                          {.kind = HW_ACCOUNT_PAYEE, .name = "Clerk", .amount_cents = 49}};
    hw_txn t = {
        .key = "p1", .kind = "payment", .entry_date = "2026-01-02", .n = 2, .postings = legs};
    EXPECT_CODE(hw_txn_post(s, &t, NULL, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "does not balance") != NULL);
    legs[1].amount_cents = 50;
    legs[0].amount_cents = -50;
    legs[0].ref = 1;
    legs[0].amount_cents = -101;
    legs[1].amount_cents = 101;
    EXPECT_CODE(hw_txn_post(s, &t, NULL, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "below zero") != NULL);
    EXPECT_INT(balance(s, 1), 100);
    legs[0].amount_cents = -100;
    legs[1].amount_cents = 100;
    EXPECT_CODE_E(hw_txn_post(s, &t, NULL, &e), HW_OK, &e);
    EXPECT_INT(balance(s, 1), 0);
    hw_store_close(s);

    /* Postings are never edited, whatever writes to the file. */
    sqlite3 *db;
    sqlite3_open(unit_path("f1.db"), &db);
    EXPECT(sqlite3_exec(db, "UPDATE postings SET amount_cents = 1", NULL, NULL, NULL) != SQLITE_OK);
    EXPECT(sqlite3_exec(db, "DELETE FROM postings", NULL, NULL, NULL) != SQLITE_OK);
    /* A posting that would overdraw a fund is refused by the file itself. */
    EXPECT(sqlite3_exec(db,
                        "INSERT INTO transactions(key, kind, entry_date, created_at) VALUES "
                        "('raw', 'payment', '2026-01-03', 'now'); INSERT INTO postings VALUES "
                        "(last_insert_rowid(), 1, -1)",
                        NULL, NULL, NULL) != SQLITE_OK);
    /* A kept balance edited by hand is found by the ledger's check. */
    EXPECT(sqlite3_exec(db, "UPDATE accounts SET balance_cents = balance_cents + 1 WHERE id = 1",
                        NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    hw_ledger_check k;
    EXPECT_CODE(hw_store_open(unit_path("f1.db"), 0, &s, &e), HW_OK);
    EXPECT_CODE(hw_ledger_check_all(s, &k, &e), HW_OK);
    EXPECT_INT(k.kept_wrong, 1);
    EXPECT_INT(k.sum_cents, 0);
    hw_store_close(s);
}

/* Random gifts, payments and refused postings: every account sums to zero, no fund below zero. */
TEST(funds_ledger_invariants_random)
{
    enum { FUNDS = 4, DONORS = 3, OPS = 1500 };
    hw_store *s = funds_db("f2.db", 1);
    int64_t fund[FUNDS], donor[DONORS], expect[FUNDS] = {0};
    hw_ledger_check k;
    hw_rng r;
    hw_err e;
    char name[32], key[48];
    int refused = 0, posted = 0;

    EXPECT(s != NULL);
    hw_rng_seed(&r, 42, 7);
    for (int i = 0; i < FUNDS; i++) {
        snprintf(name, sizeof name, "fund %d", i);
        EXPECT_CODE(hw_fund_add(s, 0, name, NULL, 0, &fund[i], &e), HW_OK);
    }
    for (int i = 0; i < DONORS; i++) {
        snprintf(name, sizeof name, "donor %d", i);
        EXPECT_CODE(hw_donor_id(s, 0, name, &donor[i], &e), HW_OK);
    }
    for (int op = 0; op < OPS; op++) {
        unsigned what = (unsigned)hw_rng_below(&r, 10);

        snprintf(key, sizeof key, "k%d", op);
        if (op % 50 == 0 && op)
            snprintf(key, sizeof key, "k%d", op - 1); /* a retried key */
        if (what < 4) {
            int64_t ids[FUNDS], amounts[FUNDS];
            size_t n = 1 + hw_rng_below(&r, FUNDS), start = hw_rng_below(&r, FUNDS);

            for (size_t j = 0; j < n; j++) {
                ids[j] = fund[(start + j) % FUNDS];
                amounts[j] = hw_rng_range(&r, 1, 100000);
            }
            hw_code rc = hw_gift(s, donor[hw_rng_below(&r, DONORS)], n, ids, amounts, "2026-03-01",
                                 NULL, key, NULL, &e);
            if (rc == HW_OK) {
                for (size_t j = 0; j < n; j++)
                    expect[(start + j) % FUNDS] += amounts[j];
                posted++;
            } else {
                EXPECT_INT(rc, HW_ECONFLICT);
                refused++;
            }
        } else {
            /* A payment, sometimes more than the fund holds, sometimes unbalanced. */
            size_t f = hw_rng_below(&r, FUNDS);
            int64_t amount = hw_rng_range(&r, 1, 150000);
            int64_t off = what == 9 ? 1 : 0;
            hw_posting legs[2] = {
                {.kind = HW_ACCOUNT_FUND, .ref = fund[f], .amount_cents = -amount},
                {.kind = HW_ACCOUNT_PAYEE,
                 .name = what & 1 ? "Clerk A" : "Clerk B",
                 .amount_cents = amount + off}};
            hw_txn t = {.key = key,
                        .kind = "payment",
                        .entry_date = "2026-03-02",
                        .n = 2,
                        .postings = legs};
            hw_code rc = hw_txn_post(s, &t, NULL, &e);

            if (rc == HW_OK) {
                EXPECT(off == 0 && amount <= expect[f]);
                expect[f] -= amount;
                posted++;
            } else {
                EXPECT(off || amount > expect[f] || (op % 50 == 0));
                refused++;
            }
        }
        if (op % 100 == 0)
            for (int i = 0; i < FUNDS; i++)
                EXPECT_INT(balance(s, fund[i]), expect[i]);
    }
    EXPECT_CODE(hw_ledger_check_all(s, &k, &e), HW_OK);
    EXPECT_INT(k.sum_cents, 0);
    EXPECT_INT(k.unbalanced_txns, 0);
    EXPECT_INT(k.negative_funds, 0);
    EXPECT_INT(k.kept_wrong, 0);
    EXPECT_INT(k.txns, posted);
    EXPECT(refused > 100);
    for (int i = 0; i < FUNDS; i++) {
        EXPECT_INT(balance(s, fund[i]), expect[i]);
        EXPECT(expect[i] >= 0);
    }
    hw_store_close(s);
}
