/* SPDX-License-Identifier: MIT */
/*
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), the
 * optional second factor at sign-in, and base32 (RFC 4648), the text in
 * which authenticator apps take a secret.  Homeward issues SHA-1, 6 digits
 * and 30 seconds, the parameters every authenticator app supports.
 */
#ifndef HOMEWARD_TOTP_H
#define HOMEWARD_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "homeward/error.h"

typedef enum hw_totp_alg { HW_TOTP_SHA1, HW_TOTP_SHA256, HW_TOTP_SHA512 } hw_totp_alg;

enum {
    HW_TOTP_DIGITS = 6,        /* digits of a code Homeward issues */
    HW_TOTP_PERIOD = 30,       /* seconds a code lasts */
    HW_TOTP_WINDOW = 1,        /* steps either side accepted, for clocks that drift */
    HW_TOTP_SECRET_BYTES = 20, /* 160 bits, RFC 4226's recommended key length */
    HW_TOTP_SECRET_TEXT = 33,  /* its base32 (32 characters) and a NUL */
    HW_TOTP_SECRET_MAX = 64,   /* the longest secret hw_totp_verify() decodes, in bytes */
    HW_TOTP_WINDOW_MAX = 10,   /* the widest window hw_totp_verify() accepts */
};

/* Characters of the unpadded base32 text of n bytes, without the NUL. */
#define HW_BASE32_LEN(n) (((n)*8 + 4) / 5)

/*
 * Write the base32 text of in[len] and a NUL to out[cap]: upper case and
 * without '=' padding, as otpauth URIs carry it.  HW_ELIMIT when cap is
 * less than HW_BASE32_LEN(len) + 1.
 */
hw_code hw_base32_encode(const void *in, size_t len, char *out, size_t cap, hw_err *e);

/*
 * Decode base32 `text` into out[cap], its length in *len.  Either case;
 * spaces are ignored (apps show secrets in groups of four) and '=' padding
 * is optional but only at the end.  A character outside the alphabet, or a
 * length no encoding has, is HW_EINVAL; more than cap bytes HW_ELIMIT.
 */
hw_code hw_base32_decode(const char *text, void *out, size_t cap, size_t *len, hw_err *e);

/*
 * The code at `unix_time` for secret[secret_len] (the raw key, not base32):
 * the HOTP value (RFC 4226) of time step floor(unix_time / period), in
 * *code.  digits is 6 to 8, period at least 1 second, unix_time not
 * negative; anything else is HW_EINVAL.  With period 1 the time step is
 * unix_time itself, so this also gives HOTP for counter unix_time.
 */
hw_code hw_totp_code(const void *secret, size_t secret_len, hw_totp_alg alg, int digits, int period,
                     int64_t unix_time, uint32_t *code, hw_err *e);

/*
 * Does `code_text` match base32 `secret_b32` (SHA-1, 6 digits, 30 s) at
 * `unix_time`, give or take `window` steps (HW_TOTP_WINDOW; at most
 * HW_TOTP_WINDOW_MAX)?  *ok 1 or 0.  The text must be exactly 6 ASCII
 * digits; anything else is *ok 0, not an error.  Every step of the window
 * is computed and compared in constant time, so the time taken does not
 * say which step matched.  On a match *matched_step (may be NULL) is the
 * time step, the latest one if two matched, so that the caller can refuse
 * that step and earlier ones again (a replayed code); otherwise it is -1.
 * A secret that is not base32, or is shorter than 80 bits or longer than
 * HW_TOTP_SECRET_MAX bytes, is HW_EINVAL.
 */
hw_code hw_totp_verify(const char *secret_b32, const char *code_text, int64_t unix_time, int window,
                       int64_t *matched_step, int *ok, hw_err *e);

/* A new random secret of HW_TOTP_SECRET_BYTES, as base32 in out. */
hw_code hw_totp_secret_new(char out[HW_TOTP_SECRET_TEXT], hw_err *e);

/*
 * The otpauth:// URI that authenticator apps read (usually as a QR code)
 * into out[cap]:
 *
 *     otpauth://totp/ISSUER:ACCOUNT?secret=S&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
 *
 * with the issuer and account percent-encoded (all but A-Z a-z 0-9 - . _ ~).
 * The secret is written in its canonical form (upper case, no spaces, no
 * padding).  Neither issuer nor account may be empty, and the secret must
 * be base32 (HW_EINVAL); HW_ELIMIT when out is too small (1024 bytes hold
 * any e-mail address with a 160-bit secret and an issuer of up to 20 bytes).
 */
hw_code hw_totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out,
                    size_t cap, hw_err *e);

#endif
