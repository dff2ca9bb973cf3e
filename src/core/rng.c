/* SPDX-License-Identifier: MIT */
/* xoshiro256** (Blackman and Vigna, public domain), seeded by splitmix64. */
#include "core/common.h"

#include <math.h>

#include "homeward/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void hw_rng_seed(hw_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);

    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t hw_rng_next(hw_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t hw_rng_below(hw_rng *r, uint64_t n)
{
    uint64_t x, lim;

    if (n == 0)
        return 0;
    lim = UINT64_MAX - UINT64_MAX % n;
    do
        x = hw_rng_next(r);
    while (x >= lim);
    return x % n;
}

int64_t hw_rng_range(hw_rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)hw_rng_below(r, (uint64_t)(hi - lo) + 1);
}

double hw_rng_unit(hw_rng *r)
{
    return (double)(hw_rng_next(r) >> 11) * 0x1.0p-53;
}

int hw_rng_chance(hw_rng *r, double p)
{
    return hw_rng_unit(r) < p;
}

double hw_rng_normal(hw_rng *r)
{
    double u1 = hw_rng_unit(r), u2 = hw_rng_unit(r);

    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

double hw_rng_lognormal(hw_rng *r, double median, double sigma)
{
    return median * exp(sigma * hw_rng_normal(r));
}

uint64_t hw_rng_poisson(hw_rng *r, double mean)
{
    if (mean <= 0)
        return 0;
    if (mean > 30) {
        double x = mean + sqrt(mean) * hw_rng_normal(r) + 0.5;

        return x < 0 ? 0 : (uint64_t)x;
    }
    {
        double l = exp(-mean), p = 1.0;
        uint64_t k = 0;

        do {
            k++;
            p *= hw_rng_unit(r);
        } while (p > l);
        return k - 1;
    }
}

unsigned hw_rng_pick(hw_rng *r, const double *weights, unsigned n)
{
    double total = 0, x;

    for (unsigned i = 0; i < n; i++)
        total += weights[i];
    x = hw_rng_unit(r) * total;
    for (unsigned i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}
