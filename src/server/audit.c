/* SPDX-License-Identifier: MIT */
/*
 * The server's side of the audit log: who read or changed what, from where.
 * A write's entry goes in the write's own transaction; a read's entry goes
 * through the group-committing log and is durable before the answer leaves,
 * so a read that could not be recorded is not answered.
 */
#include "homeward/audit.h"
#include "homeward/query.h"
#include "server/server_int.h"
#include "core/banned.h"

static hw_audit_entry entry(const hw_ctx *c, const char *action, hw_kind k, int64_t id,
                            int64_t person)
{
    return (hw_audit_entry){.user_id = c->user.id,
                            .organisation_id = c->user.organisation_id,
                            .action = action,
                            .kind = hw_vocab_kind(k)->name,
                            .record_id = id,
                            .person_id = person,
                            .address = c->rq->address && *c->rq->address ? c->rq->address : "-"};
}

hw_code hw__audit_write(hw_ctx *c, const char *action, hw_kind k, int64_t id, int64_t person,
                        hw_err *e)
{
    hw_audit_entry a = entry(c, action, k, id, person);

    return hw_audit_append(c->db, &a, e);
}

bool hw__audit_read(hw_ctx *c, hw_kind k, int64_t id, int64_t person)
{
    hw_audit_entry a;
    int64_t org;
    hw_err e;

    if (person < 0 && hw_store_record_owner(c->db, k, id, &org, &person, &e)) {
        hw__reply_err(c, &e);
        return false;
    }
    a = entry(c, "read", k, id, person);
    if (hw_audit_log_write(c->srv->audit, &a, &e)) {
        hw__reply_error(c, 503, "audit_unavailable", NULL,
                        "the read could not be recorded in the audit log, so it is refused");
        return false;
    }
    return true;
}

void hw__audit_actor(hw_ctx *c)
{
    hw_audit_set_actor(c->db, c->user.id, c->user.organisation_id,
                       c->rq->address && *c->rq->address ? c->rq->address : "-");
}

bool hw__audit_sign_in(hw_ctx *c, const char *action, int64_t user_id, int64_t org)
{
    hw_audit_entry a = {.user_id = user_id,
                        .organisation_id = org,
                        .action = action,
                        .address = c->rq->address && *c->rq->address ? c->rq->address : "-"};

    return hw_audit_log_write(c->srv->audit, &a, NULL) == HW_OK;
}
