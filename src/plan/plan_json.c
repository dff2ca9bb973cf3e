/* SPDX-License-Identifier: MIT */
/* Plans as JSON: what `homeward plan --format json` prints and the API answers. */
#include <jansson.h>

#include "homeward/plan.h"
#include "core/banned.h"

json_t *hw_plan_candidate_json(const hw_plan_candidate *c, int payments)
{
    json_t *o = json_pack("{sI sI sI sb ss ss si}", "person_id", (json_int_t)c->person_id,
                          "cost_cents", (json_int_t)c->cost_cents, "value", (json_int_t)c->value,
                          "chosen", c->chosen, "reason", c->reason ? c->reason : "", "outcome",
                          hw_outcome_name(c->outcome), "months_avoided", c->months);

    if (o && c->waste)
        json_object_set_new(o, "waste", json_true());
    if (o && payments) {
        json_t *a = json_array();

        for (size_t j = 0; a && j < c->npay; j++)
            json_array_append_new(a, json_pack("{sI sI sI ss ss}", "obligation_id",
                                               (json_int_t)c->pay[j].obligation_id, "fund_id",
                                               (json_int_t)c->pay[j].fund_id, "amount_cents",
                                               (json_int_t)c->pay[j].amount_cents, "kind",
                                               c->pay[j].kind, "payee", c->pay[j].payee));
        json_object_set_new(o, "obligations", a);
    }
    return o;
}

json_t *hw_plan_json(const hw_plan *p)
{
    json_t *funds = json_array(), *chosen = json_array();
    double gap = p->bound > 0 ? (double)(p->bound - p->objective_value) / (double)p->bound : 0.0;

    for (size_t f = 0; f < p->nfunds; f++)
        json_array_append_new(funds, json_pack("{sI ss sI sI sI}", "id", (json_int_t)p->funds[f].id,
                                               "name", p->funds[f].name, "budget_cents",
                                               (json_int_t)p->funds[f].budget_cents, "spent_cents",
                                               (json_int_t)p->funds[f].spent_cents, "candidates",
                                               (json_int_t)p->funds[f].admitted));
    for (size_t i = 0; i < p->ncand; i++)
        if (p->cand[i].chosen)
            json_array_append_new(chosen, hw_plan_candidate_json(&p->cand[i], 1));
    json_t *o = json_pack(
        "{sb sI sI sf ss ss ss sI sI sI sI sI sI sI sI sf so so}", "optimal", p->optimal,
        "objective_value", (json_int_t)p->objective_value, "bound", (json_int_t)p->bound, "gap",
        gap, "objective", p->objective == HW_OBJECTIVE_PEOPLE ? "people" : "weighted", "method",
        p->method, "as_of", p->as_of, "budget_cents", (json_int_t)p->budget_cents, "spent_cents",
        (json_int_t)p->spent_cents, "greedy_value", (json_int_t)p->greedy_value, "people_freed",
        (json_int_t)p->people_freed, "months_avoided", (json_int_t)p->months_avoided, "candidates",
        (json_int_t)p->ncand, "waivers_instead", (json_int_t)p->nwaste, "solver_nodes",
        (json_int_t)p->nodes, "solve_seconds", p->solve_seconds, "funds", funds, "chosen", chosen);

    if (o && p->id)
        json_object_set_new(o, "plan_id", json_integer(p->id));
    return o;
}

json_t *hw_plan_summary_json(const hw_plan_summary *p)
{
    return json_pack("{sI sI ss ss ss ss ss sb sI sI sI sI sI ss ss*}", "id", (json_int_t)p->id,
                     "organisation_id", (json_int_t)p->organisation_id, "created_at", p->created_at,
                     "as_of", p->as_of, "objective", p->objective, "funds", p->funds, "method",
                     p->method, "optimal", p->optimal, "objective_value",
                     (json_int_t)p->objective_value, "bound", (json_int_t)p->bound, "budget_cents",
                     (json_int_t)p->budget_cents, "spent_cents", (json_int_t)p->spent_cents,
                     "people", (json_int_t)p->people, "status", p->status, "committed_at",
                     p->committed_at);
}
