/* SPDX-License-Identifier: MIT */
/*
 * Strict parsers and normalisers for the text that arrives in agency
 * extracts: UTF-8, integers, cents, booleans, statute citations, US state
 * codes, phone numbers, e-mail addresses and ZIP codes.  Each parser reads
 * s[0..n) and fails with HW_EINVAL and a message that quotes the input.
 */
#ifndef HOMEWARD_TEXT_H
#define HOMEWARD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "homeward/buf.h"
#include "homeward/error.h"

/* A view of text owned by someone else: p[0..n), not NUL-terminated. */
typedef struct hw_str {
    const char *p;
    size_t n;
} hw_str;

/*
 * True when s[0..n) is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF).  On failure *bad (if not NULL) is the offending offset.
 */
bool hw_utf8_valid(const char *s, size_t n, size_t *bad);

/* True when s[0..n) equals `lower` (lower-case ASCII) ignoring ASCII case. */
bool hw_ascii_ieq(const char *s, size_t n, const char *lower);

/* A base-10 integer with an optional '-', no spaces, within [min, max]. */
hw_code hw_parse_int(const char *s, size_t n, int64_t min, int64_t max, int64_t *out, hw_err *e);

/*
 * Whole cents, written as an integer ("1250" is $12.50).  "12.50" fails
 * with a message saying amounts are whole cents.
 */
hw_code hw_parse_cents(const char *s, size_t n, int64_t min, int64_t max, int64_t *out, hw_err *e);

/* "true"/"false", also "1"/"0", "yes"/"no", "t"/"f" and "y"/"n", any case. */
hw_code hw_parse_bool(const char *s, size_t n, bool *out, hw_err *e);

/*
 * Normalise a statute citation into `out` (appended): "§" and the word
 * "section" dropped, white space folded, code names in one spelling
 * ("21 U.S.C. § 844(a)" -> "21 USC 844(a)", "18 Pa.C.S. § 2701" ->
 * "18 PACS 2701", "Cal. Health & Safety Code 11357" -> "CA HSC 11357").
 * See docs/vocabulary.md for the full list.
 */
hw_code hw_statute_normalize(const char *s, size_t n, hw_buf *out, hw_err *e);

/* True for a USPS code of a state, DC or a territory ("PA", "DC", "PR"). */
bool hw_state_valid(const char *s, size_t n);

/*
 * Normalise a phone number to E.164 ("+12155550100") into out[16].
 * Ten digits are taken as North American.
 */
hw_code hw_phone_normalize(const char *s, size_t n, char *out, hw_err *e);

/* A plausible e-mail address: local@domain.tld, no spaces, at most 254 bytes. */
hw_code hw_email_check(const char *s, size_t n, hw_err *e);

/*
 * Write cents as dollars with separators ("-$1,234.56") into out[size];
 * 32 bytes hold any int64.
 */
void hw_cents_format(int64_t cents, char *out, size_t size);

/* Write a count with thousands separators ("1,234,567") into out[size]. */
void hw_count_format(int64_t n, char *out, size_t size);

/* A US ZIP code: "12345" or "12345-6789". */
hw_code hw_zip_check(const char *s, size_t n, hw_err *e);

#endif
