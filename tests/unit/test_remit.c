/* SPDX-License-Identifier: MIT */
/* Unit tests of the remittance CSV and PDF letter (src/report/remit.c). */
#include <dirent.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "homeward/remit.h"
#include "unit.h"

static const hw_remit_line three[] = {
    {7, "Ana Smith", 812, "CP-51-CR-0001234-2023", "fine", "Court fine", 25000, 2, "General relief",
     "plan 3 / obligation 812"},
    {9, "Robert \"Bo\" Lee, Jr.", 815, NULL, "fee", "Supervision fee, monthly", 10005, 2,
     "General relief", "plan 3 / obligation 815"},
    {11, "Jos\u00e9 Ram\u00edrez", 901, "MC-51-CR-0009876-2022", "restitution", NULL, 6195, 5,
     "Victims' restitution fund", "plan 3 / obligation 901"},
};

static const hw_remit small = {
    "Philadelphia County Clerk of Courts", "Second Chance Fees Fund", "2024-05-01", 3, 3, three};

/* The CSV of `r` as text (free it), or NULL when writing failed. */
static char *csv_of(const hw_remit *r, hw_code want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    hw_err e;

    EXPECT(f != NULL);
    if (!f)
        return NULL;
    EXPECT_CODE_E(hw_remit_write_csv(r, f, &e), want, &e);
    fclose(f);
    return text;
}

TEST(remit_csv_exact)
{
    char *got = csv_of(&small, HW_OK);

    EXPECT_STR(got, "person_id,person_name,case_number,obligation_id,kind,description,amount,"
                    "amount_cents,fund_id,fund_name,reference\r\n"
                    "7,Ana Smith,CP-51-CR-0001234-2023,812,fine,Court fine,250.00,25000,2,"
                    "General relief,plan 3 / obligation 812\r\n"
                    "9,\"Robert \"\"Bo\"\" Lee, Jr.\",,815,fee,\"Supervision fee, monthly\","
                    "100.05,10005,2,General relief,plan 3 / obligation 815\r\n"
                    "11,Jos\u00e9 Ram\u00edrez,MC-51-CR-0009876-2022,901,restitution,,61.95,6195,5,"
                    "Victims' restitution fund,plan 3 / obligation 901\r\n"
                    "total,,,,,,412.00,41200,,,\r\n");
    free(got);
}

TEST(remit_csv_total_and_empty)
{
    hw_remit_line one = three[0];
    hw_remit r = small;
    char *got;

    /* a cent, and a total past what a double holds to the cent */
    one.amount_cents = 1;
    r.n = 1;
    r.lines = &one;
    got = csv_of(&r, HW_OK);
    EXPECT(got && strstr(got, ",0.01,1,"));
    EXPECT(got && strstr(got, "\r\ntotal,,,,,,0.01,1,,,\r\n"));
    free(got);
    one.amount_cents = INT64_C(900719925474099301);
    got = csv_of(&r, HW_OK);
    EXPECT(got && strstr(got, "\r\ntotal,,,,,,9007199254740993.01,900719925474099301,,,\r\n"));
    free(got);

    r.n = 0;
    r.lines = NULL;
    got = csv_of(&r, HW_OK);
    EXPECT(got && strstr(got, "reference\r\ntotal,,,,,,0.00,0,,,\r\n"));
    free(got);
}

/* Amounts must be above zero and add up without overflow; nothing is written otherwise. */
TEST(remit_rejects_bad_amounts)
{
    hw_remit_line two[2] = {three[0], three[1]};
    hw_remit r = small;
    const char *pdf = unit_path("bad-amount.pdf");
    struct stat st;
    char *got;
    hw_err e;

    r.n = 2;
    r.lines = two;
    two[1].amount_cents = 0;
    got = csv_of(&r, HW_EINVAL);
    EXPECT(got && got[0] == '\0');
    free(got);
    EXPECT_CODE(hw_remit_write_pdf(&r, pdf, &e), HW_EINVAL);
    EXPECT_STR(e.field, "amount_cents");
    EXPECT(strstr(e.msg, "obligation 815") != NULL);
    EXPECT(stat(pdf, &st) != 0);

    two[1].amount_cents = INT64_MAX;
    got = csv_of(&r, HW_EINVAL);
    free(got);
    EXPECT_CODE(hw_remit_write_pdf(&r, pdf, &e), HW_EINVAL);
    EXPECT(stat(pdf, &st) != 0);

    two[1] = three[1];
    r.date = "2024-02-30";
    EXPECT_CODE(hw_remit_write_pdf(&r, pdf, &e), HW_EINVAL);
    EXPECT_STR(e.field, "date");
    EXPECT(stat(pdf, &st) != 0);
}

/* ---- the PDF, read back with poppler's tools ---- */

/*
 * Under LeakSanitizer: fontconfig, started by pango on a thread of its own,
 * keeps a few hundred bytes of its configuration unreachable until exit, once
 * per process.  The letter's own fonts and layouts are all freed.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static bool have_poppler(void)
{
    if (system("command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1") == 0)
        return true;
    unit_fail(__FILE__, __LINE__,
              "pdftotext and pdfinfo on PATH (Debian package poppler-utils: "
              "scripts/install-deps.sh test)");
    return false;
}

/* The output of `cmd` with every run of white space made one space (free it), or NULL. */
static char *output(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    char *text = NULL;
    size_t n = 0, cap = 0;
    int c;
    bool space = false;

    if (!p) {
        unit_fail(__FILE__, __LINE__, cmd);
        return NULL;
    }
    while ((c = getc(p)) != EOF) {
        bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';

        if (ws && space)
            continue;
        space = ws;
        if (n + 2 > cap) {
            char *t = realloc(text, cap = cap ? 2 * cap : 4096);

            if (!t) {
                free(text);
                pclose(p);
                return NULL;
            }
            text = t;
        }
        text[n++] = ws ? ' ' : (char)c;
    }
    if (pclose(p) != 0) {
        unit_fail(__FILE__, __LINE__, cmd);
        free(text);
        return NULL;
    }
    if (text)
        text[n] = '\0';
    return text;
}

static char *pdf_text(const char *path)
{
    char cmd[1024];

    snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
    return output(cmd);
}

static long pdf_pages(const char *path)
{
    char cmd[1024], *info, *p;
    long pages = -1;

    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
    info = output(cmd);
    if (info && (p = strstr(info, "Pages: ")))
        pages = strtol(p + 7, NULL, 10);
    free(info);
    return pages;
}

static bool starts_pdf(const char *path)
{
    char head[5] = "";
    FILE *f = fopen(path, "rb");
    bool ok = f && fread(head, 1, 4, f) == 4 && memcmp(head, "%PDF", 4) == 0;

    if (f)
        fclose(f);
    return ok;
}

#define EXPECT_HAS(text, want)                                                                     \
    do {                                                                                           \
        if (!(text) || !strstr((text), (want)))                                                    \
            unit_fail_str(__FILE__, __LINE__, "text of the pdf", "(does not contain it)", want);   \
    } while (0)

TEST(remit_pdf_one_page)
{
    const char *path = unit_path("small.pdf");
    char *text;
    hw_err e;

    EXPECT_CODE_E(hw_remit_write_pdf(&small, path, &e), HW_OK, &e);
    EXPECT(starts_pdf(path));
    if (!have_poppler())
        return;
    EXPECT_INT(pdf_pages(path), 1);
    text = pdf_text(path);
    EXPECT_HAS(text, "Philadelphia County Clerk of Courts");
    EXPECT_HAS(text, "Second Chance Fees Fund");
    EXPECT_HAS(text, "May 1, 2024");
    EXPECT_HAS(text, "Plan 3");
    EXPECT_HAS(text, "on behalf of the people listed below");
    EXPECT_HAS(text, "Robert \"Bo\" Lee, Jr.");
    EXPECT_HAS(text, "Jos\u00e9 Ram\u00edrez");
    EXPECT_HAS(text, "CP-51-CR-0001234-2023");
    EXPECT_HAS(text, "$100.05");
    EXPECT_HAS(text, "$412.00");
    EXPECT_HAS(text, "Four hundred twelve dollars and 00 cents");
    EXPECT_HAS(text, "page 1 of 1");
    free(text);
}

TEST(remit_pdf_many_pages)
{
    enum { N = 120 };
    static hw_remit_line lines[N];
    static char names[N][48], cases[N][32], refs[N][48];
    hw_remit r = small;
    const char *path = unit_path("many.pdf");
    char want[32];
    char *text;
    long pages;
    hw_err e;

    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "Person%03d Family%03d", i + 1, i + 1);
        snprintf(cases[i], sizeof(cases[i]), "CP-51-CR-%07d-2021", 1000 + i);
        snprintf(refs[i], sizeof(refs[i]), "plan 3 / obligation %d", 5000 + i);
        lines[i] = (hw_remit_line){100 + i,
                                   names[i],
                                   5000 + i,
                                   cases[i],
                                   i % 4 == 3 ? "restitution" : "fee",
                                   NULL,
                                   10000 + 100 * i + (i == 0 ? 67 : 0),
                                   1 + i % 2,
                                   i % 2 ? "Restitution relief fund" : "General relief",
                                   refs[i]};
    }
    snprintf(names[N - 1], sizeof(names[N - 1]), "Zelda Last-Person");
    r.n = N;
    r.lines = lines;
    EXPECT_CODE_E(hw_remit_write_pdf(&r, path, &e), HW_OK, &e);
    EXPECT(starts_pdf(path));
    if (!have_poppler())
        return;
    pages = pdf_pages(path);
    EXPECT(pages > 1);
    text = pdf_text(path);
    /* 120 * $100 + $1 * (0 + ... + 119) + 67 cents */
    EXPECT_HAS(text, "$19,140.67");
    EXPECT_HAS(text, "Nineteen thousand one hundred forty dollars and 67 cents");
    EXPECT_HAS(text, "Philadelphia County Clerk of Courts");
    EXPECT_HAS(text, "page 1 of ");
    snprintf(want, sizeof(want), "page %ld of %ld", pages, pages);
    EXPECT_HAS(text, want);
    EXPECT_HAS(text, "Person001 Family001");
    EXPECT_HAS(text, "Person119 Family119");
    EXPECT_HAS(text, "Zelda Last-Person");
    EXPECT_HAS(text, "Running total");
    free(text);
}

/* Totals in words as a cheque spells them, each in a one-line letter. */
TEST(remit_pdf_total_in_words)
{
    static const struct {
        int64_t cents;
        const char *words;
    } cases[] = {
        {1, "Zero dollars and 01 cents"},
        {100, "One dollar and 00 cents"},
        {2105, "Twenty-one dollars and 05 cents"},
        {100000099, "One million dollars and 99 cents"},
        {123456789012, "One billion two hundred thirty-four million five hundred sixty-seven "
                       "thousand eight hundred ninety dollars and 12 cents"},
    };
    hw_remit_line one = three[0];
    hw_remit r = small;
    const char *path = unit_path("words.pdf");
    hw_err e;

    r.n = 1;
    r.lines = &one;
    if (!have_poppler())
        return;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text;

        one.amount_cents = cases[i].cents;
        EXPECT_CODE_E(hw_remit_write_pdf(&r, path, &e), HW_OK, &e);
        text = pdf_text(path);
        EXPECT_HAS(text, cases[i].words);
        free(text);
    }
}

/* Temporary files of the letter ("x.pdf.<pid>.<n>.tmp") left in `dir`. */
static int temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    int n = 0;

    if (!d)
        return -1;
    while ((ent = readdir(d)))
        n += strstr(ent->d_name, ".tmp") != NULL;
    closedir(d);
    return n;
}

TEST(remit_pdf_failure_leaves_nothing)
{
    const char *missing = unit_path("no-such-dir/letter.pdf");
    const char *dir = unit_path("remit-fail");
    const char *is_dir = unit_path("remit-fail/letter.pdf");
    struct stat st;
    hw_err e;

    EXPECT_CODE(hw_remit_write_pdf(&small, missing, &e), HW_EIO);
    EXPECT(strstr(e.msg, missing) != NULL);
    EXPECT(stat(missing, &st) != 0);

    /* the letter is written in full, then cannot replace a directory: the temporary goes */
    EXPECT(mkdir(dir, 0777) == 0);
    EXPECT(mkdir(is_dir, 0777) == 0);
    EXPECT_CODE(hw_remit_write_pdf(&small, is_dir, &e), HW_EIO);
    EXPECT(strstr(e.msg, is_dir) != NULL);
    EXPECT(stat(is_dir, &st) == 0 && S_ISDIR(st.st_mode));
    EXPECT_INT(temp_files(dir), 0);
}
