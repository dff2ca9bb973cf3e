/* SPDX-License-Identifier: MIT */
/*
 * The one internal header every .c file of the library includes first:
 * portability macros and the banned-function list, nothing else.
 */
#ifndef HW_COMMON_H
#define HW_COMMON_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* The headers that declare banned functions come before banned.h redefines them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define HW_UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define HW_LIKELY(x) __builtin_expect(!!(x), 1)
#define HW_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define HW_LIKELY(x) (x)
#define HW_UNLIKELY(x) (x)
#endif

#include "core/banned.h"

#endif
