/* SPDX-License-Identifier: MIT */
/* Unit tests of the CSV reader and writer. */
#include <stdlib.h>
#include <string.h>

#include "homeward/csv.h"
#include "unit.h"

static hw_csv_reader r;

static void open_text(const char *name, const char *text)
{
    hw_err e;

    EXPECT_CODE(hw_csv_open(&r, unit_write_file(unit_path(name), text), 0, &e), HW_OK);
}

/* Read one record and check its line and fields ("a|b|c"). */
static void expect_record(uint64_t want_line, const char *want)
{
    char got[512] = "";
    size_t n = 0;
    uint64_t line = 0;
    hw_err e;

    EXPECT_CODE_E(hw_csv_next(&r, &line, &e), HW_OK, &e);
    for (size_t i = 0; i < r.nfields; i++)
        n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%.*s", i ? "|" : "", (int)r.fields[i].n,
                              r.fields[i].p);
    EXPECT_STR(got, want);
    EXPECT_INT(line, want_line);
}

static void expect_end(void)
{
    uint64_t line;
    hw_err e;

    EXPECT_CODE(hw_csv_next(&r, &line, &e), HW_OK);
    EXPECT_INT(r.nfields, 0);
}

TEST(csv_rfc4180)
{
    open_text("a.csv", "\xEF\xBB\xBFid,name,note\r\n"
                       "1,\"Smith, Ana\",\"said \"\"hi\"\"\"\r\n"
                       "2,\"two\r\nlines\",\r\n"
                       "\r\n"
                       "3,,last");
    expect_record(1, "id|name|note");
    expect_record(2, "1|Smith, Ana|said \"hi\"");
    expect_record(3, "2|two\r\nlines|");
    expect_record(6, "3||last");
    expect_end();
    hw_csv_release(&r);
}

TEST(csv_errors_skip_the_record)
{
    uint64_t line;
    hw_err e;

    open_text("b.csv", "a,b\n1,x\"y\n2,\"ok\"z\n3,fine\n4,\"never closed\n5,x\n");
    expect_record(1, "a|b");
    EXPECT_CODE(hw_csv_next(&r, &line, &e), HW_EINVAL);
    EXPECT_INT(line, 2);
    EXPECT(strstr(e.msg, "quote inside an unquoted field") != NULL);
    EXPECT_CODE(hw_csv_next(&r, &line, &e), HW_EINVAL);
    EXPECT_INT(line, 3);
    EXPECT(strstr(e.msg, "after a closing quote") != NULL);
    expect_record(4, "3|fine");
    EXPECT_CODE(hw_csv_next(&r, &line, &e), HW_EINVAL);
    EXPECT_INT(line, 5);
    EXPECT(strstr(e.msg, "opened on line 5 is never closed") != NULL);
    expect_end();
    hw_csv_release(&r);
}

TEST(csv_record_limit)
{
    size_t n = 3 * 1024 * 1024;
    char *big = malloc(n + 32);
    uint64_t line;
    hw_err e;

    memcpy(big, "a\n\"", 3);
    memset(big + 3, 'x', n);
    memcpy(big + 3 + n, "\"\nok\n", 6);
    open_text("c.csv", big);
    expect_record(1, "a");
    EXPECT_CODE(hw_csv_next(&r, &line, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "record longer than") != NULL);
    EXPECT(r.rec.cap <= HW_CSV_MAX_RECORD * 2 + 64); /* memory stayed bounded */
    expect_record(3, "ok");
    expect_end();
    hw_csv_release(&r);
    free(big);
}

TEST(csv_empty_input)
{
    open_text("d.csv", "");
    expect_end();
    hw_csv_release(&r);
    open_text("e.csv", "\n\n\r\n");
    expect_end();
    hw_csv_release(&r);
}

TEST(csv_put_quotes)
{
    hw_buf b = HW_BUF_INIT(0);
    hw_err e;

    EXPECT_CODE(hw_csv_put(&b, "plain", 5, true, &e), HW_OK);
    EXPECT_CODE(hw_csv_put(&b, "a,b", 3, false, &e), HW_OK);
    EXPECT_CODE(hw_csv_put(&b, "say \"x\"", 7, false, &e), HW_OK);
    EXPECT_CODE(hw_csv_put(&b, "l1\nl2", 5, false, &e), HW_OK);
    EXPECT_CODE(hw_csv_put(&b, "", 0, false, &e), HW_OK);
    EXPECT_STR(b.p, "plain,\"a,b\",\"say \"\"x\"\"\",\"l1\nl2\",");
    hw_buf_release(&b);
}
