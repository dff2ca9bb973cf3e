/* SPDX-License-Identifier: MIT */
/*
 * Synthetic records: a plausible, deterministic population for demos, tests
 * and benchmarks.  The same people, seed and as-of date give the same
 * records, byte for byte.  docs/demo-data.md says what the distributions
 * are and where they come from.
 */
#ifndef HOMEWARD_DEMO_H
#define HOMEWARD_DEMO_H

#include <stdint.h>

#include "homeward/error.h"
#include "homeward/store.h"

typedef struct hw_demo_opts {
    uint64_t people; /* how many people to generate (1 .. 100,000,000) */
    uint64_t seed;   /* any number; the same seed gives the same data */
    int32_t as_of;   /* "today" for the data, in days since 1970-01-01 */
    /*
     * Called now and then with the people done so far; return non-zero to
     * stop (hw_demo_generate then returns HW_ECANCELED).  May be NULL.
     */
    int (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
} hw_demo_opts;

typedef struct hw_demo_result {
    int64_t count[HW_K_COUNT]; /* records written, by kind */
} hw_demo_result;

/*
 * Generate the population into store `s`, which must hold no organisations
 * or people yet (HW_ECONFLICT otherwise), in one transaction: on failure
 * nothing is left behind.  Records the seed, size and as-of date with
 * hw_store_meta_set() ("demo.seed", "demo.people", "demo.as_of").
 */
hw_code hw_demo_generate(hw_store *s, const hw_demo_opts *o, hw_demo_result *res, hw_err *e);

#endif
