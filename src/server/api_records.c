/* SPDX-License-Identifier: MIT */
/*
 * The record kinds, one set of handlers for all: list with filters, sort
 * and cursor, read, create, change.  Validation is the importer's
 * (hw_record_from_json), and every reference must name a record of the
 * user's own organisation, or it is answered as if it did not exist.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/buf.h"
#include "homeward/date.h"
#include "homeward/query.h"
#include "homeward/record.h"
#include "homeward/screen.h"
#include "server/server_int.h"
#include "core/banned.h"

enum { DEFAULT_LIMIT = 50, MAX_LIMIT = 200 };

/* limit=N, 1..200 */
bool hw__page_limit(hw_ctx *c, size_t *limit)
{
    const char *v = hw__query(c, "limit");
    char *end;
    unsigned long n;

    *limit = DEFAULT_LIMIT;
    if (!v)
        return true;
    n = strtoul(v, &end, 10);
    if (!*v || *end || n < 1 || n > MAX_LIMIT) {
        hw__reply_error(c, 400, "bad_request", "limit", "limit is a whole number from 1 to %d",
                        MAX_LIMIT);
        return false;
    }
    *limit = n;
    return true;
}

/* A cursor is base64url of "text": opaque to clients, checked when it comes back. */
char *hw__cursor_encode(const char *text)
{
    size_t n = strlen(text),
           cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(cap);

    if (out)
        sodium_bin2base64(out, cap, (const unsigned char *)text, n,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

bool hw__cursor_decode(hw_ctx *c, char *out, size_t cap)
{
    const char *v = hw__query(c, "cursor");
    size_t n = 0;

    if (!v || strlen(v) > 4 * cap / 3 ||
        sodium_base642bin((unsigned char *)out, cap - 1, v, strlen(v), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        memchr(out, '\0', n)) {
        hw__reply_error(c, 400, "bad_request", "cursor",
                        "not a cursor this list gave: start again without one");
        return false;
    }
    out[n] = '\0';
    return true;
}

static hw_kind kind_of(const hw_ctx *c)
{
    return c->sub ? (hw_kind)hw_vocab_kind_by_name(c->sub) : HW_K_LEDGER; /* POST /ledger */
}

typedef struct page {
    json_t *items; /* one record (fetch) */
    hw_buf text;   /* a page: the records written as text, without a tree */
    hw_kind k;
    int sort;
    size_t n;
    char last[600]; /* the cursor text of the last row */
} page;

static int add_row(void *ud, const hw_value *row)
{
    page *p = ud;
    const hw_field *f = &hw_vocab_kind(p->k)->fields[p->sort];
    char buf[32];
    hw_str t = hw_vocab_text(f, &row[p->sort], buf, sizeof(buf));

    if ((p->n && hw_buf_putc(&p->text, ',', NULL)) ||
        hw_record_write_json(&p->text, p->k, row, NULL))
        return 1;
    p->n++;
    snprintf(p->last, sizeof(p->last), "%d:%lld:%.*s", p->sort, (long long)row[0].i,
             (int)(t.n < 500 ? t.n : 500), t.p);
    return 0;
}

/* Answer {"items", "next"}: next is a cursor when the page was full. */
void hw__reply_page(hw_ctx *c, json_t *items, size_t n, size_t limit, const char *last)
{
    char *next = n == limit && last ? hw__cursor_encode(last) : NULL;

    hw__reply_json(
        c, 200,
        json_pack("{s:o, s:o}", "items", items, "next", next ? json_string(next) : json_null()));
    free(next);
}

/* {"items": [TEXT], "next": ...} around the records written in `items`. */
void hw__reply_text_page(hw_ctx *c, const hw_buf *items, size_t n, size_t limit, const char *last)
{
    char *next = n == limit && last ? hw__cursor_encode(last) : NULL;
    hw_buf b = HW_BUF_INIT(0);

    if (hw_buf_printf(&b, NULL, "{\"items\":[%.*s],\"next\":%s%s%s}", (int)items->n,
                      items->p ? items->p : "", next ? "\"" : "", next ? next : "null",
                      next ? "\"" : "")) {
        hw_buf_release(&b);
        hw__reply_error(c, 500, "internal", NULL, "out of memory");
    } else {
        c->rs->status = 200;
        c->rs->content_type = "application/json";
        c->rs->body = b.p;
        c->rs->len = b.n;
    }
    free(next);
}

void hw__api_records_list(hw_ctx *c)
{
    hw_kind k = kind_of(c);
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_query_filter filters[HW_MAX_QUERY];
    hw_query q = {.kind = k, .organisation_id = c->user.organisation_id};
    char cursor[700];
    page p = {.k = k};
    hw_arena a;
    hw_err e;
    hw_code rc;

    hw_arena_init(&a, 4096, 1 << 20);
    if (!hw__page_limit(c, &q.limit))
        goto out;
    for (size_t i = 0; i < c->rq->nquery; i++) {
        const char *name = c->rq->qname[i], *val = c->rq->qval[i];
        int f;

        if (!strcmp(name, "limit") || !strcmp(name, "cursor"))
            continue;
        if (!strcmp(name, "sort")) {
            q.desc = val[0] == '-';
            if ((q.sort = hw_vocab_field_index(k, val + q.desc, strlen(val + q.desc))) < 0) {
                hw__reply_error(c, 400, "bad_request", "sort", "%s has no field '%.60s'", d->name,
                                val + q.desc);
                goto out;
            }
            continue;
        }
        if ((f = hw_vocab_field_index(k, name, strlen(name))) < 0) {
            hw__reply_error(c, 400, "bad_request", name,
                            "unknown parameter '%.60s': filters are %s's field names", name,
                            d->name);
            goto out;
        }
        filters[q.nfilters].field = f;
        if (hw_vocab_parse(&d->fields[f], val, strlen(val), &a, &filters[q.nfilters].value, &e)) {
            hw__reply_error(c, 400, "bad_request", name, "%s", e.msg);
            goto out;
        }
        q.nfilters++;
    }
    q.filters = filters;
    if (hw__query(c, "cursor")) {
        char *colon, *colon2;
        long sort;
        long long id;

        if (!hw__cursor_decode(c, cursor, sizeof(cursor)))
            goto out;
        sort = strtol(cursor, &colon, 10);
        id = colon && *colon == ':' ? strtoll(colon + 1, &colon2, 10) : 0;
        if (sort != q.sort || id <= 0 || *colon2 != ':' ||
            hw_vocab_parse(&d->fields[q.sort], colon2 + 1, strlen(colon2 + 1), &a, &q.after_value,
                           &e)) {
            hw__reply_error(c, 400, "bad_request", "cursor",
                            "the cursor is for another sort or list: start again without one");
            goto out;
        }
        q.after = true;
        q.after_id = id;
    }
    p.sort = q.sort;
    if ((rc = hw_store_query(c->db, &q, add_row, &p, &e))) {
        if (rc == HW_EINVAL)
            hw__reply_error(c, 400, "bad_request", e.field, "%s", e.msg);
        else if (rc == HW_ECANCELED)
            hw__reply_error(c, 500, "internal", NULL, "out of memory");
        else
            hw__reply_err(c, &e);
        goto out;
    }
    hw__reply_text_page(c, &p.text, p.n, q.limit, p.last);
out:
    hw_buf_release(&p.text);
    hw_arena_release(&a);
}

static int keep_json(void *ud, const hw_value *row)
{
    page *p = ud;

    p->items = hw_record_to_json(p->k, row);
    return 0;
}

/* Record c->id of the route's kind, as JSON, if it is the user's organisation's; else answers. */
static json_t *fetch(hw_ctx *c, hw_kind k)
{
    page p = {.k = k};
    hw_err e;

    if (hw_store_get(c->db, k, c->id, c->user.organisation_id, keep_json, &p, &e)) {
        json_decref(p.items);
        hw__reply_err(c, &e);
        return NULL;
    }
    if (!p.items)
        hw__reply_error(c, 500, "internal", NULL, "out of memory");
    return p.items;
}

void hw__api_record_get(hw_ctx *c)
{
    hw_kind k = kind_of(c);
    json_t *j;

    if (k == HW_K_PEOPLE) {
        hw__api_person_get(c);
        return;
    }
    if ((j = fetch(c, k))) {
        if (hw__audit_read(c, k, c->id, -1))
            hw__reply_json(c, 200, j);
        else
            json_decref(j);
    }
}

/*
 * Every reference in the row must be the organisation's: a person's
 * organisation is the user's own, and any other record referred to belongs
 * to a person of it.  Otherwise the answer is that no such record exists.
 */
static bool refs_ours(hw_ctx *c, hw_kind k, const hw_value *row, hw_err *e)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    int pf = hw_vocab_person_field(k);

    for (size_t i = 0; i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];
        int64_t org = 0, person = 0;

        if (f->type != HW_T_REF || row[i].null)
            continue;
        if (f->ref == HW_K_ORGANISATIONS) {
            if (row[i].i != c->user.organisation_id) {
                hw_fail(e, HW_EINVAL, f->name, "records go to your own organisation (%lld)",
                        (long long)c->user.organisation_id);
                return false;
            }
            continue;
        }
        if (hw_store_record_owner(c->db, f->ref, row[i].i, &org, &person, e) ||
            org != c->user.organisation_id) {
            hw_fail(e, HW_EINVAL, f->name, "no %s with id %lld", hw_vocab_kind(f->ref)->singular,
                    (long long)row[i].i);
            return false;
        }
        if ((f->flags & HW_F_SAME_PERSON) && pf >= 0 && person != row[pf].i) {
            hw_fail(e, HW_EINVAL, f->name, "%s %lld belongs to person %lld, not %lld",
                    hw_vocab_kind(f->ref)->singular, (long long)row[i].i, (long long)person,
                    (long long)row[pf].i);
            return false;
        }
    }
    return true;
}

/*
 * Screen one person again as of today, after a write.  The write stands
 * whatever happens here; false says the determinations are the old ones.
 */
static bool rescreen(hw_ctx *c, int64_t person)
{
    char today[HW_DATE_LEN + 1];
    hw_screen_opts o = {.as_of = today, .person_id = person};
    hw_screen_counts counts = {0};
    bool ok;

    if (!c->srv->rules || person <= 0)
        return false;
    hw_date_format(hw_date_today(), today);
    ok = hw_screen_store(c->db, c->srv->rules, &o, &counts, NULL) == HW_OK;
    hw_screen_counts_release(&counts);
    return ok;
}

/* Parse, check and write `obj` as a record of kind k: insert, or replace row `id`. */
static void save(hw_ctx *c, hw_kind k, json_t *obj, bool insert)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_value *row = calloc(d->nfields, sizeof(*row));
    int64_t id = 0, person = 0, org = 0;
    hw_arena a;
    hw_err e;
    json_t *out;

    hw_arena_init(&a, 4096, 4 << 20);
    if (!row) {
        hw__reply_error(c, 500, "internal", NULL, "out of memory");
        goto out;
    }
    if (k == HW_K_PEOPLE && !json_object_get(obj, "organisation_id"))
        json_object_set_new(obj, "organisation_id", json_integer(c->user.organisation_id));
    if (hw_store_begin(c->db, 0, &e)) {
        hw__reply_err(c, &e);
        goto out;
    }
    if (insert && (!json_object_get(obj, "id") || json_is_null(json_object_get(obj, "id")))) {
        if (hw_store_next_id(c->db, k, &id, &e)) {
            hw__reply_err(c, &e);
            goto out;
        }
        json_object_set_new(obj, "id", json_integer(id));
    }
    if (hw_record_from_json(k, obj, &a, row, &e) || !refs_ours(c, k, row, &e)) {
        hw__reply_error(c, 422, "invalid", e.field, "%s", e.msg);
        goto out;
    }
    if ((insert ? hw_store_insert(c->db, k, row, &e) : hw_store_update(c->db, k, row, &e))) {
        if (e.code == HW_ECONFLICT)
            hw__reply_error(c, 409, "conflict", e.field, "%s", e.msg);
        else if (e.code == HW_ENOTFOUND || e.code == HW_EINVAL)
            hw__reply_error(c, 422, "invalid", e.field, "%s", e.msg);
        else
            hw__reply_err(c, &e);
        goto out;
    }
    id = row[0].i;
    if (hw_store_record_owner(c->db, k, id, &org, &person, &e) ||
        hw__audit_write(c, insert ? "create" : "update", k, id, person, &e) ||
        hw_store_commit(c->db, &e)) {
        hw__reply_err(c, &e);
        goto out;
    }
    if (!(out = hw_record_to_json(k, row))) {
        hw__reply_error(c, 500, "internal", NULL, "out of memory");
        goto out;
    }
    /* The person's determinations follow their records at once, not at the next screening. */
    json_object_set_new(out, "_screened", json_boolean(rescreen(c, person)));
    hw__reply_json(c, insert ? 201 : 200, out);
out:
    hw_store_rollback(c->db, NULL);
    hw_arena_release(&a);
    free(row);
}

void hw__api_record_create(hw_ctx *c)
{
    json_t *obj = hw__body_object(c, NULL);

    if (obj)
        save(c, kind_of(c), obj, true);
    json_decref(obj);
}

void hw__api_record_update(hw_ctx *c)
{
    hw_kind k = kind_of(c);
    json_t *patch, *cur;

    if (k == HW_K_LEDGER) {
        hw__reply_error(c, 405, "method_not_allowed", NULL,
                        "ledger entries are never changed: add an adjustment entry instead");
        return;
    }
    if (!(patch = hw__body_object(c, NULL)))
        return;
    if (json_object_get(patch, "id") && json_integer_value(json_object_get(patch, "id")) != c->id) {
        hw__reply_error(c, 422, "invalid", "id", "a record's id cannot change");
    } else if ((cur = fetch(c, k))) {
        /* The change applied to the record as it is, then checked whole. */
        json_object_update(cur, patch);
        save(c, k, cur, false);
        json_decref(cur);
    }
    json_decref(patch);
}
