/* SPDX-License-Identifier: MIT */
/*
 * What every handler shares: JSON answers and errors, and the routes that
 * need no database: /healthz, /metrics and the OpenAPI document.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"
#include "core/banned.h"

void hw__reply_json(hw_ctx *c, int status, json_t *j)
{
    hw_resp *rs = c->rs;

    free(rs->body);
    rs->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!rs->body) {
        static const char oom[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";

        rs->status = 500;
        rs->static_body = oom;
        rs->len = sizeof(oom) - 1;
        return;
    }
    rs->status = status;
    rs->len = strlen(rs->body);
    rs->content_type = "application/json";
}

void hw__reply_error(hw_ctx *c, int status, const char *code, const char *field, const char *fmt,
                     ...)
{
    char msg[512];
    va_list ap;
    json_t *err;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    err = json_pack("{s:s, s:s}", "code", code, "message", msg);
    if (err && field && *field)
        json_object_set_new(err, "field", json_string(field));
    hw__reply_json(c, status, json_pack("{s:o*}", "error", err));
}

void hw__reply_err(hw_ctx *c, const hw_err *e)
{
    switch (e->code) {
    case HW_EINVAL:
        hw__reply_error(c, 422, "invalid", e->field, "%s", e->msg);
        break;
    case HW_ENOTFOUND:
        /* A missing reference in a body is the body's fault: name the field. */
        if (e->field[0] && strcmp(e->field, "id"))
            hw__reply_error(c, 422, "invalid", e->field, "%s", e->msg);
        else
            hw__reply_error(c, 404, "not_found", NULL, "%s", e->msg);
        break;
    case HW_ECONFLICT:
        hw__reply_error(c, 409, "conflict", e->field, "%s", e->msg);
        break;
    case HW_ELIMIT:
        hw__reply_error(c, 503, "time_limit", NULL, "%s", e->msg);
        break;
    default:
        /* The message may quote data; the client gets the kind of failure only. */
        hw__reply_error(c, 500, "internal", NULL, "the server failed (%s); it has been logged",
                        hw_code_name(e->code));
        fprintf(stderr, "homeward serve: %s on %s\n", hw_code_name(e->code),
                c->rs->route >= 0 ? hw__routes[c->rs->route].pattern : "?");
        if (getenv("HW_DEBUG"))
            fprintf(stderr, "DEBUG %s\n", e->msg);
        break;
    }
}

const char *hw__query(const hw_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->rq->nquery; i++)
        if (!strcmp(c->rq->qname[i], name))
            return c->rq->qval[i];
    return NULL;
}

void hw__api_healthz(hw_ctx *c)
{
    hw__reply_json(c, 200, json_pack("{s:s}", "status", "ok"));
}

void hw__api_metrics(hw_ctx *c)
{
    size_t len = 0;
    char *text = hw__metrics_text(c->srv->metrics, &len);

    if (!text) {
        hw__reply_error(c, 500, "internal", NULL, "out of memory");
        return;
    }
    c->rs->status = 200;
    c->rs->body = text;
    c->rs->len = len;
    c->rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

void hw__api_openapi(hw_ctx *c)
{
    const hw_web_file *f = hw__doc_find("/openapi.json");

    if (!f) {
        hw__reply_error(c, 500, "internal", NULL, "the API description was not built in");
        return;
    }
    c->rs->status = 200;
    c->rs->static_body = f->data;
    c->rs->len = f->len;
    c->rs->content_type = f->content_type;
}

bool hw__only_params(hw_ctx *c, const char *const *allowed)
{
    for (size_t i = 0; i < c->rq->nquery; i++) {
        size_t j = 0;

        while (allowed[j] && strcmp(allowed[j], c->rq->qname[i]))
            j++;
        if (!allowed[j]) {
            hw__reply_error(c, 400, "bad_request", c->rq->qname[i],
                            "unknown parameter '%.60s' here", c->rq->qname[i]);
            return false;
        }
    }
    return true;
}

json_t *hw__body_object(hw_ctx *c, const char *const *allowed)
{
    json_error_t jerr;
    json_t *j, *v;
    const char *key;

    if (!c->rq->body_len) {
        hw__reply_error(c, 400, "bad_request", NULL, "a JSON object is expected as the body");
        return NULL;
    }
    j = json_loadb(c->rq->body, c->rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        hw__reply_error(c, 400, "bad_request", NULL,
                        "the body is not JSON: %s (line %d, column %d)", jerr.text, jerr.line,
                        jerr.column);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        hw__reply_error(c, 400, "bad_request", NULL, "the body is not a JSON object");
        return NULL;
    }
    if (!allowed)
        return j;
    json_object_foreach(j, key, v)
    {
        size_t i = 0;

        while (allowed[i] && strcmp(allowed[i], key))
            i++;
        if (!allowed[i]) {
            hw__reply_error(c, 422, "invalid", key, "unknown field '%.60s'", key);
            json_decref(j);
            return NULL;
        }
    }
    return j;
}
