/* SPDX-License-Identifier: MIT */
/*
 * Identifiers encrypted at rest, and their blind indexes (keys.h).  The
 * ciphertext is text, "enc1:" and base64, so the column stays TEXT and a
 * dump of the database stays readable SQL; the "1" leaves room for another
 * scheme after a key rotation.
 */
#include "core/common.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "homeward/keys.h"
#include "core/banned.h"

static const char prefix[] = "enc1:";
#define PREFIX_LEN (sizeof(prefix) - 1)

enum {
    NONCE = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
    TAG = crypto_aead_xchacha20poly1305_ietf_ABYTES,
    PAD = 16,         /* plaintexts are padded to a multiple of this */
    MAX_PLAIN = 1024, /* far above the vocabulary's 64 bytes; a bound for the stack buffers */
    MAX_RAW = NONCE + MAX_PLAIN + PAD + TAG,
    MAX_AD = 200,
};

/* The associated data: "people.external_id:42".  The column has no ':', so it reads one way. */
static size_t ad_of(char ad[MAX_AD], const char *column, int64_t row_id)
{
    int n = snprintf(ad, MAX_AD, "%s:%lld", column, (long long)row_id);

    return n < 0 ? 0 : (size_t)n >= MAX_AD ? MAX_AD - 1 : (size_t)n;
}

bool hw_ident_is_encrypted(const char *s, size_t n)
{
    return n > PREFIX_LEN && !memcmp(s, prefix, PREFIX_LEN);
}

hw_code hw_ident_encrypt(const hw_keys *k, const char *column, int64_t row_id, const char *text,
                         size_t n, hw_buf *out, hw_err *e)
{
    unsigned char plain[MAX_PLAIN + PAD], raw[MAX_RAW];
    size_t padded = 0, b64 = 0, adn;
    unsigned long long clen = 0;
    char ad[MAX_AD];
    hw_code rc;

    if (n > MAX_PLAIN)
        return hw_fail(e, HW_ELIMIT, column, "an identifier longer than %d bytes", MAX_PLAIN);
    memcpy(plain, text, n);
    if (sodium_pad(&padded, plain, n, PAD, sizeof(plain)) != 0)
        return hw_fail(e, HW_EBUG, column, "cannot pad the identifier");
    adn = ad_of(ad, column, row_id);
    randombytes_buf(raw, NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(raw + NONCE, &clen, plain, padded,
                                               (const unsigned char *)ad, adn, NULL, raw,
                                               hw_keys_subkey(k, HW_KEY_IDENTIFIERS));
    sodium_memzero(plain, sizeof(plain));
    b64 = sodium_base64_ENCODED_LEN(NONCE + clen, sodium_base64_VARIANT_ORIGINAL);
    hw_buf_clear(out);
    if ((rc = hw_buf_append(out, prefix, PREFIX_LEN, e)) || (rc = hw_buf_reserve(out, b64, e)))
        return rc;
    sodium_bin2base64(out->p + out->n, b64, raw, NONCE + (size_t)clen,
                      sodium_base64_VARIANT_ORIGINAL);
    out->n += b64 - 1; /* the encoded length counts the NUL, which is there */
    return HW_OK;
}

hw_code hw_ident_decrypt(const hw_keys *k, const char *column, int64_t row_id, const char *enc,
                         size_t n, hw_buf *out, hw_err *e)
{
    unsigned char raw[MAX_RAW], plain[MAX_RAW];
    size_t rawn = 0, plainn = 0, adn;
    unsigned long long pn = 0;
    const char *end = NULL;
    char ad[MAX_AD];
    hw_code rc;

    hw_buf_clear(out);
    if (!hw_ident_is_encrypted(enc, n) ||
        sodium_base642bin(raw, sizeof(raw), enc + PREFIX_LEN, n - PREFIX_LEN, NULL, &rawn, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != enc + n || rawn < NONCE + TAG + PAD)
        return hw_fail(e, HW_EINVAL, column, "row %lld: not an encrypted identifier",
                       (long long)row_id);
    adn = ad_of(ad, column, row_id);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &pn, NULL, raw + NONCE, rawn - NONCE,
                                                   (const unsigned char *)ad, adn, raw,
                                                   hw_keys_subkey(k, HW_KEY_IDENTIFIERS)) != 0 ||
        sodium_unpad(&plainn, plain, (size_t)pn, PAD) != 0)
        return hw_fail(e, HW_EINVAL, column,
                       "row %lld: the identifier does not decrypt (altered, moved from another "
                       "row, or encrypted with another key)",
                       (long long)row_id);
    rc = hw_buf_append(out, plain, plainn, e);
    sodium_memzero(plain, sizeof(plain));
    return rc;
}

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The normal form is text[*lo..*hi) with ASCII letters upper-cased on the way. */
static void trim(const char *text, size_t n, size_t *lo, size_t *hi)
{
    *lo = 0;
    *hi = n;
    while (*lo < *hi && space(text[*lo]))
        (*lo)++;
    while (*hi > *lo && space(text[*hi - 1]))
        (*hi)--;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

void hw_ident_blind_index(const hw_keys *k, const char *text, size_t n,
                          unsigned char out[HW_BLIND_INDEX_BYTES])
{
    crypto_generichash_state st;
    unsigned char chunk[64];
    size_t lo, hi, used = 0;

    trim(text, n, &lo, &hi);
    crypto_generichash_init(&st, hw_keys_subkey(k, HW_KEY_BLIND_INDEX), HW_KEY_BYTES,
                            HW_BLIND_INDEX_BYTES);
    for (size_t i = lo; i < hi; i++) {
        chunk[used++] = (unsigned char)upper(text[i]);
        if (used == sizeof(chunk)) {
            crypto_generichash_update(&st, chunk, used);
            used = 0;
        }
    }
    crypto_generichash_update(&st, chunk, used);
    crypto_generichash_final(&st, out, HW_BLIND_INDEX_BYTES);
    sodium_memzero(chunk, sizeof(chunk));
}

bool hw_ident_same(const char *a, size_t an, const char *b, size_t bn)
{
    size_t alo, ahi, blo, bhi;

    trim(a, an, &alo, &ahi);
    trim(b, bn, &blo, &bhi);
    if (ahi - alo != bhi - blo)
        return false;
    for (size_t i = 0; i < ahi - alo; i++)
        if (upper(a[alo + i]) != upper(b[blo + i]))
            return false;
    return true;
}
