/* SPDX-License-Identifier: MIT */
/* The store interface: picks a backend and forwards to its operations. */
#include "core/common.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

hw_code hw_store_open(const char *path, unsigned flags, hw_store **out, hw_err *e)
{
    *out = NULL;
    char *copy;
    hw_code rc;

    if (!path || !*path)
        return hw_fail(e, HW_EINVAL, NULL, "no database path given");
    if (!(copy = strdup(path)))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    rc = hw__sqlite_open(path, flags, out, e);
    if (rc) {
        free(copy);
        return rc;
    }
    (*out)->path = copy;
    return HW_OK;
}

void hw_store_close(hw_store *s)
{
    if (s) {
        char *path = s->path;

        s->ops->close(s);
        free(path);
    }
}

int hw_store_schema_version(hw_store *s)
{
    return s->ops->schema_version(s, false);
}

int hw_store_schema_version_at_open(hw_store *s)
{
    return s->ops->schema_version(s, true);
}

int hw_store_schema_latest(void)
{
    return hw__migration_count ? hw__migrations[hw__migration_count - 1].version : 0;
}

hw_code hw_store_begin(hw_store *s, unsigned flags, hw_err *e)
{
    return s->ops->begin(s, flags, e);
}

hw_code hw_store_commit(hw_store *s, hw_err *e)
{
    return s->ops->commit(s, e);
}

hw_code hw_store_rollback(hw_store *s, hw_err *e)
{
    return s->ops->rollback(s, e);
}

hw_code hw_store_bulk_load(hw_store *s, hw_kind k, hw_err *e)
{
    assert((unsigned)k < HW_K_COUNT);
    return s->ops->bulk_load(s, k, e);
}

hw_code hw_store_insert(hw_store *s, hw_kind k, const hw_value *row, hw_err *e)
{
    assert((unsigned)k < HW_K_COUNT);
    return s->ops->insert(s, k, row, e);
}

hw_code hw_store_owner(hw_store *s, hw_kind k, int64_t id, int64_t *person_id, hw_err *e)
{
    return s->ops->owner(s, k, id, person_id, e);
}

hw_code hw_store_count(hw_store *s, hw_kind k, int64_t *n, hw_err *e)
{
    return s->ops->count(s, k, n, e);
}

hw_code hw_store_scan(hw_store *s, hw_kind k, hw_row_fn fn, void *ud, hw_err *e)
{
    return s->ops->scan(s, k, fn, ud, e);
}

hw_code hw_store_meta_set(hw_store *s, const char *key, const char *value, hw_err *e)
{
    return s->ops->meta_set(s, key, value, e);
}

hw_code hw_store_meta_get(hw_store *s, const char *key, char *out, size_t size, hw_err *e)
{
    return s->ops->meta_get(s, key, out, size, e);
}

hw_code hw_stats_collect(hw_store *s, int32_t as_of, hw_stats *out, hw_err *e)
{
    return s->ops->stats(s, as_of, out, e);
}

hw_code hw_store_balances(hw_store *s, int64_t person_id, hw_balances **out, hw_err *e)
{
    return s->ops->balances(s, person_id, out, e);
}

hw_code hw_store_scan_people(hw_store *s, const hw_people_scan *spec, hw_person_fn fn, void *ud,
                             hw_err *e)
{
    return s->ops->scan_people(s, spec, fn, ud, e);
}

hw_code hw_store_person_id_at(hw_store *s, int64_t offset, int64_t *id, hw_err *e)
{
    return s->ops->person_id_at(s, offset, id, e);
}

const char *hw_store_path(const hw_store *s)
{
    return s->path;
}

hw_code hw_store_determinations_clear(hw_store *s, const char *rule, int64_t person_id, hw_err *e)
{
    return s->ops->det_clear(s, rule, person_id, e);
}

hw_code hw_store_determination_put(hw_store *s, const hw_determination_row *d, hw_err *e)
{
    return s->ops->det_put(s, d, e);
}

hw_code hw_store_find_external_id(hw_store *s, const char *external_id, int64_t *person_id,
                                  hw_err *e)
{
    return s->ops->find_external_id(s, 0, external_id, person_id, e);
}

hw_code hw_store_find_external_id_in(hw_store *s, int64_t organisation_id, const char *external_id,
                                     int64_t *person_id, hw_err *e)
{
    return s->ops->find_external_id(s, organisation_id, external_id, person_id, e);
}
