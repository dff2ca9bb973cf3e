/* SPDX-License-Identifier: MIT */
/* The summary of stats.h as JSON, for `homeward stats --json` and later the API. */
#include "core/common.h"

#include <jansson.h>
#include <stdlib.h>

#include "homeward/date.h"
#include "homeward/stats.h"

void hw_stats_release(hw_stats *st)
{
    free(st->orgs);
    st->orgs = NULL;
    st->norgs = 0;
}

char *hw_stats_json(const hw_stats *st)
{
    static const char *const kinds[] = {"fine", "fee", "cost", "restitution"};
    static const char *const buckets[HW_STATS_BUCKETS] = {
        "under_100", "100_to_500", "500_to_1000", "1000_to_5000", "5000_to_10000", "10000_plus"};
    char day[HW_DATE_LEN + 1];
    json_t *root = json_object(), *counts = json_object(), *orgs = json_array();
    json_t *sup = json_object(), *owed = json_object(), *by_kind = json_object();
    json_t *dist = json_object(), *appt = json_object(), *viol = json_object();
    char *text = NULL;

    if (!root || !counts || !orgs || !sup || !owed || !by_kind || !dist || !appt || !viol)
        goto out;
    hw_date_format(st->as_of, day);
    json_object_set_new(root, "as_of", json_string(day));
    for (int k = 0; k < HW_K_COUNT; k++)
        json_object_set_new(counts, hw_vocab_kind((hw_kind)k)->name, json_integer(st->count[k]));
    json_object_set(root, "records", counts);
    for (size_t i = 0; i < st->norgs; i++)
        json_array_append_new(orgs, json_pack("{sI ss sI sI sI}", "id", (json_int_t)st->orgs[i].id,
                                              "name", st->orgs[i].name, "people",
                                              (json_int_t)st->orgs[i].people, "on_supervision",
                                              (json_int_t)st->orgs[i].on_supervision, "owing",
                                              (json_int_t)st->orgs[i].owing));
    json_object_set(root, "organisations", orgs);
    json_object_set_new(sup, "probation", json_integer(st->supervision_active[0]));
    json_object_set_new(sup, "parole", json_integer(st->supervision_active[1]));
    json_object_set_new(sup, "supervised_release", json_integer(st->supervision_active[2]));
    json_object_set_new(sup, "not_active", json_integer(st->supervision_other));
    json_object_set(root, "active_supervision", sup);
    json_object_set_new(root, "in_custody", json_integer(st->in_custody));
    for (int i = 0; i < 4; i++)
        json_object_set_new(by_kind, kinds[i], json_integer(st->owed_by_kind[i]));
    for (int i = 0; i < HW_STATS_BUCKETS; i++)
        json_object_set_new(dist, buckets[i], json_integer(st->owing_buckets[i]));
    json_object_set_new(owed, "total_cents", json_integer(st->owed_total));
    json_object_set(owed, "by_kind_cents", by_kind);
    json_object_set_new(owed, "paid_cents", json_integer(st->paid_total));
    json_object_set_new(owed, "people_owing", json_integer(st->people_owing));
    json_object_set_new(owed, "median_cents", json_integer(st->owing_median));
    json_object_set_new(owed, "p90_cents", json_integer(st->owing_p90));
    json_object_set_new(owed, "max_cents", json_integer(st->owing_max));
    json_object_set(owed, "people_by_balance_dollars", dist);
    json_object_set(root, "balances", owed);
    json_object_set_new(appt, "checkins_next_7_days", json_integer(st->checkins_next_7));
    json_object_set_new(appt, "checkins_next_30_days", json_integer(st->checkins_next_30));
    json_object_set_new(appt, "appointments_next_7_days", json_integer(st->appointments_next_7));
    json_object_set_new(appt, "checkins_attended_last_90_days", json_integer(st->attended_last_90));
    json_object_set_new(appt, "checkins_missed_last_90_days", json_integer(st->missed_last_90));
    json_object_set(root, "appointments", appt);
    json_object_set_new(viol, "technical", json_integer(st->violations_last_365[0]));
    json_object_set_new(viol, "new_offense", json_integer(st->violations_last_365[1]));
    json_object_set(root, "violations_last_365_days", viol);
    json_object_set_new(root, "returns_to_custody_last_365_days",
                        json_integer(st->returns_last_365));
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
out:
    json_decref(root);
    json_decref(counts);
    json_decref(orgs);
    json_decref(sup);
    json_decref(owed);
    json_decref(by_kind);
    json_decref(dist);
    json_decref(appt);
    json_decref(viol);
    return text;
}
