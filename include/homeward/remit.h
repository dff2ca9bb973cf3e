/* SPDX-License-Identifier: MIT */
/*
 * Remittance: what a committed plan pays one court or payee, as a CSV list
 * for their clerk's books and a printable PDF letter (cairo and pango).
 */
#ifndef HOMEWARD_REMIT_H
#define HOMEWARD_REMIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "homeward/error.h"

/* One payment to the payee: one obligation, from one fund. */
typedef struct hw_remit_line {
    int64_t person_id;
    const char *person_name; /* "Given Family" */
    int64_t obligation_id;
    const char *case_number; /* the conviction's docket or case number, or NULL */
    const char *kind;        /* fine, fee, cost or restitution */
    const char *description; /* the obligation's description, or NULL */
    int64_t amount_cents;    /* > 0 */
    int64_t fund_id;
    const char *fund_name;
    const char *reference; /* the payment's reference: "plan 3 / obligation 812" */
} hw_remit_line;

/* Everything one payee is sent; borrows every string. */
typedef struct hw_remit {
    const char *payee; /* "Philadelphia County Clerk of Courts" */
    const char *from;  /* the paying organisation's name */
    const char *date;  /* YYYY-MM-DD the payments were made */
    int64_t plan_id;
    size_t n;
    const hw_remit_line *lines; /* in the order to print */
} hw_remit;

/*
 * The list as CSV: a header, then one row per line (person_id, person_name,
 * case_number, obligation_id, kind, description, amount (dollars, "412.00"),
 * amount_cents, fund_id, fund_name, reference), then a total row ("total"
 * in the first field, the sums in amount and amount_cents, the rest empty).
 * Quoting and CRLF line ends as RFC 4180.  HW_EINVAL, with nothing written,
 * for an amount not above zero or a total past INT64_MAX cents; HW_EIO when
 * writing fails.
 */
hw_code hw_remit_write_csv(const hw_remit *r, FILE *f, hw_err *e);

/*
 * The letter as a PDF at `path` (US Letter, paginated; a table of the
 * lines with a running total, the total in words and figures, and the
 * plan's reference on every page), set in DejaVu Sans.  Written to a
 * temporary file and renamed into place, so a failure leaves no half file.
 * HW_EINVAL as for the CSV, and for a date that is not YYYY-MM-DD or text
 * that is not UTF-8; HW_EIO, naming the path.
 */
hw_code hw_remit_write_pdf(const hw_remit *r, const char *path, hw_err *e);

#endif
