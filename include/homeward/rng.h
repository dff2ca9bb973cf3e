/* SPDX-License-Identifier: MIT */
/*
 * A small, fast, seedable random number generator (xoshiro256**, seeded
 * through splitmix64) for synthetic data and randomised tests.  The same
 * seed gives the same sequence on every machine.  Not for secrets.
 */
#ifndef HOMEWARD_RNG_H
#define HOMEWARD_RNG_H

#include <stdint.h>

typedef struct hw_rng {
    uint64_t s[4];
} hw_rng;

/* Seed from one number; streams for different `stream` values are independent. */
void hw_rng_seed(hw_rng *r, uint64_t seed, uint64_t stream);
uint64_t hw_rng_next(hw_rng *r);
/* Uniform in [0, n) without modulo bias; 0 when n is 0. */
uint64_t hw_rng_below(hw_rng *r, uint64_t n);
/* Uniform in [lo, hi] (inclusive). */
int64_t hw_rng_range(hw_rng *r, int64_t lo, int64_t hi);
/* Uniform double in [0, 1). */
double hw_rng_unit(hw_rng *r);
/* True with probability p. */
int hw_rng_chance(hw_rng *r, double p);
/* Standard normal (Box-Muller). */
double hw_rng_normal(hw_rng *r);
/* Log-normal with the given median and sigma of the log. */
double hw_rng_lognormal(hw_rng *r, double median, double sigma);
/* Poisson with mean `mean` (Knuth for small means, normal approximation above 30). */
uint64_t hw_rng_poisson(hw_rng *r, double mean);
/*
 * Pick an index by weight: weights[0..n) need not sum to one.  Returns n-1
 * if rounding leaves the draw past the end.
 */
unsigned hw_rng_pick(hw_rng *r, const double *weights, unsigned n);

#endif
