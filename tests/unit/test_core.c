/* SPDX-License-Identifier: MIT */
/* Unit tests of src/core: arena, buf, dates, text parsers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/arena.h"
#include "homeward/buf.h"
#include "homeward/date.h"
#include "homeward/text.h"
#include "unit.h"

TEST(arena_alloc_aligned)
{
    hw_arena a;
    char *p, *q;

    hw_arena_init(&a, 64, 0);
    p = hw_arena_alloc(&a, 3);
    q = hw_arena_alloc(&a, 5);
    EXPECT(p && q && p != q);
    EXPECT((uintptr_t)q % sizeof(max_align_t) == 0 || (uintptr_t)q % 16 == 0);
    EXPECT(hw_arena_alloc(&a, 1000) != NULL); /* bigger than a block */
    EXPECT_STR(hw_arena_strndup(&a, "abcdef", 3), "abc");
    hw_arena_release(&a);
}

TEST(arena_limit)
{
    hw_arena a;

    hw_arena_init(&a, 64, 1024);
    EXPECT(hw_arena_alloc(&a, 1000) != NULL);
    EXPECT(hw_arena_alloc(&a, 100) == NULL); /* over the limit */
    hw_arena_reset(&a);
    EXPECT(hw_arena_alloc(&a, 100) != NULL); /* reset gives it back */
    EXPECT(hw_arena_alloc(&a, SIZE_MAX) == NULL);
    hw_arena_release(&a);
}

TEST(buf_cap)
{
    hw_buf b = HW_BUF_INIT(8);
    hw_err e;

    EXPECT_CODE(hw_buf_append(&b, "12345678", 8, &e), HW_OK);
    EXPECT_STR(b.p, "12345678");
    EXPECT_CODE(hw_buf_putc(&b, 'x', &e), HW_ELIMIT);
    EXPECT_INT(b.n, 8);
    hw_buf_clear(&b);
    EXPECT_CODE(hw_buf_printf(&b, &e, "%d-%s", 42, "ok"), HW_OK);
    EXPECT_STR(b.p, "42-ok");
    /* Past the cap, printed in the room there is or not: refused, the text unchanged. */
    EXPECT_CODE(hw_buf_printf(&b, &e, "%s", "abcd"), HW_ELIMIT);
    EXPECT_STR(b.p, "42-ok");
    EXPECT_CODE(hw_buf_printf(&b, &e, "%s", "abc"), HW_OK);
    EXPECT_STR(b.p, "42-okabc");
    hw_buf_release(&b);
    hw_buf_release(&b); /* twice is harmless */
}

TEST(buf_printf_grows_and_ints)
{
    hw_buf b = HW_BUF_INIT(0);
    static const int64_t ints[] = {0, 7, -7, 10, 999, -1000, INT64_MAX, INT64_MIN};
    char want[32];
    hw_err e;

    /* A text longer than the room: printed again once the buffer has grown. */
    EXPECT_CODE(hw_buf_printf(&b, &e, "%0200d|", 5), HW_OK);
    EXPECT_INT(b.n, 201);
    EXPECT(b.p[199] == '5' && b.p[200] == '|' && b.p[201] == '\0');
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        hw_buf_clear(&b);
        EXPECT_CODE(hw_buf_put_i64(&b, ints[i], &e), HW_OK);
        snprintf(want, sizeof(want), "%lld", (long long)ints[i]);
        EXPECT_STR(b.p, want);
    }
    hw_buf_release(&b);
}

TEST(date_parse_and_format)
{
    int32_t d;
    char out[HW_DATE_LEN + 1];
    hw_err e;

    EXPECT_CODE(hw_date_parse("1970-01-01", 10, &d, &e), HW_OK);
    EXPECT_INT(d, 0);
    EXPECT_CODE(hw_date_parse("2024-02-29", 10, &d, &e), HW_OK);
    hw_date_format(d, out);
    EXPECT_STR(out, "2024-02-29");
    EXPECT_CODE(hw_date_parse("2023-02-29", 10, &d, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "no such date") != NULL);
    EXPECT_CODE(hw_date_parse("1990-02-31", 10, &d, &e), HW_EINVAL);
    EXPECT_CODE(hw_date_parse("02/03/1990", 10, &d, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "YYYY-MM-DD") != NULL);
    EXPECT_CODE(hw_date_parse("1990-1-1", 8, &d, &e), HW_EINVAL);
    EXPECT_CODE(hw_date_parse("1700-01-01", 10, &d, &e), HW_EINVAL);
    EXPECT_CODE(hw_date_parse("2000-13-01", 10, &d, &e), HW_EINVAL);
    /* Every day of four centuries round-trips. */
    for (int32_t x = hw_date_from_ymd(1900, 1, 1); x < hw_date_from_ymd(2300, 1, 1); x += 1) {
        int y, m, dd;

        hw_date_to_ymd(x, &y, &m, &dd);
        if (hw_date_from_ymd(y, m, dd) != x) {
            EXPECT(!"ymd round trip");
            break;
        }
    }
}

TEST(date_months)
{
    int32_t a = hw_date_from_ymd(2024, 2, 29), b;
    char out[HW_DATE_LEN + 1];

    hw_date_format(hw_date_add_months(a, 12), out);
    EXPECT_STR(out, "2025-02-28"); /* no 29 February: the month's last day */
    hw_date_format(hw_date_add_months(hw_date_from_ymd(2025, 1, 31), 1), out);
    EXPECT_STR(out, "2025-02-28");
    hw_date_format(hw_date_add_months(hw_date_from_ymd(2025, 3, 31), -1), out);
    EXPECT_STR(out, "2025-02-28");
    b = hw_date_from_ymd(2025, 11, 23);
    EXPECT_INT(hw_date_months_between(hw_date_from_ymd(2024, 11, 23), b), 12);
    EXPECT_INT(hw_date_months_between(hw_date_from_ymd(2024, 11, 24), b), 11);
    EXPECT_INT(hw_date_months_between(b, hw_date_from_ymd(2024, 11, 24)), -11);
}

TEST(date_time_parse)
{
    int64_t utc;
    int off;
    char out[HW_TIME_LEN + 1];
    hw_err e;

    EXPECT_CODE(hw_time_parse("2026-11-24T09:30:00-05:00", 25, &utc, &off, &e), HW_OK);
    EXPECT_INT(off, -300);
    EXPECT_INT(utc, (int64_t)hw_date_from_ymd(2026, 11, 24) * 86400 + 14 * 3600 + 30 * 60);
    hw_time_format(utc, off, out);
    EXPECT_STR(out, "2026-11-24T09:30:00-05:00");
    EXPECT_CODE(hw_time_parse("2026-11-24T14:30Z", 17, &utc, &off, &e), HW_OK);
    hw_time_format(utc, off, out);
    EXPECT_STR(out, "2026-11-24T14:30:00+00:00");
    EXPECT_CODE(hw_time_parse("2026-11-24T09:30:00", 19, &utc, &off, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "offset") != NULL);
    EXPECT_CODE(hw_time_parse("2026-11-24T25:30:00Z", 20, &utc, &off, &e), HW_EINVAL);
}

TEST(text_utf8)
{
    size_t bad = 0;

    EXPECT(hw_utf8_valid("caf\xc3\xa9", 5, &bad));
    EXPECT(hw_utf8_valid("\xf0\x9f\x98\x80", 4, &bad));
    EXPECT(!hw_utf8_valid("ab\xff", 3, &bad));
    EXPECT_INT(bad, 2);
    EXPECT(!hw_utf8_valid("\xc0\xaf", 2, &bad));         /* overlong */
    EXPECT(!hw_utf8_valid("\xed\xa0\x80", 3, &bad));     /* surrogate */
    EXPECT(!hw_utf8_valid("\xf4\x90\x80\x80", 4, &bad)); /* above U+10FFFF */
    EXPECT(!hw_utf8_valid("\xc3", 1, &bad));             /* cut short */
}

TEST(text_numbers)
{
    int64_t v;
    bool b;
    hw_err e;

    EXPECT_CODE(hw_parse_int("-42", 3, -100, 100, &v, &e), HW_OK);
    EXPECT_INT(v, -42);
    EXPECT_CODE(hw_parse_int("9223372036854775807", 19, 0, INT64_MAX, &v, &e), HW_OK);
    EXPECT_CODE(hw_parse_int("9223372036854775808", 19, 0, INT64_MAX, &v, &e), HW_EINVAL);
    EXPECT_CODE(hw_parse_int("12a", 3, 0, 100, &v, &e), HW_EINVAL);
    EXPECT_CODE(hw_parse_int(" 1", 2, 0, 100, &v, &e), HW_EINVAL);
    EXPECT_CODE(hw_parse_int("-", 1, -5, 100, &v, &e), HW_EINVAL);
    EXPECT_CODE(hw_parse_int("101", 3, 0, 100, &v, &e), HW_EINVAL);
    EXPECT_CODE(hw_parse_cents("1250", 4, 0, 100000, &v, &e), HW_OK);
    EXPECT_INT(v, 1250);
    EXPECT_CODE(hw_parse_cents("12.50", 5, 0, 100000, &v, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "whole cents") != NULL);
    EXPECT_CODE(hw_parse_cents("-5", 2, 0, 100000, &v, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "negative") != NULL);
    EXPECT_CODE(hw_parse_cents("-5", 2, -100, 100, &v, &e), HW_OK);
    EXPECT_CODE(hw_parse_bool("TRUE", 4, &b, &e), HW_OK);
    EXPECT(b);
    EXPECT_CODE(hw_parse_bool("0", 1, &b, &e), HW_OK);
    EXPECT(!b);
    EXPECT_CODE(hw_parse_bool("maybe", 5, &b, &e), HW_EINVAL);
}

static const char *statute(const char *in)
{
    static char out[600];
    hw_buf b = HW_BUF_INIT(0);
    hw_err e;

    if (hw_statute_normalize(in, strlen(in), &b, &e))
        snprintf(out, sizeof(out), "error: %s", e.msg);
    else
        snprintf(out, sizeof(out), "%s", b.p);
    hw_buf_release(&b);
    return out;
}

TEST(text_statute_normalize)
{
    EXPECT_STR(statute("21 U.S.C. \xc2\xa7 844(a)"), "21 USC 844(a)");
    EXPECT_STR(statute("21  usc   844(a)"), "21 USC 844(a)");
    EXPECT_STR(statute("18 U.S.C. Section 924(c)"), "18 USC 924(c)");
    EXPECT_STR(statute("18 Pa.C.S. \xc2\xa7 2701"), "18 PACS 2701");
    EXPECT_STR(statute("18 Pa. C.S. 2709.1"), "18 PACS 2709.1");
    EXPECT_STR(statute("D.C. Code \xc2\xa7 48-904.01(d)(1)"), "DC 48-904.01(d)(1)");
    EXPECT_STR(statute("Cal. Health & Safety Code 11357"), "CA HSC 11357");
    EXPECT_STR(statute("H&S 11359."), "CA HSC 11359");
    EXPECT_STR(statute("O.C.G.A. 16-13-30"), "OCGA 16-13-30");
    EXPECT_STR(statute("36 C.F.R. 2.35(b)(2)"), "36 CFR 2.35(b)(2)");
    EXPECT_STR(statute("720 ILCS 570/402"), "720 ILCS 570/402");
    EXPECT_STR(statute("   "), "error: empty citation");
    /* Normal form is a fixed point. */
    EXPECT_STR(statute("21 USC 841(b)(1)(A)"), "21 USC 841(b)(1)(A)");
}

TEST(text_contact)
{
    char phone[16];
    hw_err e;

    EXPECT_CODE(hw_phone_normalize("(215) 555-0100", 14, phone, &e), HW_OK);
    EXPECT_STR(phone, "+12155550100");
    EXPECT_CODE(hw_phone_normalize("1-215-555-0100", 14, phone, &e), HW_OK);
    EXPECT_STR(phone, "+12155550100");
    EXPECT_CODE(hw_phone_normalize("+44 20 7946 0958", 16, phone, &e), HW_OK);
    EXPECT_STR(phone, "+442079460958");
    EXPECT_CODE(hw_phone_normalize("555-0100", 8, phone, &e), HW_EINVAL);
    EXPECT_CODE(hw_phone_normalize("call me", 7, phone, &e), HW_EINVAL);
    EXPECT_CODE(hw_email_check("a.b@example.org", 15, &e), HW_OK);
    EXPECT_CODE(hw_email_check("a.b@example", 11, &e), HW_EINVAL);
    EXPECT_CODE(hw_email_check("a b@example.org", 15, &e), HW_EINVAL);
    EXPECT_CODE(hw_email_check("@example.org", 12, &e), HW_EINVAL);
    EXPECT_CODE(hw_zip_check("19107", 5, &e), HW_OK);
    EXPECT_CODE(hw_zip_check("19107-1234", 10, &e), HW_OK);
    EXPECT_CODE(hw_zip_check("1910", 4, &e), HW_EINVAL);
    EXPECT(hw_state_valid("PA", 2) && hw_state_valid("DC", 2) && !hw_state_valid("XX", 2));
}

TEST(text_money_format)
{
    char out[40];

    hw_cents_format(123456789, out, sizeof(out));
    EXPECT_STR(out, "$1,234,567.89");
    hw_cents_format(-5, out, sizeof(out));
    EXPECT_STR(out, "-$0.05");
    hw_cents_format(INT64_MIN, out, sizeof(out));
    EXPECT_STR(out, "-$92,233,720,368,547,758.08");
    hw_count_format(1000, out, sizeof(out));
    EXPECT_STR(out, "1,000");
    hw_count_format(999, out, sizeof(out));
    EXPECT_STR(out, "999");
}
