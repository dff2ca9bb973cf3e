/* SPDX-License-Identifier: MIT */
/*
 * Civil dates and instants.  A civil date (a date of birth, an offense date)
 * is a count of days since 1970-01-01 in the proleptic Gregorian calendar,
 * never a timestamp: it has no time zone.  An instant (an appointment) is
 * seconds since the Unix epoch plus the UTC offset it was written with.
 */
#ifndef HOMEWARD_DATE_H
#define HOMEWARD_DATE_H

#include <stdint.h>
#include <stddef.h>

#include "homeward/error.h"

#define HW_DATE_MIN_YEAR 1800
#define HW_DATE_MAX_YEAR 2200
#define HW_DATE_LEN 10 /* "YYYY-MM-DD" */
#define HW_TIME_LEN 25 /* "YYYY-MM-DDTHH:MM:SS+HH:MM" */

/* Days since 1970-01-01 of a valid y-m-d (no range check). */
int32_t hw_date_from_ymd(int y, int m, int d);
/* Split a day count into year, month (1-12) and day (1-31). */
void hw_date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Days in month m of year y. */
int hw_date_month_days(int y, int m);

/*
 * Parse exactly "YYYY-MM-DD" (s[0..n)), a real calendar date between
 * HW_DATE_MIN_YEAR and HW_DATE_MAX_YEAR.  HW_EINVAL says what is wrong.
 */
hw_code hw_date_parse(const char *s, size_t n, int32_t *out, hw_err *e);

/* Write "YYYY-MM-DD" and a NUL to out (HW_DATE_LEN + 1 bytes). */
void hw_date_format(int32_t days, char *out);

/*
 * Calendar arithmetic as the law counts it: adding months keeps the day of
 * the month, or takes the month's last day when it has no such day
 * (2024-02-29 + 12 months = 2025-02-28).
 */
int32_t hw_date_add_months(int32_t days, int months);
/* Whole months from a to b (negative when b is before a). */
int hw_date_months_between(int32_t a, int32_t b);

/* Today's civil date in the local time zone. */
int32_t hw_date_today(void);

/*
 * Parse an RFC 3339 instant with an explicit offset ("2026-11-24T09:30:00-05:00",
 * seconds optional, "Z" allowed) into UTC seconds and the offset in minutes.
 */
hw_code hw_time_parse(const char *s, size_t n, int64_t *utc, int *offset_min, hw_err *e);

/* Write the canonical form "YYYY-MM-DDTHH:MM:SS+HH:MM" (HW_TIME_LEN + 1 bytes). */
void hw_time_format(int64_t utc, int offset_min, char *out);

#endif
