/* SPDX-License-Identifier: MIT */
/*
 * People: the caseload (search, filters, sort, cursor), the whole person
 * with every record, balance and determination, and determinations with
 * their reasons in the rule's own words.
 */
#include <stdlib.h>
#include <string.h>

#include "homeward/query.h"
#include "homeward/record.h"
#include "server/server_int.h"
#include "core/banned.h"

enum { RECENT_DAYS = 90 };

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

typedef struct caseload_page {
    json_t *items;
    size_t n;
    bool by_name;
    char last[600];
} caseload_page;

static int add_person(void *ud, const hw_caseload_row *r)
{
    caseload_page *p = ud;
    json_t *sup =
        r->supervision_id
            ? json_pack("{s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)r->supervision_id,
                        "supervision_type", text_or_null(r->supervision_type), "officer",
                        text_or_null(r->officer), "status", text_or_null(r->supervision_status),
                        "scheduled_end_date", text_or_null(r->scheduled_end_date))
            : json_null();
    json_t *o = json_pack(
        "{s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:I}", "id", (json_int_t)r->id, "organisation_id",
        (json_int_t)r->organisation_id, "given_name", text_or_null(r->given_name), "family_name",
        text_or_null(r->family_name), "dob", text_or_null(r->dob), "supervision", sup,
        "balance_cents", (json_int_t)r->balance_cents, "eligible_rules",
        (json_int_t)r->eligible_rules, "missed_checkins", (json_int_t)r->missed_checkins);

    if (!o || json_array_append_new(p->items, o))
        return 1;
    p->n++;
    /* Names may hold ':' but never a 0x1f unit separator (the vocabulary refuses controls). */
    if (p->by_name)
        snprintf(p->last, sizeof(p->last), "n:%lld:%.250s\x1f%.250s", (long long)r->id,
                 r->family_name ? r->family_name : "", r->given_name ? r->given_name : "");
    else
        snprintf(p->last, sizeof(p->last), "i:%lld:", (long long)r->id);
    return 0;
}

static bool flag(hw_ctx *c, const char *name, bool *out)
{
    const char *v = hw__query(c, name);

    *out = false;
    if (!v)
        return true;
    if (!strcmp(v, "true") || !strcmp(v, "1"))
        *out = true;
    else if (strcmp(v, "false") && strcmp(v, "0")) {
        hw__reply_error(c, 400, "bad_request", name, "%s is true or false", name);
        return false;
    }
    return true;
}

void hw__api_people_list(hw_ctx *c)
{
    static const char *const params[] = {"q",        "supervision_type",
                                         "officer",  "min_balance_cents",
                                         "eligible", "missed_checkin",
                                         "sort",     "limit",
                                         "cursor",   NULL};
    hw_caseload_query q = {.organisation_id = c->user.organisation_id};
    caseload_page p = {0};
    const char *sort = hw__query(c, "sort"), *text, *v;
    hw_err e;

    if (!hw__only_params(c, params))
        return;
    if (!hw__page_limit(c, &q.limit) || !flag(c, "eligible", &q.eligible) ||
        !flag(c, "missed_checkin", &q.missed_checkin))
        return;
    if (sort && strcmp(sort, "id") && strcmp(sort, "-id") && strcmp(sort, "family_name") &&
        strcmp(sort, "-family_name")) {
        hw__reply_error(c, 400, "bad_request", "sort",
                        "people sort by id or family_name (- before it for descending)");
        return;
    }
    q.desc = sort && sort[0] == '-';
    q.by_name = p.by_name = sort && strstr(sort, "family_name");
    q.supervision_type = hw__query(c, "supervision_type");
    q.officer = hw__query(c, "officer");
    if ((v = hw__query(c, "min_balance_cents"))) {
        char *end;

        q.min_balance_cents = strtoll(v, &end, 10);
        if (!*v || *end || q.min_balance_cents < 0) {
            hw__reply_error(c, 400, "bad_request", "min_balance_cents",
                            "min_balance_cents is a whole number of cents, 0 or more");
            return;
        }
    }
    q.since_utc = c->now - RECENT_DAYS * 86400;
    text = hw__query(c, "q");
    if (text && *text) {
        char *end;
        long long id = strtoll(text, &end, 10);

        /* A number is a Homeward id; anything else a name, or an agency's id exactly. */
        if (!*end && id > 0) {
            q.id = id;
        } else {
            int64_t found = 0;
            hw_code rc =
                hw_store_find_external_id_in(c->db, c->user.organisation_id, text, &found, &e);

            if (rc == HW_OK)
                q.external_person_id = found;
            else if (rc != HW_ENOTFOUND) {
                hw__reply_err(c, &e);
                return;
            } else {
                q.name = text;
            }
        }
    }
    if (hw__query(c, "cursor")) {
        char cur[600], *rest, *sep;
        long long id;

        if (!hw__cursor_decode(c, cur, sizeof(cur)))
            return;
        id = strtoll(cur + 2, &rest, 10);
        if ((cur[0] != (q.by_name ? 'n' : 'i')) || cur[1] != ':' || id <= 0 || *rest != ':') {
            hw__reply_error(c, 400, "bad_request", "cursor",
                            "the cursor is for another sort or list: start again without one");
            return;
        }
        q.after = true;
        q.after_id = id;
        if (q.by_name) {
            if (!(sep = strchr(rest + 1, '\x1f'))) {
                hw__reply_error(c, 400, "bad_request", "cursor", "not a cursor this list gave");
                return;
            }
            snprintf(q.after_family, sizeof(q.after_family), "%.*s", (int)(sep - rest - 1),
                     rest + 1);
            snprintf(q.after_given, sizeof(q.after_given), "%s", sep + 1);
        }
    }
    if (!(p.items = json_array())) {
        hw__reply_error(c, 500, "internal", NULL, "out of memory");
        return;
    }
    if (hw_store_caseload(c->db, &q, add_person, &p, &e)) {
        json_decref(p.items);
        hw__reply_err(c, &e);
        return;
    }
    hw__reply_page(c, p.items, p.n, q.limit, p.last);
}

static int dump_to_buf(const char *p, size_t n, void *ud)
{
    return hw_buf_append(ud, p, n, NULL) ? -1 : 0;
}

/* v as compact JSON text; NULL writes `absent` instead. */
static hw_code put_json(hw_buf *b, const json_t *v, const char *absent, hw_err *e)
{
    if (!v)
        return hw_buf_append(b, absent, strlen(absent), e);
    if (json_dump_callback(v, dump_to_buf, b, JSON_COMPACT | JSON_ENCODE_ANY))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    return HW_OK;
}

static hw_code put_text(hw_buf *b, const char *key, const char *s, hw_err *e)
{
    hw_code rc;

    if ((rc = hw_buf_printf(b, e, ",\"%s\":", key)))
        return rc;
    return s ? hw_buf_put_json_string(b, s, strlen(s), e) : hw_buf_append(b, "null", 4, e);
}

/*
 * A stored determination as the API gives it, written as text: the reasons in
 * the rule's words, or the stored form marked stale when the rule has changed
 * since (or is no longer loaded).
 */
hw_code hw__api_determination_write(hw_ctx *c, hw_buf *b, const hw_det *d, hw_err *e)
{
    const hw_rule *r = c->srv->rules ? hw_ruleset_find(c->srv->rules, d->rule) : NULL;
    const char *cites = r ? hw_rule_citations_text(r) : "[]";
    json_t *stored = NULL, *left = NULL;
    size_t at;
    hw_code rc;

    if (strcmp(d->left_items, "[]") != 0)
        left = json_loads(d->left_items, 0, NULL);
    if ((rc = hw_buf_append(b, "{\"rule\":", 8, e)) ||
        (rc = hw_buf_put_json_string(b, d->rule, strlen(d->rule), e)) ||
        (rc = put_text(b, "title", r ? hw_rule_title(r) : NULL, e)) ||
        (rc = hw_buf_append(b, ",\"citations\":", 13, e)) ||
        (rc = hw_buf_append(b, cites, strlen(cites), e)) ||
        (rc = put_text(b, "subject_kind", d->subject_kind, e)) ||
        (rc = hw_buf_append(b, ",\"subject_id\":", 14, e)) ||
        (rc = hw_buf_put_i64(b, d->subject_id, e)) ||
        (rc = hw_buf_append(b, ",\"person_id\":", 13, e)) ||
        (rc = hw_buf_put_i64(b, d->person_id, e)) || (rc = put_text(b, "status", d->status, e)) ||
        (rc = put_text(b, "eligible_on", d->eligible_on, e)) ||
        (rc = put_text(b, "as_of", d->as_of, e)) || (rc = hw_buf_append(b, ",\"reasons\":", 11, e)))
        goto out;
    /* In the rule's words; or the stored form when the rule has changed since, marked stale. */
    at = b->n;
    if (!r || hw_rule_reasons_write(r, d->reasons, d->as_of, b, NULL)) {
        b->n = at; /* what it wrote before it found the misfit goes */
        b->p[at] = '\0';
        if ((rc = put_json(b, (stored = json_loads(d->reasons, 0, NULL)), "null", e)))
            goto out;
    }
    (void)((rc = hw_buf_append(b, ",\"left\":", 8, e)) || (rc = put_json(b, left, "[]", e)) ||
           (rc = hw_buf_printf(b, e, ",\"stale\":%s}",
                               !r || strcmp(hw_rule_version(r), d->rule_version) != 0 ? "true"
                                                                                      : "false")));
out:
    json_decref(stored);
    json_decref(left);
    return rc;
}

typedef struct det_page {
    hw_ctx *c;
    hw_buf *text; /* where the determinations go, comma-separated */
    size_t n;
    hw_err *e;
    char last[300];
} det_page;

static int add_det(void *ud, const hw_det *d)
{
    det_page *p = ud;

    if ((p->n && hw_buf_putc(p->text, ',', p->e)) ||
        hw__api_determination_write(p->c, p->text, d, p->e))
        return 1;
    p->n++;
    snprintf(p->last, sizeof(p->last), "%lld\x1f%s\x1f%lld\x1f%s", (long long)d->person_id,
             d->subject_kind, (long long)d->subject_id, d->rule);
    return 0;
}

/* A person's determinations, comma-separated, appended to b. */
static hw_code person_determinations(hw_ctx *c, int64_t person, hw_buf *b, hw_err *e)
{
    hw_det_query q = {.organisation_id = c->user.organisation_id, .person_id = person};
    det_page p = {.c = c, .text = b, .e = e};

    return hw_store_determinations(c->db, &q, add_det, &p, e);
}

/*
 * The person page is written as text while the rows are read: a tree of
 * every record first, then printed, cost more than the queries.
 */
typedef struct records {
    hw_buf *b;
    hw_kind k;
    size_t n;
    hw_code rc;
    hw_err *e;
    int64_t *obligations; /* the ids, for the balances */
    size_t nob, cap;
} records;

static int add_record(void *ud, const hw_value *row)
{
    records *r = ud;

    if ((r->n++ && (r->rc = hw_buf_putc(r->b, ',', r->e))) ||
        (r->rc = hw_record_write_json(r->b, r->k, row, r->e)))
        return 1;
    if (r->k == HW_K_OBLIGATIONS) {
        if (r->nob == r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 16;
            int64_t *n = realloc(r->obligations, cap * sizeof(*n));

            if (!n) {
                r->rc = hw_fail(r->e, HW_ENOMEM, NULL, "out of memory");
                return 1;
            }
            r->obligations = n;
            r->cap = cap;
        }
        r->obligations[r->nob++] = row[0].i;
    }
    return 0;
}

void hw__api_person_get(hw_ctx *c)
{
    hw_buf b = HW_BUF_INIT(0);
    records r = {.b = &b, .k = HW_K_PEOPLE};
    hw_balances *bal = NULL;
    bool in_tx = false;
    hw_err e;

    r.e = &e;
    /* A page is some 20 KB: room first, rather than growing it ten times. */
    if (hw_buf_reserve(&b, 32 * 1024, &e) || hw_store_begin(c->db, HW_BEGIN_READ, &e))
        goto fail;
    /* Its dozen queries read one snapshot: a write meanwhile is on the page whole, or not. */
    in_tx = true;
    if (hw_store_get(c->db, HW_K_PEOPLE, c->id, c->user.organisation_id, add_record, &r, &e) ||
        r.rc)
        goto fail;
    b.n--; /* the person's closing brace: the records go inside */
    if (hw_buf_printf(&b, &e, ",\"records\":{"))
        goto fail;
    for (int k = HW_K_PEOPLE + 1; k < HW_K_COUNT; k++) {
        hw_query q = {.kind = (hw_kind)k,
                      .organisation_id = c->user.organisation_id,
                      .person_id = c->id,
                      .limit = 100000};

        r.k = (hw_kind)k;
        r.n = 0;
        if (hw_buf_printf(&b, &e, "%s\"%s\":[", k > HW_K_PEOPLE + 1 ? "," : "",
                          hw_vocab_kind(k)->name) ||
            hw_store_query(c->db, &q, add_record, &r, &e) || r.rc || hw_buf_putc(&b, ']', &e))
            goto fail;
    }
    if (hw_store_balances(c->db, c->id, &bal, &e) || hw_buf_printf(&b, &e, "},\"balances\":{"))
        goto fail;
    for (size_t i = 0; i < r.nob; i++)
        if (hw_buf_printf(&b, &e, "\"%lld\":%lld,", (long long)r.obligations[i],
                          (long long)hw_balances_get(bal, r.obligations[i])))
            goto fail;
    if (hw_buf_printf(&b, &e, "\"total_cents\":%lld},\"determinations\":[",
                      (long long)hw_balances_total(bal)) ||
        person_determinations(c, c->id, &b, &e) || hw_buf_append(&b, "]}", 2, &e))
        goto fail;
    hw_store_rollback(c->db, NULL); /* the snapshot is let go before the audit entry's sync */
    in_tx = false;
    if (!hw__audit_read(c, HW_K_PEOPLE, c->id, c->id))
        goto out;
    c->rs->status = 200;
    c->rs->content_type = "application/json";
    c->rs->body = b.p;
    c->rs->len = b.n;
    b = (hw_buf)HW_BUF_INIT(0);
    goto out;
fail:
    hw__reply_err(c, &e);
out:
    if (in_tx)
        hw_store_rollback(c->db, NULL); /* the end of a read: nothing to undo */
    hw_balances_free(bal);
    free(r.obligations);
    hw_buf_release(&b);
}

void hw__api_person_determinations(hw_ctx *c)
{
    int64_t org = 0, person = 0;
    hw_buf items = HW_BUF_INIT(0);
    hw_err e;

    if (hw_store_record_owner(c->db, HW_K_PEOPLE, c->id, &org, &person, &e) ||
        org != c->user.organisation_id) {
        hw__reply_error(c, 404, "not_found", NULL, "no person %lld", (long long)c->id);
        return;
    }
    if (person_determinations(c, c->id, &items, &e))
        hw__reply_err(c, &e);
    else if (hw__audit_read(c, HW_K_PEOPLE, c->id, c->id))
        hw__reply_text_page(c, &items, 0, SIZE_MAX, NULL);
    hw_buf_release(&items);
}

void hw__api_determinations(hw_ctx *c)
{
    static const char *const params[] = {"rule", "status", "person_id", "limit", "cursor", NULL};
    hw_det_query q = {.organisation_id = c->user.organisation_id};
    hw_buf items = HW_BUF_INIT(0);
    hw_err e;
    det_page p = {.c = c, .text = &items, .e = &e};
    const char *v;

    if (!hw__only_params(c, params))
        return;
    if (!hw__page_limit(c, &q.limit))
        return;
    q.rule = hw__query(c, "rule");
    q.status = hw__query(c, "status");
    if ((v = hw__query(c, "person_id"))) {
        char *end;

        q.person_id = strtoll(v, &end, 10);
        if (!*v || *end || q.person_id <= 0) {
            hw__reply_error(c, 400, "bad_request", "person_id", "person_id is a positive id");
            return;
        }
    }
    if (hw__query(c, "cursor")) {
        char cur[300], *f[4], *save = NULL;
        int n = 0;

        if (!hw__cursor_decode(c, cur, sizeof(cur)))
            return;
        for (char *t = strtok_r(cur, "\x1f", &save); t && n < 4; t = strtok_r(NULL, "\x1f", &save))
            f[n++] = t;
        if (n != 4 || strlen(f[1]) >= sizeof(q.after_kind) ||
            strlen(f[3]) >= sizeof(q.after_rule)) {
            hw__reply_error(c, 400, "bad_request", "cursor", "not a cursor this list gave");
            return;
        }
        q.after = true;
        q.after_person = strtoll(f[0], NULL, 10);
        snprintf(q.after_kind, sizeof(q.after_kind), "%s", f[1]);
        q.after_subject = strtoll(f[2], NULL, 10);
        snprintf(q.after_rule, sizeof(q.after_rule), "%s", f[3]);
    }
    if (hw_store_determinations(c->db, &q, add_det, &p, &e))
        hw__reply_err(c, &e);
    else
        hw__reply_text_page(c, &items, p.n, q.limit, p.last);
    hw_buf_release(&items);
}
