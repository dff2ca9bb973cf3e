/* SPDX-License-Identifier: MIT */
/*
 * Fees relief funds: donors, gifts, funds with their restrictions, and the
 * double-entry ledger every cent moves through (docs/funds.md).
 *
 * A transaction's postings sum to zero; a fund's balance is the sum of its
 * account's postings and never goes below zero; a transaction's key makes
 * it idempotent (the same key twice is HW_ECONFLICT and changes nothing).
 */
#ifndef HOMEWARD_FUNDS_H
#define HOMEWARD_FUNDS_H

#include <stddef.h>
#include <stdint.h>

#include "homeward/arena.h"
#include "homeward/store.h"

typedef struct hw_fund {
    int64_t id, organisation_id;
    const char *name;
    const char *restriction;      /* JSON Logic text, or NULL: admits every obligation */
    int64_t per_person_cap_cents; /* 0: none */
    int64_t balance_cents;        /* what it holds now */
    int64_t given_cents;          /* all gifts to it */
    int64_t paid_cents;           /* all payments from it */
    const char *created_at;
} hw_fund;

typedef enum hw_account_kind {
    HW_ACCOUNT_DONOR,
    HW_ACCOUNT_FUND,
    HW_ACCOUNT_PAYEE
} hw_account_kind;

/* One leg of a transaction: cents into (+) or out of (-) an account. */
typedef struct hw_posting {
    hw_account_kind kind;
    int64_t ref;      /* the donor's or fund's id; 0 for a payee */
    const char *name; /* the payee's name; NULL otherwise */
    int64_t amount_cents;
} hw_posting;

typedef struct hw_txn {
    const char *key;          /* unique: "gift:<uuid>", "plan:3:obligation:812:fund:2" */
    const char *kind;         /* "gift" or "payment" */
    const char *entry_date;   /* YYYY-MM-DD */
    const char *memo;         /* or NULL */
    int64_t obligation_id;    /* a payment also entered on this obligation's ledger, in the same
                                 transaction (reference: the key); 0: none */
    int64_t obligation_cents; /* the amount entered there */
    size_t n;
    const hw_posting *postings;
} hw_txn;

/*
 * Create a fund of organisation `org` (0: the database's only organisation).
 * The restriction, when given, must compile as JSON Logic; it is checked on
 * a sample record so a path typo is caught now (HW_EINVAL, field
 * "restrict").  A name taken in the organisation is HW_ECONFLICT.
 */
hw_code hw_fund_add(hw_store *s, int64_t org, const char *name, const char *restriction,
                    int64_t per_person_cap_cents, int64_t *id, hw_err *e);

/* Find or create the donor called `name` in organisation `org`. */
hw_code hw_donor_id(hw_store *s, int64_t org, const char *name, int64_t *id, hw_err *e);

/*
 * A gift from donor `donor_id`, split over n funds (amounts > 0), as one
 * balanced transaction with key `key` (NULL: one made from the time and a
 * random number).  The funds may belong to other organisations than the
 * donor's: a gift can be split across organisations.  HW_ENOTFOUND names a
 * missing fund or donor.
 */
hw_code hw_gift(hw_store *s, int64_t donor_id, size_t n, const int64_t *fund_ids,
                const int64_t *amounts_cents, const char *entry_date, const char *memo,
                const char *key, int64_t *txn_id, hw_err *e);

/*
 * Post a transaction in the open write transaction (or its own).  Refused
 * with nothing written: postings that do not sum to zero or have a zero
 * amount (HW_EINVAL), a key already posted (HW_ECONFLICT), an account that
 * does not exist (HW_ENOTFOUND; payee accounts are created), a fund that
 * would go below zero (HW_EINVAL, naming the fund).
 */
hw_code hw_txn_post(hw_store *s, const hw_txn *t, int64_t *txn_id, hw_err *e);

/* Was a transaction with this key posted? */
hw_code hw_txn_exists(hw_store *s, const char *key, int *exists, hw_err *e);

/* One fund, with its balances; strings live in arena a.  HW_ENOTFOUND. */
hw_code hw_fund_get(hw_store *s, int64_t id, hw_arena *a, hw_fund *out, hw_err *e);

/* Every fund in id order; each valid during the call.  Non-zero from fn stops. */
typedef int (*hw_fund_fn)(void *ud, const hw_fund *f);
hw_code hw_fund_list(hw_store *s, hw_fund_fn fn, void *ud, hw_err *e);

/* The ledger's invariants, for tests and `homeward fund check`. */
typedef struct hw_ledger_check {
    int64_t sum_cents;       /* over every posting: 0 */
    int64_t unbalanced_txns; /* transactions whose postings do not sum to zero: 0 */
    int64_t negative_funds;  /* funds below zero: 0 */
    int64_t kept_wrong;      /* accounts whose kept balance is not the sum of their postings: 0 */
    int64_t txns, postings;
} hw_ledger_check;
hw_code hw_ledger_check_all(hw_store *s, hw_ledger_check *out, hw_err *e);

#endif
