/* SPDX-License-Identifier: MIT */
/* TOTP and HOTP against their RFCs' test vectors, base32, and second factors of users. */
#include <stdio.h>
#include <string.h>

#include "homeward/totp.h"
#include "homeward/users.h"
#include "unit.h"

/* RFC 6238 Appendix B's seeds: the ASCII digits repeated to the hash's length. */
static const char seed1[] = "12345678901234567890";
static const char seed256[] = "12345678901234567890123456789012";
static const char seed512[] = "1234567890123456789012345678901234567890123456789012345678901234";
/* seed1 in base32 */
static const char seed1_b32[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

TEST(totp_rfc6238_vectors)
{
    static const struct {
        int64_t t;
        uint32_t sha1, sha256, sha512;
    } v[] = {
        {59, 94287082, 46119246, 90693936},         {1111111109, 7081804, 68084774, 25091201},
        {1111111111, 14050471, 67062674, 99943326}, {1234567890, 89005924, 91819424, 93441116},
        {2000000000, 69279037, 90698825, 38618901}, {20000000000, 65353130, 77737706, 47863826},
    };
    uint32_t code = 0;
    hw_err e;

    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        EXPECT_CODE_E(hw_totp_code(seed1, 20, HW_TOTP_SHA1, 8, 30, v[i].t, &code, &e), HW_OK, &e);
        EXPECT_INT(code, v[i].sha1);
        EXPECT_CODE_E(hw_totp_code(seed256, 32, HW_TOTP_SHA256, 8, 30, v[i].t, &code, &e), HW_OK,
                      &e);
        EXPECT_INT(code, v[i].sha256);
        EXPECT_CODE_E(hw_totp_code(seed512, 64, HW_TOTP_SHA512, 8, 30, v[i].t, &code, &e), HW_OK,
                      &e);
        EXPECT_INT(code, v[i].sha512);
    }
}

TEST(totp_rfc4226_hotp_vectors)
{
    /* Appendix D: the 6-digit values, and the truncated values' last 8 digits. */
    static const uint32_t six[] = {755224, 287082, 359152, 969429, 338314,
                                   254676, 287922, 162583, 399871, 520489};
    static const uint32_t eight[] = {84755224, 94287082, 37359152, 26969429, 40338314,
                                     68254676, 18287922, 82162583, 73399871, 45520489};
    uint32_t code = 0;
    hw_err e;

    /* With a period of 1 second the time step is the counter. */
    for (int c = 0; c < 10; c++) {
        EXPECT_CODE_E(hw_totp_code(seed1, 20, HW_TOTP_SHA1, 6, 1, c, &code, &e), HW_OK, &e);
        EXPECT_INT(code, six[c]);
        EXPECT_CODE_E(hw_totp_code(seed1, 20, HW_TOTP_SHA1, 8, 1, c, &code, &e), HW_OK, &e);
        EXPECT_INT(code, eight[c]);
    }
}

TEST(totp_code_refuses_bad_parameters)
{
    uint32_t code = 1;
    hw_err e;

    EXPECT_CODE(hw_totp_code(seed1, 20, HW_TOTP_SHA1, 5, 30, 59, &code, &e), HW_EINVAL);
    EXPECT_STR(e.field, "digits");
    EXPECT_CODE(hw_totp_code(seed1, 20, HW_TOTP_SHA1, 9, 30, 59, &code, &e), HW_EINVAL);
    EXPECT_CODE(hw_totp_code(seed1, 20, HW_TOTP_SHA1, 6, 0, 59, &code, &e), HW_EINVAL);
    EXPECT_STR(e.field, "period");
    EXPECT_CODE(hw_totp_code(seed1, 20, HW_TOTP_SHA1, 6, 30, -1, &code, &e), HW_EINVAL);
    EXPECT_CODE(hw_totp_code(seed1, 20, (hw_totp_alg)7, 6, 30, 59, &code, &e), HW_EINVAL);
    EXPECT_CODE(hw_totp_code(seed1, 0, HW_TOTP_SHA1, 6, 30, 59, &code, &e), HW_EINVAL);
    EXPECT_INT(code, 0);
}

TEST(totp_base32_rfc4648_vectors)
{
    static const struct {
        const char *plain, *padded;
    } v[] = {
        {"", ""},
        {"f", "MY======"},
        {"fo", "MZXQ===="},
        {"foo", "MZXW6==="},
        {"foob", "MZXW6YQ="},
        {"fooba", "MZXW6YTB"},
        {"foobar", "MZXW6YTBOI======"},
    };
    char text[64], bare[64];
    uint8_t bytes[64];
    size_t len = 99;
    hw_err e;

    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        size_t n = strlen(v[i].plain);

        /* Encoded without padding, as otpauth URIs carry secrets. */
        snprintf(bare, sizeof bare, "%.*s", (int)strcspn(v[i].padded, "="), v[i].padded);
        EXPECT_CODE_E(hw_base32_encode(v[i].plain, n, text, sizeof text, &e), HW_OK, &e);
        EXPECT_STR(text, bare);
        EXPECT_INT(strlen(text), HW_BASE32_LEN(n));
        /* Decoded with or without padding. */
        EXPECT_CODE_E(hw_base32_decode(v[i].padded, bytes, sizeof bytes, &len, &e), HW_OK, &e);
        EXPECT(len == n && memcmp(bytes, v[i].plain, n) == 0);
        EXPECT_CODE_E(hw_base32_decode(bare, bytes, sizeof bytes, &len, &e), HW_OK, &e);
        EXPECT(len == n && memcmp(bytes, v[i].plain, n) == 0);
    }
    /* Either case, spaces anywhere. */
    EXPECT_CODE_E(hw_base32_decode(" mzXW 6ytb oi== ", bytes, sizeof bytes, &len, &e), HW_OK, &e);
    EXPECT(len == 6 && memcmp(bytes, "foobar", 6) == 0);
    EXPECT_CODE_E(hw_base32_decode(seed1_b32, bytes, sizeof bytes, &len, &e), HW_OK, &e);
    EXPECT(len == 20 && memcmp(bytes, seed1, 20) == 0);
}

TEST(totp_base32_round_trips_and_errors)
{
    uint8_t in[64], back[64];
    char text[HW_BASE32_LEN(64) + 1];
    uint32_t x = 2463534242u; /* xorshift32: fixed bytes, every run the same */
    size_t len = 0;
    hw_err e;

    for (size_t n = 0; n <= sizeof in; n++) {
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            in[i] = (uint8_t)x;
        }
        EXPECT_CODE_E(hw_base32_encode(in, n, text, sizeof text, &e), HW_OK, &e);
        EXPECT_CODE_E(hw_base32_decode(text, back, sizeof back, &len, &e), HW_OK, &e);
        EXPECT(len == n && memcmp(in, back, n) == 0);
        for (const char *c = text; *c; c++)
            EXPECT((*c >= 'A' && *c <= 'Z') || (*c >= '2' && *c <= '7'));
    }
    EXPECT_CODE(hw_base32_encode("foobar", 6, text, 10, &e), HW_ELIMIT);
    EXPECT_CODE(hw_base32_encode("foobar", 6, text, 11, &e), HW_OK);
    EXPECT_CODE(hw_base32_decode("MZXW1YTB", back, sizeof back, &len, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "position 5") != NULL);
    EXPECT_CODE(hw_base32_decode("MZ=XW", back, sizeof back, &len, &e), HW_EINVAL);
    EXPECT_CODE(hw_base32_decode("M", back, sizeof back, &len, &e), HW_EINVAL);
    EXPECT_CODE(hw_base32_decode("MZX", back, sizeof back, &len, &e), HW_EINVAL);
    EXPECT_CODE(hw_base32_decode("MZXW6Y", back, sizeof back, &len, &e), HW_EINVAL);
    EXPECT_CODE(hw_base32_decode(NULL, back, sizeof back, &len, &e), HW_EINVAL);
    EXPECT_CODE(hw_base32_decode("MZXW6YTBOI", back, 5, &len, &e), HW_ELIMIT);
    EXPECT_INT(len, 0);
}

TEST(totp_verify_window)
{
    /* At 160 s the step is 5; steps 3..7 have the HOTP values of counters 3..7. */
    int64_t step = 0;
    int ok = -1;
    hw_err e;

    EXPECT_CODE_E(hw_totp_verify(seed1_b32, "254676", 160, 1, &step, &ok, &e), HW_OK, &e);
    EXPECT(ok == 1 && step == 5);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "338314", 160, 1, &step, &ok, &e), HW_OK);
    EXPECT(ok == 1 && step == 4);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "287922", 160, 1, &step, &ok, &e), HW_OK);
    EXPECT(ok == 1 && step == 6);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "969429", 160, 1, &step, &ok, &e), HW_OK);
    EXPECT(ok == 0 && step == -1);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "162583", 160, 1, &step, &ok, &e), HW_OK);
    EXPECT(ok == 0 && step == -1);
    /* The window is what the caller says. */
    EXPECT_CODE(hw_totp_verify(seed1_b32, "338314", 160, 0, &step, &ok, &e), HW_OK);
    EXPECT(ok == 0 && step == -1);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "969429", 160, 2, &step, &ok, &e), HW_OK);
    EXPECT(ok == 1 && step == 3);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "254676", 160, -1, &step, &ok, &e), HW_EINVAL);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "254676", 160, HW_TOTP_WINDOW_MAX + 1, &step, &ok, &e),
                HW_EINVAL);
    /* The edges of a step: 150 and 179 are step 5, 180 is step 6. */
    EXPECT_CODE(hw_totp_verify(seed1_b32, "338314", 179, 1, NULL, &ok, &e), HW_OK);
    EXPECT_INT(ok, 1);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "338314", 180, 1, NULL, &ok, &e), HW_OK);
    EXPECT_INT(ok, 0);
    /* Steps before 1970 are skipped, not an error. */
    EXPECT_CODE(hw_totp_verify(seed1_b32, "755224", 10, 1, &step, &ok, &e), HW_OK);
    EXPECT(ok == 1 && step == 0);
    /* Exactly six ASCII digits, or no match. */
    static const char *const bad[] = {"25467",
                                      "2546760",
                                      "25467a",
                                      " 254676",
                                      "254676 ",
                                      "+54676",
                                      "",
                                      "\xef\xbc\x92"
                                      "54676",
                                      "25\x00"
                                      "676"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ok = -1;
        EXPECT_CODE(hw_totp_verify(seed1_b32, bad[i], 160, 1, &step, &ok, &e), HW_OK);
        EXPECT(ok == 0 && step == -1);
    }
    EXPECT_CODE(hw_totp_verify(seed1_b32, NULL, 160, 1, &step, &ok, &e), HW_OK);
    EXPECT_INT(ok, 0);
    /* The secret as people type it. */
    EXPECT_CODE(
        hw_totp_verify("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", "254676", 160, 1, &step, &ok, &e),
        HW_OK);
    EXPECT_INT(ok, 1);
    /* A secret that is no secret. */
    EXPECT_CODE(hw_totp_verify("not base32!", "254676", 160, 1, &step, &ok, &e), HW_EINVAL);
    EXPECT_STR(e.field, "totp_secret");
    EXPECT_CODE(hw_totp_verify("MZXW6YTB", "254676", 160, 1, &step, &ok, &e), HW_EINVAL);
    EXPECT_CODE(hw_totp_verify(seed1_b32, "254676", -5, 1, &step, &ok, &e), HW_EINVAL);
}

TEST(totp_secret_new_and_uri)
{
    char a[HW_TOTP_SECRET_TEXT], b[HW_TOTP_SECRET_TEXT], uri[1024];
    uint8_t key[64];
    size_t len = 0;
    hw_err e;

    EXPECT_CODE_E(hw_totp_secret_new(a, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_totp_secret_new(b, &e), HW_OK, &e);
    EXPECT_INT(strlen(a), 32);
    EXPECT(strcmp(a, b) != 0);
    EXPECT_CODE_E(hw_base32_decode(a, key, sizeof key, &len, &e), HW_OK, &e);
    EXPECT_INT(len, HW_TOTP_SECRET_BYTES);

    static const char want[] =
        "otpauth://totp/Homeward:ada%2Bwork%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        "&issuer=Homeward&algorithm=SHA1&digits=6&period=30";
    EXPECT_CODE_E(hw_totp_uri("Homeward", "ada+work@example.org",
                              "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", uri, sizeof uri, &e),
                  HW_OK, &e);
    EXPECT_STR(uri, want);
    /* Exactly enough room, and one byte less. */
    EXPECT_CODE(hw_totp_uri("Homeward", "ada+work@example.org", seed1_b32, uri, sizeof want, &e),
                HW_OK);
    EXPECT_STR(uri, want);
    EXPECT_CODE(
        hw_totp_uri("Homeward", "ada+work@example.org", seed1_b32, uri, sizeof want - 1, &e),
        HW_ELIMIT);
    EXPECT_STR(uri, "");
    EXPECT_CODE_E(hw_totp_uri("Fresh Start: PA", "a/b?c=d&e@x.org", seed1_b32, uri, sizeof uri, &e),
                  HW_OK, &e);
    EXPECT_STR(uri, "otpauth://totp/Fresh%20Start%3A%20PA:a%2Fb%3Fc%3Dd%26e%40x.org?secret="
                    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Fresh%20Start%3A%20PA"
                    "&algorithm=SHA1&digits=6&period=30");
    EXPECT_CODE(hw_totp_uri("", "a@x.org", seed1_b32, uri, sizeof uri, &e), HW_EINVAL);
    EXPECT_CODE(hw_totp_uri("Homeward", "", seed1_b32, uri, sizeof uri, &e), HW_EINVAL);
    EXPECT_CODE(hw_totp_uri("Homeward", "a@x.org", "0189", uri, sizeof uri, &e), HW_EINVAL);
    EXPECT_CODE(hw_totp_uri("Homeward", "a@x.org", "", uri, sizeof uri, &e), HW_EINVAL);
}

TEST(totp_users_enable_reset_disable)
{
    static const char pw[] = "correct horse battery staple";
    char secret[HW_TOTP_SECRET_TEXT], again[HW_TOTP_SECRET_TEXT], stored[HW_TOTP_SECRET_TEXT];
    char code_text[8], tiny[8];
    uint8_t key[64];
    size_t len = 0;
    uint32_t code = 0;
    hw_store *s = NULL;
    int64_t org = 0, id = 0, step = 0;
    int has = -1, had = -1, ok = -1;
    hw_err e;

    EXPECT_CODE(hw_store_open(unit_path("totp.db"), HW_STORE_CREATE, &s, &e), HW_OK);
    EXPECT_CODE(hw_org_add(s, "Org", "PA", &org, &e), HW_OK);
    EXPECT_CODE_E(hw_user_add(s, "a@example.org", "admin", org, pw, strlen(pw), &id, &e), HW_OK,
                  &e);
    EXPECT_CODE(hw_user_totp_secret(s, id, stored, sizeof stored, &has, &e), HW_OK);
    EXPECT(has == 0 && stored[0] == '\0');

    EXPECT_CODE_E(hw_user_totp_enable(s, "A@Example.org", 0, secret, &e), HW_OK, &e);
    EXPECT_INT(strlen(secret), 32);
    EXPECT_CODE(hw_user_totp_secret(s, id, stored, sizeof stored, &has, &e), HW_OK);
    EXPECT_INT(has, 1);
    EXPECT_STR(stored, secret);
    EXPECT_CODE(hw_user_totp_secret(s, id, tiny, sizeof tiny, &has, &e), HW_ELIMIT);

    /* The stored secret signs in: the code an app would show now is accepted. */
    EXPECT_CODE(hw_base32_decode(stored, key, sizeof key, &len, &e), HW_OK);
    EXPECT_CODE(hw_totp_code(key, len, HW_TOTP_SHA1, 6, 30, 1700000000, &code, &e), HW_OK);
    snprintf(code_text, sizeof code_text, "%06u", (unsigned)code);
    EXPECT_CODE(hw_totp_verify(stored, code_text, 1700000000, HW_TOTP_WINDOW, &step, &ok, &e),
                HW_OK);
    EXPECT(ok == 1 && step == 1700000000 / 30);

    /* A second one is refused and changes nothing; reset replaces it. */
    EXPECT_CODE(hw_user_totp_enable(s, "a@example.org", 0, again, &e), HW_ECONFLICT);
    EXPECT_STR(again, "");
    EXPECT_CODE(hw_user_totp_secret(s, id, stored, sizeof stored, &has, &e), HW_OK);
    EXPECT_STR(stored, secret);
    EXPECT_CODE_E(hw_user_totp_enable(s, "a@example.org", 1, again, &e), HW_OK, &e);
    EXPECT(strcmp(again, secret) != 0);
    EXPECT_CODE(hw_user_totp_secret(s, id, stored, sizeof stored, &has, &e), HW_OK);
    EXPECT_STR(stored, again);

    EXPECT_CODE(hw_user_totp_disable(s, "a@example.org", &had, &e), HW_OK);
    EXPECT_INT(had, 1);
    EXPECT_CODE(hw_user_totp_secret(s, id, stored, sizeof stored, &has, &e), HW_OK);
    EXPECT(has == 0 && stored[0] == '\0');
    EXPECT_CODE(hw_user_totp_disable(s, "a@example.org", &had, &e), HW_OK);
    EXPECT_INT(had, 0);

    /* No such user. */
    EXPECT_CODE(hw_user_totp_enable(s, "nobody@example.org", 0, again, &e), HW_ENOTFOUND);
    EXPECT_STR(e.field, "email");
    EXPECT_CODE(hw_user_totp_disable(s, "nobody@example.org", NULL, &e), HW_ENOTFOUND);
    EXPECT_CODE(hw_user_totp_secret(s, id + 1, stored, sizeof stored, &has, &e), HW_ENOTFOUND);
    hw_store_close(s);
}
