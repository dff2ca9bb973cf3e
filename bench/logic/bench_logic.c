/* SPDX-License-Identifier: MIT */
/*
 * The C half of bench/logic.sh: load every record of a JSON Lines file into
 * the rules engine's values once, then time each rule over all of them, on
 * one core and on every core (the records split between threads, each with
 * its own arena, as screening runs).  Loading is not timed.
 *
 * A pass evaluates every record, in rounds over them when there are fewer
 * than a million, so that a pass over records that fit in the cache takes
 * long enough to time (bench.mjs does the same).
 *
 * Usage: bench_logic RULES.json RECORDS.jsonl [PASSES] [THREADS]
 * Prints one tab-separated line per rule and engine:
 *     rule  engine  threads  true-count  evaluations-a-pass  median-seconds  best-seconds
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "homeward/logic.h"
#include "rules/logic_int.h"

#define MAX_THREADS 64
#define MAX_PASSES 100
#define PASS_EVALS 1000000 /* at least this many evaluations a pass */

typedef struct slice {
    const hw_logic *rule;
    const lval *records;
    size_t n;
    size_t rounds;
    size_t truths; /* out: in one round */
    hw_code rc;    /* out */
} slice;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Evaluate one rule over a slice of the records, as a screening worker does. */
static void *run_slice(void *arg)
{
    slice *s = arg;
    size_t truths = 0;
    hw_code rc = HW_OK;
    hw_arena a;
    hw_err e;

    /* Counted in locals: the slices share a cache line, which both threads would write. */
    hw_arena_init(&a, 4096, 1u << 20);
    for (size_t r = 0; r < s->rounds && rc == HW_OK; r++) {
        for (size_t i = 0; i < s->n && rc == HW_OK; i++) {
            int truth;

            rc = hw__logic_test(s->rule, s->records[i], &a, &truth, &e);
            truths += (size_t)truth;
            hw_arena_reset(&a);
        }
    }
    hw_arena_release(&a);
    s->truths = truths / s->rounds;
    s->rc = rc;
    return NULL;
}

/* Rounds over n records that make a pass. */
static size_t rounds(size_t n)
{
    return n < PASS_EVALS ? (PASS_EVALS + n - 1) / n : 1;
}

/* One pass over all records with `threads` threads; seconds taken, count in *truths. */
static double pass(const hw_logic *rule, const lval *records, size_t n, int threads, size_t *truths)
{
    slice s[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    double t0 = now(), t1;

    for (int i = 0; i < threads; i++) {
        size_t lo = n * (size_t)i / (size_t)threads, hi = n * (size_t)(i + 1) / (size_t)threads;

        s[i] = (slice){.rule = rule, .records = records + lo, .n = hi - lo, .rounds = rounds(n)};
    }
    if (threads == 1) {
        run_slice(&s[0]);
    } else {
        for (int i = 0; i < threads; i++)
            if (pthread_create(&tid[i], NULL, run_slice, &s[i])) {
                fprintf(stderr, "bench_logic: cannot start a thread\n");
                exit(1);
            }
        for (int i = 0; i < threads; i++)
            pthread_join(tid[i], NULL);
    }
    t1 = now();
    *truths = 0;
    for (int i = 0; i < threads; i++) {
        if (s[i].rc) {
            fprintf(stderr, "bench_logic: evaluation failed: %s\n", hw_code_name(s[i].rc));
            exit(1);
        }
        *truths += s[i].truths;
    }
    return t1 - t0;
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;

    return a < b ? -1 : a > b;
}

/* A warm-up pass, then `passes` timed ones; prints the line for this rule and thread count. */
static void time_rule(const char *name, const hw_logic *rule, const lval *records, size_t n,
                      int threads, int passes)
{
    double t[MAX_PASSES];
    size_t truths, first;

    pass(rule, records, n, threads, &first);
    for (int i = 0; i < passes; i++) {
        t[i] = pass(rule, records, n, threads, &truths);
        if (truths != first) {
            fprintf(stderr, "bench_logic: %s: %zu true, then %zu\n", name, first, truths);
            exit(1);
        }
    }
    qsort(t, (size_t)passes, sizeof(t[0]), by_value);
    printf("%s\thomeward\t%d\t%zu\t%zu\t%.6f\t%.6f\n", name, threads, first, n * rounds(n),
           t[passes / 2], t[0]);
    fflush(stdout);
}

/*
 * Every line of `path` as a value in arena `a`; the count in *n.  The
 * records share their keys and short texts through `pool`, as objects of one
 * shape share theirs in JavaScript engines.
 */
static lval *load(const char *path, hw_arena *a, hw_lv_pool *pool, size_t *n)
{
    FILE *f = fopen(path, "r");
    size_t cap = 1u << 16, len = 0, linecap = 0;
    lval *records = malloc(cap * sizeof(*records));
    char *line = NULL;
    ssize_t got;

    if (!f || !records) {
        fprintf(stderr, "bench_logic: cannot read %s\n", path);
        exit(1);
    }
    while ((got = getline(&line, &linecap, f)) > 0) {
        json_error_t jerr;
        json_t *j = json_loadb(line, (size_t)got, 0, &jerr);

        if (!j) {
            fprintf(stderr, "bench_logic: %s:%zu: %s\n", path, len + 1, jerr.text);
            exit(1);
        }
        if (len == cap && !(records = realloc(records, (cap *= 2) * sizeof(*records)))) {
            fprintf(stderr, "bench_logic: out of memory\n");
            exit(1);
        }
        if (!hw__lv_from_json_pooled(j, a, pool, &records[len++])) {
            fprintf(stderr, "bench_logic: out of memory\n");
            exit(1);
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    *n = len;
    return records;
}

int main(int argc, char **argv)
{
    int passes = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 5;
    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    int threads = argc > 4 ? (int)strtol(argv[4], NULL, 10) : cores;
    json_t *rules, *r;
    json_error_t jerr;
    hw_arena data, shared;
    hw_lv_pool pool;
    lval *records;
    size_t n, i;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_logic RULES.json RECORDS.jsonl [PASSES] [THREADS]\n");
        return 2;
    }
    if (passes < 1 || passes > MAX_PASSES || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "bench_logic: passes 1..%d, threads 1..%d\n", MAX_PASSES, MAX_THREADS);
        return 2;
    }
    if (!(rules = json_load_file(argv[1], 0, &jerr)) || !json_is_array(rules)) {
        fprintf(stderr, "bench_logic: %s: %s\n", argv[1], rules ? "not an array" : jerr.text);
        return 1;
    }
    hw_arena_init(&data, 64u << 20, 0);
    hw_arena_init(&shared, 1u << 20, 0);
    hw__lv_pool_init(&pool, &shared);
    records = load(argv[2], &data, &pool, &n);
    if (!n) {
        fprintf(stderr, "bench_logic: %s: no records\n", argv[2]);
        return 1;
    }
    hw__lv_pool_release(&pool);
    json_array_foreach(rules, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "name"));
        hw_logic *rule;
        hw_err e;

        if (hw_logic_compile(json_object_get(r, "rule"), &rule, &e)) {
            fprintf(stderr, "bench_logic: rule %s: %s\n", name, e.msg);
            return 1;
        }
        time_rule(name, rule, records, n, 1, passes);
        if (threads > 1)
            time_rule(name, rule, records, n, threads, passes);
        hw_logic_free(rule);
    }
    hw_arena_release(&data);
    hw_arena_release(&shared);
    free(records);
    json_decref(rules);
    return 0;
}
