/* SPDX-License-Identifier: MIT */
/* Civil dates and RFC 3339 instants (see date.h). */
#include "core/common.h"

#include <stdio.h>
#include <time.h>

#include "homeward/date.h"

/* Howard Hinnant's days_from_civil / civil_from_days: exact for all years. */
int32_t hw_date_from_ymd(int y, int m, int d)
{
    int era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void hw_date_to_ymd(int32_t days, int *y, int *m, int *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int hw_date_month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* n ASCII digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static hw_code parse_ymd(const char *s, size_t n, int *y, int *m, int *d, hw_err *e)
{
    if (n != HW_DATE_LEN || s[4] != '-' || s[7] != '-')
        return hw_fail(e, HW_EINVAL, NULL, "not a date (want YYYY-MM-DD): '%.*s'",
                       (int)(n > 40 ? 40 : n), s);
    *y = digits(s, 4);
    *m = digits(s + 5, 2);
    *d = digits(s + 8, 2);
    if (*y < 0 || *m < 0 || *d < 0)
        return hw_fail(e, HW_EINVAL, NULL, "not a date (want YYYY-MM-DD): '%.*s'", (int)n, s);
    if (*y < HW_DATE_MIN_YEAR || *y > HW_DATE_MAX_YEAR)
        return hw_fail(e, HW_EINVAL, NULL, "year out of range %d-%d: '%.*s'", HW_DATE_MIN_YEAR,
                       HW_DATE_MAX_YEAR, (int)n, s);
    if (*m < 1 || *m > 12 || *d < 1 || *d > hw_date_month_days(*y, *m))
        return hw_fail(e, HW_EINVAL, NULL, "no such date: '%.*s'", (int)n, s);
    return HW_OK;
}

hw_code hw_date_parse(const char *s, size_t n, int32_t *out, hw_err *e)
{
    int y, m, d;
    hw_code rc = parse_ymd(s, n, &y, &m, &d, e);

    if (rc)
        return rc;
    *out = hw_date_from_ymd(y, m, d);
    return HW_OK;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

void hw_date_format(int32_t days, char *out)
{
    int y, m, d;

    hw_date_to_ymd(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, HW_DATE_LEN + 1, "0000-00-00");
        return;
    }
    put2(out, y / 100);
    put2(out + 2, y % 100);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = '\0';
}

int32_t hw_date_add_months(int32_t days, int months)
{
    int y, m, d, total, last;

    hw_date_to_ymd(days, &y, &m, &d);
    total = y * 12 + (m - 1) + months;
    y = total >= 0 ? total / 12 : (total - 11) / 12;
    m = total - y * 12 + 1;
    last = hw_date_month_days(y, m);
    return hw_date_from_ymd(y, m, d > last ? last : d);
}

int hw_date_months_between(int32_t a, int32_t b)
{
    int ya, ma, da, yb, mb, db, n;

    if (b < a)
        return -hw_date_months_between(b, a);
    hw_date_to_ymd(a, &ya, &ma, &da);
    hw_date_to_ymd(b, &yb, &mb, &db);
    n = (yb - ya) * 12 + (mb - ma);
    /* A month is complete when a + n months is on or before b. */
    if (n > 0 && hw_date_add_months(a, n) > b)
        n--;
    return n;
}

int32_t hw_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    return hw_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

hw_code hw_time_parse(const char *s, size_t n, int64_t *utc, int *offset_min, hw_err *e)
{
    int y, mo, d, hh, mm, ss = 0, oh = 0, om = 0, sign = 1;
    size_t i = 16;
    hw_code rc;

    if (n < 17 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
        goto bad;
    rc = parse_ymd(s, 10, &y, &mo, &d, e);
    if (rc)
        return rc;
    hh = digits(s + 11, 2);
    mm = digits(s + 14, 2);
    if (n > i && s[i] == ':') {
        if (n < i + 3 || (ss = digits(s + i + 1, 2)) < 0)
            goto bad;
        i += 3;
    }
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss > 59)
        goto bad;
    if (n == i + 1 && (s[i] == 'Z' || s[i] == 'z')) {
        sign = 1;
    } else if (n == i + 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        sign = s[i] == '-' ? -1 : 1;
        oh = digits(s + i + 1, 2);
        om = digits(s + i + 4, 2);
        if (oh < 0 || oh > 18 || om < 0 || om > 59)
            goto bad;
    } else {
        goto bad;
    }
    *offset_min = sign * (oh * 60 + om);
    *utc = (int64_t)hw_date_from_ymd(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss -
           (int64_t)*offset_min * 60;
    return HW_OK;
bad:
    return hw_fail(e, HW_EINVAL, NULL,
                   "not a time with offset (want YYYY-MM-DDTHH:MM:SS+HH:MM): '%.*s'",
                   (int)(n > 40 ? 40 : n), s);
}

void hw_time_format(int64_t utc, int offset_min, char *out)
{
    int64_t local = utc + (int64_t)offset_min * 60;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int secs = (int)(local - days * 86400);
    int off = offset_min < 0 ? -offset_min : offset_min;

    hw_date_format((int32_t)days, out);
    out[10] = 'T';
    put2(out + 11, secs / 3600);
    out[13] = ':';
    put2(out + 14, secs / 60 % 60);
    out[16] = ':';
    put2(out + 17, secs % 60);
    out[19] = offset_min < 0 ? '-' : '+';
    put2(out + 20, off / 60);
    out[22] = ':';
    put2(out + 23, off % 60);
    out[25] = '\0';
}
