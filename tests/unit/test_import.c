/* SPDX-License-Identifier: MIT */
/* Unit tests of import, export and stats, on the fixtures in tests/data/small. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/date.h"
#include "homeward/export.h"
#include "homeward/import.h"
#include "homeward/stats.h"
#include "unit.h"

static const char *fixture(const char *kind)
{
    static char path[8][512];
    static int i;

    i = (i + 1) % 8;
    snprintf(path[i], sizeof(path[i]), "%s/small/%s.csv", HW_TEST_DATA, kind);
    return path[i];
}

static hw_code import1(hw_store *s, hw_kind k, const char *path, unsigned flags,
                       const char *rejects, hw_import_report *rep, hw_err *e)
{
    hw_import_opts o = {0};
    const char *paths[1] = {path};

    o.kind = k;
    o.flags = flags;
    o.rejects_path = rejects;
    o.format = strstr(path, ".jsonl") ? HW_FORMAT_JSONL : HW_FORMAT_CSV;
    return hw_import(s, &o, paths, 1, rep, e);
}

/* A new database with every fixture imported. */
static hw_store *loaded(const char *name)
{
    hw_store *s = NULL;
    hw_err e;

    EXPECT_CODE(hw_store_open(unit_path(name), HW_STORE_CREATE, &s, &e), HW_OK);
    for (int k = 0; k < HW_K_COUNT; k++) {
        hw_import_report rep;

        EXPECT_CODE_E(
            import1(s, (hw_kind)k, fixture(hw_vocab_kind((hw_kind)k)->name), 0, NULL, &rep, &e),
            HW_OK, &e);
        for (size_t i = 0; i < rep.nerrors; i++)
            printf("#     %s:%llu: %s: %s\n", rep.errors[i].file,
                   (unsigned long long)rep.errors[i].line, rep.errors[i].err.field,
                   rep.errors[i].err.msg);
        hw_import_report_release(&rep);
    }
    return s;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = calloc(1, (size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    return p;
}

/* A new string: s with every `from` replaced by `to`. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t n = strlen(s), f = strlen(from), t = strlen(to), o = 0;
    char *out = malloc(n * (t > f ? t : f) + 1);

    while (*s) {
        if (!strncmp(s, from, f)) {
            memcpy(out + o, to, t);
            o += t;
            s += f;
        } else {
            out[o++] = *s++;
        }
    }
    out[o] = '\0';
    return out;
}

static char *export_text(hw_store *s, hw_kind k, hw_format fmt)
{
    const char *path = unit_path("export.out");
    FILE *f = fopen(path, "wb");
    hw_err e;

    EXPECT_CODE(hw_export(s, k, fmt, f, NULL, &e), HW_OK);
    fclose(f);
    return slurp(path);
}

TEST(import_fixtures_round_trip)
{
    hw_store *s = loaded("i1.db"), *t = NULL;
    hw_err e;

    EXPECT_CODE(hw_store_open(unit_path("i1b.db"), HW_STORE_CREATE, &t, &e), HW_OK);
    for (int k = 0; k < HW_K_COUNT; k++) {
        char *csv = export_text(s, (hw_kind)k, HW_FORMAT_CSV);
        char *want = slurp(fixture(hw_vocab_kind((hw_kind)k)->name));
        char *jsonl = export_text(s, (hw_kind)k, HW_FORMAT_JSONL), *again;
        hw_import_report rep;

        /* The fixtures are written canonically, so the export is the fixture. */
        EXPECT(csv && want && !strcmp(csv, want));
        /* And JSON Lines goes back in to give the same records. */
        unit_write_file(unit_path("rt.jsonl"), jsonl);
        EXPECT_CODE_E(import1(t, (hw_kind)k, unit_path("rt.jsonl"), 0, NULL, &rep, &e), HW_OK, &e);
        hw_import_report_release(&rep);
        again = export_text(t, (hw_kind)k, HW_FORMAT_CSV);
        EXPECT(again && csv && !strcmp(again, csv));
        free(csv);
        free(want);
        free(jsonl);
        free(again);
    }
    hw_store_close(s);
    hw_store_close(t);
}

TEST(import_strict_changes_nothing)
{
    hw_store *s = loaded("i2.db");
    hw_import_report rep;
    int64_t n = 0;
    hw_err e;
    const char *bad =
        unit_write_file(unit_path("bad.csv"), "id,organisation_id,given_name,family_name,dob,sex\n"
                                              "10,1,Good,Row,1990-01-01,female\n"
                                              "11,1,Bad,Date,1990-02-31,female\n"
                                              "12,9,No,Org,1990-01-01,male\n"
                                              "13,1,Bad,Sex,1990-01-01,f\n"
                                              "1,1,Dup,Id,1990-01-01,male\n");

    EXPECT_CODE(import1(s, HW_K_PEOPLE, bad, 0, NULL, &rep, &e), HW_EINVAL);
    EXPECT_INT(rep.rows, 5);
    EXPECT_INT(rep.rejected, 4);
    EXPECT_INT(rep.imported, 0);
    EXPECT_INT(rep.nerrors, 4);
    if (rep.nerrors == 4) {
        EXPECT_INT(rep.errors[0].line, 3);
        EXPECT_STR(rep.errors[0].err.field, "dob");
        EXPECT_INT(rep.errors[1].line, 4);
        EXPECT_STR(rep.errors[1].err.field, "organisation_id");
        EXPECT_INT(rep.errors[2].line, 5);
        EXPECT_STR(rep.errors[2].err.field, "sex");
        EXPECT_INT(rep.errors[3].line, 6);
        EXPECT(strstr(rep.errors[3].err.msg, "duplicate id 1") != NULL);
    }
    hw_import_report_release(&rep);
    EXPECT_CODE(hw_store_count(s, HW_K_PEOPLE, &n, &e), HW_OK);
    EXPECT_INT(n, 3); /* the good row 10 did not go in either */
    hw_store_close(s);
}

TEST(import_keep_going_and_reimport_rejects)
{
    hw_store *s = loaded("i3.db");
    hw_import_report rep;
    int64_t n = 0;
    char *rejects, *fixed;
    hw_err e;
    const char *bad =
        unit_write_file(unit_path("kg.csv"), "id,person_id,jurisdiction,court_type,statute,"
                                             "offense_class,disposition\n"
                                             "20,1,PA,state,18 PACS 3921,felony,guilty_plea\n"
                                             "21,2,PA,state,18 PACS 3921,felonious,guilty_plea\n");

    EXPECT_CODE_E(
        import1(s, HW_K_CONVICTIONS, bad, HW_IMPORT_KEEP_GOING, unit_path("rejects.csv"), &rep, &e),
        HW_OK, &e);
    EXPECT_INT(rep.imported, 1);
    EXPECT_INT(rep.rejected, 1);
    hw_import_report_release(&rep);
    rejects = slurp(unit_path("rejects.csv"));
    EXPECT(rejects && strstr(rejects, "_file,_line,_error,id,person_id") == rejects);
    EXPECT(rejects && strstr(rejects, ",3,\"column offense_class: unknown value 'felonious'"));
    EXPECT(rejects && strstr(rejects, ",21,2,PA,state,,,18 PACS 3921,,felonious,"));
    /* Fix the row in the rejects file and import the file as it is. */
    fixed = replace_all(rejects ? rejects : "", "felonious", "felony");
    unit_write_file(unit_path("fixed.csv"), fixed);
    EXPECT_CODE_E(import1(s, HW_K_CONVICTIONS, unit_path("fixed.csv"), 0, NULL, &rep, &e), HW_OK,
                  &e);
    hw_import_report_release(&rep);
    EXPECT_CODE(hw_store_count(s, HW_K_CONVICTIONS, &n, &e), HW_OK);
    EXPECT_INT(n, 6);
    free(fixed);
    free(rejects);
    hw_store_close(s);
}

TEST(import_same_person)
{
    hw_store *s = loaded("i4.db");
    hw_import_report rep;
    hw_err e;
    const char *bad = unit_write_file(unit_path("sp.csv"),
                                      "id,person_id,conviction_id,sentence_type,imposed_date\n"
                                      "30,2,1,probation,2020-01-01\n"
                                      "31,2,99,probation,2020-01-01\n");

    EXPECT_CODE(import1(s, HW_K_SENTENCES, bad, 0, NULL, &rep, &e), HW_EINVAL);
    EXPECT_INT(rep.nerrors, 2);
    if (rep.nerrors == 2) {
        EXPECT(strstr(rep.errors[0].err.msg, "conviction 1 belongs to person 1, not 2"));
        EXPECT(strstr(rep.errors[1].err.msg, "no conviction with id 99"));
    }
    hw_import_report_release(&rep);
    hw_store_close(s);
}

TEST(import_file_problems)
{
    hw_store *s = loaded("i5.db");
    hw_import_report rep;
    hw_err e;

    EXPECT_CODE(import1(s, HW_K_ORGANISATIONS, unit_write_file(unit_path("empty.csv"), ""), 0, NULL,
                        &rep, &e),
                HW_EINVAL);
    EXPECT(strstr(e.msg, "empty file") != NULL);
    hw_import_report_release(&rep);
    EXPECT_CODE(import1(s, HW_K_ORGANISATIONS, unit_write_file(unit_path("ho.csv"), "id,name\n"), 0,
                        NULL, &rep, &e),
                HW_OK);
    EXPECT_INT(rep.rows, 0);
    hw_import_report_release(&rep);
    EXPECT_CODE(import1(s, HW_K_ORGANISATIONS,
                        unit_write_file(unit_path("uc.csv"), "id,name,colour\n9,X,red\n"), 0, NULL,
                        &rep, &e),
                HW_EINVAL);
    EXPECT(strstr(e.msg, "unknown column 'colour'") != NULL);
    hw_import_report_release(&rep);
    EXPECT_CODE(import1(s, HW_K_ORGANISATIONS,
                        unit_write_file(unit_path("mc.csv"), "id,state\n9,PA\n"), 0, NULL, &rep,
                        &e),
                HW_EINVAL);
    EXPECT(strstr(e.msg, "missing column 'name'") != NULL);
    hw_import_report_release(&rep);
    EXPECT_CODE(import1(s, HW_K_ORGANISATIONS,
                        unit_write_file(unit_path("dc.csv"), "id,name,name\n9,X,Y\n"), 0, NULL,
                        &rep, &e),
                HW_EINVAL);
    EXPECT(strstr(e.msg, "appears twice") != NULL);
    hw_import_report_release(&rep);
    EXPECT_CODE(import1(s, HW_K_ORGANISATIONS, unit_path("missing.csv"), 0, NULL, &rep, &e),
                HW_EINVAL);
    EXPECT(strstr(e.msg, "cannot open") != NULL);
    hw_import_report_release(&rep);
    hw_store_close(s);
}

TEST(import_jsonl_problems)
{
    hw_store *s = loaded("i6.db");
    hw_import_report rep;
    hw_err e;
    const char *bad = unit_write_file(
        unit_path("bad.jsonl"),
        "{\"id\": 40, \"obligation_id\": 1, \"entry_date\": \"2025-01-01\", \"kind\": "
        "\"payment\", \"amount_cents\": 12.5}\n"
        "{\"id\": 41, \"obligation_id\": 1, \"entry_date\": \"2025-01-01\", \"kind\": "
        "\"payment\", \"amount_cents\": 100, \"colour\": 1}\n"
        "not json\n"
        "[1, 2]\n");

    EXPECT_CODE(import1(s, HW_K_LEDGER, bad, 0, NULL, &rep, &e), HW_EINVAL);
    EXPECT_INT(rep.nerrors, 4);
    if (rep.nerrors == 4) {
        EXPECT(strstr(rep.errors[0].err.msg, "integer cents") != NULL);
        EXPECT(strstr(rep.errors[1].err.msg, "unknown field 'colour'") != NULL);
        EXPECT(strstr(rep.errors[2].err.msg, "not JSON") != NULL);
        EXPECT(strstr(rep.errors[3].err.msg, "not a JSON object") != NULL);
        EXPECT_INT(rep.errors[3].line, 4);
    }
    hw_import_report_release(&rep);
    hw_store_close(s);
}

TEST(stats_fixtures)
{
    hw_store *s = loaded("i7.db");
    hw_stats st;
    char *json;
    hw_err e;

    EXPECT_CODE_E(hw_stats_collect(s, hw_date_from_ymd(2026, 11, 23), &st, &e), HW_OK, &e);
    EXPECT_INT(st.count[HW_K_PEOPLE], 3);
    EXPECT_INT(st.norgs, 2);
    EXPECT_INT(st.orgs[0].people, 2);
    EXPECT_INT(st.supervision_active[0], 1); /* probation */
    EXPECT_INT(st.supervision_active[1], 1); /* parole */
    EXPECT_INT(st.supervision_other, 1);
    /* Restitution 2,500.00 - 50.00; costs 612.50 - 200.00; fee 36.00 - 6.00. */
    EXPECT_INT(st.owed_by_kind[3], 245000);
    EXPECT_INT(st.owed_by_kind[2], 41250);
    EXPECT_INT(st.owed_by_kind[1], 3000);
    EXPECT_INT(st.owed_total, 245000 + 41250 + 3000);
    EXPECT_INT(st.paid_total, 5000);
    EXPECT_INT(st.people_owing, 2);
    EXPECT_INT(st.owing_max, 286250);
    EXPECT_INT(st.checkins_next_7, 0); /* the next is on 2026-11-30, the eighth day */
    EXPECT_INT(st.checkins_next_30, 1);
    EXPECT_INT(st.appointments_next_7, 1); /* the job interview on 2026-11-25 */
    EXPECT_INT(st.attended_last_90, 1);
    EXPECT_INT(st.violations_last_365[0], 1);
    json = hw_stats_json(&st);
    EXPECT(json && strstr(json, "\"total_cents\": 289250") != NULL);
    free(json);
    hw_stats_release(&st);
    hw_store_close(s);
}
