/* SPDX-License-Identifier: MIT */
/* Strict parsers and normalisers for extract text (see text.h). */
#include "core/common.h"

#include <stdio.h>
#include <string.h>

#include "homeward/text.h"

/* At most this much of a bad value is quoted back in a message. */
#define QUOTE 40
#define Q(n) (int)((n) > QUOTE ? QUOTE : (n))

bool hw_utf8_valid(const char *str, size_t n, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            goto fail;
        }
        if (n - i < len)
            goto fail;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto fail;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            goto fail;
        i += len;
    }
    return true;
fail:
    if (bad)
        *bad = i;
    return false;
}

hw_code hw_parse_int(const char *s, size_t n, int64_t min, int64_t max, int64_t *out, hw_err *e)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0, lim;

    if (n && s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == n)
        return hw_fail(e, HW_EINVAL, NULL, "not a whole number: '%.*s'", Q(n), s);
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned d = (unsigned char)s[i] - '0';

        if (d > 9)
            return hw_fail(e, HW_EINVAL, NULL, "not a whole number: '%.*s'", Q(n), s);
        if (v > (lim - d) / 10)
            return hw_fail(e, HW_EINVAL, NULL, "number too large: '%.*s'", Q(n), s);
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    if (*out < min || *out > max)
        return hw_fail(e, HW_EINVAL, NULL, "out of range %lld..%lld: %lld", (long long)min,
                       (long long)max, (long long)*out);
    return HW_OK;
}

hw_code hw_parse_cents(const char *s, size_t n, int64_t min, int64_t max, int64_t *out, hw_err *e)
{
    if (memchr(s, '.', n) || memchr(s, ',', n) || (n && s[0] == '$'))
        return hw_fail(e, HW_EINVAL, NULL,
                       "not whole cents: '%.*s' (amounts are integer cents: $12.50 is 1250)", Q(n),
                       s);
    if (min >= 0 && n && s[0] == '-')
        return hw_fail(e, HW_EINVAL, NULL, "negative amount: '%.*s'", Q(n), s);
    return hw_parse_int(s, n, min, max, out, e);
}

bool hw_ascii_ieq(const char *s, size_t n, const char *word)
{
    size_t i = 0;

    for (; i < n && word[i]; i++) {
        char c = s[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return false;
    }
    return i == n && !word[i];
}

hw_code hw_parse_bool(const char *s, size_t n, bool *out, hw_err *e)
{
    static const char *const yes[] = {"true", "1", "yes", "t", "y"};
    static const char *const no[] = {"false", "0", "no", "f", "n"};

    for (size_t i = 0; i < HW_ARRAY_LEN(yes); i++) {
        if (hw_ascii_ieq(s, n, yes[i])) {
            *out = true;
            return HW_OK;
        }
        if (hw_ascii_ieq(s, n, no[i])) {
            *out = false;
            return HW_OK;
        }
    }
    return hw_fail(e, HW_EINVAL, NULL, "not true or false: '%.*s'", Q(n), s);
}

/*
 * Code names and their one spelling.  A pattern is a list of words,
 * compared ignoring case and full stops; the longest match wins.
 */
static const struct statute_code {
    const char *words[6];
    const char *canon;
} statute_codes[] = {
    {{"usc"}, "USC"},
    {{"usca"}, "USC"},
    {{"us", "code"}, "USC"},
    {{"cfr"}, "CFR"},
    {{"pacs"}, "PACS"},
    {{"pacsa"}, "PACS"},
    {{"pa", "cs"}, "PACS"},
    {{"pa", "csa"}, "PACS"},
    {{"dc", "code"}, "DC"},
    {{"dc", "official", "code"}, "DC"},
    {{"ocga"}, "OCGA"},
    {{"mcl"}, "MCL"},
    {{"mcla"}, "MCL"},
    {{"ilcs"}, "ILCS"},
    {{"cal", "health", "&", "safety", "code"}, "CA HSC"},
    {{"cal", "health", "and", "safety", "code"}, "CA HSC"},
    {{"health", "&", "safety", "code"}, "CA HSC"},
    {{"health", "and", "safety", "code"}, "CA HSC"},
    {{"cal", "hs"}, "CA HSC"},
    {{"cal", "hsc"}, "CA HSC"},
    {{"ca", "hsc"}, "CA HSC"},
    {{"ca", "hs"}, "CA HSC"},
    {{"h&s"}, "CA HSC"},
    {{"hsc"}, "CA HSC"},
    {{"cal", "penal", "code"}, "CA PC"},
    {{"ca", "pc"}, "CA PC"},
    {{"penal", "code"}, "CA PC"},
    {{"cal", "veh", "code"}, "CA VC"},
    {{"cal", "vehicle", "code"}, "CA VC"},
    {{"ca", "vc"}, "CA VC"},
};

typedef struct word {
    const char *p;
    size_t n;
} word;

/* True when w equals pattern p ignoring case and '.'. */
static bool word_matches(word w, const char *p)
{
    size_t i = 0;

    for (size_t k = 0; k < w.n; k++) {
        char c = w.p[k];

        if (c == '.')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!p[i] || p[i] != c)
            return false;
        i++;
    }
    return !p[i] && i > 0;
}

hw_code hw_statute_normalize(const char *s, size_t n, hw_buf *out, hw_err *e)
{
    word words[64];
    size_t nw = 0, i = 0, start = out->n;
    hw_code rc = HW_OK;

    /* Split into words, dropping "§", "§§" and the words "section"/"sec.". */
    while (i < n) {
        size_t j;

        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t')
            j++;
        if (j == i)
            break;
        {
            word w = {s + i, j - i};

            while (w.n >= 2 && (unsigned char)w.p[0] == 0xC2 && (unsigned char)w.p[1] == 0xA7) {
                w.p += 2;
                w.n -= 2;
            }
            if (w.n && !word_matches(w, "section") && !word_matches(w, "sec") &&
                !word_matches(w, "sections")) {
                if (nw == HW_ARRAY_LEN(words))
                    return hw_fail(e, HW_EINVAL, NULL, "citation has too many words");
                words[nw++] = w;
            }
        }
        i = j;
    }
    if (!nw)
        return hw_fail(e, HW_EINVAL, NULL, "empty citation");

    for (size_t w = 0; w < nw && !rc;) {
        const struct statute_code *best = NULL;
        size_t best_len = 0;

        for (size_t c = 0; c < HW_ARRAY_LEN(statute_codes); c++) {
            size_t k = 0;

            while (k < 6 && statute_codes[c].words[k] && w + k < nw &&
                   word_matches(words[w + k], statute_codes[c].words[k]))
                k++;
            if (k > best_len && (k == 6 || !statute_codes[c].words[k])) {
                best = &statute_codes[c];
                best_len = k;
            }
        }
        if (out->n > start)
            rc = hw_buf_putc(out, ' ', e);
        if (rc)
            break;
        if (best) {
            rc = hw_buf_append(out, best->canon, strlen(best->canon), e);
            w += best_len;
        } else {
            word x = words[w];

            /* A trailing full stop ends a sentence, not a section number. */
            if (w == nw - 1 && x.n > 1 && x.p[x.n - 1] == '.')
                x.n--;
            rc = hw_buf_append(out, x.p, x.n, e);
            w++;
        }
    }
    return rc;
}

bool hw_state_valid(const char *s, size_t n)
{
    static const char codes[] = "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME "
                                "MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI "
                                "SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP";

    if (n != 2)
        return false;
    for (size_t i = 0; i + 1 < sizeof(codes); i += 3)
        if (codes[i] == s[0] && codes[i + 1] == s[1])
            return true;
    return false;
}

hw_code hw_phone_normalize(const char *s, size_t n, char *out, hw_err *e)
{
    char d[16];
    size_t nd = 0;
    bool plus = n && s[0] == '+';

    for (size_t i = plus; i < n; i++) {
        char c = s[i];

        if (c >= '0' && c <= '9') {
            if (nd == 15)
                return hw_fail(e, HW_EINVAL, NULL, "phone number too long: '%.*s'", Q(n), s);
            d[nd++] = c;
        } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
            return hw_fail(e, HW_EINVAL, NULL, "not a phone number: '%.*s'", Q(n), s);
        }
    }
    if (!plus && nd == 10) {
        out[0] = '+';
        out[1] = '1';
        memcpy(out + 2, d, 10);
        out[12] = '\0';
        return HW_OK;
    }
    if (!plus && nd == 11 && d[0] == '1')
        plus = true;
    if (!plus || nd < 8)
        return hw_fail(e, HW_EINVAL, NULL,
                       "not a phone number (want 10 digits or +country code): '%.*s'", Q(n), s);
    out[0] = '+';
    memcpy(out + 1, d, nd);
    out[nd + 1] = '\0';
    return HW_OK;
}

hw_code hw_email_check(const char *s, size_t n, hw_err *e)
{
    const char *at = memchr(s, '@', n);
    size_t local, domain;
    const char *dot;

    if (n > 254 || !at)
        goto bad;
    local = (size_t)(at - s);
    domain = n - local - 1;
    dot = memchr(at + 1, '.', domain);
    if (!local || domain < 3 || !dot || dot == at + 1 || s[n - 1] == '.' ||
        memchr(at + 1, '@', domain))
        goto bad;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == ',' || s[i] == ';' || s[i] == '<' || s[i] == '>')
            goto bad;
    return HW_OK;
bad:
    return hw_fail(e, HW_EINVAL, NULL, "not an e-mail address: '%.*s'", Q(n), s);
}

hw_code hw_zip_check(const char *s, size_t n, hw_err *e)
{
    if (n != 5 && n != 10)
        goto bad;
    for (size_t i = 0; i < n; i++) {
        if (i == 5 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            goto bad;
    }
    return HW_OK;
bad:
    return hw_fail(e, HW_EINVAL, NULL, "not a ZIP code (want 12345 or 12345-6789): '%.*s'", Q(n),
                   s);
}

/* Digits of v with a comma every three, into out; returns the length. */
static size_t group(uint64_t v, char *out, size_t size)
{
    char rev[32];
    size_t n = 0, k = 0;

    do {
        if (k && k % 3 == 0)
            rev[n++] = ',';
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
        k++;
    } while (v);
    if (n >= size)
        n = size - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
    return n;
}

void hw_cents_format(int64_t cents, char *out, size_t size)
{
    uint64_t v = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
    char digits[32];

    group(v / 100, digits, sizeof(digits));
    snprintf(out, size, "%s$%s.%02u", cents < 0 ? "-" : "", digits, (unsigned)(v % 100));
}

void hw_count_format(int64_t n, char *out, size_t size)
{
    uint64_t v = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;

    if (n < 0 && size > 1) {
        out[0] = '-';
        group(v, out + 1, size - 1);
    } else {
        group(v, out, size);
    }
}
