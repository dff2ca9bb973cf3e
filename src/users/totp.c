/* SPDX-License-Identifier: MIT */
/*
 * TOTP (RFC 6238) over HOTP (RFC 4226), and base32 (RFC 4648).  HMAC comes
 * from GnuTLS, randomness and constant-time comparison from libsodium.  Keys
 * and codes are wiped from the stack once used.
 */
#include "core/common.h"

#include <gnutls/crypto.h>
#include <sodium.h>
#include <string.h>

#include "homeward/totp.h"
#include "core/banned.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const uint32_t powers[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

hw_code hw_base32_encode(const void *in, size_t len, char *out, size_t cap, hw_err *e)
{
    const uint8_t *p = in;
    size_t need = HW_BASE32_LEN(len), n = 0;
    uint32_t acc = 0;
    int bits = 0;

    if (cap < need + 1)
        return hw_fail(e, HW_ELIMIT, NULL, "base32 of %zu bytes needs %zu bytes, not %zu", len,
                       need + 1, cap);
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8 | p[i]) & 0xfff; /* at most 4 + 8 bits are pending */
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[n++] = alphabet[(acc >> bits) & 31];
        }
    }
    if (bits > 0)
        out[n++] = alphabet[(acc << (5 - bits)) & 31];
    out[n] = '\0';
    return HW_OK;
}

/* The value of base32 character c, or -1. */
static int b32_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

hw_code hw_base32_decode(const char *text, void *out, size_t cap, size_t *len, hw_err *e)
{
    uint8_t *o = out;
    size_t chars = 0, pos = 0, n = 0, bytes;
    uint32_t acc = 0;
    int bits = 0, padded = 0;

    *len = 0;
    if (!text)
        return hw_fail(e, HW_EINVAL, NULL, "no base32 text");
    /*
     * Check everything before writing anything.  Only the position of a bad
     * character is quoted: the text is usually a secret.
     */
    for (const char *c = text; *c; c++, pos++) {
        if (*c == ' ')
            continue;
        if (*c == '=') {
            padded = 1;
            continue;
        }
        if (b32_value(*c) < 0 || padded)
            return hw_fail(e, HW_EINVAL, NULL, "not base32: %s at position %zu",
                           padded ? "text after '=' padding" : "a character outside A-Z, 2-7",
                           pos + 1);
        chars++;
    }
    /* 1, 3 or 6 characters past a multiple of 8 carry less than a whole byte. */
    if (chars % 8 == 1 || chars % 8 == 3 || chars % 8 == 6)
        return hw_fail(e, HW_EINVAL, NULL, "not base32: %zu characters make no whole bytes", chars);
    bytes = chars * 5 / 8;
    if (bytes > cap)
        return hw_fail(e, HW_ELIMIT, NULL, "base32 text of %zu bytes, more than %zu", bytes, cap);
    for (const char *c = text; *c; c++) {
        if (*c == ' ' || *c == '=')
            continue;
        acc = (acc << 5 | (uint32_t)b32_value(*c)) & 0x1fff; /* at most 7 + 5 bits pending */
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            o[n++] = (uint8_t)(acc >> bits);
        }
    }
    /* Leftover bits (fewer than 5) are the encoder's zero fill, which decoders may ignore. */
    *len = n;
    return HW_OK;
}

static int mac_of(hw_totp_alg alg, gnutls_mac_algorithm_t *mac)
{
    switch (alg) {
    case HW_TOTP_SHA1:
        *mac = GNUTLS_MAC_SHA1;
        return 1;
    case HW_TOTP_SHA256:
        *mac = GNUTLS_MAC_SHA256;
        return 1;
    case HW_TOTP_SHA512:
        *mac = GNUTLS_MAC_SHA512;
        return 1;
    }
    return 0;
}

/* HOTP (RFC 4226 section 5.3): HMAC of the big-endian counter, dynamically truncated. */
static hw_code hotp(const void *key, size_t key_len, gnutls_mac_algorithm_t mac, int digits,
                    uint64_t counter, uint32_t *code, hw_err *e)
{
    uint8_t msg[8], digest[64];
    unsigned size = gnutls_hmac_get_len(mac), off;
    int r;

    for (int i = 7; i >= 0; i--, counter >>= 8)
        msg[i] = (uint8_t)counter;
    if (size < 20 || size > sizeof digest)
        return hw_fail(e, HW_EBUG, NULL, "unexpected HMAC length %u", size);
    if ((r = gnutls_hmac_fast(mac, key, key_len, msg, sizeof msg, digest)) < 0)
        return hw_fail(e, HW_EBUG, NULL, "HMAC failed: %s", gnutls_strerror(r));
    off = digest[size - 1] & 0x0f;
    *code = ((uint32_t)(digest[off] & 0x7f) << 24 | (uint32_t)digest[off + 1] << 16 |
             (uint32_t)digest[off + 2] << 8 | digest[off + 3]) %
            powers[digits];
    sodium_memzero(digest, sizeof digest);
    return HW_OK;
}

hw_code hw_totp_code(const void *secret, size_t secret_len, hw_totp_alg alg, int digits, int period,
                     int64_t unix_time, uint32_t *code, hw_err *e)
{
    gnutls_mac_algorithm_t mac;

    *code = 0;
    if (!secret || secret_len == 0)
        return hw_fail(e, HW_EINVAL, "totp_secret", "the secret is empty");
    if (!mac_of(alg, &mac))
        return hw_fail(e, HW_EINVAL, "algorithm", "no TOTP algorithm %d", (int)alg);
    if (digits < 6 || digits > 8)
        return hw_fail(e, HW_EINVAL, "digits", "a code has 6 to 8 digits, not %d", digits);
    if (period < 1)
        return hw_fail(e, HW_EINVAL, "period", "the period is at least 1 second, not %d", period);
    if (unix_time < 0)
        return hw_fail(e, HW_EINVAL, "time", "a time before 1970: %lld", (long long)unix_time);
    return hotp(secret, secret_len, mac, digits, (uint64_t)(unix_time / period), code, e);
}

hw_code hw_totp_verify(const char *secret_b32, const char *code_text, int64_t unix_time, int window,
                       int64_t *matched_step, int *ok, hw_err *e)
{
    uint8_t key[HW_TOTP_SECRET_MAX];
    char want[HW_TOTP_DIGITS];
    int64_t now, found = -1;
    unsigned any = 0;
    size_t len = 0;
    hw_code rc = HW_OK;
    hw_err sub;

    *ok = 0;
    if (matched_step)
        *matched_step = -1;
    if (window < 0 || window > HW_TOTP_WINDOW_MAX)
        return hw_fail(e, HW_EINVAL, "window", "the window is 0 to %d steps, not %d",
                       HW_TOTP_WINDOW_MAX, window);
    if (unix_time < 0)
        return hw_fail(e, HW_EINVAL, "time", "a time before 1970: %lld", (long long)unix_time);
    if (hw_base32_decode(secret_b32, key, sizeof key, &len, &sub))
        return hw_fail(e, HW_EINVAL, "totp_secret", "the secret: %s", sub.msg);
    if (len < 10) {
        rc = hw_fail(e, HW_EINVAL, "totp_secret", "the secret is shorter than 80 bits");
        goto out;
    }
    /* The length and the digits of what the person typed are no secret: refuse early. */
    if (!code_text || strlen(code_text) != HW_TOTP_DIGITS)
        goto out;
    for (int i = 0; i < HW_TOTP_DIGITS; i++)
        if (code_text[i] < '0' || code_text[i] > '9')
            goto out;

    /* Every step is computed and compared, and the result chosen without a branch. */
    now = unix_time / HW_TOTP_PERIOD;
    for (int64_t step = now - window; step <= now + window; step++) {
        uint32_t code, eq;
        uint64_t mask;

        if (step < 0)
            continue;
        if ((rc = hotp(key, len, GNUTLS_MAC_SHA1, HW_TOTP_DIGITS, (uint64_t)step, &code, e)))
            goto out;
        for (int i = HW_TOTP_DIGITS - 1; i >= 0; i--, code /= 10)
            want[i] = (char)('0' + code % 10);
        /* sodium_memcmp() is 0 when equal, else -1: eq is 1 or 0. */
        eq = (uint32_t)(sodium_memcmp(want, code_text, HW_TOTP_DIGITS) + 1);
        mask = (uint64_t)0 - eq;
        found = (int64_t)(((uint64_t)found & ~mask) | ((uint64_t)step & mask));
        any |= eq;
    }
    *ok = (int)any;
    if (matched_step)
        *matched_step = found;
out:
    sodium_memzero(key, sizeof key);
    sodium_memzero(want, sizeof want);
    return rc;
}

hw_code hw_totp_secret_new(char out[HW_TOTP_SECRET_TEXT], hw_err *e)
{
    uint8_t key[HW_TOTP_SECRET_BYTES];
    hw_code rc;

    if (sodium_init() < 0)
        return hw_fail(e, HW_EBUG, NULL, "libsodium could not start");
    randombytes_buf(key, sizeof key);
    rc = hw_base32_encode(key, sizeof key, out, HW_TOTP_SECRET_TEXT, e);
    sodium_memzero(key, sizeof key);
    return rc;
}

typedef struct {
    char *p;
    size_t cap, n;
} out_buf;

static void put(out_buf *o, const char *s)
{
    for (; *s; s++)
        if (o->n < o->cap)
            o->p[o->n++] = *s;
        else
            o->n = o->cap + 1; /* remembers the overflow */
}

/* Percent-encode all but RFC 3986's unreserved characters: '+', '@' and ':' are encoded. */
static void put_encoded(out_buf *o, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char one[4] = {(char)c, 0};

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~')) {
            one[0] = '%';
            one[1] = hex[c >> 4];
            one[2] = hex[c & 15];
        }
        put(o, one);
    }
}

hw_code hw_totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out,
                    size_t cap, hw_err *e)
{
    uint8_t key[HW_TOTP_SECRET_MAX];
    char canon[HW_BASE32_LEN(HW_TOTP_SECRET_MAX) + 1], tail[64];
    out_buf o = {out, cap ? cap - 1 : 0, 0};
    size_t len = 0;
    hw_code rc;
    hw_err sub;

    if (!issuer || !*issuer)
        return hw_fail(e, HW_EINVAL, "issuer", "an otpauth URI needs an issuer");
    if (!account || !*account)
        return hw_fail(e, HW_EINVAL, "account", "an otpauth URI needs an account name");
    if (hw_base32_decode(secret_b32, key, sizeof key, &len, &sub))
        return hw_fail(e, HW_EINVAL, "totp_secret", "the secret: %s", sub.msg);
    if (len == 0)
        return hw_fail(e, HW_EINVAL, "totp_secret", "the secret is empty");
    rc = hw_base32_encode(key, len, canon, sizeof canon, e);
    sodium_memzero(key, sizeof key);
    if (rc)
        return rc;
    /* The label is ISSUER:ACCOUNT with a literal colon, as Google's Key URI Format shows it. */
    put(&o, "otpauth://totp/");
    put_encoded(&o, issuer);
    put(&o, ":");
    put_encoded(&o, account);
    put(&o, "?secret=");
    put(&o, canon);
    put(&o, "&issuer=");
    put_encoded(&o, issuer);
    snprintf(tail, sizeof tail, "&algorithm=SHA1&digits=%d&period=%d", HW_TOTP_DIGITS,
             HW_TOTP_PERIOD);
    put(&o, tail);
    sodium_memzero(canon, sizeof canon);
    if (cap == 0 || o.n > o.cap) {
        if (cap)
            out[0] = '\0';
        return hw_fail(e, HW_ELIMIT, NULL, "the otpauth URI is longer than %zu bytes",
                       cap ? cap - 1 : 0);
    }
    out[o.n] = '\0';
    return HW_OK;
}
