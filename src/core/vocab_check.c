/* SPDX-License-Identifier: MIT */
/*
 * Validation against the vocabulary: one field at a time (hw_vocab_parse),
 * then the checks between fields of a row, then the Markdown description.
 */
#include "core/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vocab_int.h"
#include "homeward/buf.h"
#include "homeward/date.h"
#include "homeward/text.h"

#define Q(n) (int)((n) > 40 ? 40 : (n))

/* The index of s[0..n) among `values` (ignoring case), or -1. */
static int enum_index(const char *const *values, const char *s, size_t n)
{
    for (int i = 0; values[i]; i++)
        if (hw_ascii_ieq(s, n, values[i]))
            return i;
    return -1;
}

static hw_code bad_enum(const hw_field *f, const char *s, size_t n, hw_err *e)
{
    char list[320];
    size_t off = 0;

    list[0] = '\0';
    for (int i = 0; f->values[i] && off < sizeof(list); i++) {
        int w = snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "", f->values[i]);

        if (w < 0)
            break;
        off += (size_t)w;
    }
    return hw_fail(e, HW_EINVAL, f->name, "unknown value '%.*s' (allowed: %s)", Q(n), s, list);
}

static hw_code parse_text(const hw_field *f, const char *s, size_t n, hw_value *out, hw_err *e)
{
    size_t bad;

    if (!hw_utf8_valid(s, n, &bad))
        return hw_fail(e, HW_EINVAL, f->name, "invalid UTF-8 at byte %zu", bad + 1);
    if ((int64_t)n > f->max)
        return hw_fail(e, HW_EINVAL, f->name, "too long: %zu bytes (at most %lld)", n,
                       (long long)f->max);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c < 0x20 && c != '\t' && !((f->flags & HW_F_MULTILINE) && (c == '\n' || c == '\r'))) ||
            c == 0x7F)
            return hw_fail(e, HW_EINVAL, f->name, "control character 0x%02X at byte %zu", c, i + 1);
    }
    out->s = s;
    out->n = n;
    return HW_OK;
}

static hw_code keep_copy(const hw_field *f, hw_arena *a, const char *s, size_t n, hw_value *out,
                         hw_err *e)
{
    char *p = hw_arena_strndup(a, s, n);

    if (!p)
        return hw_fail(e, HW_ENOMEM, f->name, "out of memory");
    out->s = p;
    out->n = n;
    return HW_OK;
}

static hw_code parse_set(const hw_field *f, const char *s, size_t n, hw_arena *a, hw_value *out,
                         hw_err *e)
{
    uint64_t bits = 0;
    size_t i = 0;
    hw_buf b = HW_BUF_INIT(0);
    hw_code rc = HW_OK;

    while (i <= n) {
        size_t j = i, lo, hi;
        int k;

        while (j < n && s[j] != ';')
            j++;
        lo = i;
        hi = j;
        while (lo < hi && s[lo] == ' ')
            lo++;
        while (hi > lo && s[hi - 1] == ' ')
            hi--;
        if (hi > lo) {
            k = enum_index(f->values, s + lo, hi - lo);
            if (k < 0)
                return bad_enum(f, s + lo, hi - lo, e);
            bits |= (uint64_t)1 << k;
        }
        i = j + 1;
    }
    /* Canonical order is the vocabulary's, so equal sets are equal text. */
    for (int k = 0; f->values[k] && !rc; k++) {
        if (bits & ((uint64_t)1 << k)) {
            if (b.n)
                rc = hw_buf_putc(&b, ';', e);
            if (!rc)
                rc = hw_buf_append(&b, f->values[k], strlen(f->values[k]), e);
        }
    }
    if (!rc && b.n)
        rc = keep_copy(f, a, b.p, b.n, out, e);
    else if (!rc)
        out->null = true;
    out->i = (int64_t)bits;
    hw_buf_release(&b);
    return rc;
}

hw_code hw_vocab_parse(const hw_field *f, const char *s, size_t n, hw_arena *a, hw_value *out,
                       hw_err *e)
{
    hw_code rc = HW_OK;
    char tmp[32];
    int k;

    out->null = false;
    out->i = 0;
    out->offset_min = 0;
    out->s = NULL;
    out->n = 0;
    if (n == 0) {
        out->null = true;
        if (f->flags & HW_F_REQUIRED)
            return hw_fail(e, HW_EINVAL, f->name, "required, but empty");
        return HW_OK;
    }
    switch (f->type) {
    case HW_T_ID:
    case HW_T_REF:
    case HW_T_INT:
        rc = hw_parse_int(s, n, f->type == HW_T_INT ? f->min : 1, f->max, &out->i, e);
        break;
    case HW_T_CENTS:
        rc = hw_parse_cents(s, n, f->min, f->max, &out->i, e);
        break;
    case HW_T_BOOL: {
        bool v;

        rc = hw_parse_bool(s, n, &v, e);
        out->i = v;
        break;
    }
    case HW_T_TEXT:
        rc = parse_text(f, s, n, out, e);
        break;
    case HW_T_DATE: {
        int32_t d;

        rc = hw_date_parse(s, n, &d, e);
        out->i = d;
        out->s = s;
        out->n = n;
        break;
    }
    case HW_T_TIME:
        rc = hw_time_parse(s, n, &out->i, &out->offset_min, e);
        if (!rc) {
            hw_time_format(out->i, out->offset_min, tmp);
            rc = keep_copy(f, a, tmp, HW_TIME_LEN, out, e);
        }
        break;
    case HW_T_ENUM:
        k = enum_index(f->values, s, n);
        if (k < 0)
            return bad_enum(f, s, n, e);
        out->i = k;
        out->s = f->values[k];
        out->n = strlen(f->values[k]);
        break;
    case HW_T_SET:
        rc = parse_set(f, s, n, a, out, e);
        break;
    case HW_T_JURIS:
        if (hw_ascii_ieq(s, n, "federal")) {
            out->s = "federal";
            out->n = 7;
            break;
        }
        /* otherwise a state code */
        /* fall through */
    case HW_T_STATE:
        if (n == 2) {
            tmp[0] = (char)(s[0] >= 'a' && s[0] <= 'z' ? s[0] - 32 : s[0]);
            tmp[1] = (char)(s[1] >= 'a' && s[1] <= 'z' ? s[1] - 32 : s[1]);
        }
        if (n != 2 || !hw_state_valid(tmp, 2))
            return hw_fail(e, HW_EINVAL, f->name, "not a US state code%s: '%.*s'",
                           f->type == HW_T_JURIS ? " or 'federal'" : "", Q(n), s);
        rc = keep_copy(f, a, tmp, 2, out, e);
        break;
    case HW_T_STATUTE: {
        hw_buf b = HW_BUF_INIT(400);

        rc = parse_text(f, s, n, out, e);
        if (!rc)
            rc = hw_statute_normalize(s, n, &b, e);
        if (!rc)
            rc = keep_copy(f, a, b.p, b.n, out, e);
        hw_buf_release(&b);
        break;
    }
    case HW_T_PHONE:
        rc = hw_phone_normalize(s, n, tmp, e);
        if (!rc)
            rc = keep_copy(f, a, tmp, strlen(tmp), out, e);
        break;
    case HW_T_EMAIL:
        rc = hw_email_check(s, n, e);
        out->s = s;
        out->n = n;
        break;
    case HW_T_ZIP:
        rc = hw_zip_check(s, n, e);
        out->s = s;
        out->n = n;
        break;
    }
    if (rc && e && !e->field[0])
        snprintf(e->field, sizeof(e->field), "%s", f->name);
    return rc;
}

/* Field positions used by the checks; a unit test pins them to the table. */
enum { P_CITIZENSHIP = 12, P_SINCE = 13, P_PRIOR = 14 };
enum {
    C_OFFENSE_DATE = 10,
    C_DISPOSITION_DATE = 12,
    C_DRUG = 15,
    C_DRUG_TYPE = 16,
    C_DRUG_CONDUCT = 17
};
enum { S_START = 5, S_TERM = 6, S_LIFE = 7, S_RELEASE = 14 };
enum { V_START = 5, V_SCHED_END = 6, V_END = 7, V_STATUS = 10 };
enum { L_KIND = 3, L_AMOUNT = 4 };
enum { X_DATE = 3, X_OUTCOME_DATE = 8 };

static hw_code not_before(const hw_value *row, int later, int earlier, const char *lname,
                          const char *ename, hw_err *e)
{
    if (row[later].null || row[earlier].null || row[later].i >= row[earlier].i)
        return HW_OK;
    return hw_fail(e, HW_EINVAL, lname, "%.*s is before %s %.*s", (int)row[later].n, row[later].s,
                   ename, (int)row[earlier].n, row[earlier].s);
}

hw_code hw__check_person(const hw_value *row, hw_err *e)
{
    if (!row[P_PRIOR].null && row[P_SINCE].null)
        return hw_fail(e, HW_EINVAL, "prior_citizenship_status", "given without citizenship_since");
    if (!row[P_SINCE].null && row[P_CITIZENSHIP].null)
        return hw_fail(e, HW_EINVAL, "citizenship_since", "given without citizenship_status");
    return HW_OK;
}

hw_code hw__check_conviction(const hw_value *row, hw_err *e)
{
    hw_code rc =
        not_before(row, C_DISPOSITION_DATE, C_OFFENSE_DATE, "disposition_date", "offense_date", e);

    if (rc)
        return rc;
    if (!row[C_DRUG].null && row[C_DRUG].i == 0) {
        if (!row[C_DRUG_TYPE].null)
            return hw_fail(e, HW_EINVAL, "drug_type", "given, but drug is false");
        if (!row[C_DRUG_CONDUCT].null)
            return hw_fail(e, HW_EINVAL, "drug_conduct", "given, but drug is false");
    }
    return HW_OK;
}

hw_code hw__check_sentence(const hw_value *row, hw_err *e)
{
    if (!row[S_LIFE].null && row[S_LIFE].i && !row[S_TERM].null)
        return hw_fail(e, HW_EINVAL, "term_months", "given for a life sentence");
    return not_before(row, S_RELEASE, S_START, "release_date", "start_date", e);
}

hw_code hw__check_supervision(const hw_value *row, hw_err *e)
{
    static const char *const ended[] = {"completed", "terminated_early", "revoked"};
    hw_code rc;

    rc = not_before(row, V_SCHED_END, V_START, "scheduled_end_date", "start_date", e);
    if (!rc)
        rc = not_before(row, V_END, V_START, "end_date", "start_date", e);
    if (rc)
        return rc;
    for (size_t i = 0; i < HW_ARRAY_LEN(ended); i++)
        if (row[V_STATUS].s == ended[i] || !strcmp(row[V_STATUS].s, ended[i]))
            if (row[V_END].null)
                return hw_fail(e, HW_EINVAL, "end_date", "required when status is %s", ended[i]);
    return HW_OK;
}

hw_code hw__check_ledger(const hw_value *row, hw_err *e)
{
    bool adjustment = !strcmp(row[L_KIND].s, "adjustment");

    if (adjustment && row[L_AMOUNT].i == 0)
        return hw_fail(e, HW_EINVAL, "amount_cents", "an adjustment of zero");
    if (!adjustment && row[L_AMOUNT].i <= 0)
        return hw_fail(e, HW_EINVAL, "amount_cents",
                       "must be positive for %s (only an adjustment is signed): %lld",
                       row[L_KIND].s, (long long)row[L_AMOUNT].i);
    return HW_OK;
}

hw_code hw__check_violation(const hw_value *row, hw_err *e)
{
    return not_before(row, X_OUTCOME_DATE, X_DATE, "outcome_date", "violation_date", e);
}

hw_str hw_vocab_text(const hw_field *f, const hw_value *v, char *buf, size_t size)
{
    if (v->null)
        return (hw_str){"", 0};
    switch (f->type) {
    case HW_T_BOOL:
        return v->i ? (hw_str){"true", 4} : (hw_str){"false", 5};
    case HW_T_ID:
    case HW_T_REF:
    case HW_T_INT:
    case HW_T_CENTS:
        return (hw_str){buf, (size_t)snprintf(buf, size, "%lld", (long long)v->i)};
    case HW_T_DATE:
        if (v->s)
            return (hw_str){v->s, v->n};
        if (size <= HW_DATE_LEN)
            return (hw_str){"", 0};
        hw_date_format((int32_t)v->i, buf);
        return (hw_str){buf, HW_DATE_LEN};
    default:
        return (hw_str){v->s, v->n};
    }
}

hw_code hw_vocab_check_row(hw_kind k, const hw_value *row, hw_err *e)
{
    const hw_kind_desc *d = hw_vocab_kind(k);

    return d->check ? d->check(row, e) : HW_OK;
}

static void md_field(hw_buf *b, const hw_kind_desc *d, const hw_field *f)
{
    hw_buf_printf(b, NULL, "| `%s` | %s", f->name, hw_vocab_type_name(f->type));
    if (f->type == HW_T_REF)
        hw_buf_printf(b, NULL, " to %s", hw_vocab_kind(f->ref)->name);
    if (f->type == HW_T_ENUM || f->type == HW_T_SET)
        for (int i = 0; f->values[i]; i++)
            hw_buf_printf(b, NULL, "%s`%s`", i ? ", " : ": ", f->values[i]);
    if (f->type == HW_T_INT || f->type == HW_T_CENTS)
        hw_buf_printf(b, NULL, " %lld..%lld", (long long)f->min, (long long)f->max);
    if (f->type == HW_T_TEXT)
        hw_buf_printf(b, NULL, ", at most %lld bytes", (long long)f->max);
    hw_buf_printf(b, NULL, " | %s | %s%s%s |\n", (f->flags & HW_F_REQUIRED) ? "yes" : "", f->doc,
                  (f->flags & HW_F_SAME_PERSON) ? "; must belong to the same person" : "",
                  (f->flags & HW_F_PERSONAL) ? " (personal)" : "");
    HW_UNUSED(d);
}

char *hw_vocab_markdown(void)
{
    hw_buf b = HW_BUF_INIT(0);

    hw_buf_printf(&b, NULL,
                  "# The data vocabulary\n\n"
                  "Generated by `homeward vocab` from `src/core/vocab.c`; a test keeps this file "
                  "equal to that output.\nThe importer, the exporter, the store and the rule packs "
                  "use these names.  Types:\n\n"
                  "- **id**, **reference**: a positive whole number; a reference must name an "
                  "existing record.\n"
                  "- **integer**, **cents**: whole numbers; money is always whole cents "
                  "(`1250` is $12.50), never a decimal.\n"
                  "- **boolean**: `true` or `false` (`1`/`0`, `yes`/`no` are read too).\n"
                  "- **date**: a civil date `YYYY-MM-DD`, years 1800 to 2200; **time**: "
                  "`YYYY-MM-DDTHH:MM:SS+HH:MM` (an offset, or `Z`, is required).\n"
                  "- **one of** / **set of**: the listed values (case is ignored on import); a "
                  "set is written `a;b`, stored in the order listed here.\n"
                  "- **state**: a USPS code (`PA`, `DC`, `PR`); **jurisdiction**: `federal` or a "
                  "state code.\n"
                  "- **statute**: a citation, normalised: `21 U.S.C. § 844(a)` is stored as "
                  "`21 USC 844(a)`, `18 Pa.C.S. 2701` as `18 PACS 2701`, "
                  "`Cal. Health & Safety Code 11357` as `CA HSC 11357`, `D.C. Code "
                  "48-904.01(d)(1)` as `DC 48-904.01(d)(1)`.\n"
                  "- **phone**: stored as E.164 (`+12155550100`); **email**; **zip**: `12345` or "
                  "`12345-6789`.\n\n"
                  "An empty field is absent (null); a required field may not be empty. Text is "
                  "UTF-8 without control characters.\n");
    for (int k = 0; k < HW_K_COUNT; k++) {
        const hw_kind_desc *d = hw_vocab_kind((hw_kind)k);

        hw_buf_printf(&b, NULL,
                      "\n## %s\n\n%s A rule sees one as `%s`. Table `%s`.\n\n"
                      "| field | type | required | meaning |\n|---|---|---|---|\n",
                      d->name, d->doc, d->singular, d->table);
        for (size_t i = 0; i < d->nfields; i++)
            md_field(&b, d, &d->fields[i]);
    }
    return b.p;
}
