/* SPDX-License-Identifier: MIT */
/*
 * Functions that are easy to misuse become compile errors (git's banned.h).
 * Use snprintf, hw_buf and the checked parsers in text.h instead.
 */
#ifndef HW_BANNED_H
#define HW_BANNED_H

#define HW_BANNED(f) sorry_##f##_is_banned
#undef strcpy
#define strcpy(a, b) HW_BANNED(strcpy)
#undef strcat
#define strcat(a, b) HW_BANNED(strcat)
#undef strncpy
#define strncpy(a, b, n) HW_BANNED(strncpy)
#undef strncat
#define strncat(a, b, n) HW_BANNED(strncat)
#undef sprintf
#define sprintf(...) HW_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) HW_BANNED(vsprintf)
#undef strtok
#define strtok(a, b) HW_BANNED(strtok)
#undef gets
#define gets(a) HW_BANNED(gets)
#undef atoi
#define atoi(a) HW_BANNED(atoi)
#undef atol
#define atol(a) HW_BANNED(atol)

#endif
