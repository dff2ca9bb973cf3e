/* SPDX-License-Identifier: MIT */
/* Unit tests of the vocabulary: field parsing and the checks between fields. */
#include <stdlib.h>
#include <string.h>

#include "homeward/vocab.h"
#include "unit.h"

static const hw_field *field(hw_kind k, const char *name)
{
    int i = hw_vocab_field_index(k, name, strlen(name));

    return i < 0 ? NULL : &hw_vocab_kind(k)->fields[i];
}

/* Parse `text` for kind k's field `name`; return the code, with the value in *v. */
static hw_code parse(hw_kind k, const char *name, const char *text, hw_value *v, hw_err *e)
{
    static hw_arena a;
    static int init;

    if (!init) {
        hw_arena_init(&a, 4096, 0);
        init = 1;
    }
    return hw_vocab_parse(field(k, name), text, strlen(text), &a, v, e);
}

TEST(vocab_kinds)
{
    EXPECT_INT(hw_vocab_kind_by_name("custody-events"), HW_K_CUSTODY_EVENTS);
    EXPECT_INT(hw_vocab_kind_by_name("people"), HW_K_PEOPLE);
    EXPECT_INT(hw_vocab_kind_by_name("persons"), -1);
    for (int k = 0; k < HW_K_COUNT; k++) {
        const hw_kind_desc *d = hw_vocab_kind((hw_kind)k);

        EXPECT_STR(d->fields[0].name, "id");
        EXPECT(d->fields[0].type == HW_T_ID);
        for (size_t i = 0; i < d->nfields; i++) {
            const hw_field *f = &d->fields[i];

            /* A kind refers only to kinds before it, so imports run in kind order. */
            if (f->type == HW_T_REF)
                EXPECT((int)f->ref < k);
            EXPECT(f->doc && f->doc[0]);
            EXPECT(hw_vocab_field_index((hw_kind)k, f->name, strlen(f->name)) == (int)i);
        }
    }
    EXPECT_INT(hw_vocab_person_field(HW_K_CONVICTIONS), 1);
    EXPECT_INT(hw_vocab_person_field(HW_K_LEDGER), -1);
}

TEST(vocab_check_positions)
{
    /* The checks between fields use positions; they must match the table. */
    EXPECT_INT(hw_vocab_field_index(HW_K_PEOPLE, "citizenship_status", 18), 12);
    EXPECT_INT(hw_vocab_field_index(HW_K_PEOPLE, "citizenship_since", 17), 13);
    EXPECT_INT(hw_vocab_field_index(HW_K_PEOPLE, "prior_citizenship_status", 24), 14);
    EXPECT_INT(hw_vocab_field_index(HW_K_CONVICTIONS, "offense_date", 12), 10);
    EXPECT_INT(hw_vocab_field_index(HW_K_CONVICTIONS, "disposition_date", 16), 12);
    EXPECT_INT(hw_vocab_field_index(HW_K_CONVICTIONS, "drug", 4), 15);
    EXPECT_INT(hw_vocab_field_index(HW_K_CONVICTIONS, "drug_type", 9), 16);
    EXPECT_INT(hw_vocab_field_index(HW_K_CONVICTIONS, "drug_conduct", 12), 17);
    EXPECT_INT(hw_vocab_field_index(HW_K_SENTENCES, "start_date", 10), 5);
    EXPECT_INT(hw_vocab_field_index(HW_K_SENTENCES, "term_months", 11), 6);
    EXPECT_INT(hw_vocab_field_index(HW_K_SENTENCES, "life", 4), 7);
    EXPECT_INT(hw_vocab_field_index(HW_K_SENTENCES, "release_date", 12), 14);
    EXPECT_INT(hw_vocab_field_index(HW_K_SUPERVISION, "start_date", 10), 5);
    EXPECT_INT(hw_vocab_field_index(HW_K_SUPERVISION, "scheduled_end_date", 18), 6);
    EXPECT_INT(hw_vocab_field_index(HW_K_SUPERVISION, "end_date", 8), 7);
    EXPECT_INT(hw_vocab_field_index(HW_K_SUPERVISION, "status", 6), 10);
    EXPECT_INT(hw_vocab_field_index(HW_K_LEDGER, "kind", 4), 3);
    EXPECT_INT(hw_vocab_field_index(HW_K_LEDGER, "amount_cents", 12), 4);
    EXPECT_INT(hw_vocab_field_index(HW_K_VIOLATIONS, "violation_date", 14), 3);
    EXPECT_INT(hw_vocab_field_index(HW_K_VIOLATIONS, "outcome_date", 12), 8);
}

TEST(vocab_parse_types)
{
    hw_value v;
    hw_err e;

    EXPECT_CODE(parse(HW_K_PEOPLE, "sex", "Female", &v, &e), HW_OK);
    EXPECT_STR(v.s, "female"); /* canonical spelling */
    EXPECT_CODE(parse(HW_K_PEOPLE, "sex", "f", &v, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "allowed: female, male") != NULL);
    EXPECT_STR(e.field, "sex");
    EXPECT_CODE(parse(HW_K_PEOPLE, "dob", "", &v, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "required") != NULL);
    EXPECT_CODE(parse(HW_K_PEOPLE, "middle_name", "", &v, &e), HW_OK);
    EXPECT(v.null);
    EXPECT_CODE(parse(HW_K_PEOPLE, "public_benefits", "tanf; snap;SNAP", &v, &e), HW_OK);
    EXPECT_STR(v.s, "tanf;snap"); /* vocabulary order, no repeats */
    EXPECT_CODE(parse(HW_K_PEOPLE, "public_benefits", "snap;cash", &v, &e), HW_EINVAL);
    EXPECT_CODE(parse(HW_K_PEOPLE, "state", "pa", &v, &e), HW_OK);
    EXPECT_STR(v.s, "PA");
    EXPECT_CODE(parse(HW_K_CONVICTIONS, "jurisdiction", "Federal", &v, &e), HW_OK);
    EXPECT_STR(v.s, "federal");
    EXPECT_CODE(parse(HW_K_CONVICTIONS, "jurisdiction", "XX", &v, &e), HW_EINVAL);
    EXPECT_CODE(parse(HW_K_CONVICTIONS, "statute", "21 U.S.C. 844", &v, &e), HW_OK);
    EXPECT_STR(v.s, "21 USC 844");
    EXPECT_CODE(parse(HW_K_PEOPLE, "phone", "215.555.0100", &v, &e), HW_OK);
    EXPECT_STR(v.s, "+12155550100");
    EXPECT_CODE(parse(HW_K_PEOPLE, "household_size", "0", &v, &e), HW_EINVAL);
    EXPECT_CODE(parse(HW_K_PEOPLE, "monthly_income_cents", "1999.99", &v, &e), HW_EINVAL);
    EXPECT_CODE(parse(HW_K_PEOPLE, "given_name", "Ana\xff", &v, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "UTF-8") != NULL);
    EXPECT_CODE(parse(HW_K_PEOPLE, "given_name", "Ana\x01", &v, &e), HW_EINVAL);
    EXPECT_CODE(parse(HW_K_APPOINTMENTS, "starts_at", "2026-11-24T09:30-05:00", &v, &e), HW_OK);
    EXPECT_STR(v.s, "2026-11-24T09:30:00-05:00");
    EXPECT_CODE(parse(HW_K_PEOPLE, "id", "0", &v, &e), HW_EINVAL);
    EXPECT_CODE(parse(HW_K_PEOPLE, "id", "-3", &v, &e), HW_EINVAL);
}

TEST(vocab_text_limit)
{
    char *big = malloc(1000001);
    hw_value v;
    hw_err e;

    memset(big, 'x', 1000000);
    big[1000000] = '\0';
    EXPECT_CODE(parse(HW_K_CONVICTIONS, "description", big, &v, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "too long: 1000000 bytes (at most 300)") != NULL);
    free(big);
}

/* Build a row of kind k from "name=value" pairs; other fields empty. */
static hw_code row_of(hw_kind k, hw_value *row, const char *const *pairs, hw_err *e)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    static hw_arena a;
    static int init;

    if (!init) {
        hw_arena_init(&a, 4096, 0);
        init = 1;
    }
    for (size_t i = 0; i < d->nfields; i++) {
        const char *text = "";

        for (size_t p = 0; pairs[p]; p++) {
            size_t n = strlen(d->fields[i].name);

            if (!strncmp(pairs[p], d->fields[i].name, n) && pairs[p][n] == '=')
                text = pairs[p] + n + 1;
        }
        if (hw_vocab_parse(&d->fields[i], text, strlen(text), &a, &row[i], e))
            return e->code;
    }
    return hw_vocab_check_row(k, row, e);
}

TEST(vocab_row_checks)
{
    hw_value row[32];
    hw_err e;
    const char *ledger_ok[] = {
        "id=1", "obligation_id=1", "entry_date=2025-01-01", "kind=adjustment", "amount_cents=-500",
        NULL};
    const char *ledger_bad[] = {"id=1",         "obligation_id=1", "entry_date=2025-01-01",
                                "kind=payment", "amount_cents=0",  NULL};
    const char *sup_bad[] = {"id=1",
                             "person_id=1",
                             "supervision_type=parole",
                             "jurisdiction=PA",
                             "start_date=2024-05-01",
                             "status=completed",
                             NULL};
    const char *sup_dates[] = {"id=1",
                               "person_id=1",
                               "supervision_type=parole",
                               "jurisdiction=PA",
                               "start_date=2024-05-01",
                               "scheduled_end_date=2024-04-30",
                               "status=active",
                               NULL};
    const char *conv_bad[] = {"id=1",
                              "person_id=1",
                              "jurisdiction=federal",
                              "court_type=federal_district",
                              "statute=21 USC 844",
                              "offense_class=misdemeanor",
                              "disposition=guilty_plea",
                              "drug=false",
                              "drug_type=marijuana",
                              NULL};
    const char *life_bad[] = {"id=1",
                              "person_id=1",
                              "conviction_id=1",
                              "sentence_type=prison",
                              "imposed_date=2001-01-01",
                              "life=true",
                              "term_months=240",
                              NULL};

    EXPECT_CODE_E(row_of(HW_K_LEDGER, row, ledger_ok, &e), HW_OK, &e);
    EXPECT_CODE(row_of(HW_K_LEDGER, row, ledger_bad, &e), HW_EINVAL);
    EXPECT_STR(e.field, "amount_cents");
    EXPECT_CODE(row_of(HW_K_SUPERVISION, row, sup_bad, &e), HW_EINVAL);
    EXPECT_STR(e.field, "end_date");
    EXPECT_CODE(row_of(HW_K_SUPERVISION, row, sup_dates, &e), HW_EINVAL);
    EXPECT_STR(e.field, "scheduled_end_date");
    EXPECT_CODE(row_of(HW_K_CONVICTIONS, row, conv_bad, &e), HW_EINVAL);
    EXPECT_STR(e.field, "drug_type");
    EXPECT_CODE(row_of(HW_K_SENTENCES, row, life_bad, &e), HW_EINVAL);
    EXPECT_STR(e.field, "term_months");
}

TEST(vocab_markdown)
{
    char *md = hw_vocab_markdown();

    EXPECT(md != NULL);
    EXPECT(md && strstr(md, "## custody-events") != NULL);
    EXPECT(md && strstr(md, "| `parent_of_minor` | boolean") != NULL);
    free(md);
}

TEST(vocab_text_is_what_import_reads)
{
    const hw_kind_desc *d = hw_vocab_kind(HW_K_PEOPLE);
    hw_value yes = {false, 0, 1, NULL, 0}, none = {true, 0, 0, NULL, 0};
    hw_value day = {false, 0, 7320, NULL, 0}, cents = {false, 0, -1250, NULL, 0};
    char buf[32];
    hw_str t;

    t = hw_vocab_text(&d->fields[8], &yes, buf, sizeof(buf)); /* parent_of_minor */
    EXPECT(t.n == 4 && !memcmp(t.p, "true", 4));
    t = hw_vocab_text(&d->fields[8], &none, buf, sizeof(buf));
    EXPECT(t.n == 0);
    t = hw_vocab_text(&d->fields[6], &day, buf, sizeof(buf)); /* dob from a day count */
    EXPECT(t.n == 10 && !memcmp(t.p, "1990-01-16", 10));
    t = hw_vocab_text(&hw_vocab_kind(HW_K_LEDGER)->fields[4], &cents, buf, sizeof(buf));
    EXPECT(t.n == 5 && !memcmp(t.p, "-1250", 5));
}
