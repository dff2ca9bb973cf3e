/* SPDX-License-Identifier: MIT */
/* Internal to funds and the planner. */
#ifndef HW_FUNDS_INT_H
#define HW_FUNDS_INT_H

#include "homeward/error.h"
#include "homeward/logic.h"

/*
 * Compile a fund's restriction (JSON Logic text over {person, obligation});
 * NULL text gives *out NULL, which admits everything.  A path that names no
 * field is HW_EINVAL with field "restrict".
 */
hw_code hw__restriction_compile(const char *text, hw_logic **out, hw_err *e);

#endif
